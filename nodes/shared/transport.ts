/**
 * The transport: sends a protocol's request through n8n's own HTTP client with one policy for every
 * login (time-out over the whole answer, retries only where nothing can have been acted on,
 * redirects as errors, a size cap on the body) and hands the answer back whatever its status.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { HttpAnswer, HttpRequestSpec, SendOnce } from './protocol/http';
import { LOGIN_ANSWER_MAX_BYTES, headerValue, statusLine } from './protocol/http';
import { LoginProblem } from './protocol/loginProblem';

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * When a request is sent again: after a refused connection, and after 502/503/504 or 429 unless the
 * request is marked `sendOnce` (it may have sent a person an SMS or counted a failed login before the
 * gateway failed). A rejected login is never repeated, because repeated attempts lock accounts.
 */
export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** The wait before the first retry; it doubles for each further one. */
	firstDelayMs: number;
	/** The longest `Retry-After` honoured; a longer one fails at once and says when to try again. */
	maxRetryAfterMs: number;
	/** How a wait is spent. */
	sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
	maxRetries: 2,
	firstDelayMs: 1_000,
	maxRetryAfterMs: 30_000,
	sleep,
});

/** How one login's requests are sent: the node's Timeout option and the retry policy. */
export interface TransportSettings {
	timeoutMs: number;
	retry: Readonly<RetryPolicy>;
}

export const DEFAULT_TRANSPORT_SETTINGS: Readonly<TransportSettings> = Object.freeze({
	timeoutMs: DEFAULT_TIMEOUT_MS,
	retry: DEFAULT_RETRY_POLICY,
});

/** Sends one request under the transport's policy; what login modules are given to talk to a provider. */
export type Send = (request: HttpRequestSpec) => Promise<HttpAnswer>;

/** A `Send` over an n8n context's HTTP client. */
export function transportFor(context: HttpCapableContext, settings: Partial<TransportSettings> = {}): Send {
	const full: TransportSettings = { ...DEFAULT_TRANSPORT_SETTINGS, ...settings };
	return async (request) => await sendRequest(context, request, full);
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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

/** What n8n hands back for `encoding: 'stream'`: a Node.js readable stream (typed loosely so no stream import is needed). */
interface BodyStream {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	on(event: 'end', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	destroy(): unknown;
}

function isBodyStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as Partial<BodyStream>).on === 'function' &&
		typeof (body as Partial<BodyStream>).destroy === 'function'
	);
}

function bodyAsBuffer(body: unknown): Buffer {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.from(JSON.stringify(body), 'utf8');
}

type BodyReading = { body: Buffer } | { tooLarge: true } | { timedOut: true } | { error: unknown };

/** Reads a body up to `maxBytes` within `msLeft`; stops reading (and closes the stream) past either. */
async function readBody(body: unknown, maxBytes: number, msLeft: number): Promise<BodyReading> {
	if (maxBytes < 0) {
		if (isBodyStream(body)) body.destroy();
		return { tooLarge: true };
	}
	if (!isBodyStream(body)) {
		const buffer = bodyAsBuffer(body);
		return buffer.length > maxBytes ? { tooLarge: true } : { body: buffer };
	}
	return await new Promise<BodyReading>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		// The time-out covers the whole answer: a server that sends headers and then trickles is cut
		// off too. AbortSignal.timeout's timer does not keep the process alive once reading is done.
		const deadline = AbortSignal.timeout(Math.max(1, msLeft));
		const onDeadline = () => finish({ timedOut: true });
		const finish = (reading: BodyReading) => {
			if (settled) return;
			settled = true;
			deadline.removeEventListener('abort', onDeadline);
			if (!('body' in reading)) body.destroy();
			resolve(reading);
		};
		deadline.addEventListener('abort', onDeadline);
		body.on('data', (chunk) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			size += buffer.length;
			if (size > maxBytes) finish({ tooLarge: true });
			else chunks.push(buffer);
		});
		body.on('end', () => finish({ body: Buffer.concat(chunks) }));
		body.on('error', (error) => finish({ error }));
	});
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

function describeWait(ms: number): string {
	if (ms < 1000) return `${ms} ms`;
	const seconds = Math.round(ms / 1000);
	return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function triedNote(attempts: number): string {
	return attempts > 1 ? ` (tried ${attempts} times)` : '';
}

function transportProblem(code: string | undefined, url: string, timeoutMs: number, attempts: number): LoginProblem {
	const host = hostOf(url);
	const tried = triedNote(attempts);
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} did not answer within ${describeWait(timeoutMs)}${tried}`,
			hint: 'The service may be down or slow. Try again later, or raise the Timeout option of this node.',
		});
	}
	if (code === 'ECONNREFUSED') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} refused the connection${tried}`,
			hint: 'Check the environment or Base URL in the credential, and that the service is up.',
		});
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `The address ${host} could not be found${tried}`,
			hint: 'Check the environment or Base URL in the credential, and the network of your n8n server.',
		});
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
		return new LoginProblem({
			kind: 'unavailable',
			message: `${host} closed the connection before answering${tried}`,
			hint: 'Try again later. If it keeps happening, check proxies or firewalls between n8n and the service.',
		});
	}
	return new LoginProblem({
		kind: 'unavailable',
		message: `Could not reach ${host}${code ? ` (${code})` : ''}${tried}`,
		hint: 'Check the environment or Base URL in the credential and the network of your n8n server.',
	});
}

/**
 * A redirect is never followed (the credentials would travel with it): it becomes an error that
 * names where it pointed by host only, as the rest of the address may carry anything.
 */
function redirectProblem(answer: HttpAnswer, requestUrl: string): LoginProblem | undefined {
	if (!REDIRECT_STATUSES.has(answer.statusCode)) return undefined;
	const from = new URL(requestUrl);
	const location = headerValue(answer, 'location');
	let target: URL | undefined;
	try {
		target = location ? new URL(location, from) : undefined;
	} catch {
		target = undefined;
	}
	const base = {
		kind: 'unexpectedAnswer' as const,
		httpCode: answer.statusCode,
	};
	if (!target) {
		return new LoginProblem({
			...base,
			message: `${from.host} answered with a redirect that has no valid target (${statusLine(answer)})`,
			hint: 'Check the environment or Base URL in the credential.',
		});
	}
	if (target.host !== from.host) {
		return new LoginProblem({
			...base,
			message: `${from.host} redirected the request to another host, ${target.host}; redirects are not followed, so nothing was sent there (${statusLine(answer)})`,
			hint: `Check the environment or Base URL in the credential. If the service has really moved to ${target.host}, enter that address in the credential yourself.`,
		});
	}
	return new LoginProblem({
		...base,
		message: `${from.host} redirected the request to another address on the same host; redirects are not followed (${statusLine(answer)})`,
		hint: 'Check the environment or Base URL in the credential: the service may have moved, for example from http:// to https:// or to another path.',
	});
}

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(answer: HttpAnswer, now: Date): number | undefined {
	const value = headerValue(answer, 'retry-after')?.trim();
	if (!value) return undefined;
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now.getTime());
}

function waitTooLongProblem(answer: HttpAnswer, url: string, waitMs: number, now: Date): LoginProblem {
	const retryAt = new Date(now.getTime() + waitMs);
	return new LoginProblem({
		kind: 'unavailable',
		message: `${hostOf(url)} asked to wait ${describeWait(waitMs)} before trying again (${statusLine(answer)})`,
		hint: `The node does not wait that long. Run it again after ${retryAt.toISOString()}.`,
		httpCode: answer.statusCode,
	});
}

function tooManyRequestsProblem(answer: HttpAnswer, url: string): LoginProblem {
	return new LoginProblem({
		kind: 'unavailable',
		message: `${hostOf(url)} is limiting requests (${statusLine(answer)})`,
		hint: 'Too many requests were made in a short time. Wait a few minutes before running the workflow again, and space out scheduled runs.',
		httpCode: answer.statusCode,
	});
}

/** How long a person is asked to wait before a request that may have acted is sent again, when the service names no time. */
export const SEND_ONCE_WAIT_MS = 5 * 60_000;

/**
 * A request marked `sendOnce` that met a gateway failure or a rate limit: it is not sent again, and
 * the error says what may already have happened and after when to run the node again.
 */
function sentOnceProblem(answer: HttpAnswer, once: SendOnce, askedWaitMs: number | undefined, now: Date): LoginProblem {
	const retryAt = new Date(now.getTime() + Math.max(askedWaitMs ?? 0, SEND_ONCE_WAIT_MS));
	return new LoginProblem({
		kind: 'unavailable',
		message: `${once.service} failed ${once.what} (${statusLine(answer)}) but may already have ${once.mayHave}, so it was not sent again`,
		hint: `Check first whether it did (a message on the phone, a warning about failed logins), then try again after ${retryAt.toISOString()}, once the service works again.`,
		httpCode: answer.statusCode,
		retryAfter: retryAt,
	});
}

/**
 * A request marked `sendOnce` whose answer never came (a time-out, a connection closed mid-answer):
 * it may have reached the service, so it is held like a gateway failure until the wait has passed.
 */
function unansweredOnceProblem(problem: LoginProblem, now: Date): LoginProblem {
	return new LoginProblem({ ...problem.details, retryAfter: new Date(now.getTime() + SEND_ONCE_WAIT_MS) });
}

type Attempt = { answer: HttpAnswer } | { transportError: string | undefined };

async function sendOnce(context: HttpCapableContext, request: HttpRequestSpec, timeoutMs: number): Promise<Attempt> {
	const started = Date.now();
	let response: FullResponse;
	try {
		response = (await context.helpers.httpRequest({
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.bodyBytes ?? request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			// A stream, so the body is read only up to the size cap instead of whole into memory.
			encoding: 'stream',
			json: false,
			timeout: timeoutMs,
		})) as FullResponse;
	} catch (error) {
		return { transportError: transportErrorCode(error) };
	}
	const maxBytes = request.maxResponseBytes ?? LOGIN_ANSWER_MAX_BYTES;
	const headers = response.headers ?? {};
	const answer: HttpAnswer = {
		statusCode: response.statusCode,
		statusMessage: response.statusMessage ?? '',
		headers,
		body: '',
	};
	// A declared length over the cap is refused without reading a byte of it.
	const declaredLength = Number(headerValue(answer, 'content-length'));
	const reading = await readBody(
		response.body,
		Number.isFinite(declaredLength) && declaredLength > maxBytes ? -1 : maxBytes,
		timeoutMs - (Date.now() - started),
	);
	if ('timedOut' in reading) return { transportError: 'ETIMEDOUT' };
	if ('error' in reading) return { transportError: transportErrorCode(reading.error) ?? 'ECONNRESET' };
	if ('tooLarge' in reading) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${hostOf(request.url)} sent an answer larger than ${describeSize(maxBytes)}, so it was not read (${statusLine(answer)})`,
			hint: 'A login answer is small: check the environment or Base URL in the credential. A proxy or the wrong address may be sending a file or an endless page.',
			httpCode: answer.statusCode,
		});
	}
	return { answer: { ...answer, body: reading.body.toString('utf8'), bytes: reading.body } };
}

function describeSize(bytes: number): string {
	const mib = bytes / (1024 * 1024);
	return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * Sends a request and returns the answer whatever its status: the protocol decides what a status
 * means. A refused connection, and 502/503/504 and 429 for requests not marked `sendOnce` (or, for
 * 502/503/504, `lookBeforeResending`), are sent again, after a doubling back-off or the `Retry-After` the service asks for, at most `maxRetries`
 * times; nothing else is ever repeated. Redirects are not followed, so credentials never travel to
 * another address, and the body is read only up to the request's size cap.
 */
export async function sendRequest(
	context: HttpCapableContext,
	request: HttpRequestSpec,
	settings: TransportSettings = DEFAULT_TRANSPORT_SETTINGS,
): Promise<HttpAnswer> {
	const { timeoutMs, retry: policy } = settings;
	let current = request;
	for (let attempt = 1; ; attempt++) {
		if (attempt > 1) current = current.nextAttempt?.() ?? current;
		const outcome = await sendOnce(context, current, timeoutMs);
		const canRetry = attempt <= policy.maxRetries;
		if ('transportError' in outcome) {
			// Only a refused connection is certain not to have reached the service.
			if (outcome.transportError !== 'ECONNREFUSED' || !canRetry) {
				const problem = transportProblem(outcome.transportError, request.url, timeoutMs, attempt);
				// A refused connection reached nothing; anything else may have, for a request sent once.
				throw request.sendOnce && outcome.transportError !== 'ECONNREFUSED' ? unansweredOnceProblem(problem, new Date()) : problem;
			}
			await policy.sleep(policy.firstDelayMs * 2 ** (attempt - 1));
			continue;
		}
		const answer: HttpAnswer = { ...outcome.answer, attempts: attempt };
		const redirect = redirectProblem(answer, request.url);
		if (redirect) throw redirect;
		if (!RETRYABLE_STATUSES.has(answer.statusCode)) return answer;
		const now = new Date();
		const askedWait = retryAfterMs(answer, now);
		if (request.sendOnce) throw sentOnceProblem(answer, request.sendOnce, askedWait, now);
		// The caller looks whether the service acted before anything is sent again.
		if (request.lookBeforeResending && answer.statusCode !== 429) return answer;
		if (askedWait !== undefined && askedWait > policy.maxRetryAfterMs) {
			throw waitTooLongProblem(answer, request.url, askedWait, now);
		}
		if (!canRetry) {
			if (answer.statusCode === 429) throw tooManyRequestsProblem(answer, request.url);
			return answer;
		}
		await policy.sleep(askedWait ?? policy.firstDelayMs * 2 ** (attempt - 1));
	}
}
