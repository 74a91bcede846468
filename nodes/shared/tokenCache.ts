/**
 * Token reuse across executions: an in-memory, process-wide store of token items, so a workflow
 * that runs every five minutes logs in once per token lifetime instead of once per run. Nothing is
 * written to disk; each n8n process (main or queue-mode worker) keeps its own.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface ReusePolicy {
	/** Read the store before logging in. Off means "Force New Login": log in, then store the fresh token. */
	readCache: boolean;
	/** Stop reusing a token this long before its `expiresAt`. */
	marginMs: number;
	/** How long to reuse a token whose provider gives no expiry. */
	withoutExpiryMs: number;
}

export const DEFAULT_REUSE_POLICY: ReusePolicy = { readCache: true, marginMs: 5 * 60_000, withoutExpiryMs: 30 * 60_000 };

type StoredItem = Record<string, unknown>;

interface Entry {
	item: StoredItem;
	obtainedAt: number;
	/** NaN when the provider gave no expiry. */
	expiresAt: number;
}

/** Until when an entry may be handed out under a policy: the margin is the reader's, not the writer's. */
function reuseUntil(entry: Entry, policy: ReusePolicy): number {
	return Number.isFinite(entry.expiresAt) ? entry.expiresAt - policy.marginMs : entry.obtainedAt + policy.withoutExpiryMs;
}

// Keys are HMACs under a key that never leaves this process, so a key in a heap dump tells nothing of the password.
const KEY_SECRET = randomBytes(32);

/** The key of a login: the provider, every credential value (secrets included) and the settings that shape the token. */
export function cacheKey(provider: string, credential: Record<string, unknown>, settings: Record<string, unknown> = {}): string {
	const canonical = (value: Record<string, unknown>) =>
		Object.keys(value)
			.sort()
			.map((name) => [name, value[name]]);
	return createHmac('sha256', KEY_SECRET)
		.update(JSON.stringify([provider, canonical(credential), canonical(settings)]))
		.digest('hex');
}

function isTokenItem(item: StoredItem): boolean {
	return typeof item.token === 'string' && item.token !== '' && typeof item.obtainedAt === 'string';
}

export class TokenCache {
	private readonly entries = new Map<string, Entry>();

	private readonly inFlight = new Map<string, Promise<StoredItem>>();

	constructor(
		private readonly now: () => number = Date.now,
		private readonly maxEntries = 1_000,
	) {}

	/**
	 * A still-valid stored token, or the result of `login`. Callers asking for the same key while a
	 * login runs wait for that one login (no stampede); if it fails, they all get its error and no
	 * second attempt is made (a refused password must not be tried again and again).
	 */
	async obtain(key: string, policy: ReusePolicy, login: () => Promise<StoredItem>): Promise<{ item: StoredItem; reused: boolean }> {
		if (policy.readCache) {
			const stored = this.entries.get(key);
			if (stored && reuseUntil(stored, policy) > this.now()) return { item: structuredClone(stored.item), reused: true };
			const running = this.inFlight.get(key);
			if (running) {
				const shared = await running;
				// Only a token is shared: anything else (a "code sent" step) belongs to the execution that asked.
				if (isTokenItem(shared)) return { item: structuredClone(shared), reused: true };
			}
		}
		const attempt = login();
		this.inFlight.set(key, attempt);
		try {
			const item = await attempt;
			this.remember(key, item, policy);
			return { item, reused: false };
		} finally {
			if (this.inFlight.get(key) === attempt) this.inFlight.delete(key);
		}
	}

	/** Stores a token obtained elsewhere (e.g. a login completed when a code arrived). Items that are no token are ignored. */
	remember(key: string, item: StoredItem, policy: ReusePolicy): void {
		if (!isTokenItem(item)) return;
		const entry: Entry = {
			item: structuredClone(item),
			obtainedAt: Date.parse(String(item.obtainedAt)),
			expiresAt: typeof item.expiresAt === 'string' ? Date.parse(item.expiresAt) : Number.NaN,
		};
		if (!(reuseUntil(entry, policy) > this.now())) return;
		this.evictExpired();
		if (this.entries.size >= this.maxEntries) {
			const oldest = this.entries.keys().next().value;
			if (oldest !== undefined) this.entries.delete(oldest);
		}
		this.entries.set(key, entry);
	}

	/** Forgets every stored token whose token value is this one (a logout knows the ticket, not the login). */
	forgetToken(token: string): void {
		for (const [key, entry] of this.entries) if (entry.item.token === token) this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	get size(): number {
		return this.entries.size;
	}

	/** Drops tokens no policy could hand out any more: expired ones, and expiry-less ones older than a day. */
	private evictExpired(): void {
		const now = this.now();
		const lastUse = (entry: Entry) => (Number.isFinite(entry.expiresAt) ? entry.expiresAt : entry.obtainedAt + 24 * 60 * 60_000);
		for (const [key, entry] of this.entries) if (lastUse(entry) <= now) this.entries.delete(key);
	}
}

/** The one store of this n8n process. */
export const processTokenCache = new TokenCache();
