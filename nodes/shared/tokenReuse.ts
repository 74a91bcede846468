/**
 * The n8n side of token reuse: the node options that steer it and the call that wraps a node's
 * login. The store itself is tokenCache.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LoginProblem } from './protocolTypes';
import type { ReusePolicy } from './tokenCache';
import { DEFAULT_REUSE_POLICY, cacheKey, processTokenCache } from './tokenCache';

/**
 * Options for a login node's Options collection; `shownFor` adds conditions on the node's other
 * parameters (e.g. `{ '/operation': ['create'] }`) so they appear only where a login happens.
 */
export function tokenReuseOptions(shownFor: Record<string, Array<string | boolean>> = {}): INodeProperties[] {
	return TOKEN_REUSE_OPTIONS.map((option) => ({
		...option,
		// Conditions on siblings inside a collection only hold once the user adds that sibling, so
		// the reuse options show together and each says what it does with Reuse Token off.
		...(Object.keys(shownFor).length > 0 ? { displayOptions: { show: shownFor } } : {}),
	}));
}

const TOKEN_REUSE_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Reuse Token',
		name: 'reuseToken',
		type: 'boolean',
		default: true,
		description:
			'Whether to output a still-valid token from an earlier login with the same credential and settings instead of logging in again. Tokens are kept in this n8n process\'s memory only, never on disk.',
	},
	{
		displayName: 'Force New Login',
		name: 'forceNewLogin',
		type: 'boolean',
		default: false,
		description: 'Whether to log in even if a reusable token exists (the new token then replaces it). Has no effect with Reuse Token off.',
	},
	{
		displayName: 'Reuse Margin (Minutes)',
		name: 'reuseMarginMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 5, // DEFAULT_REUSE_POLICY.marginMs: n8n's lint wants a literal here
		description: 'Stop reusing a token this many minutes before it expires, so later steps never get one that runs out mid-way',
	},
	{
		displayName: 'Reuse Tokens Without Expiry For (Minutes)',
		name: 'reuseWithoutExpiryMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: 30, // DEFAULT_REUSE_POLICY.withoutExpiryMs
		description: 'How long to reuse a token when the service does not say when it expires',
	},
];

function minutesOption(context: IExecuteFunctions, name: string, itemIndex: number, fallbackMs: number): number {
	const value = context.getNodeParameter(`options.${name}`, itemIndex, fallbackMs / 60_000) as number;
	return Number.isFinite(value) && value >= 0 ? value * 60_000 : fallbackMs;
}

/** The node's reuse settings for an item; undefined when Reuse Token is off. */
export function reusePolicy(context: IExecuteFunctions, itemIndex: number): ReusePolicy | undefined {
	if (!(context.getNodeParameter('options.reuseToken', itemIndex, true) as boolean)) return undefined;
	return {
		readCache: !(context.getNodeParameter('options.forceNewLogin', itemIndex, false) as boolean),
		marginMs: minutesOption(context, 'reuseMarginMinutes', itemIndex, DEFAULT_REUSE_POLICY.marginMs),
		withoutExpiryMs: minutesOption(context, 'reuseWithoutExpiryMinutes', itemIndex, DEFAULT_REUSE_POLICY.withoutExpiryMs),
	};
}

/** The hidden credential fields that hold an HTTP Request node's session (see credentialSession.ts); they identify no login. */
export const SESSION_FIELDS = ['sessionTicket', 'sessionCookie', 'sessionToken'] as const;

export type SessionField = (typeof SESSION_FIELDS)[number];

export interface LoginIdentity {
	/** The provider and mode, e.g. "boknett" or "altinn3". */
	provider: string;
	/** Every credential value: a change to any of them means a different login. */
	credential: object;
	/** Node settings that change the token (e.g. the ticket lifetime). */
	settings?: Record<string, unknown>;
}

export function loginKey(identity: LoginIdentity): string {
	const credential: Record<string, unknown> = { ...identity.credential };
	// A session the HTTP Request node keeps in the same credential changes nothing about who logs in.
	for (const field of SESSION_FIELDS) delete credential[field];
	return cacheKey(identity.provider, credential, identity.settings);
}

/** Logins refused earlier in the same node run, by login key: later items get the same refusal. */
const refusalsByRun = new WeakMap<object, Map<string, LoginProblem>>();

/**
 * Runs `login` unless a reusable token for the same login is stored, honouring the node's options.
 * The item says `reused: true` when no login was made for it. Once a login is refused, the other
 * items of the same run with the same login fail with that refusal without sending the password
 * again (accounts get locked by repeated attempts).
 */
export async function loginWithReuse(
	context: IExecuteFunctions,
	itemIndex: number,
	identity: LoginIdentity,
	login: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const key = loginKey(identity);
	const refusals = refusalsByRun.get(context) ?? new Map<string, LoginProblem>();
	refusalsByRun.set(context, refusals);
	const refused = refusals.get(key);
	if (refused) throw refused;
	const attempt = (async () => {
		const policy = reusePolicy(context, itemIndex);
		if (!policy) return await login();
		const { item, reused } = await processTokenCache.obtain(key, policy, login);
		return reused ? { ...(item as IDataObject), reused: true } : (item as IDataObject);
	})();
	// Noted on the side; the caller still gets the error from `attempt` itself.
	attempt.catch((error: unknown) => {
		if (error instanceof LoginProblem && error.details.kind === 'rejected') refusals.set(key, error);
	});
	return await attempt;
}
