/**
 * The n8n side of every login node: send a protocol's request through n8n's own HTTP client, turn
 * any failure into an n8n error without secrets, and run a node once per input item with
 * "Continue On Fail" honoured per item.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HttpAnswer, HttpRequestSpec } from './protocolTypes';
import { LoginProblem } from './protocolTypes';
import { SecretRedactor } from './secrets';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The part of n8n's function contexts this module uses, so execute and webhook contexts both fit. */
export interface HttpCapableContext {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
	statusMessage?: string;
}

function bodyAsText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	return JSON.stringify(body);
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the server';
	}
}

/** Reads only the error code of an HTTP client failure: its other fields hold the request, secrets included. */
function transportErrorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const withCode = error as { code?: unknown; cause?: unknown };
	if (typeof withCode.code === 'string') return withCode.code;
	return transportErrorCode(withCode.cause);
}

function transportProblem(error: unknown, url: string, timeoutMs: number): LoginProblem {
	const host = hostOf(url);
	const code = transportErrorCode(error);
	const waited = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} seconds`;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} did not answer within ${waited}`,
			hint: 'The service may be down or slow. Try again later, or raise the Timeout option of this node.',
		});
	}
	if (code === 'ECONNREFUSED') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} refused the connection`,
			hint: 'Check the environment or Base URL in the credential, and that the service is up.',
		});
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `The address ${host} could not be found`,
			hint: 'Check the environment or Base URL in the credential, and the network of your n8n server.',
		});
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} closed the connection before answering`,
			hint: 'Try again later. If it keeps happening, check proxies or firewalls between n8n and the service.',
		});
	}
	return new LoginProblem({
		kind: 'unavailable',
		message: `Could not reach ${host}${code ? ` (${code})` : ''}`,
		hint: 'Check the environment or Base URL in the credential and the network of your n8n server.',
	});
}

/**
 * Sends one request and returns the answer whatever its status: the protocol decides what a
 * status means. Redirects are not followed, so credentials never travel to another host.
 */
export async function sendRequest(
	context: HttpCapableContext,
	request: HttpRequestSpec,
	timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<HttpAnswer> {
	let response: FullResponse;
	try {
		response = (await context.helpers.httpRequest({
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'arraybuffer',
			json: false,
			timeout: timeoutMs,
		})) as FullResponse;
	} catch (error) {
		throw transportProblem(error, request.url, timeoutMs);
	}
	return {
		statusCode: response.statusCode,
		statusMessage: response.statusMessage ?? '',
		headers: response.headers ?? {},
		body: bodyAsText(response.body),
	};
}

/** The legacy `request` helper, the only HTTP client n8n gives a node's credential test method. */
export type LegacyRequest = (uriOrObject: string | object, options?: object) => Promise<unknown>;

/**
 * Lets `sendRequest` run on the legacy `request` helper, so a credential test speaks the same
 * protocol code as the node. Same policy: answers of every status, no redirects, a time-out.
 */
export function contextFromLegacyRequest(request: LegacyRequest): HttpCapableContext {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) =>
				await request({
					method: options.method,
					uri: options.url,
					headers: options.headers,
					body: options.body,
					resolveWithFullResponse: true,
					simple: false,
					followRedirect: false,
					followAllRedirects: false,
					encoding: null,
					timeout: options.timeout,
				}),
		},
	};
}

/** Turns anything thrown while handling an item into an n8n error that holds no secret. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	redactor: SecretRedactor,
): NodeApiError | NodeOperationError {
	if (error instanceof LoginProblem) {
		const { kind, hint, httpCode, providerMessage } = error.details;
		const message = redactor.redact(error.details.message);
		const description = redactor.redact(
			[providerMessage ? `The service said: "${providerMessage}"` : '', hint].filter(Boolean).join(' — '),
		);
		if (kind === 'badInput' || kind === 'secondFactorRequired') {
			return new NodeOperationError(node, message, { description, itemIndex });
		}
		const response: JsonObject = { message };
		if (httpCode !== undefined) response.httpCode = String(httpCode);
		return new NodeApiError(node, response, {
			message,
			description,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = redactor.redact(error.message);
		if (typeof error.description === 'string') error.description = redactor.redact(error.description);
		return error;
	}
	// A bug or an n8n failure: keep its message (redacted), never the object, which may hold a request dump.
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, redactor.redact(message), {
		itemIndex,
		description: 'An unexpected error happened while logging in. If it persists, report it to the package maintainers.',
	});
}

/** Collects the secrets an item's handling touches, so its errors can be scrubbed of them. */
export class SecretCollector {
	private readonly secrets: string[] = [];

	add(...secrets: Array<string | undefined | null>): void {
		for (const secret of secrets) if (typeof secret === 'string') this.secrets.push(secret);
	}

	redactor(): SecretRedactor {
		return new SecretRedactor(this.secrets);
	}
}

export type ItemHandler = (itemIndex: number, secrets: SecretCollector) => Promise<IDataObject>;

/**
 * Runs `handleItem` for every input item, one output item each, paired with its input. With
 * "Continue On Fail" a failed item becomes `{ error, description }` and the others go on.
 */
export async function runForEachItem(
	context: IExecuteFunctions,
	handleItem: ItemHandler,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const secrets = new SecretCollector();
		try {
			const json = await handleItem(itemIndex, secrets);
			output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(context.getNode(), error, itemIndex, secrets.redactor());
			if (!context.continueOnFail()) throw nodeError;
			const json: IDataObject = { error: nodeError.message };
			if (nodeError.description) json.description = nodeError.description;
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

/** Reads the node's Timeout option (milliseconds), falling back to the default for nonsense values. */
export function timeoutOption(context: IExecuteFunctions, itemIndex: number): number {
	const value = context.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS) as number;
	return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}
