/** Fault matrix rows: Altinn 2 (retired 19 June 2026, kept for existing workflows): password login, PIN request and SOAP call. */
import { AltinnAuthenticate } from '../../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnSmsChallenge } from '../../../nodes/Altinn/AltinnSmsChallenge.node';
import { AltinnSoapRequest } from '../../../nodes/Altinn/AltinnSoapRequest.node';
import { ALTINN_PERSON, ALTINN_REST_USER, altinnSmsPinCredentialData } from '../../fakes/fakeAltinn';
import { header } from '../../fakes/fakeServer';
import type { Expected, ProviderCaseId } from '../cases';
import { api, ok, soapValue, bytesOf, sentOnceExpectations, CHALLENGE_OK, SERVICE_OK } from './shared';
import type { Overrides, NodeTarget } from './shared';

const PASSWORD_ONCE = sentOnceExpectations('Altinn', 'the login', 'counted a failed login');
const PIN_REQUEST_ONCE = sentOnceExpectations('Altinn', 'the PIN request', 'sent the SMS with the PIN');
const SOAP_CALL_ONCE = sentOnceExpectations('Altinn', 'the SOAP request', 'used the PIN or counted a failed login');

const ALTINN_UTF8_USER = { username: 'bruker-æøå@firma.no', password: 'Passord-æøå-ÆØÅ-1' };

export const altinnAuthenticate: NodeTarget = {
	name: 'Altinn Authenticate',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinn,
	path: '/api/authentication',
	reachesPerson: true,
	options: (baseUrl, overrides) => ({ credentials: { altinnApi: { environment: 'custom', baseUrl, ...ALTINN_REST_USER, ...overrides } } }),
	prepare: (fakes) => fakes.altinn.restAccounts.set(ALTINN_UTF8_USER.username, ALTINN_UTF8_USER.password),
	reset: (fakes) => (fakes.altinn.restFailure = 'none'),
	secrets: { password: ALTINN_REST_USER.password, utf8Password: ALTINN_UTF8_USER.password },
	succeeded: (json) => json.provider === 'altinn' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: {
		...PASSWORD_ONCE.provider,
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
	overrides: PASSWORD_ONCE.generic,
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

/** The Altinn SOAP expectations both SOAP nodes share, for what they call the call; each call is sent once (`once`). */
function soapExpectations(what: string, once: ReturnType<typeof sentOnceExpectations>): Record<ProviderCaseId, Expected> {
	const unreadable = (problem: string, status: string) => new RegExp(`^Altinn's answer to ${what} cannot be read: ${problem} \\(${status}\\)$`);
	return {
		...once.provider,
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

export const altinnSmsChallenge: NodeTarget = {
	name: 'Altinn SMS Challenge',
	node: new AltinnSmsChallenge(),
	fake: (fakes) => fakes.altinn,
	path: '/AuthenticationExternal',
	reachesPerson: true,
	options: (baseUrl, overrides) => ({ credentials: pinCredential(baseUrl, overrides), parameters: { operation: 'requestPin' } }),
	prepare: () => undefined,
	reset: (fakes) => (fakes.altinn.soapFailure = 'none'),
	secrets: PIN_SECRETS,
	succeeded: (json) => json.status === 'Ok',
	provider: soapExpectations('the PIN request', PIN_REQUEST_ONCE),
	overrides: PIN_REQUEST_ONCE.generic,
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
			set: (value) => ({ secretNationalIdNumber: value }),
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

export const altinnSoapRequest: NodeTarget = {
	name: 'Altinn SOAP Request',
	node: new AltinnSoapRequest(),
	fake: (fakes) => fakes.altinn,
	path: '/ServiceEngineExternal',
	reachesPerson: true,
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
	provider: soapExpectations('the SOAP request', SOAP_CALL_ONCE),
	overrides: {
		...SOAP_CALL_ONCE.generic,
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
			set: (value) => ({ secretNationalIdNumber: value }),
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
