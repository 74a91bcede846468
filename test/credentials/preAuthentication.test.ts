/**
 * The credentials' own logins (`preAuthentication`), which n8n runs for an HTTP Request node with
 * "Predefined Credential Type" and before each credential's Test request: real HTTP through n8n's
 * client to the fakes, and the session each returns must be accepted by the fake's protected API
 * and by the Test request, with the credential's `authenticate` headers. The whole Test button and
 * the 401 → log in again path run in the real n8n (test/e2e).
 */
import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, ICredentialTestRequest, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { OperationalError, UserError } from 'n8n-workflow';

import { AltinnApi } from '../../credentials/AltinnApi.credentials';
import { AltinnMaskinportenApi } from '../../credentials/AltinnMaskinportenApi.credentials';
import { AltinnSmsPinApi } from '../../credentials/AltinnSmsPinApi.credentials';
import { BokbasenOAuth2Api } from '../../credentials/BokbasenOAuth2Api.credentials';
import { BoknettApi } from '../../credentials/BoknettApi.credentials';
import { OnlyofficeApi } from '../../credentials/OnlyofficeApi.credentials';
import { ALTINN_PERSON, ALTINN_REST_USER, FakeAltinn, altinnSmsPinCredentialData } from '../fakes/fakeAltinn';
import { ENTERPRISE_USER, FakeAltinn3, altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { BOKBASEN_CLIENT, FakeBokbasenAuth } from '../fakes/fakeBokbasenAuth';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_SMS_2FA_USER, ONLYOFFICE_TOTP_SECRET, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import { n8nHttpRequestHelper } from '../helpers/n8nRunner';
import { FAST_CLOCK, useFreshTokenStore } from '../helpers/tokenStore';
import { TokenStore, replaceTokenStore } from '../../nodes/shared/tokenStore';

useFreshTokenStore();

let boknett: FakeBoknett;
let onlyoffice: FakeOnlyoffice;
let altinn: FakeAltinn;
let altinn3: FakeAltinn3;
let bokbasen: FakeBokbasenAuth;
const keyClient = makeKeyClient();
let helper: IHttpRequestHelper;
const produced: unknown[] = [];

async function preAuthenticate(
	credential: { preAuthentication?: (this: IHttpRequestHelper, data: ICredentialDataDecryptedObject) => Promise<Record<string, unknown>> },
	data: ICredentialDataDecryptedObject,
): Promise<Record<string, unknown>> {
	try {
		const result = await credential.preAuthentication?.call(helper, data);
		produced.push(result);
		return result ?? {};
	} catch (error) {
		produced.push(error);
		throw error;
	}
}

type AuthenticateFunction = (credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** The token in a session field's value (credentialSession.ts binds it to the values that logged in). */
const tokenIn = (session: unknown): string => String(session).split('|').slice(3).join('|');

/** The hidden, expirable field n8n fills from a credential's `preAuthentication`. */
const sessionFieldOf = (credential: { properties?: Array<{ name: string; type: string; typeOptions?: { expirable?: boolean } }> }) =>
	credential.properties?.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true)?.name ?? 'sessionToken';

/**
 * What n8n does for a request with a credential (`httpRequestWithAuthentication`, 1.123 and 2.41
 * alike): `preAuthentication` when the session field is empty, its output kept in the credential
 * (`data`); then `authenticate`; when that says 401, `preAuthentication` again and `authenticate`
 * once more. The request's headers, or what n8n shows.
 */
async function n8nHeaders(credential: Parameters<typeof preAuthenticate>[0] & { authenticate?: unknown; properties?: Array<{ name: string; type: string }> }, data: Record<string, unknown>): Promise<Record<string, string>> {
	const field = sessionFieldOf(credential as never);
	if (!data[field]) Object.assign(data, await preAuthenticate(credential, data as ICredentialDataDecryptedObject));
	try {
		return await authenticateHeaders(credential, data);
	} catch (error) {
		if ((error as { response?: { status?: number } }).response?.status !== 401) {
			produced.push(error);
			throw error;
		}
		Object.assign(data, await preAuthenticate(credential, data as ICredentialDataDecryptedObject));
		try {
			return await authenticateHeaders(credential, data);
		} catch (again) {
			produced.push(again);
			throw again;
		}
	}
}

/** The headers of a credential's `authenticate`, with `{{ $credentials.x }}` filled in as n8n would, or as its function sets them. */
async function authenticateHeaders(credential: { authenticate?: unknown }, data: Record<string, unknown>): Promise<Record<string, string>> {
	if (typeof credential.authenticate === 'function') {
		const request = await (credential.authenticate as AuthenticateFunction)(data as ICredentialDataDecryptedObject, { url: '', headers: {} });
		return request.headers as Record<string, string>;
	}
	const headers = (credential.authenticate as { properties: { headers: Record<string, string> } } | undefined)?.properties.headers ?? {};
	return Object.fromEntries(
		Object.entries(headers)
			.filter(([, value]) => !value.includes('$now'))
			.map(([name, value]) => [name, value.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, field: string) => String(data[field] ?? ''))]),
	);
}

/** An expression of a Test request (`={{ … }}`, plain JavaScript over `$credentials`) evaluated for these values. */
function evaluate(value: string | undefined, data: Record<string, unknown>): string {
	if (!value?.startsWith('={{')) return value ?? '';
	const body = value.slice(3, value.lastIndexOf('}}'));
	return String(new Function('$credentials', `return (${body});`)(data));
}

/**
 * What n8n's Test button does after the credential's own login: the Test request, to the address
 * its expressions give for these values, with the `authenticate` headers of the session.
 */
async function sendTestRequest(credential: { test?: ICredentialTestRequest; authenticate?: unknown }, data: Record<string, unknown>): Promise<Response> {
	const request = credential.test?.request;
	if (!request) throw new Error('the credential has no Test request');
	const url = `${evaluate(request.baseURL, data)}${request.url ?? ''}`;
	const headers = { ...(request.headers as Record<string, string> | undefined), ...(await authenticateHeaders(credential, data)) };
	return await fetch(url, { method: request.method ?? 'GET', headers });
}

beforeAll(async () => {
	boknett = await new FakeBoknett().start();
	onlyoffice = await new FakeOnlyoffice().start();
	altinn = await new FakeAltinn().start();
	altinn3 = await new FakeAltinn3().start();
	altinn3.registerKeyClient(keyClient.clientId, keyClient.keyId, keyClient.publicKey, keyClient.scopes);
	bokbasen = await new FakeBokbasenAuth().start();
	helper = n8nHttpRequestHelper();
});
afterAll(async () => {
	await Promise.all([boknett.stop(), onlyoffice.stop(), altinn.stop(), altinn3.stop(), bokbasen.stop()]);
});

describe('Boknett API credential login', () => {
	const credential = new BoknettApi();
	const data = () => ({ environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER, sessionTicket: '' });

	it('gets a ticket the Boknett API accepts with the Authorization and Date headers', async () => {
		const values = data();
		const headers = await n8nHeaders(credential, values);
		expect(tokenIn(values.sessionTicket)).toMatch(/^TGT-/);
		expect(headers.Authorization).toBe(`Boknett ${tokenIn(values.sessionTicket)}`);
		expect(Date.parse(headers.Date)).toBeGreaterThan(Date.now() - 60_000);
		expect((await fetch(`${boknett.baseUrl}/metadata/export/onix`, { headers })).status).toBe(200);
	});

	it('fails a wrong password with a clear message, once, without the password', async () => {
		boknett.clearRequests();
		await expect(n8nHeaders(credential, { ...data(), password: 'wrong & pass' })).rejects.toThrow(/^Boknett refused the login \(400 Bad Request\)\. Check the username and password/);
		expect(boknett.requests).toHaveLength(1);
	});

	it('is marked so n8n stores the ticket and empties it on a 401', () => {
		expect(credential.properties[0]).toMatchObject({ name: 'sessionTicket', type: 'hidden', typeOptions: { expirable: true } });
	});
});

describe('ONLYOFFICE API credential login', () => {
	const credential = new OnlyofficeApi();

	it('gets a token the portal accepts as Authorization', async () => {
		const headers = await n8nHeaders(credential, { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_USER, totpSecret: '', sessionToken: '' });
		const response = await fetch(`${onlyoffice.baseUrl}/api/2.0/people/@self`, { headers });
		expect(response.status).toBe(200);
	});

	it('completes an authenticator-app login from the secret', async () => {
		const session = await preAuthenticate(credential, { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_APP_2FA_USER, totpSecret: ONLYOFFICE_TOTP_SECRET });
		expect(onlyoffice.liveTokens.has(tokenIn(session.sessionToken))).toBe(true);
	});

	describe('an account that asks for an SMS code, as n8n calls the credential', () => {
		const CODE_NEEDED = /^This ONLYOFFICE account requires an SMS code, which a request node cannot wait for\. The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC; this credential sends no further login \(and no further code\) until one of its values changes\. Log in with the ONLYOFFICE Auth node/;
		const smsData = (): ICredentialDataDecryptedObject => ({ portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '' });

		it('sends one code, keeps its mark in the session, sends no request with it, and n8n\'s second call says why with nothing sent', async () => {
			const codesBefore = onlyoffice.smsCodesSent;
			const data = smsData();
			// n8n: preAuthentication, then authenticate for the request; on a failure preAuthentication again (credentialsExpired).
			Object.assign(data, await preAuthenticate(credential, data));
			expect(String(data.sessionToken)).toMatch(/^hold\|/);
			expect(String(data.sessionToken)).not.toContain(ONLYOFFICE_SMS_2FA_USER.password);
			await expect(authenticateHeaders(credential, data)).rejects.toThrow(CODE_NEEDED);
			// n8n's call again (credentialsExpired): the hold is given back, and the request says why, with nothing sent.
			Object.assign(data, await preAuthenticate(credential, data));
			await expect(n8nHeaders(credential, data)).rejects.toThrow(CODE_NEEDED);
			expect(onlyoffice.smsCodesSent - codesBefore).toBe(1);
		});

		it('keeps nothing in the mark that checks a guess of the password cheaply: no plain digest of the values, and n8n blanks the field for the browser', async () => {
			const data = smsData();
			const mark = String((await preAuthenticate(credential, data)).sessionToken);
			// The attack on 0.4's mark: a SHA-256 of the values with a guessed password matched it.
			const { sessionToken: _session, ...values } = data;
			const guess = (password: string) =>
				createHash('sha256')
					.update(JSON.stringify(Object.keys({ ...values, password }).sort().map((name) => [name, { ...values, password }[name]])))
					.digest('hex')
					.slice(0, 32);
			expect(mark).not.toContain(guess(ONLYOFFICE_SMS_2FA_USER.password));
			expect(mark).toMatch(/^hold\|[A-Za-z0-9_-]{22}\|[A-Za-z0-9_-]{32}\|[A-Za-z0-9_-]+$/);
			expect(leakedSecrets([mark], { password: ONLYOFFICE_SMS_2FA_USER.password })).toEqual([]);
			expect(credential.properties.find((property) => property.name === 'sessionToken')?.typeOptions).toMatchObject({ password: true, expirable: true });
		});

		it('a mark a 0.4 version left still holds after the update: no second code', async () => {
			const data = smsData();
			const { sessionToken: _session, ...values } = data;
			const legacyDigest = createHash('sha256')
				.update(JSON.stringify(Object.keys(values).sort().map((name) => [name, values[name]])))
				.digest('hex')
				.slice(0, 32);
			const codesBefore = onlyoffice.smsCodesSent;
			await expect(n8nHeaders(credential, { ...data, sessionToken: `codeNeeded:2026-12-01T10:00:00.000Z|${legacyDigest}` })).rejects.toThrow(CODE_NEEDED);
			expect(onlyoffice.smsCodesSent - codesBefore).toBe(0);
		});

		it('sends no login from another process that reads the mark from the saved credential (a later run, a worker)', async () => {
			const data = smsData();
			Object.assign(data, await preAuthenticate(credential, data));
			const codesBefore = onlyoffice.smsCodesSent;
			const requestsBefore = onlyoffice.requests.length;
			// A new process: an empty token store, the credential as n8n saved it.
			replaceTokenStore(new TokenStore(FAST_CLOCK));
			await expect(n8nHeaders(credential, { ...data })).rejects.toThrow(CODE_NEEDED);
			// n8n's Test button runs the login whatever the session: the hold is given back, nothing is sent.
			const test = { ...data };
			Object.assign(test, await preAuthenticate(credential, test));
			await expect(n8nHeaders(credential, test)).rejects.toThrow(CODE_NEEDED);
			expect(onlyoffice.smsCodesSent - codesBefore).toBe(0);
			expect(onlyoffice.requests.length - requestsBefore).toBe(0);
		});

		it('sends no login when n8n did not keep the mark either (the Test button\'s form): the process remembers it', async () => {
			const first = smsData();
			Object.assign(first, await preAuthenticate(credential, first));
			const codesBefore = onlyoffice.smsCodesSent;
			await expect(n8nHeaders(credential, smsData())).rejects.toThrow(CODE_NEEDED);
			expect(onlyoffice.smsCodesSent - codesBefore).toBe(0);
		});

		it('logs in again once a value changes: here the account\'s authenticator secret is entered', async () => {
			const data = smsData();
			Object.assign(data, await preAuthenticate(credential, data));
			// The hold is of the old values: a request with the changed values sends nothing and answers as a 401, so n8n logs in.
			await expect(authenticateHeaders(credential, { ...data, totpSecret: ONLYOFFICE_TOTP_SECRET })).rejects.toMatchObject({ response: { status: 401 } });
			onlyoffice.twoFactorAccounts.set(ONLYOFFICE_SMS_2FA_USER.username, 'app');
			try {
				const changed = { ...data, totpSecret: ONLYOFFICE_TOTP_SECRET };
				const headers = await n8nHeaders(credential, changed);
				expect(onlyoffice.liveTokens.has(headers.Authorization)).toBe(true);
			} finally {
				onlyoffice.twoFactorAccounts.set(ONLYOFFICE_SMS_2FA_USER.username, 'sms');
			}
		});
	});

	it('sends a refused password once: later requests, n8n\'s second call and the Test say so from the hold, with nothing sent', async () => {
		const requestsBefore = onlyoffice.requestsTo('/api/2.0/authentication').length;
		const data = { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_USER, password: 'wrong-pass-second-call', totpSecret: '', sessionToken: '' };
		await expect(n8nHeaders(credential, data)).rejects.toThrow(/^ONLYOFFICE refused the username or password/);
		await expect(n8nHeaders(credential, data)).rejects.toThrow(/^ONLYOFFICE refused the username or password .*no login is sent with these values, as each try would count as a failed login, until a value of the credential changes/);
		Object.assign(data, await preAuthenticate(credential, data));
		await expect(n8nHeaders(credential, data)).rejects.toThrow(/^ONLYOFFICE refused the username or password/);
		expect(onlyoffice.requestsTo('/api/2.0/authentication').length - requestsBefore).toBe(1);
	});
});

describe('Altinn API credential login', () => {
	const credential = new AltinnApi();

	it('gets the auth cookie; with the API key the REST API accepts it', async () => {
		const data = { environment: 'custom', baseUrl: altinn.baseUrl, ...ALTINN_REST_USER, sessionCookie: '' };
		const headers = await n8nHeaders(credential, data);
		expect(tokenIn(data.sessionCookie)).toMatch(/^\.AspxAuthProd=/);
		expect(headers).toMatchObject({ ApiKey: ALTINN_REST_USER.apiKey, Accept: 'application/hal+json' });
		const response = await fetch(`${altinn.baseUrl}/api/my/messages`, { headers });
		expect(response.status).toBe(200);
	});

	it('fails a wrong password clearly, without the password or API key', async () => {
		await expect(n8nHeaders(credential, { environment: 'custom', baseUrl: altinn.baseUrl, ...ALTINN_REST_USER, password: 'wrong' })).rejects.toThrow(/^Altinn did not log in \(401 [^)]*\)\. /);
	});
});

describe('Altinn 3 Maskinporten API credential login', () => {
	const credential = new AltinnMaskinportenApi();
	const data = (overrides: Record<string, string> = {}) => ({
		...altinnMaskinportenCredentialData(keyClient, altinn3.baseUrl, 'altinn:serviceowner/instances.read', overrides),
		sessionToken: '',
	});

	it('gets an Altinn token (grant, then exchange) that Altinn\'s API takes as a Bearer token', async () => {
		altinn3.clearRequests();
		const values = data();
		const headers = await n8nHeaders(credential, values);
		expect(altinn3.requests.map((request) => request.path)).toEqual(['/token', '/authentication/api/v1/exchange/maskinporten']);
		expect(altinn3.altinnTokens.has(tokenIn(values.sessionToken))).toBe(true);
		const response = await fetch(`${altinn3.baseUrl}/storage/api/v1/applications`, { headers });
		expect(response.status).toBe(200);
	});

	it('says in the credential\'s words what is wrong, with the provider\'s reason and no talk of retries', async () => {
		const wrongKey = await preAuthenticate(credential, data({ privateKey: makeKeyClient().privateKeyPem })).catch((error: Error) => error);
		expect(wrongKey.message).toMatch(/^Maskinporten refused the login \(400 Bad Request\)\. The service said: "invalid_grant: [^"]*signature"\. Check the client ID/);
		expect(wrongKey.message).not.toMatch(/retr(y|ied)/);
		const enterprise = await preAuthenticate(credential, data({ enterpriseUsername: ENTERPRISE_USER.username, enterprisePassword: `${ENTERPRISE_USER.password}x` })).catch((error: Error) => error);
		expect(enterprise.message).toMatch(/^Altinn did not accept the Maskinporten token/);
	});
});

describe('Bokbasen OAuth2 API credential login', () => {
	const credential = new BokbasenOAuth2Api();
	const data = (overrides: Record<string, string> = {}) => ({ environment: 'custom', baseUrl: bokbasen.baseUrl, ...BOKBASEN_CLIENT, sessionToken: '', ...overrides });

	it('gets a token the audience\'s API takes as a Bearer token', async () => {
		const response = await fetch(`${bokbasen.baseUrl}/metadata/export`, { headers: await n8nHeaders(credential, data()) });
		expect(response.status).toBe(200);
	});

	it('fails a wrong client secret clearly, once, as a user error (n8n\'s kind for what the person must change)', async () => {
		bokbasen.clearRequests();
		await expect(preAuthenticate(credential, data({ clientSecret: 'wrong-secret-2' }))).rejects.toBeInstanceOf(UserError);
		bokbasen.clearRequests();
		await expect(preAuthenticate(credential, data({ clientSecret: 'wrong-secret' }))).rejects.toThrow(/^Bokbasen refused the login \(401 Unauthorized\)\. The service said: "access_denied: Unauthorized"\. Check the client ID and client secret/);
		expect(bokbasen.requests).toHaveLength(1);
	});
});

describe('Altinn SMS PIN API credential check', () => {
	const credential = new AltinnSmsPinApi();

	it('checks the authentication service without asking Altinn for a PIN (which would send an SMS)', async () => {
		altinn.clearRequests();
		const session = await preAuthenticate(credential, { ...altinnSmsPinCredentialData(altinn.baseUrl), serviceCheckedAt: '' });
		expect(Date.parse(String(session.serviceCheckedAt))).toBeGreaterThan(Date.now() - 60_000);
		expect(altinn.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /AuthenticationExternal/SystemAuthentication.svc']);
		expect(altinn.lastPinFor(ALTINN_PERSON.ssn)).toBeUndefined();
	});

	it.each([
		['a national ID number that is not 11 digits', { secretNationalIdNumber: '0101701234' }, /national ID number \(SSN\) in the Altinn SMS PIN API credential is not 11 digits/],
		['no user password', { userPassword: '' }, /user password/],
		['a system password with a line break', { systemPassword: 'a\r\nX-Injected: 1' }, /system password .* contains a line break/],
	])('refuses %s before anything is sent, as a value for the person to fix', async (_what, overrides, message) => {
		altinn.clearRequests();
		const refusal = preAuthenticate(credential, { ...altinnSmsPinCredentialData(altinn.baseUrl, overrides), serviceCheckedAt: '' });
		await expect(refusal).rejects.toBeInstanceOf(UserError);
		await expect(refusal).rejects.toThrow(message);
		expect(altinn.requests).toHaveLength(0);
	});

	it('reads the national ID number a credential saved by 0.1.0 to 0.3.0 holds as userSsn', async () => {
		const { secretNationalIdNumber, ...saved } = altinnSmsPinCredentialData(altinn.baseUrl);
		await expect(preAuthenticate(credential, { ...saved, userSsn: secretNationalIdNumber, serviceCheckedAt: '' })).resolves.toHaveProperty('serviceCheckedAt');
		// n8n hands a node only the fields the credential type declares: the old name is declared, hidden and masked.
		expect(credential.properties.find((property) => property.name === 'userSsn')).toMatchObject({ type: 'hidden', typeOptions: { password: true } });
	});

	it('says clearly when nothing answers at the address (an operational error: nothing for the person to fix in the values)', async () => {
		await expect(preAuthenticate(credential, altinnSmsPinCredentialData('http://127.0.0.1:9'))).rejects.toBeInstanceOf(OperationalError);
		await expect(preAuthenticate(credential, altinnSmsPinCredentialData('http://127.0.0.1:9'))).rejects.toThrow(/^127\.0\.0\.1:9 refused the connection .*Check the environment or Base URL in the credential/);
	});
});

describe('each credential\'s Test request, after its own login', () => {
	it.each([
		['Boknett API', () => new BoknettApi(), () => ({ environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER })],
		['ONLYOFFICE API', () => new OnlyofficeApi(), () => ({ portalUrl: `${onlyoffice.baseUrl}/`, ...ONLYOFFICE_USER, totpSecret: '' })],
		['Altinn API', () => new AltinnApi(), () => ({ environment: 'custom', baseUrl: altinn.baseUrl, ...ALTINN_REST_USER })],
		['Altinn 3 Maskinporten API', () => new AltinnMaskinportenApi(), () => altinnMaskinportenCredentialData(keyClient, altinn3.baseUrl, 'altinn:serviceowner/instances.read')],
		['Bokbasen OAuth2 API', () => new BokbasenOAuth2Api(), () => ({ environment: 'custom', baseUrl: bokbasen.baseUrl, ...BOKBASEN_CLIENT })],
		['Altinn SMS PIN API', () => new AltinnSmsPinApi(), () => altinnSmsPinCredentialData(altinn.baseUrl)],
	] as const)('%s: the request reaches the service and passes with the new session', async (_name, make, values) => {
		const credential = make();
		const data: Record<string, unknown> = { ...values() };
		Object.assign(data, await preAuthenticate(credential, data as ICredentialDataDecryptedObject));
		const response = await sendTestRequest(credential, data);
		// Boknett's ticket service has no read call: any answer of that service passes (see the credential).
		if (credential instanceof BoknettApi) expect(credential.test.request.ignoreHttpStatusErrors).toBe(true);
		else expect(response.status).toBe(200);
		expect(boknett.requests.length + onlyoffice.requests.length + altinn.requests.length + altinn3.requests.length + bokbasen.requests.length).toBeGreaterThan(0);
	});

	it('Altinn 3: the Test request fails without a valid Altinn token, so n8n logs in again', async () => {
		const credential = new AltinnMaskinportenApi();
		const values = { ...altinnMaskinportenCredentialData(keyClient, altinn3.baseUrl, 'altinn:serviceowner/instances.read'), sessionToken: '' };
		Object.assign(values, await preAuthenticate(credential, values));
		altinn3.altinnTokens.delete(tokenIn(values.sessionToken));
		expect((await sendTestRequest(credential, values)).status).toBe(401);
	});

	it('for the standard environments, goes to the provider\'s own addresses', () => {
		expect(evaluate(new AltinnMaskinportenApi().test.request.baseURL, { environment: 'test' })).toBe('https://platform.tt02.altinn.no');
		expect(evaluate(new AltinnMaskinportenApi().test.request.baseURL, { environment: 'production' })).toBe('https://platform.altinn.no');
		expect(evaluate(new BokbasenOAuth2Api().test.request.baseURL, { environment: 'production' })).toBe('https://auth.bokbasen.io');
		expect(evaluate(new AltinnSmsPinApi().test.request.baseURL, { environment: 'production' })).toBe('https://www.altinn.no');
		expect(evaluate(new BoknettApi().test.request.baseURL, { environment: 'production' })).toBe('https://login.boknett.no');
	});
});

describe('a refused credential login', () => {
	it('is sent once: n8n\'s second call and later requests get the refusal without a request', async () => {
		const credential = new BoknettApi();
		const wrong = { environment: 'custom', baseUrl: boknett.baseUrl, username: BOKNETT_USER.username, password: 'refused-once-æ' };
		boknett.clearRequests();
		const first = await n8nHeaders(credential, { ...wrong }).catch((error: Error) => error);
		const second = await n8nHeaders(credential, { ...wrong }).catch((error: Error) => error);
		expect(boknett.requests).toHaveLength(1);
		expect(second.message.startsWith(first.message.split('. ')[0])).toBe(true);
		expect(first.message).toMatch(/^Boknett refused the login/);
		// The right password is a different login and goes through at once.
		expect(tokenIn((await preAuthenticate(credential, { ...wrong, password: BOKNETT_USER.password })).sessionTicket)).toMatch(/^TGT-/);
	});
});

describe('one credential asked at once, from another process, and after an edit', () => {
	it('requests at the same moment share one login: one SMS code, and one failed login for a wrong password', async () => {
		const onlyofficeCredential = new OnlyofficeApi();
		const codesBefore = onlyoffice.smsCodesSent;
		const sms = () => ({ portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '' });
		onlyoffice.answerDelayMs = 200;
		try {
			const outcomes = await Promise.allSettled([n8nHeaders(onlyofficeCredential, sms()), n8nHeaders(onlyofficeCredential, sms()), n8nHeaders(onlyofficeCredential, sms())]);
			expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
		} finally {
			onlyoffice.answerDelayMs = 0;
		}
		expect(onlyoffice.smsCodesSent - codesBefore).toBe(1);
		const boknettCredential = new BoknettApi();
		const wrong = () => ({ environment: 'custom', baseUrl: boknett.baseUrl, username: BOKNETT_USER.username, password: 'three-at-once-wrong', sessionTicket: '' });
		boknett.clearRequests();
		boknett.answerDelayMs = 200;
		try {
			await Promise.allSettled([n8nHeaders(boknettCredential, wrong()), n8nHeaders(boknettCredential, wrong()), n8nHeaders(boknettCredential, wrong())]);
		} finally {
			boknett.answerDelayMs = 0;
		}
		expect(boknett.requests).toHaveLength(1);
	});

	it('a refused password is kept in the session field: another process (a worker, a restart) sends nothing; a changed value logs in', async () => {
		const credential = new BoknettApi();
		const wrong = { environment: 'custom', baseUrl: boknett.baseUrl, username: BOKNETT_USER.username, password: 'refused-kept-æ', sessionTicket: '' };
		boknett.clearRequests();
		const saved = { ...wrong };
		await expect(n8nHeaders(credential, saved)).rejects.toThrow(/^Boknett refused the login/);
		expect(String(saved.sessionTicket)).toMatch(/^hold\|/);
		replaceTokenStore(new TokenStore(FAST_CLOCK));
		const test = { ...saved };
		Object.assign(test, await preAuthenticate(credential, test));
		await expect(n8nHeaders(credential, test)).rejects.toThrow(/^Boknett refused the login .*Since then \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) no login is sent with these values/);
		expect(boknett.requests).toHaveLength(1);
		const fixed = { ...saved, password: BOKNETT_USER.password };
		expect((await n8nHeaders(credential, fixed)).Authorization).toMatch(/^Boknett TGT-/);
		expect(boknett.requests).toHaveLength(2);
	});

	it('a session of values since edited is not sent: n8n logs in with the values as saved, so a wrong value saved over a working one fails its Test', async () => {
		const credential = new BoknettApi();
		const used = { environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER, sessionTicket: '' };
		await n8nHeaders(credential, used);
		boknett.clearRequests();
		// The editor's save keeps the stored session (it is masked); the Test sends the values as saved.
		const edited = { ...used, password: 'edited-wrong-æ' };
		await expect(n8nHeaders(credential, edited)).rejects.toThrow(/^Boknett refused the login/);
		expect(boknett.requests.map((request) => request.method)).toEqual(['POST']);
		// The same session with the values it was made with is still sent as it is.
		boknett.clearRequests();
		expect((await n8nHeaders(credential, { ...used })).Authorization).toBe(`Boknett ${tokenIn(used.sessionTicket)}`);
		expect(boknett.requests).toHaveLength(0);
		// A session a release before 0.5 saved (a bare ticket) is not sent either: one login binds it.
		const old = { ...used, sessionTicket: tokenIn(used.sessionTicket) };
		await n8nHeaders(credential, old);
		expect(String(old.sessionTicket)).toMatch(/^v1\|/);
		expect(boknett.requests.map((request) => request.method)).toEqual(['POST']);
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no password, secret or API key in any session or error', () => {
	// Something was produced, so the search below searched something.
	expect(produced.length).toBeGreaterThan(0);
	expect(
		leakedSecrets(produced, {
			boknett: BOKNETT_USER.password,
			onlyoffice: ONLYOFFICE_USER.password,
			totp: ONLYOFFICE_TOTP_SECRET,
			altinn: ALTINN_REST_USER.password,
			apiKey: ALTINN_REST_USER.apiKey,
			privateKey: keyClient.privateKeyPem,
			privateKeyBody: keyClient.privateKeyPem.split('\n')[1],
			enterprisePassword: ENTERPRISE_USER.password,
			bokbasenSecret: BOKBASEN_CLIENT.clientSecret,
			nationalId: ALTINN_PERSON.ssn,
			pinUserPassword: ALTINN_PERSON.password,
			// The wrong values the tests above sent: a refused password is a person's password all the same.
			...Object.fromEntries(['wrong & pass', 'wrong-pass-second-call', 'wrong-secret-2', 'wrong-secret', 'refused-once-æ', 'three-at-once-wrong', 'refused-kept-æ', 'edited-wrong-æ'].map((wrong, index) => [`wrong${index}`, wrong])),
		}),
	).toEqual([]);
});
