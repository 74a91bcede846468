/**
 * Each test file that runs logins calls `useFreshTokenStore()`: every test then starts with an
 * empty token store of its own (no token one test obtained is reused by the next), whose clock
 * spends the transport's back-off in 1 ms instead of seconds. Tests never assert timings.
 */
import type { Clock } from '../../nodes/shared/tokenStore';
import { TokenStore, replaceTokenStore } from '../../nodes/shared/tokenStore';

export const FAST_CLOCK: Clock = {
	now: () => Date.now(),
	sleep: async () => await new Promise<void>((resolve) => setTimeout(resolve, 1)),
};

/** Puts a fresh store with this clock in place for the current test; returns it. */
export function freshTokenStore(clock: Clock = FAST_CLOCK): TokenStore {
	const store = new TokenStore(clock);
	replaceTokenStore(store);
	return store;
}

export function useFreshTokenStore(clock: Clock = FAST_CLOCK): void {
	let previous: TokenStore | undefined;
	beforeEach(() => {
		previous = replaceTokenStore(new TokenStore(clock));
	});
	afterEach(() => {
		if (previous) replaceTokenStore(previous);
	});
}
