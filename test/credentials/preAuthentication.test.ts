/**
 * The credentials' own logins (`preAuthentication`), which n8n runs for an HTTP Request node with
 * "Predefined Credential Type": real HTTP through n8n's client to the fakes, and the session each
 * returns must be accepted by the fake's protected API with the credential's `authenticate` headers.
 * The 401 → log in again path runs in the real n8n (test/e2e).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { AltinnApi } from '../../credentials/AltinnApi.credentials';
import { BoknettApi } from '../../credentials/BoknettApi.credentials';
import { OnlyofficeApi } from '../../credentials/OnlyofficeApi.credentials';
import { ALTINN_REST_USER, FakeAltinn } from '../fakes/fakeAltinn';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_SMS_2FA_USER, ONLYOFFICE_TOTP_SECRET, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import { n8nHttpRequestHelper } from '../helpers/n8nRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

let boknett: FakeBoknett;
let onlyoffice: FakeOnlyoffice;
let altinn: FakeAltinn;
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

/** The headers of a credential's `authenticate`, with `{{ $credentials.x }}` filled in as n8n would. */
function authenticateHeaders(credential: { authenticate: unknown }, data: Record<string, unknown>): Record<string, string> {
	const headers = (credential.authenticate as { properties: { headers: Record<string, string> } }).properties.headers;
	return Object.fromEntries(
		Object.entries(headers)
			.filter(([, value]) => !value.includes('$now'))
			.map(([name, value]) => [name, value.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, field: string) => String(data[field] ?? ''))]),
	);
}

beforeAll(async () => {
	boknett = await new FakeBoknett().start();
	onlyoffice = await new FakeOnlyoffice().start();
	altinn = await new FakeAltinn().start();
	helper = n8nHttpRequestHelper();
});
afterAll(async () => {
	await Promise.all([boknett.stop(), onlyoffice.stop(), altinn.stop()]);
});

describe('Boknett API credential login', () => {
	const credential = new BoknettApi();
	const data = () => ({ environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER, sessionTicket: '' });

	it('gets a ticket the Boknett API accepts with the Authorization and Date headers', async () => {
		const session = await preAuthenticate(credential, data());
		expect(String(session.sessionTicket)).toMatch(/^TGT-/);
		const headers: Record<string, string> = { ...authenticateHeaders(credential, session), Date: new Date().toUTCString() };
		expect(headers.Authorization).toBe(`Boknett ${String(session.sessionTicket)}`);
		expect((await fetch(`${boknett.baseUrl}/metadata/export/onix`, { headers })).status).toBe(200);
		expect(Object.keys((credential.authenticate as { properties: { headers: object } }).properties.headers)).toEqual(['Authorization', 'Date']);
	});

	it('fails a wrong password with a clear message, once, without the password', async () => {
		boknett.clearRequests();
		await expect(preAuthenticate(credential, { ...data(), password: 'wrong & pass' })).rejects.toThrow(/^Boknett refused the login \(400 Bad Request\)\. Check the username and password/);
		expect(boknett.requests).toHaveLength(1);
	});

	it('is marked so n8n stores the ticket and empties it on a 401', () => {
		expect(credential.properties[0]).toMatchObject({ name: 'sessionTicket', type: 'hidden', typeOptions: { expirable: true } });
	});
});

describe('ONLYOFFICE API credential login', () => {
	const credential = new OnlyofficeApi();

	it('gets a token the portal accepts as Authorization', async () => {
		const session = await preAuthenticate(credential, { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_USER, totpSecret: '', sessionToken: '' });
		const response = await fetch(`${onlyoffice.baseUrl}/api/2.0/people/@self`, { headers: authenticateHeaders(credential, session) });
		expect(response.status).toBe(200);
	});

	it('completes an authenticator-app login from the secret', async () => {
		const session = await preAuthenticate(credential, { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_APP_2FA_USER, totpSecret: ONLYOFFICE_TOTP_SECRET });
		expect(onlyoffice.liveTokens.has(String(session.sessionToken))).toBe(true);
	});

	it('explains that an SMS-code account needs the ONLYOFFICE Auth node', async () => {
		await expect(preAuthenticate(credential, { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '' })).rejects.toThrow(
			/requires an SMS code, which a request node cannot wait for\. Log in with the ONLYOFFICE Auth node/,
		);
	});
});

describe('Altinn API credential login', () => {
	const credential = new AltinnApi();

	it('gets the auth cookie; with the API key the REST API accepts it', async () => {
		const session = await preAuthenticate(credential, { environment: 'custom', baseUrl: altinn.baseUrl, ...ALTINN_REST_USER, sessionCookie: '' });
		expect(String(session.sessionCookie)).toMatch(/^\.AspxAuthProd=/);
		const response = await fetch(`${altinn.baseUrl}/api/my/messages`, { headers: authenticateHeaders(credential, { ...ALTINN_REST_USER, ...session }) });
		expect(response.status).toBe(200);
	});

	it('fails a wrong password clearly, without the password or API key', async () => {
		await expect(
			preAuthenticate(credential, { environment: 'custom', baseUrl: altinn.baseUrl, ...ALTINN_REST_USER, password: 'wrong' }),
		).rejects.toThrow(/^Altinn did not log in \(401 [^)]*\)\. /);
	});
});

describe('a refused credential login', () => {
	it('is sent once: n8n\'s second call within a minute gets the same error without a request', async () => {
		const credential = new BoknettApi();
		const wrong = { environment: 'custom', baseUrl: boknett.baseUrl, username: BOKNETT_USER.username, password: 'refused-once-æ' };
		boknett.clearRequests();
		const first = await preAuthenticate(credential, wrong).catch((error: Error) => error);
		const second = await preAuthenticate(credential, wrong).catch((error: Error) => error);
		expect(boknett.requests).toHaveLength(1);
		expect(second.message).toBe(first.message);
		expect(first.message).toMatch(/^Boknett refused the login/);
		// The right password is a different login and goes through at once.
		expect(String((await preAuthenticate(credential, { ...wrong, password: BOKNETT_USER.password })).sessionTicket)).toMatch(/^TGT-/);
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
		}),
	).toEqual([]);
});
