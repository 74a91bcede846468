/**
 * The fault matrix's columns: every way a provider (or the network) can misbehave, as a scripted
 * reply any fake serves. Cases whose outcome comes from the shared transport code carry one
 * expectation for every node; cases a provider's protocol reads are expected per node (targets.ts).
 */
import type { Reply } from '../fakes/fakeServer';
import { HTML_ERROR_PAGE } from '../fakes/fakeServer';

export type Expected =
	| { ok: true; requests: number; token?: string }
	| {
			error: 'NodeApiError' | 'NodeOperationError';
			message: RegExp;
			hint: RegExp;
			requests: number;
			/** The waits the retry policy must have asked for, where they differ from the case's (a request sent once waits for nothing). */
			waits?: number[];
	  };

/** What a case needs to know about the run it scripts. */
export interface CaseContext {
	/** Address of a second fake on another host (port): it must never receive a request. */
	elsewhereUrl: string;
	/** Address where nothing listens. */
	refusedUrl: string;
}

export interface FaultCase<Id extends string = string> {
	id: Id;
	description: string;
	/** Whether the shared policy may send the request again for this fault. */
	retryAllowed: boolean;
	/** The replies the node's fake serves to its next requests; `refused` points the credential at a closed port. */
	script: (context: CaseContext) => Reply[] | 'refused';
	/** A short time-out for the cases that test it; others keep the node's default. */
	timeoutMs?: number;
	/** The waits the retry policy must have asked for (computed values, not measured time). */
	waits?: number[] | ((waits: number[]) => boolean);
	/** The same outcome for every node, unless a target overrides it. */
	generic?: Expected;
}

const api = (message: RegExp, hint: RegExp, requests: number): Expected => ({ error: 'NodeApiError', message, hint, requests });

const xml = (body: string): Reply => ({ status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body });
const jsonText = (body: string): Reply => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body });

export const BILLION_LAUGHS =
	'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
	'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>' +
	'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&lol4;</x></s:Body></s:Envelope>';

export function externalEntity(elsewhereUrl: string): string {
	return (
		`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "${elsewhereUrl}/xxe"><!ENTITY file SYSTEM "file:///etc/passwd">]>` +
		'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&xxe;&file;</x></s:Body></s:Envelope>'
	);
}

const TEN_MB = 10 * 1024 * 1024;

const HOST = /127\.0\.0\.1:\d+/.source;
const sameHostAs = (pattern: string) => new RegExp(pattern.replaceAll('HOST', HOST));

/** Cases whose outcome the shared transport code decides: one expectation for all nodes. */
export const GENERIC_CASES = [
	{
		id: 'connectionRefused',
		description: 'connection refused, three times',
		retryAllowed: true,
		script: () => 'refused',
		waits: [1000, 2000],
		generic: api(/^127\.0\.0\.1:\d+ refused the connection \(tried 3 times\)$/, /Check the environment or Base URL/, 0),
	},
	{
		id: 'timeout',
		description: 'no answer within the time-out',
		retryAllowed: false,
		script: () => [{ status: 200, silent: true }],
		timeoutMs: 300,
		generic: api(sameHostAs('^HOST did not answer within 300 ms$'), /raise the Timeout option/, 1),
	},
	{
		id: 'trickle',
		description: 'headers, then a body that never ends',
		retryAllowed: false,
		script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"count":', stallAfterBody: true }],
		timeoutMs: 300,
		generic: api(sameHostAs('^HOST did not answer within 300 ms$'), /raise the Timeout option/, 1),
	},
	{
		id: 'hangUp',
		description: 'connection closed without an answer',
		retryAllowed: false,
		script: () => [{ status: 200, hangUp: true }],
		generic: api(sameHostAs('^HOST closed the connection before answering$'), /Try again later/, 1),
	},
	{
		id: 'cutBody',
		description: 'truncated body: connection closed mid-answer',
		retryAllowed: false,
		script: () => [{ status: 200, headers: { 'Content-Type': 'text/xml', 'Content-Length': '5000' }, body: '<s:Envelope><s:Bo', cutAfterBody: true }],
		generic: api(sameHostAs('^HOST closed the connection before answering$'), /Try again later/, 1),
	},
	{
		id: 'tooManyRequests',
		description: '429 without Retry-After, three times',
		retryAllowed: true,
		script: () => [429, 429, 429].map((status) => ({ status })),
		waits: [1000, 2000],
		generic: api(sameHostAs('^HOST is limiting requests \\(429 Too Many Requests, tried 3 times\\)$'), /Wait a few minutes/, 3),
	},
	{
		id: 'tooManyRequestsThenOk',
		description: '429 with Retry-After: 2 (seconds), then the normal answer',
		retryAllowed: true,
		script: () => [{ status: 429, headers: { 'Retry-After': '2' } }],
		waits: [2000],
		generic: { ok: true, requests: 2 },
	},
	{
		id: 'unavailableUntilDateThenOk',
		description: '503 with Retry-After as an HTTP date 3 seconds ahead, then the normal answer',
		retryAllowed: true,
		script: () => [{ status: 503, headers: { 'Retry-After': new Date(Date.now() + 3000).toUTCString() } }],
		waits: (waits) => waits.length === 1 && waits[0] > 0 && waits[0] <= 3000,
		generic: { ok: true, requests: 2 },
	},
	{
		id: 'badGatewayThenOk',
		description: '502, then the normal answer',
		retryAllowed: true,
		script: () => [{ status: 502, reason: 'Bad Gateway', headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE }],
		waits: [1000],
		generic: { ok: true, requests: 2 },
	},
	{
		id: 'retryAfterTooLong',
		description: '429 asking to wait an hour',
		retryAllowed: false,
		script: () => [{ status: 429, headers: { 'Retry-After': '3600' } }],
		waits: [],
		generic: api(sameHostAs('^HOST asked to wait 3600 seconds before trying again \\(429 Too Many Requests\\)$'), /Run it again after \d{4}-\d\d-\d\dT/, 1),
	},
	{
		id: 'retryAfterDateTooLong',
		description: '503 asking to wait until tomorrow (HTTP date)',
		retryAllowed: false,
		script: () => [{ status: 503, headers: { 'Retry-After': new Date(Date.now() + 86_400_000).toUTCString() } }],
		waits: [],
		generic: api(sameHostAs('^HOST asked to wait \\d+ seconds before trying again \\(503 Service Unavailable\\)$'), /Run it again after/, 1),
	},
	{
		id: 'redirectOtherHost',
		description: '302 to another host',
		retryAllowed: false,
		script: ({ elsewhereUrl }) => [{ status: 302, headers: { Location: `${elsewhereUrl}/collect?from=login` } }],
		generic: api(
			sameHostAs('^HOST redirected the request to another host, HOST; redirects are not followed, so nothing was sent there \\(302 Found\\)$'),
			/enter that address in the credential yourself/,
			1,
		),
	},
	{
		id: 'redirectSameHost',
		description: '307 to another path on the same host',
		retryAllowed: false,
		script: () => [{ status: 307, headers: { Location: '/moved/here' } }],
		generic: api(sameHostAs('^HOST redirected the request to another address on the same host; redirects are not followed \\(307 Temporary Redirect\\)$'), /may have moved/, 1),
	},
	{
		id: 'tenMegabytes',
		description: '10 MB body, streamed without a length',
		retryAllowed: false,
		script: () => [{ status: 200, headers: { 'Content-Type': 'text/xml' }, fillerBytes: TEN_MB }],
		generic: api(sameHostAs('^HOST sent an answer larger than 1 MB, so it was not read \\(200 OK\\)$'), /A login answer is small/, 1),
	},
	{
		id: 'tenMegabytesDeclared',
		description: '10 MB body with its Content-Length',
		retryAllowed: false,
		script: () => [{ status: 200, headers: { 'Content-Type': 'text/xml', 'Content-Length': String(TEN_MB) }, fillerBytes: TEN_MB }],
		generic: api(sameHostAs('^HOST sent an answer larger than 1 MB, so it was not read \\(200 OK\\)$'), /A login answer is small/, 1),
	},
	{
		id: 'endlessBody',
		description: 'a 40 MB body (larger than every cap)',
		retryAllowed: false,
		script: () => [{ status: 200, headers: { 'Content-Type': 'text/xml' }, fillerBytes: 40 * 1024 * 1024 }],
		generic: api(sameHostAs('^HOST sent an answer larger than 1 MB, so it was not read \\(200 OK\\)$'), /A login answer is small/, 1),
	},
] as const satisfies ReadonlyArray<FaultCase>;

/** Cases each provider's protocol reads: every target states the outcome it expects. */
export const PROVIDER_CASES = [
	{ id: 'unavailable', description: '503, three times', retryAllowed: true, script: () => [503, 503, 503].map((status) => ({ status })), waits: [1000, 2000] },
	{
		id: 'badGatewayPage',
		description: '502 with an HTML page, three times',
		retryAllowed: true,
		script: () => [1, 2, 3].map(() => ({ status: 502, reason: 'Bad Gateway', headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE })),
		waits: [1000, 2000],
	},
	{ id: 'gatewayTimeout', description: '504, three times', retryAllowed: true, script: () => [504, 504, 504].map((status) => ({ status })), waits: [1000, 2000] },
	{ id: 'serverError', description: '500 with an empty body', retryAllowed: false, script: () => [{ status: 500 }], waits: [] },
	{ id: 'htmlPage', description: 'an HTML page with 200', retryAllowed: false, script: () => [{ status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE }] },
	{ id: 'truncatedJson', description: 'truncated JSON with 200', retryAllowed: false, script: () => [jsonText('{"count":1,"response":{"token":"abc')] },
	{ id: 'malformedJson', description: 'malformed JSON with 200', retryAllowed: false, script: () => [jsonText("{count: 1, 'response': {token: abc},}")] },
	{ id: 'truncatedXml', description: 'truncated XML with 200', retryAllowed: false, script: () => [xml('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetAuth')] },
	{ id: 'malformedXml', description: 'malformed XML with 200', retryAllowed: false, script: () => [xml('<s:Envelope><s:Body><a></b></s:Body></s:Envelope>')] },
	{ id: 'xmlBomb', description: 'an XML bomb (billion laughs)', retryAllowed: false, script: () => [xml(BILLION_LAUGHS)] },
	{ id: 'externalEntity', description: 'XML with external entities (another host, a file)', retryAllowed: false, script: ({ elsewhereUrl }: CaseContext) => [xml(externalEntity(elsewhereUrl))] },
	{ id: 'teapot', description: 'an unknown status: 418', retryAllowed: false, script: () => [{ status: 418, reason: "I'm a teapot" }] },
	{ id: 'oddSuccess', description: 'an unknown status: 299', retryAllowed: false, script: () => [{ status: 299 }] },
] as const satisfies ReadonlyArray<FaultCase>;

export type GenericCaseId = (typeof GENERIC_CASES)[number]['id'];
export type ProviderCaseId = (typeof PROVIDER_CASES)[number]['id'];
