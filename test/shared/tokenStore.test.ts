import { tokenReuseOptions } from '../../nodes/shared/reuseOptions';
import { DEFAULT_REUSE_POLICY, TokenStore } from '../../nodes/shared/tokenStore';

const T0 = Date.parse('2026-11-23T10:00:00Z');

function tokenItem(token: string, lifetimeMs: number | null) {
	return {
		provider: 'boknett',
		token,
		obtainedAt: new Date(T0).toISOString(),
		expiresAt: lifetimeMs === null ? null : new Date(T0 + lifetimeMs).toISOString(),
	};
}

describe('token store', () => {
	let now = T0;
	let cache: TokenStore;
	beforeEach(() => {
		now = T0;
		cache = new TokenStore({ now: () => now, sleep: async () => undefined }, 3);
	});

	it('reuses a token until the margin before expiresAt, then logs in again', async () => {
		let logins = 0;
		const login = async () => tokenItem(`T${++logins}`, 60 * 60_000);
		expect(await cache.obtain('k', DEFAULT_REUSE_POLICY, login)).toEqual({ item: tokenItem('T1', 60 * 60_000), reused: false });
		now = T0 + 54 * 60_000;
		expect(await cache.obtain('k', DEFAULT_REUSE_POLICY, login)).toMatchObject({ item: { token: 'T1' }, reused: true });
		now = T0 + 55 * 60_000;
		expect(await cache.obtain('k', DEFAULT_REUSE_POLICY, login)).toMatchObject({ item: { token: 'T2' }, reused: false });
		expect(logins).toBe(2);
	});

	it('reuses a token without expiry for the settable time', async () => {
		let logins = 0;
		const login = async () => tokenItem(`T${++logins}`, null);
		const policy = { ...DEFAULT_REUSE_POLICY, withoutExpiryMs: 10 * 60_000 };
		await cache.obtain('k', policy, login);
		now = T0 + 9 * 60_000;
		expect((await cache.obtain('k', policy, login)).reused).toBe(true);
		now = T0 + 10 * 60_000;
		expect((await cache.obtain('k', policy, login)).reused).toBe(false);
	});

	it('does not store a token that is already within the margin', async () => {
		await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('short', 4 * 60_000));
		expect(cache.size).toBe(0);
	});

	it('bypasses the store on Force New Login and keeps the fresh token', async () => {
		await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('old', 60 * 60_000));
		const forced = await cache.obtain('k', { ...DEFAULT_REUSE_POLICY, readCache: false }, async () => tokenItem('new', 60 * 60_000));
		expect(forced).toMatchObject({ item: { token: 'new' }, reused: false });
		expect((await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('never', 1))).item.token).toBe('new');
	});

	it('lets simultaneous callers share one login, and shares its failure without a second attempt', async () => {
		let logins = 0;
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const login = async () => {
			logins++;
			await gate;
			return tokenItem('shared', 60 * 60_000);
		};
		const callers = Array.from({ length: 10 }, async () => await cache.obtain('k', DEFAULT_REUSE_POLICY, login));
		release();
		const results = await Promise.all(callers);
		expect(logins).toBe(1);
		expect(results.filter((result) => !result.reused)).toHaveLength(1);
		expect(new Set(results.map((result) => result.item.token))).toEqual(new Set(['shared']));

		let attempts = 0;
		const refused = async () => {
			attempts++;
			await new Promise((resolve) => setTimeout(resolve, 10));
			throw new Error('wrong password');
		};
		const failing = await Promise.allSettled(Array.from({ length: 5 }, async () => await cache.obtain('bad', DEFAULT_REUSE_POLICY, refused)));
		expect(failing.every((result) => result.status === 'rejected')).toBe(true);
		expect(attempts).toBe(1);
		expect(cache.size).toBe(1);
	});

	it('hands out copies, so a later node changing an item cannot change the stored token', async () => {
		await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('T', 60 * 60_000));
		const first = await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('x', 1));
		first.item.token = 'changed';
		expect((await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('x', 1))).item.token).toBe('T');
	});

	it('stays bounded, dropping expired and then the oldest entries', async () => {
		for (const key of ['a', 'b', 'c', 'd']) await cache.obtain(key, DEFAULT_REUSE_POLICY, async () => tokenItem(key, 60 * 60_000));
		expect(cache.size).toBe(3);
		expect((await cache.obtain('a', DEFAULT_REUSE_POLICY, async () => tokenItem('a2', 60 * 60_000))).reused).toBe(false);
	});

	it('forgets a logged-out token', async () => {
		await cache.obtain('k', DEFAULT_REUSE_POLICY, async () => tokenItem('TGT-1', 60 * 60_000));
		cache.forgetToken('TGT-1');
		expect(cache.size).toBe(0);
	});

	it('keys on every credential value without holding any of them in clear', () => {
		const cacheKey = cache.loginKey.bind(cache);
		const key = cacheKey('boknett', { username: 'anne', password: 'S3cret' });
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(cacheKey('boknett', { password: 'S3cret', username: 'anne' })).toBe(key);
		expect(cacheKey('boknett', { username: 'anne', password: 'S3cret!' })).not.toBe(key);
		expect(cacheKey('onlyoffice', { username: 'anne', password: 'S3cret' })).not.toBe(key);
		expect(cacheKey('boknett', { username: 'anne', password: 'S3cret' }, { lifetimeMs: 1 })).not.toBe(key);
	});
});

describe('token reuse options', () => {
	it('show the same defaults the store uses', async () => {
		const byName = Object.fromEntries(tokenReuseOptions().map((option) => [option.name, option.default]));
		expect(byName).toEqual({
			reuseToken: true,
			forceNewLogin: false,
			reuseMarginMinutes: DEFAULT_REUSE_POLICY.marginMs / 60_000,
			reuseWithoutExpiryMinutes: DEFAULT_REUSE_POLICY.withoutExpiryMs / 60_000,
		});
	});
});
