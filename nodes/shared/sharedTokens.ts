/**
 * Tokens shared by every n8n process (main, queue-mode workers, the webhook processor that took a
 * person's code) through the credential itself: a hidden field of the credential holds the tokens
 * its logins obtained and the holds on its values (holds.ts), each sealed (AES-256-GCM) under a key
 * derived from the credential's values, secrets included, so only someone holding the credential can
 * open one, and the tokens its processes forgot (logged out, refused), so that none hands one out
 * from its memory. n8n encrypts the credential as a whole on top of that. Nothing here knows about
 * n8n; credentialTokens.ts reads the field from the credential and writes it.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

import { canonicalEntries } from './protocol/json';

/** The hidden credential field that holds the sealed tokens. */
export const SHARED_TOKENS_FIELD = 'sharedTokens';

/**
 * The most the field may hold: about 15 consent tokens or 40 system-user tokens. A login that would
 * outgrow it is not shared (its process keeps its token); no valid entry is pushed out for it.
 */
const MAX_FIELD_BYTES = 64 * 1024;

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
	/** Tokens logged out or refused, by an HMAC of each under the key, with until when they would have lived. */
	forgotten?: Record<string, number>;
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
		const forgotten = typeof parsed.forgotten === 'object' && parsed.forgotten !== null ? parsed.forgotten : undefined;
		return { v: FORMAT_VERSION, salt: parsed.salt, tokens: parsed.tokens, ...(forgotten ? { forgotten } : {}) };
	} catch {
		return newField();
	}
}

/** The field as text, or undefined when it would outgrow `MAX_FIELD_BYTES`: no valid entry is ever pushed out for another. */
function writeField(stored: SharedTokenField, now: number): string | undefined {
	const tokens = Object.fromEntries(Object.entries(stored.tokens).filter(([, sealed]) => sealed.until > now));
	const forgotten = Object.fromEntries(Object.entries(stored.forgotten ?? {}).filter(([, until]) => until > now));
	const text = JSON.stringify({ v: FORMAT_VERSION, salt: stored.salt, tokens, ...(Object.keys(forgotten).length > 0 ? { forgotten } : {}) });
	return Buffer.byteLength(text, 'utf8') <= MAX_FIELD_BYTES ? text : undefined;
}

/** This login's entry in the field: its name, key and sealed item (a legacy one when only that is there). */
function entryOf(stored: SharedTokenField, identity: LoginIdentity, cache: KeyCache): { id: string; key: Buffer; sealed?: SealedToken } {
	const current = derive(identity, stored.salt, cache);
	if (stored.tokens[current.id]) return { ...current, sealed: stored.tokens[current.id] };
	const legacy = deriveLegacy(identity);
	const sealed = stored.tokens[legacy.id];
	return sealed?.legacy ? { ...legacy, sealed } : current;
}

/** The name a forgotten token goes by in the field: an HMAC under the credential's key, so the field tells nothing of it. */
function forgottenName(key: Buffer, token: string): string {
	return createHmac('sha256', key).update(`forgotten\n${token}`).digest('hex').slice(0, 32);
}

/** The item this login stored in the field (a token item, or a hold), if any and still within `until`; undefined when none, or it cannot be opened. */
export function openSharedToken(field: unknown, identity: LoginIdentity, now: number, cache: KeyCache = NO_CACHE): Record<string, unknown> | undefined {
	const stored = readField(field);
	if (Object.keys(stored.tokens).length === 0) return undefined;
	const { id, key, sealed } = entryOf(stored, identity, cache);
	return sealed && sealed.until > now ? open(id, sealed, key) : undefined;
}

/** Whether a token of this credential (any settings) was forgotten (logged out, refused) by some process, until it would have expired. */
export function isForgotten(field: unknown, identity: Omit<LoginIdentity, 'settings'>, token: string, now: number, cache: KeyCache = NO_CACHE): boolean {
	const stored = readField(field);
	if (!stored.forgotten) return false;
	const until = stored.forgotten[forgottenName(derive({ ...identity, settings: {} }, stored.salt, cache).key, token)];
	return until !== undefined && until > now;
}

/**
 * The field with this login's item sealed in (replacing its earlier one, a legacy one included) and
 * expired entries dropped; `item` undefined removes the login's entry. Undefined when the field
 * would outgrow its cap (the item is then not shared) or when nothing would change.
 */
export function sealSharedToken(field: unknown, identity: LoginIdentity, item: Record<string, unknown> | undefined, until: number, now: number, cache: KeyCache = NO_CACHE): string | undefined {
	const stored = readField(field);
	const { id, key } = derive(identity, stored.salt, cache);
	const legacyId = deriveLegacy(identity).id;
	const kept = Object.entries(stored.tokens).filter(([other, sealed]) => other !== id && !(other === legacyId && sealed.legacy));
	if (!item && kept.length === Object.keys(stored.tokens).length) return undefined;
	if (item) {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', key, iv);
		cipher.setAAD(Buffer.from(id, 'utf8'));
		const data = Buffer.concat([cipher.update(JSON.stringify(item), 'utf8'), cipher.final(), cipher.getAuthTag()]);
		kept.push([id, { until, iv: iv.toString('base64'), data: data.toString('base64') }]);
	}
	return writeField({ ...stored, tokens: Object.fromEntries(kept) }, now);
}

/**
 * The field without the entries of this credential (any settings) whose token is `token`, and with
 * the token named as forgotten until `until`, so that no process hands it out again from its own
 * memory either; undefined when that is so already (nothing to write).
 */
export function withoutSharedToken(field: unknown, identity: Omit<LoginIdentity, 'settings'>, token: string, until: number, now: number, cache: KeyCache = NO_CACHE): string | undefined {
	const stored = readField(field);
	const { key } = derive({ ...identity, settings: {} }, stored.salt, cache);
	const legacyKey = deriveLegacy({ ...identity, settings: {} }).key;
	const kept = Object.entries(stored.tokens).filter(([id, sealed]) => open(id, sealed, sealed.legacy ? legacyKey : key)?.token !== token);
	const name = forgottenName(key, token);
	if (kept.length === Object.keys(stored.tokens).length && (stored.forgotten?.[name] ?? 0) > now) return undefined;
	return writeField({ ...stored, tokens: Object.fromEntries(kept), forgotten: { ...stored.forgotten, [name]: until } }, now);
}
