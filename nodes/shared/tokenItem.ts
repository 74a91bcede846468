/**
 * The token item: the one output shape of every login node in this package, so that the next node
 * can always send `{{ JSON.stringify($json.headers) }}` whatever provider logged in. Built here and nowhere else.
 */

export type ProviderId = 'boknett' | 'bokbasen' | 'onlyoffice' | 'altinn' | 'altinn3' | 'altinn-sms';

export type TokenItem = {
	provider: ProviderId;
	environment: string;
	/** Where the service's API is for this environment, for the next node's URL; null where the login does not say (Boknett, Bokbasen: their APIs live elsewhere). */
	apiBaseUrl: string | null;
	token: string;
	/** Ready to send as they are: HTTP Request → Send Headers → Using JSON → `{{ JSON.stringify($json.headers) }}`. */
	headers: Record<string, string>;
	/** ISO 8601 UTC. */
	obtainedAt: string;
	/** ISO 8601 UTC, or null when the provider does not say how long the token lives. */
	expiresAt: string | null;
	/** True when the node handed out a stored token from an earlier login instead of logging in. */
	reused: boolean;
} & Record<string, string | number | boolean | null | Record<string, string> | ReadonlyArray<object>>;

export interface TokenItemInput {
	provider: ProviderId;
	environment: string;
	apiBaseUrl?: string | null;
	token: string;
	headers: Record<string, string>;
	obtainedAt: Date;
	expiresAt: Date | null;
	/** Provider-specific facts a later node may need (e.g. the Altinn cookie name). Never secrets. */
	extra?: Record<string, string | number | boolean | null>;
}

/** The fields every token item has, in the order every item shows them; provider facts follow. */
const STANDARD_FIELDS = ['provider', 'environment', 'apiBaseUrl', 'token', 'headers', 'obtainedAt', 'expiresAt', 'reused'] as const;

export function makeTokenItem(input: TokenItemInput): TokenItem {
	const extra = Object.fromEntries(
		Object.entries(input.extra ?? {}).filter(([name]) => !(STANDARD_FIELDS as readonly string[]).includes(name)),
	);
	return {
		provider: input.provider,
		environment: input.environment,
		apiBaseUrl: input.apiBaseUrl ?? null,
		token: input.token,
		headers: { ...input.headers },
		obtainedAt: input.obtainedAt.toISOString(),
		expiresAt: input.expiresAt ? input.expiresAt.toISOString() : null,
		reused: false,
		...extra,
	};
}
