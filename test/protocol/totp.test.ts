import { STANDARD_TOTP, decodeBase32, totpCode, totpCodeForSecret } from '../../nodes/shared/protocol/totp';
import { problemOf } from '../helpers/answers';

// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to 20, 32 and 64 bytes, 8 digits.
const SEEDS = {
	sha1: Buffer.from('12345678901234567890'),
	sha256: Buffer.from('12345678901234567890123456789012'),
	sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const RFC_6238_VECTORS: Array<[number, string, string, string]> = [
	[59, '94287082', '46119246', '90693936'],
	[1111111109, '07081804', '68084774', '25091201'],
	[1111111111, '14050471', '67062674', '99943326'],
	[1234567890, '89005924', '91819424', '93441116'],
	[2000000000, '69279037', '90698825', '38618901'],
	[20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
	it.each(RFC_6238_VECTORS)('at %i s gives the RFC codes for SHA-1, SHA-256 and SHA-512', (seconds, sha1, sha256, sha512) => {
		const at = seconds * 1000;
		expect(totpCode(SEEDS.sha1, at, { digits: 8, periodSeconds: 30, algorithm: 'sha1' })).toBe(sha1);
		expect(totpCode(SEEDS.sha256, at, { digits: 8, periodSeconds: 30, algorithm: 'sha256' })).toBe(sha256);
		expect(totpCode(SEEDS.sha512, at, { digits: 8, periodSeconds: 30, algorithm: 'sha512' })).toBe(sha512);
	});

	it('gives the last 6 digits of the same number with the standard settings apps use', () => {
		expect(totpCode(SEEDS.sha1, 59_000, STANDARD_TOTP)).toBe('287082');
		expect(totpCode(SEEDS.sha1, 1111111109_000)).toBe('081804');
	});

	it('keeps the code for a whole 30-second step and changes it at the next', () => {
		expect(totpCode(SEEDS.sha1, 60_000)).toBe(totpCode(SEEDS.sha1, 89_999));
		expect(totpCode(SEEDS.sha1, 89_999)).not.toBe(totpCode(SEEDS.sha1, 90_000));
	});
});

describe('Base32 secrets (RFC 4648)', () => {
	it.each([
		['MY', 'f'],
		['MZXQ', 'fo'],
		['MZXW6', 'foo'],
		['MZXW6YQ', 'foob'],
		['MZXW6YTB', 'fooba'],
		['MZXW6YTBOI======', 'foobar'],
	])('decodes %s', (encoded, plain) => {
		expect(decodeBase32(encoded)?.toString()).toBe(plain);
	});

	it('takes lower case, spaces and dashes as apps show them', () => {
		expect(decodeBase32('gezd gnbv-gy3t qojq')?.toString()).toBe('1234567890');
	});

	it('refuses characters outside the alphabet and empty secrets', () => {
		expect(decodeBase32('MZXW1')).toBeUndefined();
		expect(decodeBase32('  ')).toBeUndefined();
	});

	it('explains a malformed or too short secret without showing it', () => {
		const problem = problemOf(() => totpCodeForSecret('NOT-BASE32-0189', 'ONLYOFFICE API'));
		expect(problem.details.kind).toBe('badInput');
		expect(problem.message).toBe('The authenticator secret in the ONLYOFFICE API credential is not a valid Base32 key');
		expect(`${problem.message}${problem.details.hint}`).not.toContain('NOT-BASE32');
		expect(problemOf(() => totpCodeForSecret('MZXW6', 'X')).details.kind).toBe('badInput');
	});

	it('computes the current code of a secret', () => {
		expect(totpCodeForSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'X', 59_000)).toBe('287082');
	});
});
