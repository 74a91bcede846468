/**
 * One request to a service's API made with a token a login node obtained, for a node that keeps the
 * token to itself and passes on only the answer: a token that carries a person's national ID number
 * (an Altinn consent token) or lives for months (an ONLYOFFICE token) then never enters n8n's
 * execution data. Building the request and reading its answer; nothing here knows about n8n.
 */
import type { HttpAnswer, HttpMethod, HttpRequestSpec } from './http';
import { headerValue, looksLikeHtml, statusLine, textExcerpt } from './http';
import { LoginProblem } from './loginProblem';

/** An API's answer may be a file: larger than a login's, yet bounded. */
export const API_ANSWER_MAX_BYTES = 64 * 1024 * 1024;

export const API_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface ApiRequest {
	method: HttpMethod;
	url: string;
	query: Array<{ name: string; value: string }>;
	headers: Array<{ name: string; value: string }>;
	/** JSON text for POST, PUT and PATCH; empty sends no body. */
	jsonBody: string;
}

/** How the answer is read: by its Content-Type, or as the person says. */
export type AnswerFormat = 'autodetect' | 'json' | 'text' | 'file';

function badInput(message: string, hint: string): LoginProblem {
	return new LoginProblem({ kind: 'badInput', message, hint });
}

/** Headers the token item sets: the person's own headers may add to them, never replace them. */
const TOKEN_HEADERS = new Set(['authorization', 'cookie', 'date', 'apikey']);

const BAD_URL_HINT = "Give the whole address of the API call, e.g. https://api.example.no/v1/data, or a path under the service's API address (the token item's apiBaseUrl), e.g. export.";

/** A path under the login's API address: no scheme, no host, no `.` or `..` step, nothing a browser would take as an address of its own. */
function isApiPath(text: string): boolean {
	return text !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(text) && !text.startsWith('//') && !/[\s\\]/.test(text) && !/(^|\/)\.\.?(\/|$|[?#])/.test(text);
}

/**
 * The request to send, checked before any login: an http(s) address or a path under the login's API
 * address, a known method, JSON that parses, no header the login sets.
 */
export function checkApiRequest(request: ApiRequest): ApiRequest {
	const text = request.url.trim();
	let url: URL | undefined;
	try {
		url = isApiPath(text) ? undefined : new URL(text);
	} catch {
		url = undefined;
	}
	if (!isApiPath(text) && (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))) {
		throw badInput('The URL is neither a full http(s) address nor a path', BAD_URL_HINT);
	}
	if (!API_METHODS.includes(request.method)) throw badInput(`The method "${String(request.method)}" is not one this node sends`, `Choose one of ${API_METHODS.join(', ')}.`);
	const body = request.jsonBody.trim();
	if (body && request.method !== 'GET' && request.method !== 'DELETE') {
		try {
			JSON.parse(body);
		} catch {
			throw badInput('The body is not valid JSON', 'Write the body as JSON, e.g. {"year": 2025}, or build it with an expression such as {{ JSON.stringify($json.data) }}.');
		}
	}
	for (const header of request.headers) {
		if (TOKEN_HEADERS.has(header.name.trim().toLowerCase())) {
			throw badInput(`The header "${header.name.trim()}" is set by the login`, 'Leave it out: the node sends the token itself.');
		}
	}
	return { ...request, url: url ? url.toString() : text, jsonBody: body };
}

/**
 * The request with its address made whole: a path goes under the login's API address (the token
 * item's `apiBaseUrl`; a leading `/` too, so a path never leaves the service's API).
 */
export function resolveApiRequest(request: ApiRequest, apiBaseUrl: string | null | undefined): ApiRequest {
	if (!isApiPath(request.url)) return request;
	if (!apiBaseUrl) throw badInput('This login gives no API address for a path', "Give the whole address of the API call, e.g. https://api.example.no/v1/data.");
	const base = apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`;
	return { ...request, url: new URL(request.url.replace(/^\/+/, ''), base).toString() };
}

/**
 * The request with the token item's ready-made headers, as the transport sends it; a `Date` among
 * them is set anew (Boknett checks it within 15 minutes, and a reused token's item is older). A
 * request other than GET is sent once: a gateway may fail after the API acted.
 */
export function buildApiRequest(request: ApiRequest, tokenHeaders: Record<string, string>, now: Date): HttpRequestSpec {
	const url = new URL(request.url);
	for (const { name, value } of request.query) if (name.trim()) url.searchParams.append(name.trim(), value);
	const headers: Record<string, string> = { Accept: 'application/json, text/*;q=0.9, */*;q=0.8' };
	for (const { name, value } of request.headers) if (name.trim()) headers[name.trim()] = value;
	for (const [name, value] of Object.entries(tokenHeaders)) headers[name] = name.toLowerCase() === 'date' ? now.toUTCString() : value;
	const sendsBody = request.jsonBody !== '' && request.method !== 'GET' && request.method !== 'DELETE';
	if (sendsBody) headers['Content-Type'] = 'application/json';
	return {
		method: request.method,
		url: url.toString(),
		headers,
		...(sendsBody ? { body: request.jsonBody } : {}),
		maxResponseBytes: API_ANSWER_MAX_BYTES,
		...(request.method === 'GET' ? {} : { sendOnce: { service: url.host, what: `the ${request.method} request`, mayHave: 'acted on it' } }),
	};
}

/** What an API answered, read for an item: parsed JSON, text, or a file's bytes. */
export type ApiAnswerContent = { kind: 'json'; value: unknown } | { kind: 'text'; value: string } | { kind: 'file'; bytes: Buffer; mimeType: string; fileName?: string };

/** The file name a `Content-Disposition` header gives, if any. */
export function fileNameOf(answer: HttpAnswer): string | undefined {
	const disposition = headerValue(answer, 'content-disposition') ?? '';
	const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
	if (encoded) {
		try {
			return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
		} catch {
			return undefined;
		}
	}
	return /filename="?([^";]+)"?/i.exec(disposition)?.[1]?.trim() || undefined;
}

/**
 * The answer of a 2xx, read as `format` says (autodetect: JSON by its Content-Type or its look,
 * text for text/* and XML, a file for anything else). Any other status is a problem that says what
 * the API said: a 401 means the token was refused (the caller drops it), a 403 that it lacks a right.
 */
export function readApiAnswer(answer: HttpAnswer, format: AnswerFormat, host: string): ApiAnswerContent {
	if (answer.statusCode < 200 || answer.statusCode > 299) throw apiProblem(answer, host);
	const contentType = (headerValue(answer, 'content-type') ?? '').toLowerCase();
	const bytes = answer.bytes ?? Buffer.from(answer.body, 'utf8');
	const asJson = (): ApiAnswerContent => {
		const parsed = parsedJson(answer.body);
		if (parsed.ok) return { kind: 'json', value: parsed.value };
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${host}'s answer is not valid JSON (${statusLine(answer)})`,
			hint: 'Set Response Format to Text or File to take the answer as it is.',
			httpCode: answer.statusCode,
		});
	};
	if (format === 'json') return asJson();
	if (format === 'text') return { kind: 'text', value: answer.body };
	const isJson = contentType.includes('json') || (contentType === '' && /^\s*[[{]/.test(answer.body));
	if (format === 'autodetect' && isJson) return asJson();
	if (format === 'autodetect' && (contentType.startsWith('text/') || contentType.includes('xml'))) return { kind: 'text', value: answer.body };
	return { kind: 'file', bytes, mimeType: contentType.split(';')[0].trim() || 'application/octet-stream', fileName: fileNameOf(answer) };
}

/** An empty body reads as an empty object (a 204). */
function parsedJson(body: string): { ok: true; value: unknown } | { ok: false } {
	if (body.trim() === '') return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(body) as unknown };
	} catch {
		return { ok: false };
	}
}

/** A status that is no success, as a problem with what to do. */
function apiProblem(answer: HttpAnswer, host: string): LoginProblem {
	const status = statusLine(answer);
	const base = { httpCode: answer.statusCode, providerMessage: looksLikeHtml(answer) ? undefined : textExcerpt(answer) };
	if (answer.statusCode === 401) {
		return new LoginProblem({
			...base,
			kind: 'rejected',
			message: `${host} refused the token (${status})`,
			hint: 'The token was dropped, so the next run logs in anew. If a new token is refused too, check that the API takes tokens of this login (the scope, the environment).',
		});
	}
	if (answer.statusCode === 403) {
		return new LoginProblem({ ...base, kind: 'rejected', message: `${host} did not allow this request with the token (${status})`, hint: 'Check that the login has the right for it: the scope, the consent or the account\'s rights.' });
	}
	if (answer.statusCode === 404) return new LoginProblem({ ...base, kind: 'rejected', message: `${host} does not know the address (${status})`, hint: 'Check the URL and the query parameters.' });
	if (answer.statusCode >= 500) return new LoginProblem({ ...base, kind: 'unavailable', message: `${host} failed to answer the request (${status})`, hint: 'The service has a problem. Try again later.' });
	return new LoginProblem({ ...base, kind: 'rejected', message: `${host} refused the request (${status})`, hint: 'Read the service\'s words beside this one, and check the URL, the query parameters and the body.' });
}
