import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { BOKBASEN_CLIENT, FakeBokbasenAuth } from '../fakes/fakeBokbasenAuth';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const node = new BoknettTicket();
let fake: FakeBokbasenAuth;

function client(overrides: Record<string, string> = {}) {
	return { bokbasenOAuth2Api: { environment: 'custom', baseUrl: fake.baseUrl, ...BOKBASEN_CLIENT, ...overrides } };
}

const runner = new RecordingRunner(() => ({ credentials: client(), parameters: { operation: 'oauth2Token' } }));
const run = async (options: RunOptions = {}) => await runner.items(node, options);
const failure = async (options: RunOptions = {}) => await runner.failure(node, options);

beforeAll(async () => {
	fake = await new FakeBokbasenAuth().start();
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.failure = 'none';
	fake.clearRequests();
});

describe('Boknett Ticket: Get OAuth2 Token (Bokbasen)', () => {
	it('gets a client-credentials token and outputs a Bearer token item the API accepts', async () => {
		const before = Date.now();
		const [item] = await run();
		const json = item.json as Record<string, unknown>;
		expect(json).toMatchObject({ provider: 'bokbasen', environment: 'custom', audience: BOKBASEN_CLIENT.audience });
		expect(json.headers).toEqual({ Authorization: `Bearer ${String(json.token)}` });
		const lifetime = Date.parse(String(json.expiresAt)) - before;
		expect(lifetime).toBeGreaterThanOrEqual(86_400_000 - 1000);
		expect(lifetime).toBeLessThanOrEqual(86_400_000 + 1000);
		const [request] = fake.requestsTo('/oauth/token');
		expect(JSON.parse(request.body)).toEqual({
			client_id: BOKBASEN_CLIENT.clientId,
			client_secret: BOKBASEN_CLIENT.clientSecret,
			audience: BOKBASEN_CLIENT.audience,
			grant_type: 'client_credentials',
		});
		// The API the token is for, at the custom address (the sandbox serves login and API): the next node's URL.
		expect(json.apiBaseUrl).toBe(`${fake.baseUrl}/metadata/`);
		const api = await fetch(`${String(json.apiBaseUrl)}export`, { headers: json.headers as Record<string, string> });
		expect(api.status).toBe(200);
	});

	it('explains a wrong client secret (401) once, without retrying', async () => {
		const error = await failure({ credentials: client({ clientSecret: 'wrong' }) });
		expect(error.message).toBe('Bokbasen refused the login (401 Unauthorized)');
		expect(error.description).toMatch(/access_denied: Unauthorized/);
		expect(error.description).toMatch(/client ID and client secret/);
		expect(fake.requests).toHaveLength(1);
	});

	it('explains an audience the client may not use (403)', async () => {
		const error = await failure({ credentials: client({ audience: 'https://api.bokbasen.io/orders/' }) });
		expect(error.message).toBe('Bokbasen did not give this client access (403 Forbidden)');
		expect(error.description).toMatch(/audience/);
	});

	it.each([
		['serverError', 'Bokbasen failed to answer (503 Service Unavailable, tried 3 times)'],
		['htmlPage', 'Bokbasen answered with a web page instead of a token (200 OK)'],
		['malformedJson', "Bokbasen's answer is not valid JSON (200 OK)"],
	] as const)('reports %s clearly', async (failureMode, message) => {
		fake.failure = failureMode;
		expect((await failure()).message).toBe(message);
	});

	it('times out on a silent server', async () => {
		fake.failure = 'slow';
		expect((await failure({ parameters: { operation: 'oauth2Token', options: { timeout: 300 } } })).message).toMatch(/did not answer within 300 ms/);
	});

	it('uses the Bokbasen stage address for the stage environment', async () => {
		const error = await failure({ credentials: client({ environment: 'unknown' }) });
		expect(error.message).toBe('Unknown Bokbasen environment "unknown"');
		expect(error.description).toMatch(/production, stage, custom/);
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no client secret in any output or error', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(leakedSecrets(runner.produced, { clientSecret: BOKBASEN_CLIENT.clientSecret })).toEqual([]);
});
