/**
 * The fault matrix's rows: one per node (and operation). A new provider or node joins the matrix
 * by adding a target here: its fake, how to run it, its secrets, the outcome it expects for each
 * provider case, its own header/cookie cases, and the fields a value can be injected through.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import { XMLParser } from 'fast-xml-parser';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnSmsChallenge } from '../../nodes/Altinn/AltinnSmsChallenge.node';
import { AltinnSoapRequest } from '../../nodes/Altinn/AltinnSoapRequest.node';
import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { ALTINN_PERSON, ALTINN_REST_USER, FakeAltinn, altinnSmsPinCredentialData } from '../fakes/fakeAltinn';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { ENTERPRISE_USER, FakeAltinn3, makeKeyClient } from '../fakes/fakeAltinn3';
import { BOKBASEN_CLIENT, FakeBokbasenAuth } from '../fakes/fakeBokbasenAuth';
import { FakeOnlyoffice, ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_TOTP_SECRET, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import type { FakeServer, RecordedRequest, Reply } from '../fakes/fakeServer';
import { header } from '../fakes/fakeServer';
import type { RunOptions } from '../helpers/n8nRunner';
import type { Expected, FaultCase, GenericCaseId, ProviderCaseId } from './cases';

export interface Fakes {
	boknett: FakeBoknett;
	onlyoffice: FakeOnlyoffice;
	altinn: FakeAltinn;
	altinn3: FakeAltinn3;
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
	/** Run options for the node, its credential pointing at `baseUrl`. */
	options: (baseUrl: string, overrides: Overrides) => RunOptions;
	/** Puts the fake in the state a successful run needs (a live ticket, an issued PIN). */
	prepare: (fakes: Fakes) => void;
	/** Undoes what cases changed in the fake. */
	reset: (fakes: Fakes) => void;
	/** Secrets of the default credential: none may appear in any output, error or log. */
	secrets: Record<string, string>;
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
	 * several requests (e.g. the code after the password). They count as requests.
	 */
	scriptPrefix?: () => Reply[];
}

const api = (message: RegExp, hint: RegExp, requests = 1): Expected => ({ error: 'NodeApiError', message, hint, requests });
const ok = (requests = 1, token?: string): Expected => ({ ok: true, requests, token });
/** Every structural character of forms, JSON, XML and CDATA, in one value. */
export const INJECTION = `x'"</v><v a="1">&amp;&password=y%41+\\"}]]>--><!--`;

function retried(pattern: string): RegExp {
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

function soapValue(body: string, elementName: string, child: string): string | undefined {
	const value = soapChildren(body, elementName)?.[child];
	return typeof value === 'string' ? value : value === undefined ? undefined : String(value);
}

function bytesOf(text: string): Buffer {
	return Buffer.from(text, 'utf8');
}

const SOAP_ENVELOPE = (content: string) =>
	`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${content}</s:Body></s:Envelope>`;
const CHALLENGE_OK = SOAP_ENVELOPE(
	'<GetAuthenticationChallengeResponse xmlns="http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10">' +
		'<GetAuthenticationChallengeResult xmlns:a="http://schemas.altinn.no/services/Authentication/2009/10">' +
		'<a:Message>Engangskode er sendt på SMS.</a:Message><a:Status>Ok</a:Status><a:ValidFrom>2026-11-23T10:00:00</a:ValidFrom><a:ValidTo>2026-11-23T10:30:00</a:ValidTo>' +
		'</GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse>',
);
const SERVICE_OK = SOAP_ENVELOPE('<GetReporteeElementListBasicV2Response xmlns="x"><GetReporteeElementListBasicV2Result/></GetReporteeElementListBasicV2Response>');

// ---------------------------------------------------------------- Boknett

const boknettCredential = (baseUrl: string, overrides: Overrides) => ({
	boknettApi: { environment: 'custom', baseUrl, ...BOKNETT_USER, ...overrides },
});

const LIVE_TICKET = 'TGT-matrix-1-login.boknett.no';

const boknettCreate: NodeTarget = {
	name: 'Boknett Ticket (create)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.boknett,
	path: '/v1/tickets',
	options: (baseUrl, overrides) => ({ credentials: boknettCredential(baseUrl, overrides), parameters: { operation: 'create' } }),
	prepare: () => undefined,
	reset: (fakes) => (fakes.boknett.failure = 'none'),
	secrets: { password: BOKNETT_USER.password },
	succeeded: (json) => typeof json.token === 'string' && json.token.startsWith('TGT-'),
	provider: {
		unavailable: api(retried('^Boknett failed during login \\(503 Service Unavailable'), /Try again later/, 3),
		badGatewayPage: api(retried('^Boknett failed during login \\(502 Bad Gateway'), /Try again later/, 3),
		gatewayTimeout: api(retried('^Boknett failed during login \\(504 Gateway Timeout'), /Try again later/, 3),
		serverError: api(/^Boknett failed during login \(500 Internal Server Error\)$/, /Try again later/),
		htmlPage: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /The answer was a web page/),
		truncatedJson: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		malformedJson: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		truncatedXml: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		malformedXml: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		xmlBomb: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		externalEntity: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		teapot: api(/^Boknett answered the login with an unexpected status \(418 I'm a teapot\)$/, /Check the environment or Base URL/),
		oddSuccess: api(/^Boknett answered the login with an unexpected status \(299 unknown\)$/, /Check the environment or Base URL/),
	},
	own: [
		{
			id: 'missingTicketHeader',
			description: '201 without the Boknett-TGT header',
			retryAllowed: false,
			script: () => [{ status: 201, reason: 'Created' }],
			expected: api(/sent no ticket \(the Boknett-TGT header is missing\)$/, /A proxy may be removing the header/),
		},
		{
			id: 'duplicatedTicketHeader',
			description: '201 with the Boknett-TGT header twice',
			retryAllowed: false,
			script: () => [{ status: 201, headers: { 'Boknett-TGT': ['TGT-1-a', 'TGT-2-b'] } }],
			expected: api(/sent more than one ticket, or a malformed one/, /adding or repeating headers/),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (400)',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ1' },
			expected: api(/^Boknett refused the login \(400 Bad Request\)$/, /does not retry, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'username',
			set: (value) => ({ username: value }),
			readBack: (request) => new URLSearchParams(request.body).get('username') ?? undefined,
			injected: api(/^Boknett refused the login \(400 Bad Request\)$/, /Check the username and password/),
		},
		{
			name: 'password',
			set: (value) => ({ password: value }),
			readBack: (request) => new URLSearchParams(request.body).get('password') ?? undefined,
			injected: api(/^Boknett refused the login \(400 Bad Request\)$/, /Check the username and password/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
			// Form encoding sends æ and ø as their UTF-8 bytes, percent-encoded.
			expect(request.rawBody.toString('latin1')).toContain('username=forlag-%C3%B8%40example.no');
			expect(request.rawBody.toString('latin1')).toContain('password=S3cret+%C3%A6');
			expect(new URLSearchParams(request.body).get('password')).toBe(BOKNETT_USER.password);
		},
	},
};

const boknettDelete: NodeTarget = {
	name: 'Boknett Ticket (delete)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.boknett,
	path: '/v1/tickets/',
	options: (baseUrl, { ticket, ...overrides }) => ({
		credentials: boknettCredential(baseUrl, overrides),
		parameters: { operation: 'delete' },
		input: [{ json: { token: ticket ?? LIVE_TICKET } }],
	}),
	prepare: (fakes) => {
		fakes.boknett.liveTickets.add(LIVE_TICKET);
		fakes.boknett.liveTickets.add('TGT-æøå');
	},
	reset: (fakes) => (fakes.boknett.failure = 'none'),
	secrets: { password: BOKNETT_USER.password },
	succeeded: (json) => json.deleted === true,
	provider: {
		unavailable: api(retried('^Boknett failed during logout \\(503 Service Unavailable'), /Try again later/, 3),
		badGatewayPage: api(retried('^Boknett failed during logout \\(502 Bad Gateway'), /Try again later/, 3),
		gatewayTimeout: api(retried('^Boknett failed during logout \\(504 Gateway Timeout'), /Try again later/, 3),
		serverError: api(/^Boknett failed during logout \(500 Internal Server Error\)$/, /Try again later/),
		// A logout answered 200 is done, whatever the body says: there is nothing in it to read.
		htmlPage: ok(),
		truncatedJson: ok(),
		malformedJson: ok(),
		truncatedXml: ok(),
		malformedXml: ok(),
		xmlBomb: ok(),
		externalEntity: ok(),
		teapot: api(/^Boknett answered the logout with an unexpected status \(418 I'm a teapot\)$/, /Check the environment or Base URL/),
		oddSuccess: api(/^Boknett answered the logout with an unexpected status \(299 unknown\)$/, /Check the environment or Base URL/),
	},
	own: [
		{ id: 'noHeaders', description: '204 without any header', retryAllowed: false, script: () => [{ status: 204 }], expected: ok() },
		{
			id: 'duplicatedHeaders',
			description: '200 with Content-Type and a cookie twice',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': ['text/plain', 'text/html'], 'Set-Cookie': ['a=1', 'a=2'] } }],
			expected: ok(),
		},
		{
			id: 'unknownTicket',
			description: 'a ticket Boknett does not know (400)',
			retryAllowed: false,
			script: () => [],
			overrides: { ticket: 'TGT-expired-long-ago' },
			expected: api(/^Boknett did not know this ticket \(400 Bad Request\)$/, /may have expired/),
		},
	],
	fields: [
		{
			name: 'ticket',
			set: (value) => ({ ticket: value }),
			readBack: (request) => decodeURIComponent(request.path.slice('/v1/tickets/'.length)),
			injected: api(/^Boknett did not know this ticket \(400 Bad Request\)$/, /may have expired/),
			controlCharacters: { error: 'NodeOperationError', message: /^No Boknett ticket to log out$/, hint: /Set the Ticket parameter/, requests: 0 },
		},
	],
	utf8: {
		overrides: { ticket: 'TGT-æøå' },
		check: (request) => expect(request.path).toBe('/v1/tickets/TGT-%C3%A6%C3%B8%C3%A5'),
	},
};

// ---------------------------------------------------------------- ONLYOFFICE

const onlyofficeToken = JSON.stringify({ count: 1, response: { token: 'scripted-token-1', expires: '2030-01-01T00:00:00Z' }, status: 0, statusCode: 201 });

const onlyofficeAuth: NodeTarget = {
	name: 'ONLYOFFICE Auth',
	node: new OnlyofficeAuth(),
	fake: (fakes) => fakes.onlyoffice,
	path: '/api/2.0/authentication',
	options: (baseUrl, overrides) => ({ credentials: { onlyofficeApi: { portalUrl: baseUrl, ...ONLYOFFICE_USER, ...overrides } } }),
	prepare: () => undefined,
	reset: (fakes) => {
		fakes.onlyoffice.failure = 'none';
		fakes.onlyoffice.flavour = 'docspace';
	},
	secrets: { password: ONLYOFFICE_USER.password },
	succeeded: (json) => typeof json.token === 'string' && json.token.length > 10,
	token: (json) => String(json.token),
	provider: {
		unavailable: api(retried('^The ONLYOFFICE portal failed to log in \\(503 Service Unavailable'), /The portal has a problem/, 3),
		badGatewayPage: api(retried('^The ONLYOFFICE portal failed to log in \\(502 Bad Gateway'), /The portal has a problem/, 3),
		gatewayTimeout: api(retried('^The ONLYOFFICE portal failed to log in \\(504 Gateway Timeout'), /The portal has a problem/, 3),
		serverError: api(/^The ONLYOFFICE portal failed to log in \(500 Internal Server Error\)$/, /The portal has a problem/),
		htmlPage: api(/^The ONLYOFFICE portal answered with a web page instead of JSON \(200 OK\)$/, /not a login or maintenance page/),
		truncatedJson: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		malformedJson: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		truncatedXml: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		malformedXml: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		xmlBomb: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		externalEntity: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		teapot: api(/^The ONLYOFFICE portal's answer is not valid JSON \(418 I'm a teapot\)$/, /sent a broken answer/),
		oddSuccess: api(/^The ONLYOFFICE portal's answer is not valid JSON \(299 unknown\)$/, /sent a broken answer/),
	},
	own: [
		{
			id: 'noContentType',
			description: 'a token answer without Content-Type',
			retryAllowed: false,
			script: () => [{ status: 201, body: onlyofficeToken }],
			expected: ok(1, 'scripted-token-1'),
		},
		{
			id: 'duplicatedHeadersAndCookies',
			description: 'a token answer with Content-Type and asc_auth_key cookies twice',
			retryAllowed: false,
			script: () => [
				{
					status: 201,
					headers: { 'Content-Type': ['application/json', 'text/plain'], 'Set-Cookie': ['asc_auth_key=one', 'asc_auth_key=two'] },
					body: onlyofficeToken,
				},
			],
			expected: ok(1, 'scripted-token-1'),
		},
		{
			id: 'tokenWithLineBreak',
			description: 'a token with a line break (header injection into the next node)',
			retryAllowed: false,
			script: () => [{ status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ response: { token: 'abc\r\nX-Evil: 1' } }) }],
			expected: api(/sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (DocSpace: 401)',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ2' },
			expected: api(/^ONLYOFFICE refused the username or password \(401 Unauthorized\)$/, /does not retry, so the account is not locked/),
		},
		{
			id: 'wrongPasswordWorkspace',
			description: 'a wrong password (Workspace: 500 "User authentication failed")',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ3' },
			arrange: (fakes) => (fakes.onlyoffice.flavour = 'workspace'),
			expected: api(/^ONLYOFFICE refused the username or password \(500 Internal Server Error\)$/, /does not retry, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'username',
			set: (value) => ({ username: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).userName,
			injected: api(/^ONLYOFFICE does not know this user, or the portal address is wrong \(404 Not Found\)$/, /Check the username/),
		},
		{
			name: 'password',
			set: (value) => ({ password: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).password,
			injected: api(/^ONLYOFFICE refused the username or password \(401 Unauthorized\)$/, /Check the username/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.rawBody.includes(bytesOf('æøå "quoted"'.replace(/"/g, '\\"')))).toBe(true);
			expect(request.rawBody.includes(Buffer.from([0xc3, 0xa6, 0xc3, 0xb8, 0xc3, 0xa5]))).toBe(true);
		},
	},
};

// ---------------------------------------------------------------- Altinn

const ALTINN_UTF8_USER = { username: 'bruker-æøå@firma.no', password: 'Passord-æøå-ÆØÅ-1' };

const altinnAuthenticate: NodeTarget = {
	name: 'Altinn Authenticate',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinn,
	path: '/api/authentication',
	options: (baseUrl, overrides) => ({ credentials: { altinnApi: { environment: 'custom', baseUrl, ...ALTINN_REST_USER, ...overrides } } }),
	prepare: (fakes) => fakes.altinn.restAccounts.set(ALTINN_UTF8_USER.username, ALTINN_UTF8_USER.password),
	reset: (fakes) => (fakes.altinn.restFailure = 'none'),
	secrets: { password: ALTINN_REST_USER.password, utf8Password: ALTINN_UTF8_USER.password },
	succeeded: (json) => json.provider === 'altinn' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: {
		unavailable: api(retried('^Altinn failed to log in \\(503 Service Unavailable'), /Altinn has a problem/, 3),
		badGatewayPage: api(retried('^Altinn failed to log in \\(502 Bad Gateway'), /Altinn has a problem/, 3),
		gatewayTimeout: api(retried('^Altinn failed to log in \\(504 Gateway Timeout'), /Altinn has a problem/, 3),
		serverError: api(/^Altinn failed to log in \(500 Internal Server Error\)$/, /Altinn has a problem/),
		htmlPage: api(/^Altinn answered with a web page instead of logging in \(200 OK\)$/, /Check the environment or Base URL/),
		truncatedJson: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		malformedJson: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		truncatedXml: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		malformedXml: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		xmlBomb: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		externalEntity: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
		teapot: api(/^Altinn did not log in \(418 I'm a teapot\)$/, /Check the username, password and API key/),
		oddSuccess: api(/^Altinn answered 299 unknown but did not log in \(no auth cookie was set\)$/, /Check the username and password/),
	},
	own: [
		{
			id: 'noSetCookie',
			description: '200 without Set-Cookie',
			retryAllowed: false,
			script: () => [{ status: 200 }],
			expected: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /does not retry/),
		},
		{
			id: 'duplicatedAuthCookie',
			description: 'the auth cookie set twice: the later one counts, as in a browser',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Set-Cookie': ['.AspxAuthProd=FIRST0001; path=/', '.AspxAuthProd=SECOND002; path=/'] } }],
			expected: ok(1, 'SECOND002'),
		},
		{
			id: 'authCookieThenDeleted',
			description: 'the auth cookie set, then deleted in the same answer',
			retryAllowed: false,
			script: () => [
				{ status: 200, headers: { 'Set-Cookie': ['.AspxAuthProd=LIVE0001; path=/', '.AspxAuthProd=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/'] } },
			],
			expected: api(/^Altinn answered 200 OK but did not log in \(no auth cookie was set\)$/, /does not retry/),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (401)',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ4' },
			expected: api(/^Altinn did not log in \(401 Invalid username or password\)$/, /does not retry, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'username',
			set: (value) => ({ username: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).UserName,
			injected: api(/^Altinn did not log in \(401 Invalid username or password\)$/, /Check the username/),
		},
		{
			name: 'password',
			set: (value) => ({ password: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).UserPassword,
			injected: api(/^Altinn did not log in \(401 Invalid username or password\)$/, /special characters/),
		},
		{
			name: 'API key',
			set: (value) => ({ apiKey: value }),
			readBack: (request) => header(request, 'apikey'),
			injected: api(/^Altinn refused the request \(403 Forbidden\)$/, /API key/),
		},
	],
	utf8: {
		overrides: ALTINN_UTF8_USER,
		check: (request) => {
			expect(request.rawBody.includes(bytesOf('"UserName":"bruker-æøå@firma.no"'))).toBe(true);
			expect(request.rawBody.includes(Buffer.from([0xc3, 0x86, 0xc3, 0x98, 0xc3, 0x85]))).toBe(true);
		},
	},
};

const pinCredential = (baseUrl: string, overrides: Overrides) => ({ altinnSmsPinApi: altinnSmsPinCredentialData(baseUrl, overrides) });

const PIN_SECRETS = {
	ssn: ALTINN_PERSON.ssn,
	userPassword: ALTINN_PERSON.password,
	systemPassword: ALTINN_PERSON.systemPassword ?? '',
};

/** The Altinn SOAP expectations both SOAP nodes share, for what they call the call. */
function soapExpectations(what: string): Record<ProviderCaseId, Expected> {
	const unreadable = (problem: string, status: string) => new RegExp(`^Altinn's answer to ${what} cannot be read: ${problem} \\(${status}\\)$`);
	return {
		unavailable: api(retried(`^Altinn's answer to ${what} cannot be read: it is empty \\(503 Service Unavailable`), /Altinn has a problem/, 3),
		badGatewayPage: api(retried(`^Altinn answered ${what} with a web page instead of SOAP \\(502 Bad Gateway`), /Altinn has a problem/, 3),
		gatewayTimeout: api(retried(`^Altinn's answer to ${what} cannot be read: it is empty \\(504 Gateway Timeout`), /Altinn has a problem/, 3),
		serverError: api(unreadable('it is empty', '500 Internal Server Error'), /Altinn has a problem/),
		htmlPage: api(new RegExp(`^Altinn answered ${what} with a web page instead of SOAP \\(200 OK\\)$`), /Check the environment or Base URL/),
		truncatedJson: api(unreadable('it is not well-formed XML \\(line 1: .+\\)', '200 OK'), /Check the environment or Base URL/),
		malformedJson: api(unreadable('it is not well-formed XML \\(line 1: .+\\)', '200 OK'), /Check the environment or Base URL/),
		truncatedXml: api(unreadable('it is not well-formed XML \\(line 1: .+\\)', '200 OK'), /Check the environment or Base URL/),
		malformedXml: api(unreadable('it is not well-formed XML \\(line 1: .+\\)', '200 OK'), /Check the environment or Base URL/),
		xmlBomb: api(unreadable('it contains a document type declaration, which is refused for safety', '200 OK'), /Check the environment or Base URL/),
		externalEntity: api(unreadable('it contains a document type declaration, which is refused for safety', '200 OK'), /Check the environment or Base URL/),
		teapot: api(unreadable('it is empty', "418 I'm a teapot"), /Check the environment or Base URL/),
		oddSuccess: api(unreadable('it is empty', '299 unknown'), /Check the environment or Base URL/),
	};
}

const altinnSmsChallenge: NodeTarget = {
	name: 'Altinn SMS Challenge',
	node: new AltinnSmsChallenge(),
	fake: (fakes) => fakes.altinn,
	path: '/AuthenticationExternal',
	options: (baseUrl, overrides) => ({ credentials: pinCredential(baseUrl, overrides), parameters: { operation: 'requestPin' } }),
	prepare: () => undefined,
	reset: (fakes) => (fakes.altinn.soapFailure = 'none'),
	secrets: PIN_SECRETS,
	succeeded: (json) => json.status === 'Ok',
	provider: soapExpectations('the PIN request'),
	own: [
		{
			id: 'noContentType',
			description: 'an Ok answer without Content-Type',
			retryAllowed: false,
			script: () => [{ status: 200, body: CHALLENGE_OK }],
			expected: ok(),
		},
		{
			id: 'duplicatedHeaders',
			description: 'an Ok answer with Content-Type and cookies twice',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': ['text/xml', 'text/html'], 'Set-Cookie': ['a=1', 'a=2'] }, body: CHALLENGE_OK }],
			expected: ok(),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (InvalidCredentials)',
			retryAllowed: false,
			script: () => [],
			overrides: { userPassword: 'wrong-password-æ5' },
			expected: api(/^Altinn refused the national ID number or password \(InvalidCredentials\)$/, /Nothing is retried, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'national ID number (SSN)',
			set: (value) => ({ userSsn: value }),
			readBack: (request) => soapValue(request.body, 'challengeRequest', 'UserSSN'),
			injected: api(/\(InvalidCredentials\)$/, /Check the national ID number and password/),
		},
		{
			name: 'user password',
			set: (value) => ({ userPassword: value }),
			readBack: (request) => soapValue(request.body, 'challengeRequest', 'UserPassword'),
			injected: api(/\(InvalidCredentials\)$/, /Check the national ID number and password/),
		},
		{
			name: 'system ID',
			set: (value) => ({ systemUserName: value }),
			readBack: (request) => soapValue(request.body, 'challengeRequest', 'SystemUserName'),
			// Altinn checks the system only when the PIN is used: the challenge itself succeeds.
			injected: ok(),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(request.rawBody.includes(bytesOf('<ns1:UserPassword>Pinpass&lt;&amp;&gt;&quot;&apos;æøå</ns1:UserPassword>'))).toBe(true);
		},
	},
};

export const MATRIX_PIN = '24680';

const altinnSoapRequest: NodeTarget = {
	name: 'Altinn SOAP Request',
	node: new AltinnSoapRequest(),
	fake: (fakes) => fakes.altinn,
	path: '/ServiceEngineExternal',
	options: (baseUrl, overrides) => ({
		credentials: pinCredential(baseUrl, overrides),
		input: [{ json: { provider: 'altinn-sms', environment: 'custom', token: MATRIX_PIN, headers: {} } }],
	}),
	prepare: (fakes) => {
		if (!fakes.altinn.sentPins.some((sent) => sent.pin === MATRIX_PIN && sent.validTo > Date.now())) {
			fakes.altinn.sentPins.push({ pin: MATRIX_PIN, ssn: ALTINN_PERSON.ssn, validTo: Date.now() + 30 * 60 * 1000 });
		}
	},
	reset: (fakes) => (fakes.altinn.soapFailure = 'none'),
	secrets: { ...PIN_SECRETS, pin: MATRIX_PIN },
	succeeded: (json) => typeof json.GetReporteeElementListBasicV2Response === 'object',
	provider: soapExpectations('the SOAP request'),
	overrides: {
		// Service answers may be large: 10 MB is read (and is not XML); only the 40 MB one passes the cap.
		tenMegabytes: api(/^Altinn's answer to the SOAP request cannot be read: it is not well-formed XML \(line 1: .+\) \(200 OK\)$/, /Check the environment/),
		tenMegabytesDeclared: api(/^Altinn's answer to the SOAP request cannot be read: it is not well-formed XML \(line 1: .+\) \(200 OK\)$/, /Check the environment/),
		endlessBody: api(/^127\.0\.0\.1:\d+ sent an answer larger than 32 MB, so it was not read \(200 OK\)$/, /A login answer is small/),
	},
	own: [
		{
			id: 'noContentType',
			description: 'a service answer without Content-Type',
			retryAllowed: false,
			script: () => [{ status: 200, body: SERVICE_OK }],
			expected: ok(),
		},
		{
			id: 'duplicatedHeaders',
			description: 'a service answer with Content-Type and cookies twice',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': ['text/xml', 'text/plain'], 'Set-Cookie': ['a=1', 'a=2'] }, body: SERVICE_OK }],
			expected: ok(),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (SOAP fault 989, HTTP 500)',
			retryAllowed: false,
			script: () => [],
			overrides: { userPassword: 'wrong-password-æ6' },
			expected: api(/^Altinn refused the login \(error 989\): the PIN is wrong/, /Nothing is retried, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'national ID number (SSN)',
			set: (value) => ({ userSsn: value }),
			readBack: (request) => soapValue(request.body, 'GetReporteeElementListBasicV2', 'userSSN'),
			injected: api(/\(error 989\)/, /Request a new PIN/),
		},
		{
			name: 'user password',
			set: (value) => ({ userPassword: value }),
			readBack: (request) => soapValue(request.body, 'GetReporteeElementListBasicV2', 'userPassword'),
			injected: api(/\(error 989\)/, /Request a new PIN/),
		},
		{
			name: 'system ID',
			set: (value) => ({ systemUserName: value }),
			readBack: (request) => soapValue(request.body, 'GetReporteeElementListBasicV2', 'systemUserName'),
			injected: api(/system login \(error 5\)/, /System ID/),
		},
		{
			name: 'system password',
			set: (value) => ({ systemPassword: value }),
			readBack: (request) => soapValue(request.body, 'GetReporteeElementListBasicV2', 'systemPassword'),
			injected: api(/system login \(error 5\)/, /System ID/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(request.rawBody.includes(bytesOf('<ns:userPassword>Pinpass&lt;&amp;&gt;&quot;&apos;æøå</ns:userPassword>'))).toBe(true);
		},
	},
};

// ---------------------------------------------------------------- Current-generation logins

/** The expectations of an OAuth2 token endpoint (Maskinporten, Bokbasen) for the provider cases. */
function oauth2Expectations(service: string, before = 0): Record<ProviderCaseId, Expected> {
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
function retriedThenOk(requests: number): Partial<Record<GenericCaseId, Expected>> {
	return {
		tooManyRequestsThenOk: ok(requests + 1),
		unavailableUntilDateThenOk: ok(requests + 1),
		badGatewayThenOk: ok(requests + 1),
	};
}

const altinn3Client = makeKeyClient();
const ALTINN3_UTF8_USER = { username: 'virksomhetsbruker-æøå', password: 'Pässwörd-æøå-1' };
const MASKINPORTEN_TOKEN_OK = (): Reply => ({
	status: 200,
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify({ access_token: 'scripted-maskinporten-token', token_type: 'Bearer', expires_in: 120 }),
});

const altinn3Authenticate: NodeTarget = {
	name: 'Altinn Authenticate (Altinn 3, Maskinporten)',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinn3,
	// Maskinporten's /token and the platform's exchange are both counted.
	path: '/',
	options: (baseUrl, overrides) => ({
		typeVersion: 2,
		credentials: {
			altinnMaskinportenApi: {
				environment: 'custom',
				maskinportenUrl: baseUrl,
				platformUrl: baseUrl,
				clientId: altinn3Client.clientId,
				privateKey: altinn3Client.privateKeyPem,
				keyId: altinn3Client.keyId,
				certificateChain: '',
				scopes: 'altinn:serviceowner/instances.read',
				enterpriseUsername: '',
				enterprisePassword: '',
				...overrides,
			},
		},
	}),
	prepare: (fakes) => {
		fakes.altinn3.registerKeyClient(altinn3Client.clientId, altinn3Client.keyId, altinn3Client.publicKey, altinn3Client.scopes);
		fakes.altinn3.enterpriseUsers.set(ALTINN3_UTF8_USER.username, ALTINN3_UTF8_USER.password);
	},
	reset: (fakes) => (fakes.altinn3.failure = 'none'),
	secrets: { privateKey: altinn3Client.privateKeyPem, privateKeyLine: altinn3Client.privateKeyPem.split('\n')[1], enterprisePassword: ENTERPRISE_USER.password },
	succeeded: (json) => json.provider === 'altinn3' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: oauth2Expectations('Maskinporten'),
	overrides: {
		...retriedThenOk(2),
		redirectSameHost: api(/redirected the request to another address on the same host/, /may have moved/, 1),
	},
	own: [
		{
			id: 'wrongKey',
			description: 'a key that is not the registered one (invalid_grant)',
			retryAllowed: false,
			script: () => [],
			overrides: { privateKey: makeKeyClient().privateKeyPem },
			expected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /does not retry a refused login/),
		},
		{
			id: 'scopeNotGranted',
			description: 'a scope the client does not have (invalid_scope)',
			retryAllowed: false,
			script: () => [],
			overrides: { scopes: 'altinn:serviceowner/instances.read altinn:admin' },
			expected: api(/^Maskinporten did not give this client access \(400 Bad Request\)$/, /Scope\(s\) not allowed/),
		},
		{
			id: 'accessTokenWithLineBreak',
			description: 'a Maskinporten token with a line break',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc\r\nX-Evil: 1', token_type: 'Bearer' }) }],
			expected: api(/^Maskinporten sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'exchangeUnauthorized',
			description: 'the exchange refuses the Maskinporten token (401)',
			retryAllowed: false,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 401, reason: 'Unauthorized' }],
			expected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /scopes/, 2),
		},
		{
			id: 'exchangeNotAToken',
			description: 'the exchange answers 200 with a JSON object instead of a token',
			retryAllowed: false,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"token":"x"}' }],
			expected: api(/^Altinn's answer to the token exchange is not a token \(200 OK\)$/, /Check the environment/, 2),
		},
		{
			id: 'exchangeUnavailable',
			description: 'the exchange answers 503 three times',
			retryAllowed: true,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 503 }, { status: 503 }, { status: 503 }],
			expected: api(retried('^Altinn failed to exchange the Maskinporten token \\(503 Service Unavailable'), /Try again later/, 4),
		},
		{
			id: 'wrongEnterprisePassword',
			description: 'a wrong enterprise password (exchange 401)',
			retryAllowed: false,
			script: () => [],
			overrides: { enterpriseUsername: ENTERPRISE_USER.username, enterprisePassword: 'wrong-enterprise-æ' },
			expected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /enterprise username and password/, 2),
		},
	],
	fields: [
		{
			name: 'client ID',
			set: (value) => ({ clientId: value }),
			readBack: (request) => {
				const grant = new URLSearchParams(request.body).get('assertion') ?? '';
				return (JSON.parse(Buffer.from(grant.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string }).iss;
			},
			injected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /Check the client ID/),
		},
		{
			name: 'enterprise username',
			set: (value) => ({ enterpriseUsername: value, enterprisePassword: ENTERPRISE_USER.password }),
			readBack: (_request, requests) => {
				const exchange = requests.find((request) => request.path.startsWith('/authentication/'));
				const decoded = Buffer.from(String(exchange?.headers['x-altinn-enterpriseuser-authentication'] ?? ''), 'base64').toString('utf8');
				return decoded.slice(0, decoded.indexOf(':'));
			},
			injected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /enterprise username and password/, 2),
		},
	],
	utf8: {
		overrides: { enterpriseUsername: ALTINN3_UTF8_USER.username, enterprisePassword: ALTINN3_UTF8_USER.password },
		requests: 2,
		check: (_request, requests) => {
			const exchange = requests.find((request) => request.path.startsWith('/authentication/'));
			const sent = Buffer.from(String(exchange?.headers['x-altinn-enterpriseuser-authentication']), 'base64');
			expect(sent.equals(Buffer.from(`${ALTINN3_UTF8_USER.username}:${ALTINN3_UTF8_USER.password}`, 'utf8'))).toBe(true);
		},
	},
};

const bokbasenToken: NodeTarget = {
	name: 'Boknett Ticket (Bokbasen OAuth2)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.bokbasen,
	path: '/oauth/token',
	options: (baseUrl, overrides) => ({
		credentials: { bokbasenOAuth2Api: { environment: 'custom', baseUrl, ...BOKBASEN_CLIENT, ...overrides } },
		parameters: { operation: 'oauth2Token' },
	}),
	prepare: () => undefined,
	reset: (fakes) => {
		fakes.bokbasen.failure = 'none';
		fakes.bokbasen.clients.get(BOKBASEN_CLIENT.clientId)?.audiences.add(BOKBASEN_CLIENT.audience);
	},
	secrets: { clientSecret: BOKBASEN_CLIENT.clientSecret },
	succeeded: (json) => json.provider === 'bokbasen' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: oauth2Expectations('Bokbasen'),
	own: [
		{
			id: 'wrongSecret',
			description: 'a wrong client secret (401)',
			retryAllowed: false,
			script: () => [],
			overrides: { clientSecret: 'wrong-secret-æ' },
			expected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
		{
			id: 'audienceNotAllowed',
			description: 'an audience the client may not use (403)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => fakes.bokbasen.clients.get(BOKBASEN_CLIENT.clientId)?.audiences.clear(),
			expected: api(/^Bokbasen did not give this client access \(403 Forbidden\)$/, /audience/),
		},
		{
			id: 'tokenWithLineBreak',
			description: 'a token with a line break',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc\nX-Evil: 1', expires_in: 60 }) }],
			expected: api(/^Bokbasen sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'notBearer',
			description: 'a token of another type than Bearer',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc', token_type: 'mac' }) }],
			expected: api(/^Bokbasen sent a token of type "mac", not a Bearer token$/, /only handles Bearer tokens/),
		},
	],
	fields: [
		{
			name: 'client ID',
			set: (value) => ({ clientId: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).client_id,
			injected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
		{
			name: 'client secret',
			set: (value) => ({ clientSecret: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).client_secret,
			injected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => expect(request.rawBody.includes(bytesOf('"client_secret":"bb-Secret/with+chars=æøå"'))).toBe(true),
	},
};

const TFA_ANSWER = (): Reply => ({
	status: 200,
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify({ count: 1, response: { tfa: true }, status: 0, statusCode: 200 }),
});

/** ONLYOFFICE with an authenticator app: every fault hits the second request, the one with the code. */
const onlyofficeAuthenticator: NodeTarget = {
	...onlyofficeAuth,
	name: 'ONLYOFFICE Auth (authenticator code)',
	options: (baseUrl, overrides) => ({
		credentials: { onlyofficeApi: { portalUrl: baseUrl, ...ONLYOFFICE_APP_2FA_USER, totpSecret: ONLYOFFICE_TOTP_SECRET, ...overrides } },
	}),
	secrets: { password: ONLYOFFICE_APP_2FA_USER.password, totpSecret: ONLYOFFICE_TOTP_SECRET },
	scriptPrefix: () => [TFA_ANSWER()],
	provider: Object.fromEntries(
		Object.entries(onlyofficeAuth.provider).map(([id, expected]) => [id, { ...expected, requests: expected.requests + 1 }]),
	) as Record<ProviderCaseId, Expected>,
	overrides: {
		...retriedThenOk(2),
		timeout: api(/^127\.0\.0\.1:\d+ did not answer within 300 ms$/, /raise the Timeout option/, 2),
		trickle: api(/^127\.0\.0\.1:\d+ did not answer within 300 ms$/, /raise the Timeout option/, 2),
		hangUp: api(/^127\.0\.0\.1:\d+ closed the connection before answering$/, /Try again later/, 2),
		cutBody: api(/^127\.0\.0\.1:\d+ closed the connection before answering$/, /Try again later/, 2),
		tooManyRequests: api(/is limiting requests \(429 Too Many Requests, tried 3 times\)$/, /Wait a few minutes/, 4),
		retryAfterTooLong: api(/asked to wait 3600 seconds before trying again/, /Run it again after/, 2),
		retryAfterDateTooLong: api(/asked to wait \d+ seconds before trying again \(503 Service Unavailable\)$/, /Run it again after/, 2),
		redirectOtherHost: api(/redirected the request to another host/, /Check the environment or Base URL/, 2),
		redirectSameHost: api(/redirected the request to another address on the same host/, /may have moved/, 2),
		tenMegabytes: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
		tenMegabytesDeclared: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
		endlessBody: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
	},
	own: [
		{
			id: 'codeRefused',
			description: 'the portal refuses the computed code (401)',
			retryAllowed: false,
			script: () => [{ status: 401, headers: { 'Content-Type': 'application/json' }, body: '{"status":1,"error":{"message":"Invalid code"}}' }],
			expected: api(/^ONLYOFFICE refused the two-factor code \(401 Unauthorized\)$/, /authenticator secret .* clock/, 2),
		},
		{
			id: 'secondFactorAgain',
			description: 'the portal asks for a second factor again after the code',
			retryAllowed: false,
			script: () => [TFA_ANSWER()],
			expected: api(/^ONLYOFFICE asked for a second factor again after the code was sent$/, /Start the login again/, 2),
		},
		{
			id: 'wrongSecret',
			description: 'a wrong authenticator secret: the real portal refuses the code',
			retryAllowed: false,
			script: () => [],
			overrides: { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
			expected: api(/^ONLYOFFICE refused the two-factor code \(401 Unauthorized\)$/, /does not retry/, 2),
		},
	],
	fields: onlyofficeAuth.fields,
	utf8: {
		overrides: {},
		requests: 2,
		check: (_request, requests) => {
			expect(requests.map((request) => request.path)).toEqual(['/api/2.0/authentication', expect.stringMatching(/^\/api\/2\.0\/authentication\/\d{6}$/)]);
			expect(requests[1].rawBody.includes(bytesOf('Tøre app 2FA pass'))).toBe(true);
		},
	},
};

export const TARGETS: NodeTarget[] = [
	boknettCreate,
	boknettDelete,
	onlyofficeAuth,
	altinnAuthenticate,
	altinnSmsChallenge,
	altinnSoapRequest,
	altinn3Authenticate,
	bokbasenToken,
	onlyofficeAuthenticator,
];
