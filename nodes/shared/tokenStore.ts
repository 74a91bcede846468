/**
 * The token store: the one piece of state this package keeps in an n8n process. It owns
 * - the tokens, so a workflow that runs every five minutes logs in once per token lifetime;
 * - the logins in progress, so callers asking for the same login at once share one (single flight);
 * - the remembered refusals: per node run (the other items of a run get the same refusal) and per
 *   credential for a minute (n8n asks a credential to log in a second time after a failure),
 *   so a refused password is never sent again and again (accounts get locked).
 * Nothing is written to disk here; each n8n process (main or queue-mode worker) keeps its own store,
 * and tokens reach the other processes sealed in the credential (credentialTokens.ts), which `obtain`
 * reads when its memory has none. The clock is passed in, so tests control time and back-off.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { sleep } from 'n8n-workflow';

import { canonicalEntries } from './protocol/json';

import type { LoginHold } from './holds';
import { holdStands } from './holds';
import type { LoginProblem } from './protocol/loginProblem';

export interface Clock {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Waits that long (the transport's back-off between retries). */
	sleep(ms: number): Promise<void>;
}

export interface ReusePolicy {
	/** Read the store before logging in. Off means "Force New Login": log in, then store the fresh token. */
	readCache: boolean;
	/** Stop reusing a token this long before its `expiresAt`. */
	marginMs: number;
	/** How long to reuse a token whose provider gives no expiry. */
	withoutExpiryMs: number;
}

export const DEFAULT_REUSE_POLICY: ReusePolicy = { readCache: true, marginMs: 5 * 60_000, withoutExpiryMs: 30 * 60_000 };

/**
 * How long a failed credential login that leaves no hold (holds.ts) is remembered: n8n calls a
 * credential's preAuthentication a second time when the first attempt fails; that second call gets
 * the same error without sending the login again, but a retry later is a new try.
 */
export const CREDENTIAL_FAILURE_MEMORY_MS = 5_000;

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

function entryOf(item: StoredItem): Entry {
	return {
		item,
		obtainedAt: Date.parse(String(item.obtainedAt)),
		expiresAt: typeof item.expiresAt === 'string' ? Date.parse(item.expiresAt) : Number.NaN,
	};
}

/** The longest a token item is kept under any policy: until it expires, or a day after it was obtained when it never says. */
export function keptUntil(item: StoredItem): number {
	const entry = entryOf(item);
	return Number.isFinite(entry.expiresAt) ? entry.expiresAt : entry.obtainedAt + 24 * 60 * 60_000;
}

export function isTokenItem(item: StoredItem): boolean {
	return typeof item.token === 'string' && item.token !== '' && typeof item.obtainedAt === 'string';
}

export class TokenStore {
	private readonly entries = new Map<string, Entry>();

	private readonly inFlight = new Map<string, Promise<StoredItem>>();

	/** Refusals by node run (the run's context object) and login key. */
	private readonly refusalsByRun = new WeakMap<object, Map<string, LoginProblem>>();

	/** Failed credential logins (preAuthentication), by login key: the error thrown, and until when. */
	private readonly credentialFailures = new Map<string, { error: Error; until: number }>();

	/** Holds on logins that may reach a person (holds.ts), by the key of the credential's values. */
	private readonly holds = new Map<string, { hold?: LoginHold; holder?: string; liftedAt?: number }>();

	/** The last work queued per key (`serially`). */
	private readonly queues = new Map<string, Promise<void>>();

	/** Keys asked for once (`firstTime`). */
	private readonly seenKeys = new Set<string>();

	/** Work under way by key, for callers that ask for the same at once (a credential's login). */
	private readonly running = new Map<string, Promise<unknown>>();

	/** Checks made for a key (a waiting execution's visits): the one running, and how many were made. */
	private readonly checks = new Map<string, { running?: Promise<unknown>; runs: number }>();

	// Keys are HMACs under a key that never leaves this store, so a key in a heap dump tells nothing of the password.
	private readonly keySecret = randomBytes(32);

	/** Keys derived slowly from a credential's values (sharedTokens.ts), by an HMAC of the values and salt. */
	private readonly derivedKeys = new Map<string, Buffer>();

	constructor(
		readonly clock: Clock,
		private readonly maxEntries = 1_000,
	) {}

	/** The key of a login: the provider, every credential value (secrets included) and the settings that shape the token. */
	loginKey(provider: string, credential: Record<string, unknown>, settings: Record<string, unknown> = {}): string {
		return createHmac('sha256', this.keySecret)
			.update(JSON.stringify([provider, canonicalEntries(credential), canonicalEntries(settings)]))
			.digest('hex');
	}

	/**
	 * A still-valid stored token, or one `elsewhere` holds (another process's, then kept here too), or
	 * the result of `login`. Callers asking for the same key while a login runs wait for that one
	 * login (no stampede); if it fails, they all get its error and no second attempt is made (a
	 * refused password must not be tried again and again).
	 */
	async obtain(
		key: string,
		policy: ReusePolicy,
		login: () => Promise<StoredItem>,
		elsewhere?: () => StoredItem | undefined,
		forgottenElsewhere?: (item: StoredItem) => boolean,
	): Promise<{ item: StoredItem; reused: boolean }> {
		if (policy.readCache) {
			const stored = this.entries.get(key);
			// A token another process logged out (or an API refused) is not handed out from memory either.
			if (stored && forgottenElsewhere?.(stored.item)) this.entries.delete(key);
			else if (stored && reuseUntil(stored, policy) > this.clock.now()) return { item: structuredClone(stored.item), reused: true };
			const found = elsewhere?.();
			if (found && isTokenItem(found) && reuseUntil(entryOf(found), policy) > this.clock.now()) {
				this.remember(key, found, policy);
				return { item: structuredClone(found), reused: true };
			}
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
	remember(key: string, item: StoredItem, policy: ReusePolicy = DEFAULT_REUSE_POLICY): void {
		if (!isTokenItem(item)) return;
		const entry = entryOf(structuredClone(item));
		if (!(reuseUntil(entry, policy) > this.clock.now())) return;
		this.evictExpired();
		if (this.entries.size >= this.maxEntries) {
			const oldest = this.entries.keys().next().value;
			if (oldest !== undefined) this.entries.delete(oldest);
		}
		this.entries.set(key, entry);
	}

	/**
	 * A key derived from secret material under a salt, derived once per process: the slow derivation
	 * runs only when this store has none for that material and salt.
	 */
	derivedKey(material: string, salt: string, derive: () => Buffer): Buffer {
		const name = createHmac('sha256', this.keySecret).update(JSON.stringify([material, salt])).digest('hex');
		const known = this.derivedKeys.get(name);
		if (known) return known;
		const key = derive();
		// Bounded like the tokens: the oldest go first.
		while (this.derivedKeys.size >= this.maxEntries) this.derivedKeys.delete(this.derivedKeys.keys().next().value as string);
		this.derivedKeys.set(name, key);
		return key;
	}

	/**
	 * Runs a check for `key` (e.g. reading Altinn for a waiting execution) at most once at a time:
	 * callers that come while it runs share its result, and after `maxRuns` checks none is made
	 * (`exhausted`). For what a visitor can set off, so that a page reloaded in a loop does not become
	 * a flood of requests to a provider.
	 */
	async throttledCheck<T>(key: string, maxRuns: number, run: () => Promise<T>): Promise<{ result: T } | { exhausted: true }> {
		const entry = this.checks.get(key) ?? { runs: 0 };
		if (entry.running) return { result: (await entry.running) as T };
		if (entry.runs >= maxRuns) return { exhausted: true };
		entry.runs++;
		// Bounded like the tokens: the oldest keys go first.
		if (!this.checks.has(key)) while (this.checks.size >= this.maxEntries) this.checks.delete(this.checks.keys().next().value as string);
		this.checks.set(key, entry);
		const running = run();
		entry.running = running;
		try {
			return { result: await running };
		} finally {
			entry.running = undefined;
		}
	}

	/** The token stored under the key while it may be kept at all (any margin), without logging in; undefined when none. */
	peek(key: string): StoredItem | undefined {
		const stored = this.entries.get(key);
		return stored && keptUntil(stored.item) > this.clock.now() ? structuredClone(stored.item) : undefined;
	}

	/** A stored item whose token value is this one, if any (a logout knows the ticket, not the login). */
	itemWithToken(token: string): StoredItem | undefined {
		for (const entry of this.entries.values()) if (entry.item.token === token) return structuredClone(entry.item);
		return undefined;
	}

	/** Forgets every stored token whose token value is this one (a logout knows the ticket, not the login). */
	forgetToken(token: string): void {
		for (const [key, entry] of this.entries) if (entry.item.token === token) this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}

	/** The refusal an earlier item of the same node run got for this login, if any. */
	refusalInRun(run: object, key: string): LoginProblem | undefined {
		return this.refusalsByRun.get(run)?.get(key);
	}

	noteRefusalInRun(run: object, key: string, problem: LoginProblem): void {
		const refusals = this.refusalsByRun.get(run) ?? new Map<string, LoginProblem>();
		refusals.set(key, problem);
		this.refusalsByRun.set(run, refusals);
	}

	/** The error of a credential login that failed within its memory time, if any. */
	recentCredentialFailure(key: string): Error | undefined {
		const failed = this.credentialFailures.get(key);
		if (failed && failed.until > this.clock.now()) return failed.error;
		this.credentialFailures.delete(key);
		return undefined;
	}

	/**
	 * The hold on these values, if one stands, as `holder` (a credential's ID; undefined where n8n names
	 * none) sees it: a hold noted for another credential of the same values is not its, since the code or
	 * login that lifts it is recorded in that other credential, which this one never reads.
	 */
	hold(key: string, holder?: string): LoginHold | undefined {
		const entry = this.holds.get(key);
		if (entry?.holder !== undefined && holder !== undefined && entry.holder !== holder) return undefined;
		return entry?.hold && holdStands(entry.hold, this.clock.now()) ? entry.hold : undefined;
	}

	/** When holds on these values were last lifted here (ms), or -Infinity. */
	liftedAt(key: string): number {
		return this.holds.get(key)?.liftedAt ?? Number.NEGATIVE_INFINITY;
	}

	/** Puts a hold on these values, noted for `holder` (see `hold`). */
	setHold(key: string, hold: LoginHold, holder?: string): void {
		this.bound(this.holds, key);
		this.holds.set(key, { ...this.holds.get(key), hold, holder });
	}

	/** Lifts every hold on these values made before `at`. */
	liftHolds(key: string, at: number): void {
		this.bound(this.holds, key);
		this.holds.set(key, { liftedAt: at });
	}

	/** Keeps a map of this store within `maxEntries` before `key` is added to it: the oldest entries go first. */
	private bound<V>(map: Map<string, V>, key: string): void {
		if (map.has(key)) return;
		while (map.size >= this.maxEntries) map.delete(map.keys().next().value as string);
	}

	/** True the first time it is asked for a key in this process (a trigger's first poll), false after. */
	firstTime(key: string): boolean {
		if (this.seenKeys.has(key)) return false;
		while (this.seenKeys.size >= this.maxEntries) this.seenKeys.delete(this.seenKeys.values().next().value as string);
		this.seenKeys.add(key);
		return true;
	}

	/**
	 * Runs `work` after the work already queued for the same key has ended, one at a time: a second
	 * caller sees what the first one left (a hold) before it sends anything.
	 */
	async serially<T>(key: string, work: () => Promise<T>): Promise<T> {
		const before = this.queues.get(key) ?? Promise.resolve();
		const mine = before.then(work, work);
		const settled = mine.then(
			() => undefined,
			() => undefined,
		);
		this.queues.set(key, settled);
		try {
			return await mine;
		} finally {
			if (this.queues.get(key) === settled) this.queues.delete(key);
		}
	}

	/** Runs `work` once for callers that ask for the same key at once: they all get its outcome. */
	async together<T>(key: string, work: () => Promise<T>): Promise<T> {
		const running = this.running.get(key);
		if (running) return (await running) as T;
		const started = work();
		this.running.set(key, started);
		try {
			return await started;
		} finally {
			this.running.delete(key);
		}
	}

	/** Remembers a failed credential login for `memoryMs`. */
	noteCredentialFailure(key: string, error: Error, memoryMs: number): void {
		const now = this.clock.now();
		for (const [other, entry] of this.credentialFailures) if (entry.until <= now) this.credentialFailures.delete(other);
		// Bounded like the tokens: the oldest memories go first.
		while (this.credentialFailures.size >= this.maxEntries) this.credentialFailures.delete(this.credentialFailures.keys().next().value as string);
		this.credentialFailures.set(key, { error, until: now + memoryMs });
	}

	/** Drops tokens no policy could hand out any more: expired ones, and expiry-less ones older than a day. */
	private evictExpired(): void {
		const now = this.clock.now();
		for (const [key, entry] of this.entries) if (keptUntil(entry.item) <= now) this.entries.delete(key);
	}
}

export const SYSTEM_CLOCK: Clock = {
	now: () => Date.now(),
	sleep,
};

let processStore = new TokenStore(SYSTEM_CLOCK);

/** The store of this n8n process. */
export function tokenStore(): TokenStore {
	return processStore;
}

/**
 * Puts another store in place and returns the one it replaces. n8n runs a node's `execute` with
 * n8n's context as `this`, so the store cannot be handed to a node instance: tests swap it here.
 */
export function replaceTokenStore(store: TokenStore): TokenStore {
	const previous = processStore;
	processStore = store;
	return previous;
}
