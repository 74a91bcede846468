import { resolveBaseUrl, hasControlCharacters } from '../../nodes/shared/protocol/inputChecks';
import { LoginProblem } from '../../nodes/shared/protocol/loginProblem';
import { bodyExcerpt, headerValues, joinUrl, looksLikeHtml } from '../../nodes/shared/protocol/http';
import { leakedSecrets } from '../helpers/leaks';
import { REDACTED, SecretCollector, SecretRedactor } from '../../nodes/shared/secrets';
import { makeTokenItem } from '../../nodes/shared/tokenItem';

describe('token item', () => {
	it('has one shape for every provider, with ISO dates and null for an unknown expiry', () => {
		const item = makeTokenItem({
			provider: 'boknett',
			environment: 'production',
			token: 'TGT-1',
			headers: { Authorization: 'Boknett TGT-1' },
			obtainedAt: new Date('2026-11-23T10:00:00Z'),
			expiresAt: null,
			extra: { cookieName: '.AspxAuthProd' },
		});
		expect(item).toEqual({
			provider: 'boknett',
			environment: 'production',
			apiBaseUrl: null,
			token: 'TGT-1',
			headers: { Authorization: 'Boknett TGT-1' },
			obtainedAt: '2026-11-23T10:00:00.000Z',
			reused: false,
			expiresAt: null,
			cookieName: '.AspxAuthProd',
		});
	});

	it('does not let extra fields overwrite the standard ones', () => {
		const item = makeTokenItem({
			provider: 'onlyoffice',
			environment: 'e',
			token: 'real',
			headers: {},
			obtainedAt: new Date(0),
			expiresAt: new Date(1000),
			extra: { token: 'fake' },
		});
		expect(item.token).toBe('real');
		expect(item.expiresAt).toBe('1970-01-01T00:00:01.000Z');
	});
});

describe('SecretRedactor', () => {
	const redactor = new SecretRedactor(['p@ss&word æ', undefined, 'ab', '12345678901']);

	it('removes a secret in every wire form: plain, URL-, form-, XML- and JSON-encoded, base64', () => {
		const secret = 'p@ss&word æ';
		const text = [
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString(),
			'p@ss&amp;word æ',
			Buffer.from(secret).toString('base64'),
			'ssn 12345678901 here',
		].join(' | ');
		const redacted = redactor.redact(text);
		expect(leakedSecrets([redacted], { secret })).toEqual([]);
		expect(redacted).toContain(REDACTED);
		expect(redacted).toContain('ssn [redacted] here');
	});

	it('ignores secrets too short to redact safely and keeps other text', () => {
		expect(redactor.redact('about ab and abc')).toBe('about ab and abc');
	});

	it('adds secrets learnt later, such as a PIN', () => {
		const collector = new SecretCollector();
		collector.add('p@ss&word æ', '12345678901');
		collector.add('4711');
		expect(collector.redactor().redact('PIN 4711, pw p@ss&word æ')).toBe('PIN [redacted], pw [redacted]');
	});

	it('finds control characters', () => {
		expect(hasControlCharacters('a\nb')).toBe(true);
		expect(hasControlCharacters('a\u0000')).toBe(true);
		expect(hasControlCharacters('æøå ?@#&')).toBe(false);
	});
});

describe('protocol helpers', () => {
	it('joins URLs without doubled or missing slashes', () => {
		expect(joinUrl('https://a.no/', '/v1/x')).toBe('https://a.no/v1/x');
		expect(joinUrl('https://a.no/base', 'v1')).toBe('https://a.no/base/v1');
	});

	it('collects repeated headers whatever their casing', () => {
		const answer = { statusCode: 200, statusMessage: '', body: '', headers: { 'Set-Cookie': ['a=1', 'b=2'], 'set-cookie': 'c=3' } };
		expect(headerValues(answer, 'set-cookie')).toEqual(['a=1', 'b=2', 'c=3']);
	});

	it('recognises web pages and shortens bodies to readable text', () => {
		expect(looksLikeHtml({ statusCode: 200, statusMessage: '', headers: {}, body: '  <!DOCTYPE html><html>' })).toBe(true);
		expect(looksLikeHtml({ statusCode: 200, statusMessage: '', headers: {}, body: '{"a":1}' })).toBe(false);
		expect(bodyExcerpt('<p>Hello <b>there</b></p><script>x()</script>')).toBe('Hello there');
		expect(bodyExcerpt('x'.repeat(300))).toHaveLength(201);
	});
});

describe('resolveBaseUrl', () => {
	const known = { production: 'https://prod.example', test: 'https://test.example' };

	it('maps the standard environments and trims a custom URL', () => {
		expect(resolveBaseUrl('test', undefined, known, 'X')).toBe('https://test.example');
		expect(resolveBaseUrl('custom', ' http://127.0.0.1:8080/// ', known, 'X')).toBe('http://127.0.0.1:8080');
	});

	it.each(['', 'ftp://x.no', 'not a url'])('refuses the custom URL %p', (url) => {
		expect(() => resolveBaseUrl('custom', url, known, 'X')).toThrow(LoginProblem);
	});

	it('refuses an unknown environment', () => {
		expect(() => resolveBaseUrl('staging', undefined, known, 'X')).toThrow(/Unknown X environment "staging"/);
	});
});
