/**
 * The node options that steer token reuse (Reuse Token, Force New Login, the margins) and how a
 * node's parameters become a `ReusePolicy` for the token store.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ReusePolicy } from './tokenStore';
import { DEFAULT_REUSE_POLICY } from './tokenStore';

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
		description:
			'Whether to log in even if a reusable token exists (the new token then replaces it). In a run you start yourself it also sends a login held back after a refusal or an unanswered SMS code; scheduled and triggered runs never override that.',
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

/** The node's reuse settings for an item (`defaultMarginMs` unless the person set a margin); undefined when Reuse Token is off. */
export function reusePolicy(context: IExecuteFunctions, itemIndex: number, defaultMarginMs: number = DEFAULT_REUSE_POLICY.marginMs): ReusePolicy | undefined {
	if (!(context.getNodeParameter('options.reuseToken', itemIndex, true) as boolean)) return undefined;
	return {
		readCache: !(context.getNodeParameter('options.forceNewLogin', itemIndex, false) as boolean),
		marginMs: minutesOption(context, 'reuseMarginMinutes', itemIndex, defaultMarginMs),
		withoutExpiryMs: minutesOption(context, 'reuseWithoutExpiryMinutes', itemIndex, DEFAULT_REUSE_POLICY.withoutExpiryMs),
	};
}
