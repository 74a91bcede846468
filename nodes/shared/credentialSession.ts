/**
 * What a credential's session field holds (the hidden, expirable field n8n fills from
 * `preAuthentication` for the HTTP Request node and the Test button): a token bound to the values
 * that logged in, or a hold (holds.ts) on those values. Each carries a salted scrypt digest of the
 * values, so a session of values since changed is never sent (the Test button then logs in with the
 * values as saved), and the digest lets nobody check a guess of a password cheaply. n8n blanks the
 * field for the browser (it is masked). Nothing here knows about n8n.
 */
import { randomBytes, scryptSync } from 'node:crypto';

import type { LoginHold } from './holds';
import { holdStands } from './holds';

/** scrypt's cost: about 0.1 s, once per process for each values and salt (the store keeps the digest). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** Derives once per process: the caller's cache runs `derive` only when it has nothing for the material and salt. */
export type DigestCache = (material: string, salt: string, derive: () => Buffer) => Buffer;

const TOKEN_PREFIX = 'v1|';
const HOLD_PREFIX = 'hold|';
/** The mark 0.4 and 0.5 wrote for a code sent: read, never written. */
const LEGACY_CODE_MARK = 'codeNeeded:';

function digestOf(values: string, salt: string, cache: DigestCache): string {
	return cache(values, salt, () => scryptSync(values, Buffer.from(salt, 'base64url'), 24, SCRYPT)).toString('base64url');
}

const newSalt = () => randomBytes(16).toString('base64url');

/** `values`: the credential's values that identify its login, canonical JSON. */
export function sessionWithToken(values: string, token: string, cache: DigestCache): string {
	const salt = newSalt();
	return `${TOKEN_PREFIX}${salt}|${digestOf(values, salt, cache)}|${token}`;
}

export function sessionWithHold(values: string, hold: LoginHold, cache: DigestCache): string {
	const salt = newSalt();
	return `${HOLD_PREFIX}${salt}|${digestOf(values, salt, cache)}|${Buffer.from(JSON.stringify(hold), 'utf8').toString('base64url')}`;
}

export type SessionReading =
	| { kind: 'token'; token: string }
	| { kind: 'hold'; hold: LoginHold }
	/** Empty, or a session of other values (or of a version that bound none): not to be sent. */
	| { kind: 'none' };

/**
 * What the session field says for these values at `now`. A hold that no longer stands reads as none.
 * `legacyDigest` reads the mark of a code sent that 0.4 left (an unsalted digest), so an update sends
 * no second code.
 */
export function readSession(session: unknown, values: string, now: number, cache: DigestCache, legacyDigest: () => string): SessionReading {
	if (typeof session !== 'string' || session === '') return { kind: 'none' };
	const bound = (prefix: string) => {
		const [salt, digest, ...rest] = session.slice(prefix.length).split('|');
		return salt && digest && digestOf(values, salt, cache) === digest ? rest.join('|') : undefined;
	};
	if (session.startsWith(TOKEN_PREFIX)) {
		const token = bound(TOKEN_PREFIX);
		return token ? { kind: 'token', token } : { kind: 'none' };
	}
	if (session.startsWith(HOLD_PREFIX)) {
		const encoded = bound(HOLD_PREFIX);
		if (!encoded) return { kind: 'none' };
		try {
			const hold = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as LoginHold;
			return holdStands(hold, now) ? { kind: 'hold', hold } : { kind: 'none' };
		} catch {
			return { kind: 'none' };
		}
	}
	if (session.startsWith(LEGACY_CODE_MARK)) {
		const [sentAt, salt, digest] = session.slice(LEGACY_CODE_MARK.length).split('|');
		const matches = digest !== undefined ? digestOf(values, salt, cache) === digest : salt === legacyDigest();
		const since = new Date(sentAt);
		if (!matches || Number.isNaN(since.getTime())) return { kind: 'none' };
		return { kind: 'hold', hold: { kind: 'codeSent', since: since.toISOString(), until: null, message: '', hint: '' } };
	}
	return { kind: 'none' };
}
