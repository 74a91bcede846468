/**
 * What a login node outputs: the token item (for the next node to send, so it lands in the execution
 * data n8n saves), or the response of one API request the node sends with the token itself, so the
 * token never leaves the node. A consent token carries the national ID number of the person who gave
 * it, and an ONLYOFFICE token lives for months: with the second choice neither is ever saved. The
 * request is protocol/apiRequest.ts; this file reads its parameters and makes the items.
 */
import type { IBinaryKeyData, IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AnswerFormat, ApiRequest } from './protocol/apiRequest';
import { API_METHODS, buildApiRequest, checkApiRequest, readApiAnswer, resolveApiRequest } from './protocol/apiRequest';
import type { HttpMethod } from './protocol/http';
import type { LoginModule } from './loginModule';
import { tokenOf } from './loginModule';
import { forgetToken, loginContext, loginForItem } from './loginRunner';
import { timeoutOption } from './runItems';
import type { SecretCollector } from './secrets';
import type { TokenItem } from './tokenItem';
import type { Send } from './transport';

export type TokenOutput = 'token' | 'response';

const RESPONSE: TokenOutput = 'response';

/** The fields of the choice, shown where `show` holds (and the request's fields only for a response). */
export function tokenOutputProperties(show: NonNullable<IDisplayOptions['show']>, tokenHolds: string): INodeProperties[] {
	const forResponse = { show: { ...show, output: [RESPONSE] } };
	const pairs = (what: string, name: string): INodeProperties => ({
		displayName: what,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: `Add ${what === 'Headers' ? 'Header' : 'Parameter'}`,
		default: {},
		displayOptions: forResponse,
		options: [
			{
				name: 'entries',
				displayName: what === 'Headers' ? 'Header' : 'Parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	});
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Response of an API Request Made With the Token',
					value: RESPONSE,
					description: 'The node sends one request with the token and outputs only the response: the token never leaves the node',
				},
				{
					name: 'Token',
					value: 'token',
					description: 'A token item for the next node to send: the token is then in the execution data n8n saves',
				},
			],
			default: 'token',
			displayOptions: { show },
		},
		{
			displayName: `The token stays inside this node: it is never in an output item, so n8n never saves it with the execution. ${tokenHolds}`,
			name: 'responseNotice',
			type: 'notice',
			default: '',
			displayOptions: forResponse,
		},
		{
			displayName: 'Method',
			name: 'requestMethod',
			type: 'options',
			options: API_METHODS.map((method) => ({ name: method, value: method })),
			default: 'GET',
			displayOptions: forResponse,
		},
		{
			displayName: 'URL',
			name: 'requestUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://api.example.no/v1/income, or export',
			description:
				"The whole address of the API call, or a path under the service's API address (the token item's apiBaseUrl, e.g. export). The token goes with it, so give only an address of the service the token is for.",
			displayOptions: forResponse,
		},
		pairs('Query Parameters', 'requestQuery'),
		pairs('Headers', 'requestHeaders'),
		{
			displayName: 'Body (JSON)',
			name: 'requestBody',
			type: 'json',
			default: '',
			description: 'Sent as JSON; leave empty to send no body',
			displayOptions: { show: { ...show, output: [RESPONSE], requestMethod: ['POST', 'PUT', 'PATCH'] } },
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				{ name: 'Autodetect', value: 'autodetect', description: 'JSON as fields, text as the field data, anything else as a file' },
				{ name: 'File', value: 'file', description: 'The answer as a binary file' },
				{ name: 'JSON', value: 'json' },
				{ name: 'Text', value: 'text', description: 'The answer as text in the field data' },
			],
			default: 'autodetect',
			displayOptions: forResponse,
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The binary field a file answer goes to',
			displayOptions: { show: { ...show, output: [RESPONSE], responseFormat: ['autodetect', 'file'] } },
		},
		{
			displayName: 'Include Response Status and Headers',
			name: 'fullResponse',
			type: 'boolean',
			default: false,
			description: 'Whether the item holds statusCode, headers and body instead of the body alone',
			displayOptions: forResponse,
		},
	];
}

/** An output item: its JSON, and a file where the answer was one. */
export interface TokenUseItem {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/** Where a node gets its token from and drops a refused one. */
export interface TokenSource {
	/** The token item, reused where the node's options allow; `fresh` logs in anew. */
	obtain(fresh: boolean): Promise<TokenItem>;
	/** Drops a token the API refused, here and in every process. */
	forget(token: string): Promise<void>;
}

/** The request the item asks for, read and checked before anything is sent. */
function requestOf(node: IExecuteFunctions, itemIndex: number): ApiRequest {
	const pairs = (name: string) => {
		const value = node.getNodeParameter(`${name}.entries`, itemIndex, []) as Array<{ name?: unknown; value?: unknown }>;
		return (Array.isArray(value) ? value : []).map((entry) => ({ name: String(entry.name ?? ''), value: String(entry.value ?? '') }));
	};
	const body = node.getNodeParameter('requestBody', itemIndex, '') as unknown;
	return checkApiRequest({
		method: String(node.getNodeParameter('requestMethod', itemIndex, 'GET')) as HttpMethod,
		url: String(node.getNodeParameter('requestUrl', itemIndex, '') ?? ''),
		query: pairs('requestQuery'),
		headers: pairs('requestHeaders'),
		// n8n hands a JSON field's value parsed when an expression built an object.
		jsonBody: typeof body === 'string' ? body : JSON.stringify(body ?? ''),
	});
}

const hostOf = (url: string) => new URL(url).host;

/** Checks the request an item asks for (Output: Response), so a node that logs in itself first fails on bad input before any login. */
export function checkOutputParameters(node: IExecuteFunctions, itemIndex: number): void {
	if ((node.getNodeParameter('output', itemIndex, 'token') as TokenOutput) === RESPONSE) requestOf(node, itemIndex);
}

/**
 * The items of one input item: its token item (`obtained`, when the node logged in already), or
 * (Output: Response) the response of the request the item asks for, sent with the token. A token the API refuses (401) is dropped everywhere; when it
 * was a reused one, the node logs in anew and sends the request once more. Every secret of the login,
 * the token included, is replaced in a JSON or text response; a file passes as it came.
 */
export async function outputWithToken(
	node: IExecuteFunctions,
	itemIndex: number,
	secrets: SecretCollector,
	send: Send,
	source: TokenSource,
	obtained?: TokenItem,
): Promise<TokenUseItem[]> {
	const first = async () => obtained ?? (await source.obtain(false));
	if ((node.getNodeParameter('output', itemIndex, 'token') as TokenOutput) !== RESPONSE) return [{ json: await first() }];
	const asked = requestOf(node, itemIndex);
	let token = await first();
	secrets.add(token.token);
	const request = resolveApiRequest(asked, token.apiBaseUrl);
	const host = hostOf(request.url);
	let answer = await send(buildApiRequest(request, token.headers, new Date()));
	if (answer.statusCode === 401) {
		await source.forget(token.token);
		if (token.reused) {
			token = await source.obtain(true);
			secrets.add(token.token);
			answer = await send(buildApiRequest(request, token.headers, new Date()));
			if (answer.statusCode === 401) await source.forget(token.token);
		}
	}
	const format = node.getNodeParameter('responseFormat', itemIndex, 'autodetect') as AnswerFormat;
	const content = readApiAnswer(answer, format, host);
	const redactor = secrets.redactor();
	const full = node.getNodeParameter('fullResponse', itemIndex, false) === true;
	const headers = redactor.redactJson(Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.toLowerCase() !== 'set-cookie'))) as IDataObject;
	if (content.kind === 'file') {
		const field = String(node.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
		const binary = await node.helpers.prepareBinaryData(content.bytes, content.fileName, content.mimeType);
		return [{ json: full ? { statusCode: answer.statusCode, headers } : {}, binary: { [field]: binary } }];
	}
	const body = redactor.redactJson(content.value);
	if (full) return [{ json: { statusCode: answer.statusCode, headers, body } as IDataObject }];
	// As n8n's HTTP Request node: a list of objects is an item each; anything else that is no object goes in `data`.
	if (Array.isArray(body) && body.length > 0 && body.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry))) {
		return body.map((entry) => ({ json: entry as IDataObject }));
	}
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) return [{ json: body as IDataObject }];
	return [{ json: { data: body } as IDataObject }];
}

/** The token source of a node's item: its login through the token store, and a refused token forgotten everywhere. */
export function tokenSourceFor<C, S extends Record<string, unknown>>(
	node: IExecuteFunctions,
	itemIndex: number,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
): TokenSource {
	return {
		obtain: async (fresh) => tokenOf(module, await loginForItem(node, itemIndex, module, credential, settings, secrets, { fresh }), 'node'),
		forget: async (token) => await forgetToken(node, module, credential, token),
	};
}

/**
 * A login node's items for one input item, as `outputWithToken` makes them, sent through the item's
 * own transport; `obtained` is the token when the node has logged in already (such a node checks the
 * request first with `checkOutputParameters`).
 */
export async function loginOutput<C, S extends Record<string, unknown>>(
	node: IExecuteFunctions,
	itemIndex: number,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
	obtained?: TokenItem,
): Promise<TokenUseItem[]> {
	const { send } = loginContext(node, secrets, timeoutOption(node, itemIndex));
	return await outputWithToken(node, itemIndex, secrets, send, tokenSourceFor(node, itemIndex, module, credential, settings, secrets), obtained);
}
