
import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { altinnMaskinportenCredentialData, certificateClient, ENTERPRISE_USER, FakeAltinn3, makeKeyClient } from '../fakes/fakeAltinn3';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const CERTIFICATE_CLIENT = certificateClient();

const node = new AltinnAuthenticate();
const keyClient = makeKeyClient();
let fake: FakeAltinn3;

function credential(overrides: Record<string, string> = {}) {
	return altinnMaskinportenCredentialData(keyClient, fake.baseUrl, 'altinn:serviceowner/instances.read', overrides);
}

const runner = new RecordingRunner(() => ({ credentials: { altinnMaskinportenApi: credential() }, typeVersion: 2 }));
const run = async (options: RunOptions = {}) => await runner.items(node, options);
const failure = async (options: RunOptions = {}) => await runner.failure(node, options);
const withCredential = (overrides: Record<string, string>): RunOptions => ({ credentials: { altinnMaskinportenApi: credential(overrides) } });

beforeAll(async () => {
	fake = await new FakeAltinn3().start();
	fake.registerKeyClient(keyClient.clientId, keyClient.keyId, keyClient.publicKey, keyClient.scopes);
	fake.registerCertificateClient(CERTIFICATE_CLIENT.clientId, CERTIFICATE_CLIENT.certificatePem, CERTIFICATE_CLIENT.scopes);
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.failure = 'none';
	fake.clearRequests();
});

describe('Altinn Authenticate: Altinn 3 (Maskinporten)', () => {
	it('is the default login of version 2 and outputs a Bearer token item that the Altinn 3 API accepts', async () => {
		const before = Date.now();
		const [item] = await run();
		const json = item.json as Record<string, unknown>;
		expect(json).toMatchObject({ provider: 'altinn3', environment: 'custom', scope: 'altinn:serviceowner/instances.read' });
		expect(json.headers).toEqual({ Authorization: `Bearer ${String(json.token)}` });
		expect(fake.altinnTokens.has(String(json.token))).toBe(true);
		// The Altinn token's own exp (30 minutes in the fake) gives expiresAt.
		const lifetime = Date.parse(String(json.expiresAt)) - before;
		expect(lifetime).toBeGreaterThan(29 * 60 * 1000);
		expect(lifetime).toBeLessThanOrEqual(30 * 60 * 1000 + 1000);
		expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /token',
			'GET /authentication/api/v1/exchange/maskinporten',
		]);
		const api = await fetch(`${fake.baseUrl}/storage/api/v1/applications`, { headers: json.headers as Record<string, string> });
		expect(api.status).toBe(200);
	});

	it('sends Maskinporten a grant it verifies: kid, audience, issuer, 120-second lifetime', async () => {
		await run();
		const [grant] = fake.grants.slice(-1);
		expect(grant.header).toMatchObject({ alg: 'RS256', kid: keyClient.keyId });
		expect(grant.claims).toMatchObject({ aud: `${fake.baseUrl}/`, iss: keyClient.clientId });
		expect(Number(grant.claims.exp) - Number(grant.claims.iat)).toBe(120);
	});

	it('signs a new grant for a resent token request: a 502 after Maskinporten took the first grant is no replay', async () => {
		fake.lostTokenAnswers = 1;
		const before = fake.grants.length;
		const [item] = await run();
		expect(item.json).toMatchObject({ provider: 'altinn3', reused: false });
		const [first, second] = fake.grants.slice(before);
		expect(second.claims.jti).not.toBe(first.claims.jti);
		expect(fake.grants.slice(before)).toHaveLength(2);
	});

	it('logs in with a business certificate chain (x5c) instead of a registered key', async () => {
		const [item] = await run(
			withCredential({
				clientId: CERTIFICATE_CLIENT.clientId,
				privateKey: CERTIFICATE_CLIENT.privateKeyPem,
				keyId: '',
				certificateChain: CERTIFICATE_CLIENT.certificatePem,
			}),
		);
		expect(item.json.provider).toBe('altinn3');
		expect(fake.grants.slice(-1)[0].header.x5c).toHaveLength(1);
	});

	it('accepts a key pasted into a one-line field', async () => {
		const [item] = await run(withCredential({ privateKey: keyClient.privateKeyPem.replace(/\n/g, '') }));
		expect(item.json.provider).toBe('altinn3');
	});

	it('acts as an enterprise user when one is set, and explains a wrong enterprise password', async () => {
		const [item] = await run(withCredential({ enterpriseUsername: ENTERPRISE_USER.username, enterprisePassword: ENTERPRISE_USER.password }));
		const claims = JSON.parse(Buffer.from(String(item.json.token).split('.')[1], 'base64url').toString()) as Record<string, unknown>;
		expect(claims['urn:altinn:username']).toBe(ENTERPRISE_USER.username);
		fake.clearRequests();
		const error = await failure(withCredential({ enterpriseUsername: ENTERPRISE_USER.username, enterprisePassword: 'wrong' }));
		expect(error.message).toBe('Altinn did not accept the Maskinporten token (401 Unauthorized)');
		expect(error.description).toMatch(/enterprise username and password/);
		expect(fake.requestsTo('/authentication')).toHaveLength(1);
	});

	it('explains a scope the client does not have, once, without retrying', async () => {
		const error = await failure(withCredential({ scopes: 'altinn:serviceowner/instances.read altinn:admin' }));
		expect(error.message).toBe('Maskinporten did not give this client access (400 Bad Request)');
		expect(error.description).toMatch(/Scope\(s\) not allowed for client: altinn:admin/);
		expect(fake.requests).toHaveLength(1);
	});

	it('explains a key that does not match the registered one (wrong signature) as a refused login', async () => {
		const otherKey = makeKeyClient().privateKeyPem;
		const error = await failure(withCredential({ privateKey: otherKey }));
		expect(error.message).toBe('Maskinporten refused the login (400 Bad Request)');
		expect(error.description).toMatch(/Invalid JWT signature/);
		expect(error.description).toMatch(/Key ID or certificate and the private key/);
		expect(fake.requests).toHaveLength(1);
	});

	it('explains an unknown client ID and an unknown key ID', async () => {
		expect((await failure(withCredential({ clientId: 'unknown-client' }))).description).toMatch(/Unknown client/);
		expect((await failure(withCredential({ keyId: 'other-kid' }))).description).toMatch(/Unknown key or certificate/);
	});

	it('fails before sending anything on a missing Key ID, a public key or missing scopes', async () => {
		expect((await failure(withCredential({ keyId: '' }))).message).toMatch(/neither a Key ID nor a certificate chain/);
		const publicKey = keyClient.publicKey.export({ type: 'spki', format: 'pem' }).toString();
		expect((await failure(withCredential({ privateKey: publicKey }))).message).toMatch(/public key or certificate/);
		expect((await failure(withCredential({ scopes: '' }))).message).toMatch(/has no scopes/);
		expect((await failure(withCredential({ environment: 'custom', platformUrl: 'platform' }))).message).toMatch(/Altinn Platform URL is not a valid/);
		expect(fake.requests).toHaveLength(0);
	});

	it.each([
		// A 5xx is retried (twice) as a failure of the service, never as a refusal.
		['maskinportenDown', 'Maskinporten failed to answer (503 Service Unavailable, tried 3 times)', 3],
		['maskinportenHtml', 'Maskinporten answered with a web page instead of a token (200 OK)', 1],
		['exchangeDown', 'Altinn failed to exchange the Maskinporten token (502 Bad Gateway, tried 3 times)', 4],
		['exchangeHtml', "Altinn answered the token exchange with a web page instead of a token (200 OK)", 2],
	] as const)('reports %s clearly', async (failureMode, message, requests) => {
		fake.failure = failureMode;
		expect((await failure()).message).toBe(message);
		expect(fake.requests).toHaveLength(requests);
	});

	it('reads a bare JWT from the exchange as well as a JSON string', async () => {
		fake.failure = 'exchangeBareJwt';
		const [item] = await run();
		expect(fake.altinnTokens.has(String(item.json.token))).toBe(true);
	});

	it('times out on a silent Maskinporten', async () => {
		fake.failure = 'slow';
		const error = await failure({ parameters: { options: { timeout: 300 } } });
		expect(error.message).toBe(`127.0.0.1:${new URL(fake.baseUrl).port} did not answer within 300 ms`);
	});

	it('keeps the Altinn 2 password login for workflows made with version 1', async () => {
		const error = await failure({ typeVersion: 1, credentials: {} });
		expect(error.message).toMatch(/No test credential of type altinnApi/);
	});

	it('with Continue On Fail gives each failed item an error and goes on', async () => {
		const items = await run({ ...withCredential({ scopes: 'altinn:admin' }), continueOnFail: true, input: [{ json: {} }, { json: {} }] });
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toBe('Maskinporten did not give this client access (400 Bad Request)');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no private key or enterprise password in any output or error', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(
		leakedSecrets(runner.produced, {
			privateKey: keyClient.privateKeyPem,
			privateKeyBody: keyClient.privateKeyPem.split('\n')[1],
			certificateKey: CERTIFICATE_CLIENT.privateKeyPem,
			enterprisePassword: ENTERPRISE_USER.password,
		}),
	).toEqual([]);
});
