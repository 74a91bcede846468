/**
 * The HTTP vocabulary every provider protocol speaks. Nothing here knows about n8n: a protocol
 * module builds an `HttpRequestSpec`, the transport sends it, and the protocol reads the `HttpAnswer`.
 */
import { maskNationalIdNumbers } from './nationalIdNumber';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Login answers are a few kilobytes: 1 MiB leaves room for chatty proxies and stops a runaway body. */
export const LOGIN_ANSWER_MAX_BYTES = 1024 * 1024;

export interface HttpRequestSpec {
	method: HttpMethod;
	url: string;
	headers: Record<string, string>;
	/** Already encoded (form, JSON or XML); protocols decide the encoding, not the transport. */
	body?: string;
	/** A body that is a file's bytes, sent instead of `body`. */
	bodyBytes?: Buffer;
	/**
	 * The most of the answer's body that is read; a longer answer is an error. The default is
	 * `LOGIN_ANSWER_MAX_BYTES`; a protocol that reads service answers sets more.
	 */
	maxResponseBytes?: number;
	/**
	 * Set on a request that can reach a person or an account (it sends an SMS, or counts as a failed
	 * login when it fails): it is sent again only when no connection was made, since a gateway's
	 * 502/503/504 or a 429 may come after the service acted. The words name it in that error.
	 */
	sendOnce?: SendOnce;
	/**
	 * For a request that must not be sent twice as it is (a signed Maskinporten grant: its `jti` may be
	 * used once, so a resent grant that reached Maskinporten the first time is a replay): the request
	 * to send on the next attempt.
	 */
	nextAttempt?: () => HttpRequestSpec;
	/**
	 * For a request that creates or moves something its caller can look up afterwards (an Altinn
	 * instance, a process step): a gateway's 502/503/504 may come after the service acted, so that
	 * answer is handed back instead of sent again, and the caller looks before sending it again. A
	 * 429 (refused before acting) and a refused connection are still retried.
	 */
	lookBeforeResending?: boolean;
}

/** How an error names a request that is sent once: "Altinn" failed "the PIN request" but may already have "sent the SMS with the PIN". */
export interface SendOnce {
	service: string;
	what: string;
	mayHave: string;
}

export interface HttpAnswer {
	statusCode: number;
	/** The reason phrase: Altinn puts its error text here ("400 Required header 'ApiKey' is missing."). */
	statusMessage: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** The body as it came, for an answer that is a file (the transport always gives it). */
	bytes?: Buffer;
	/** How many times the request was sent to get this answer; more than 1 after retries. */
	attempts?: number;
}

export function headerValue(answer: HttpAnswer, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(answer.headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

export function headerValues(answer: HttpAnswer, name: string): string[] {
	const wanted = name.toLowerCase();
	const values: string[] = [];
	for (const [key, value] of Object.entries(answer.headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		values.push(...(Array.isArray(value) ? value : [value]));
	}
	return values;
}

/**
 * The status as messages show it: code, reason phrase and, when the answer came after retries,
 * how many times the request was tried (so every protocol's error says so without knowing of retries).
 */
export function statusLine(answer: HttpAnswer): string {
	const status = answer.statusMessage ? `${answer.statusCode} ${answer.statusMessage}` : String(answer.statusCode);
	return answer.attempts !== undefined && answer.attempts > 1 ? `${status}, tried ${answer.attempts} times` : status;
}

/** True when a body looks like a web page rather than an API answer (proxies, maintenance pages). */
export function looksLikeHtml(answer: HttpAnswer): boolean {
	const contentType = headerValue(answer, 'content-type') ?? '';
	if (contentType.toLowerCase().includes('text/html')) return true;
	return /^\s*<(!doctype\s+html|html)/i.test(answer.body);
}

/**
 * A single-line excerpt of a body for error messages, national ID numbers masked before it is cut.
 * Long enough that the secrets the node knows can be redacted whole before an error cuts it for
 * showing (`providerWordsShown`).
 */
export function bodyExcerpt(body: string, maxLength = 4000): string {
	const text = maskNationalIdNumbers(body)
		.replace(/<script[\s\S]*?<\/script>/gi, ' ')
		.replace(/<style[\s\S]*?<\/style>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/** The body as the provider's own words for an error, or undefined when it is empty or a web page. */
export function textExcerpt(answer: HttpAnswer): string | undefined {
	return answer.body.trim() && !looksLikeHtml(answer) ? bodyExcerpt(answer.body) : undefined;
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Escapes the five XML special characters, so a value can never change a document's structure. */
export function xmlEscape(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}
