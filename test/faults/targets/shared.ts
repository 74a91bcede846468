/**
 * What every row of the fault matrix shares: the shape of a target (its fake, how to run it, its
 * secrets, the outcome it expects for each provider case, its own header/cookie cases and the fields
 * a value can be injected through) and the helpers the rows use.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import { XMLParser } from 'fast-xml-parser';

import { FakeAltinn } from '../../fakes/fakeAltinn';
import { FakeBoknett } from '../../fakes/fakeBoknett';
import { FakeAltinn3 } from '../../fakes/fakeAltinn3';
import type { FakeAltinnConsent } from '../../fakes/fakeAltinnConsent';
import { FakeBokbasenAuth } from '../../fakes/fakeBokbasenAuth';
import { FakeOnlyoffice } from '../../fakes/fakeOnlyoffice';
import type { FakeServer, RecordedRequest, Reply } from '../../fakes/fakeServer';
import type { RunOptions } from '../../helpers/n8nRunner';
import type { Expected, FaultCase, GenericCaseId, ProviderCaseId } from '../cases';

export interface Fakes {
	boknett: FakeBoknett;
	onlyoffice: FakeOnlyoffice;
	altinn: FakeAltinn;
	altinn3: FakeAltinn3;
	/** Altinn 3 with system users and consent. */
	altinnSystemUser: FakeAltinnConsent;
	bokbasen: FakeBokbasenAuth;
}

/** Values put in place of a credential field (or the ticket) for one run. */
export type Overrides = Record<string, string>;

/** A case of one target's own, e.g. a missing or duplicated header, or a wrong password. */
export interface OwnCase extends FaultCase {
	expected: Expected;
	overrides?: Overrides;
	/** Changes to the fake for this case only (undone by the target's reset). */
	arrange?: (fakes: Fakes) => void;
}

export interface InjectionField {
	name: string;
	/** The overrides that put a value into this field. */
	set: (value: string) => Overrides;
	/** The value of this field as the fake received it, decoded the way the provider would (from the first request, or any). */
	readBack: (request: RecordedRequest, requests: RecordedRequest[]) => string | undefined;
	/** The outcome when this field holds a value with every structural character of the request's format. */
	injected: Expected;
	/** What a control character in this field gives (the credential check, unless the field is not a credential's). */
	controlCharacters?: Expected;
}

export interface NodeTarget {
	name: string;
	node: INodeType;
	fake: (fakes: Fakes) => FakeServer;
	/** The path prefix of the node's own requests: those are counted. */
	path: string;
	/**
	 * True when each of those requests may reach a person or an account (it sends an SMS, or counts as
	 * a failed login): the matrix asserts that no such request is sent twice in any case.
	 */
	reachesPerson?: boolean;
	/** Run options for the node, its credential pointing at `baseUrl`. */
	options: (baseUrl: string, overrides: Overrides) => RunOptions;
	/** Puts the fake in the state a successful run needs (a live ticket, an issued PIN). */
	prepare: (fakes: Fakes) => void;
	/** Undoes what cases changed in the fake. */
	reset: (fakes: Fakes) => void;
	/** Secrets of the default credential: none may appear in any output, error or log. */
	secrets: Record<string, string>;
	/**
	 * Secrets the token itself carries, so that they are in a token item's `token` and Authorization
	 * header (Output: Token), as the node tells users: everywhere else they may not appear.
	 */
	tokenCarries?: string[];
	/** Whether an output item is the node's normal success. */
	succeeded: (json: IDataObject) => boolean;
	/** The token of a successful output, where the node outputs one. */
	token?: (json: IDataObject) => string;
	provider: Record<ProviderCaseId, Expected>;
	overrides?: Partial<Record<GenericCaseId, Expected>>;
	own: OwnCase[];
	fields: InjectionField[];
	/** Credentials with æøå and the check of the bytes the fake received (the first request, and all of them). */
	utf8: { overrides: Overrides; check: (request: RecordedRequest, requests: RecordedRequest[]) => void; requests?: number };
	/**
	 * Normal answers served before each scripted fault, so the fault hits a later step of a login of
	 * several requests (e.g. the code after the password). They count as requests. Called after
	 * `prepare`, so a prefix may hold something the fake issued (e.g. a token it will accept).
	 */
	scriptPrefix?: (fakes: Fakes) => Reply[];
}

export const api = (message: RegExp, hint: RegExp, requests = 1): Expected => ({ error: 'NodeApiError', message, hint, requests });
export const ok = (requests = 1, token?: string): Expected => ({ ok: true, requests, token });
/** Every structural character of forms, JSON, XML and CDATA, in one value. */
export const INJECTION = `x'"</v><v a="1">&amp;&password=y%41+\\"}]]>--><!--`;

/**
 * A request that may have sent a person a message or counted a failed login met a gateway failure or
 * a rate limit: it was sent once, and the error says what may have happened and when to run again.
 */
export function sentOnce(service: string, what: string, mayHave: string, status: string, requests = 1): Expected {
	return {
		...api(new RegExp(`^${service} failed ${what} \\(${status}\\) but may already have ${mayHave}, so it was not sent again$`), /^Check first whether it did \(.+\), then try again after \d{4}-\d\d-\d\dT/, requests),
		waits: [],
	};
}

/** The provider and generic cases that would be retried, for a target whose request is sent once (`before` prefix requests first). */
export function sentOnceExpectations(
	service: string,
	what: string,
	mayHave: string,
	before = 0,
): { provider: Pick<Record<ProviderCaseId, Expected>, 'unavailable' | 'badGatewayPage' | 'gatewayTimeout'>; generic: Partial<Record<GenericCaseId, Expected>> } {
	const once = (status: string) => sentOnce(service, what, mayHave, status, before + 1);
	return {
		provider: { unavailable: once('503 Service Unavailable'), badGatewayPage: once('502 Bad Gateway'), gatewayTimeout: once('504 Gateway Timeout') },
		generic: {
			tooManyRequests: once('429 Too Many Requests'),
			tooManyRequestsThenOk: once('429 Too Many Requests'),
			unavailableUntilDateThenOk: once('503 Service Unavailable'),
			badGatewayThenOk: once('502 Bad Gateway'),
			retryAfterTooLong: once('429 Too Many Requests'),
			retryAfterDateTooLong: once('503 Service Unavailable'),
		},
	};
}

export function retried(pattern: string): RegExp {
	return new RegExp(`${pattern}, tried 3 times\\)$`);
}

const xmlReader = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: false });

/** The children of the first element with this local name in a SOAP request, as the service reads them. */
export function soapChildren(body: string, elementName: string): Record<string, unknown> | undefined {
	const find = (node: unknown): Record<string, unknown> | undefined => {
		if (typeof node !== 'object' || node === null) return undefined;
		for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
			if (key === elementName && typeof value === 'object' && value !== null) return value as Record<string, unknown>;
			const found = find(value);
			if (found) return found;
		}
		return undefined;
	};
	return find(xmlReader.parse(body));
}

export function soapValue(body: string, elementName: string, child: string): string | undefined {
	const value = soapChildren(body, elementName)?.[child];
	return typeof value === 'string' ? value : value === undefined ? undefined : String(value);
}

export function bytesOf(text: string): Buffer {
	return Buffer.from(text, 'utf8');
}

export const SOAP_ENVELOPE = (content: string) =>
	`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${content}</s:Body></s:Envelope>`;
export const CHALLENGE_OK = SOAP_ENVELOPE(
	'<GetAuthenticationChallengeResponse xmlns="http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10">' +
		'<GetAuthenticationChallengeResult xmlns:a="http://schemas.altinn.no/services/Authentication/2009/10">' +
		'<a:Message>Engangskode er sendt på SMS.</a:Message><a:Status>Ok</a:Status><a:ValidFrom>2026-11-23T10:00:00</a:ValidFrom><a:ValidTo>2026-11-23T10:30:00</a:ValidTo>' +
		'</GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse>',
);
export const SERVICE_OK = SOAP_ENVELOPE('<GetReporteeElementListBasicV2Response xmlns="x"><GetReporteeElementListBasicV2Result/></GetReporteeElementListBasicV2Response>');

// ---------------------------------------------------------------- Boknett


export function oauth2Expectations(service: string, before = 0): Record<ProviderCaseId, Expected> {
	const notJson = api(new RegExp(`^${service}'s answer is not valid JSON \\(200 OK\\)$`), /Check the environment or token address/, before + 1);
	return {
		unavailable: api(retried(`^${service} failed to answer \\(503 Service Unavailable`), /Try again later/, before + 3),
		badGatewayPage: api(retried(`^${service} failed to answer \\(502 Bad Gateway`), /Try again later/, before + 3),
		gatewayTimeout: api(retried(`^${service} failed to answer \\(504 Gateway Timeout`), /Try again later/, before + 3),
		serverError: api(new RegExp(`^${service} failed to answer \\(500 Internal Server Error\\)$`), /Try again later/, before + 1),
		htmlPage: api(new RegExp(`^${service} answered with a web page instead of a token \\(200 OK\\)$`), /a proxy or a login page/, before + 1),
		truncatedJson: notJson,
		malformedJson: notJson,
		truncatedXml: notJson,
		malformedXml: notJson,
		xmlBomb: notJson,
		externalEntity: notJson,
		teapot: api(new RegExp(`^${service} answered with an unexpected status \\(418 I'm a teapot\\)$`), /Check the environment or token address/, before + 1),
		oddSuccess: api(new RegExp(`^${service}'s answer is not valid JSON \\(299 unknown\\)$`), /Check the environment or token address/, before + 1),
	};
}

/** Generic cases whose normal answer after the fault is a whole login of `requests` requests. */
export function retriedThenOk(requests: number): Partial<Record<GenericCaseId, Expected>> {
	return {
		tooManyRequestsThenOk: ok(requests + 1),
		unavailableUntilDateThenOk: ok(requests + 1),
		badGatewayThenOk: ok(requests + 1),
	};
}

/**
 * The Altinn 3 logins (Maskinporten grant, then Altinn's exchange): a retried fault is followed by both
 * requests, and a redirect is refused at the first.
 */
export function grantAndExchangeOverrides(): Partial<Record<GenericCaseId, Expected>> {
	return {
		...retriedThenOk(2),
		redirectSameHost: api(/redirected the request to another address on the same host/, /may have moved/, 1),
	};
}

