import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from './transport';

/** The Timeout option every login node offers inside its Options collection. */
export const timeoutOptionProperty: INodeProperties = {
	displayName: 'Timeout (Milliseconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_TIMEOUT_MS,
	description: 'How long to wait for the service to answer before failing, in milliseconds (30000 is 30 seconds)',
};

/** The Options collection of a login node: the node's own options, then Timeout. */
export function optionsCollection(
	nodeOptions: INodeProperties[] = [],
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	const collection: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...nodeOptions, timeoutOptionProperty],
	};
	if (displayOptions) collection.displayOptions = displayOptions;
	return collection;
}

/** The notice that tells a user how the next node sends the token item's headers. */
export function tokenItemNotice(headerNames: string, afterword = ''): INodeProperties {
	return {
		displayName: `Outputs a token item whose <code>headers</code> (${headerNames}) a following HTTP Request node sends with Send Headers → Using JSON → <code>{{ JSON.stringify($json.headers) }}</code>.${afterword ? ` ${afterword}` : ''}`,
		name: 'usageNotice',
		type: 'notice',
		default: '',
	};
}

/**
 * The value of `usableAsTool` for a node that AI agents must not call. n8n offers a node to agents
 * when this is truthy, and its type has no `false`; naming the property (n8n's lint wants every
 * node to decide) with this value says "no", and each node says why beside it.
 */
export const NOT_AN_AI_AGENT_TOOL = undefined;

/**
 * A credential field an earlier version saved a secret under, before it was renamed. n8n hands a node
 * only the fields its credential type declares, so the old name stays declared for saved credentials to
 * keep working: hidden (nobody types into it any more) and masked, so n8n blanks its value before the
 * credential reaches the browser.
 */
export function savedSecretProperty(name: string): INodeProperties {
	return { displayName: `${name} (Saved by an Earlier Version)`, name, type: 'hidden', typeOptions: { password: true }, default: '' };
}

/**
 * The fields of an operation that pauses the execution until a person does something: what happens
 * (a notice), and the time limit in minutes (a parameter n8n's wait reads as `timeLimitMinutes`).
 */
export function waitProperties(notice: string, timeLimit: { defaultMinutes: number; maxMinutes: number; description: string }): INodeProperties[] {
	const { defaultMinutes } = timeLimit;
	return [
		{ displayName: notice, name: 'waitNotice', type: 'notice', default: '' },
		{
			displayName: 'Time Limit (Minutes)',
			name: 'timeLimitMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: timeLimit.maxMinutes },
			default: defaultMinutes,
			description: timeLimit.description,
		},
	];
}
