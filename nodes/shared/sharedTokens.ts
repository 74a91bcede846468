/**
 * Tokens shared by every n8n process (main, queue-mode workers, the webhook processor that took a
 * person's code) through the credential itself: a hidden field of the credential holds the tokens
 * its logins obtained, each sealed (AES-256-GCM) under a key derived from the credential's values,
 * secrets included, so only someone holding the credential can open one. n8n encrypts the
 * credential as a whole on top of that. Nothing here knows about n8n; credentialTokens.ts reads the
 * field from the credential and writes it through n8n's `preAuthentication`.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import { canonicalEntries } from './protocol/json';

/** The hidden credential field that holds the sealed tokens. */
export const SHARED_TOKENS_FIELD = 'sharedTokens';

/** The most tokens one credential keeps (one per customer for system users); the oldest go first. */
const MAX_SHARED_TOKENS = 50;

const FORMAT_VERSION = 1;

interface SealedToken {
	/** Until when (ms since the epoch) the token may be handed out: the longest any reuse policy allows. */
	until: number;
	iv: string;
	/** Ciphertext and GCM tag, base64. */
	data: string;
}

interface SharedTokenField {
	v: number;
	tokens: Record<string, SealedToken>;
}

/** What identifies one login: the provider, the credential's values (session fields left out by the caller) and the settings. */
export interface LoginIdentity {
	provider: string;
	values: Record<string, unknown>;
	settings: Record<string, unknown>;
}

/**
 * The entry's name, from the login's values and settings, and its key, from the values alone: other
 * values open nothing and find nothing, and a logout (which knows the credential, not the settings
 * its token was obtained with) can open every token of its credential.
 */
function derive(identity: LoginIdentity): { id: string; key: Buffer } {
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

function readField(field: unknown): SharedTokenField {
	if (typeof field !== 'string' || field === '') return { v: FORMAT_VERSION, tokens: {} };
	try {
		const parsed = JSON.parse(field) as Partial<SharedTokenField>;
		if (parsed.v !== FORMAT_VERSION || typeof parsed.tokens !== 'object' || parsed.tokens === null) return { v: FORMAT_VERSION, tokens: {} };
		return { v: FORMAT_VERSION, tokens: parsed.tokens };
	} catch {
		return { v: FORMAT_VERSION, tokens: {} };
	}
}

/** The token item this login stored in the field, if any and still within `until`; undefined when none, or it cannot be opened. */
export function openSharedToken(field: unknown, identity: LoginIdentity, now: number): Record<string, unknown> | undefined {
	const { id, key } = derive(identity);
	const sealed = readField(field).tokens[id];
	return sealed && sealed.until > now ? open(id, sealed, key) : undefined;
}

/**
 * The field with this login's token sealed in (replacing its earlier one), expired entries dropped
 * and at most `MAX_SHARED_TOKENS` kept. `item` undefined removes the login's entry.
 */
export function sealSharedToken(field: unknown, identity: LoginIdentity, item: Record<string, unknown> | undefined, until: number, now: number): string {
	const { id, key } = derive(identity);
	const tokens = Object.entries(readField(field).tokens).filter(([other, sealed]) => other !== id && sealed.until > now);
	if (item) {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', key, iv);
		cipher.setAAD(Buffer.from(id, 'utf8'));
		const data = Buffer.concat([cipher.update(JSON.stringify(item), 'utf8'), cipher.final(), cipher.getAuthTag()]);
		tokens.push([id, { until, iv: iv.toString('base64'), data: data.toString('base64') }]);
	}
	tokens.sort(([, a], [, b]) => a.until - b.until);
	return JSON.stringify({ v: FORMAT_VERSION, tokens: Object.fromEntries(tokens.slice(-MAX_SHARED_TOKENS)) });
}

/**
 * The field without the entries of this credential (any settings) whose token is `token`, or
 * undefined when it holds none (nothing to write): a token that was logged out is never handed out.
 */
export function withoutSharedToken(field: unknown, identity: Omit<LoginIdentity, 'settings'>, token: string): string | undefined {
	const { key } = derive({ ...identity, settings: {} });
	const { tokens } = readField(field);
	const kept = Object.entries(tokens).filter(([id, sealed]) => open(id, sealed, key)?.token !== token);
	return kept.length === Object.keys(tokens).length ? undefined : JSON.stringify({ v: FORMAT_VERSION, tokens: Object.fromEntries(kept) });
}
