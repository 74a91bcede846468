/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps compute them, so a node can
 * complete a two-factor login unattended from the secret the app was set up with.
 */
import { createHmac } from 'node:crypto';

import { LoginProblem } from './loginProblem';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpSettings {
	digits: number;
	periodSeconds: number;
	algorithm: TotpAlgorithm;
}

/** What authenticator apps and ONLYOFFICE use unless told otherwise. */
export const STANDARD_TOTP: TotpSettings = { digits: 6, periodSeconds: 30, algorithm: 'sha1' };

/**
 * Decodes a Base32 secret (RFC 4648) as apps show it: any case, spaces or dashes between groups,
 * padding optional. Undefined when it holds anything else.
 */
export function decodeBase32(secret: string): Buffer | undefined {
	const cleaned = secret.replace(/[\s-]+/g, '').replace(/=+$/, '').toUpperCase();
	if (!cleaned) return undefined;
	let bits = 0;
	let value = 0;
	const bytes: number[] = [];
	for (const character of cleaned) {
		const index = BASE32_ALPHABET.indexOf(character);
		if (index < 0) return undefined;
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((value >>> bits) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

/** The code for the time step that contains `atMs` (RFC 4226 dynamic truncation of the HMAC). */
export function totpCode(key: Buffer, atMs: number, settings: TotpSettings = STANDARD_TOTP): string {
	const counter = Math.floor(atMs / 1000 / settings.periodSeconds);
	const message = Buffer.alloc(8);
	message.writeBigUInt64BE(BigInt(counter));
	const digest = createHmac(settings.algorithm, key).update(message).digest();
	const offset = digest[digest.length - 1] & 0x0f;
	const binary = digest.readUInt32BE(offset) & 0x7fffffff;
	return String(binary % 10 ** settings.digits).padStart(settings.digits, '0');
}

/** The current code for a Base32 secret from a credential, or a clear problem when the secret is malformed. */
export function totpCodeForSecret(base32Secret: string, credentialName: string, atMs: number = Date.now()): string {
	const key = decodeBase32(base32Secret);
	if (!key || key.length < 10) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The authenticator secret in the ${credentialName} credential is not a valid Base32 key`,
			hint: 'Copy the secret key again from the portal\'s two-factor setup page (letters A–Z and digits 2–7, usually 16 or 32 characters).',
		});
	}
	return totpCode(key, atMs);
}
