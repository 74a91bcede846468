/**
 * Tokens shared by every n8n process (main, queue-mode workers, the webhook processor that took a
 * person's code) through the credential itself: a hidden field of the credential holds the tokens
 * its logins obtained, each sealed (AES-256-GCM) under a key derived from the credential's values,
 * secrets included, so only someone holding the credential can open one. n8n encrypts the
 * credential as a whole on top of that. Nothing here knows about n8n; credentialTokens.ts reads the
 * field from the credential and writes it through n8n's `preAuthentication`.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

import { canonicalEntries } from './protocol/json';

/** The hidden credential field that holds the sealed tokens. */
export const SHARED_TOKENS_FIELD = 'sharedTokens';

/** The most tokens one credential keeps (one per customer for system users); the oldest go first. */
const MAX_SHARED_TOKENS = 50;

/** Version 2: the key is derived slowly from the values under a salt of the field's own; version 1 (HKDF, fixed salt) is still read. */
const FORMAT_VERSION = 2;

/**
 * scrypt's cost: about 50 ms and 16 MiB for each credential's values once per process (the key is kept
 * in the process's store), and as much for every guess of a password someone might test against a
 * field they saw.
 */
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

interface SealedToken {
	/** Until when (ms since the epoch) the token may be handed out: the longest any reuse policy allows. */
	until: number;
	iv: string;
	/** Ciphertext and GCM tag, base64. */
	data: string;
	/** Set on an entry read from a version-1 field: its id and key are the old ones. */
	legacy?: true;
}

interface SharedTokenField {
	v: number;
	/** base64url; made when the field is first written. */
	salt: string;
	tokens: Record<string, SealedToken>;
}

/** What identifies one login: the provider, the credential's values (session fields left out by the caller) and the settings. */
export interface LoginIdentity {
	provider: string;
	values: Record<string, unknown>;
	settings: Record<string, unknown>;
}

/**
 * Derives a key once per process: `derive` is called only when the cache has none for this
 * material and salt (the store keeps them, under names that tell nothing of the material).
 */
export type KeyCache = (material: string, salt: string, derive: () => Buffer) => Buffer;

const NO_CACHE: KeyCache = (_material, _salt, derive) => derive();

/**
 * The entry key, from the credential's values alone (scrypt under the field's salt: a guess of a
 * password costs what a login's key costs), and an entry's name, an HMAC of the settings under that
 * key: other values open nothing and find nothing, and a logout (which knows the credential, not the
 * settings its token was obtained with) can open every token of its credential.
 */
function derive(identity: LoginIdentity, salt: string, cache: KeyCache): { id: string; key: Buffer } {
	const material = JSON.stringify([identity.provider, canonicalEntries(identity.values)]);
	const key = cache(material, salt, () => scryptSync(material, Buffer.from(salt, 'base64url'), 32, SCRYPT));
	return { id: createHmac('sha256', key).update(JSON.stringify(canonicalEntries(identity.settings))).digest('hex').slice(0, 32), key };
}

/** Version 1's entry name and key (HKDF under a fixed salt), for entries sealed before version 2. */
function deriveLegacy(identity: LoginIdentity): { id: string; key: Buffer } {
	const salt = Buffer.from('n8n-nodes-login-tokens shared token', 'utf8');
	const credential = Buffer.from(JSON.stringify([identity.provider, canonicalEntries(identity.values)]), 'utf8');
	const login = Buffer.from(JSON.stringify([identity.provider, canonicalEntries(identity.values), canonicalEntries(identity.settings)]), 'utf8');
	return {
		id: Buffer.from(hkdfSync('sha256', login, salt, 'entry id', 16)).toString('hex'),
		key: Buffer.from(hkdfSync('sha256', credential, salt, 'entry key', 32)),
	};
}

function open(id: string, sealed: SealedToken, key: Buffer): Record<string, unknown> | undefined {
	try {
		const data = Buffer.from(sealed.data, 'base64');
		const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
		decipher.setAAD(Buffer.from(id, 'utf8'));
		decipher.setAuthTag(data.subarray(data.length - 16));
		const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
		const item = JSON.parse(plain.toString('utf8')) as unknown;
		return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
	} catch {
		// Another credential's, changed, truncated or forged: as if nothing were stored.
		return undefined;
	}
}

const newField = (): SharedTokenField => ({ v: FORMAT_VERSION, salt: randomBytes(16).toString('base64url'), tokens: {} });

/** The field as stored; a version-1 field's entries are kept, marked legacy, under a new salt. */
function readField(field: unknown): SharedTokenField {
	if (typeof field !== 'string' || field === '') return newField();
	try {
		const parsed = JSON.parse(field) as Partial<SharedTokenField>;
		if (typeof parsed.tokens !== 'object' || parsed.tokens === null) return newField();
		if (parsed.v === 1) {
			return { ...newField(), tokens: Object.fromEntries(Object.entries(parsed.tokens).map(([id, sealed]) => [id, { ...sealed, legacy: true as const }])) };
		}
		if (parsed.v !== FORMAT_VERSION || typeof parsed.salt !== 'string' || parsed.salt === '') return newField();
		return { v: FORMAT_VERSION, salt: parsed.salt, tokens: parsed.tokens };
	} catch {
		return newField();
	}
}

/** This login's entry in the field: its name, key and sealed token (a legacy one when only that is there). */
function entryOf(stored: SharedTokenField, identity: LoginIdentity, cache: KeyCache): { id: string; key: Buffer; sealed?: SealedToken } {
	const current = derive(identity, stored.salt, cache);
	if (stored.tokens[current.id]) return { ...current, sealed: stored.tokens[current.id] };
	const legacy = deriveLegacy(identity);
	const sealed = stored.tokens[legacy.id];
	return sealed?.legacy ? { ...legacy, sealed } : current;
}

/** The token item this login stored in the field, if any and still within `until`; undefined when none, or it cannot be opened. */
export function openSharedToken(field: unknown, identity: LoginIdentity, now: number, cache: KeyCache = NO_CACHE): Record<string, unknown> | undefined {
	const stored = readField(field);
	if (Object.keys(stored.tokens).length === 0) return undefined;
	const { id, key, sealed } = entryOf(stored, identity, cache);
	return sealed && sealed.until > now ? open(id, sealed, key) : undefined;
}

/**
 * The field with this login's token sealed in (replacing its earlier one, a legacy one included),
 * expired entries dropped and at most `MAX_SHARED_TOKENS` kept. `item` undefined removes the login's entry.
 */
export function sealSharedToken(field: unknown, identity: LoginIdentity, item: Record<string, unknown> | undefined, until: number, now: number, cache: KeyCache = NO_CACHE): string {
	const stored = readField(field);
	const { id, key } = derive(identity, stored.salt, cache);
	const legacyId = deriveLegacy(identity).id;
	const tokens = Object.entries(stored.tokens).filter(([other, sealed]) => other !== id && !(other === legacyId && sealed.legacy) && sealed.until > now);
	if (item) {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', key, iv);
		cipher.setAAD(Buffer.from(id, 'utf8'));
		const data = Buffer.concat([cipher.update(JSON.stringify(item), 'utf8'), cipher.final(), cipher.getAuthTag()]);
		tokens.push([id, { until, iv: iv.toString('base64'), data: data.toString('base64') }]);
	}
	tokens.sort(([, a], [, b]) => a.until - b.until);
	return JSON.stringify({ v: FORMAT_VERSION, salt: stored.salt, tokens: Object.fromEntries(tokens.slice(-MAX_SHARED_TOKENS)) });
}

/**
 * The field without the entries of this credential (any settings) whose token is `token`, or
 * undefined when it holds none (nothing to write): a token that was logged out is never handed out.
 */
export function withoutSharedToken(field: unknown, identity: Omit<LoginIdentity, 'settings'>, token: string, cache: KeyCache = NO_CACHE): string | undefined {
	const stored = readField(field);
	if (Object.keys(stored.tokens).length === 0) return undefined;
	const { key } = derive({ ...identity, settings: {} }, stored.salt, cache);
	const legacyKey = deriveLegacy({ ...identity, settings: {} }).key;
	const kept = Object.entries(stored.tokens).filter(([id, sealed]) => open(id, sealed, sealed.legacy ? legacyKey : key)?.token !== token);
	return kept.length === Object.keys(stored.tokens).length ? undefined : JSON.stringify({ v: FORMAT_VERSION, salt: stored.salt, tokens: Object.fromEntries(kept) });
}
