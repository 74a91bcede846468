/**
 * Output: Response of a login node (shared/tokenUse.ts), through the Boknett Ticket node's Bokbasen
 * OAuth2 login: real HTTP to the fake token server and to a fake API that records what it was sent.
 * The token stays in the node; only the API's answer comes out.
 */
import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { BOKBASEN_CLIENT, FakeBokbasenAuth } from '../fakes/fakeBokbasenAuth';
import type { RecordedRequest, Reply } from '../fakes/fakeServer';
import { FakeServer, header, json } from '../fakes/fakeServer';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 250, 251, 252]), Buffer.from('\n%%EOF')]);

/** An API that wants the Bokbasen token: it echoes what it was sent, and answers in every shape. */
class FakeApi extends FakeServer {
	/** Tokens the API no longer takes (revoked by the provider before they expire). */
	readonly refused = new Set<string>();

	/** Every token refused (the provider's keys changed). */
	refuseAll = false;

	/** Every token the API was sent, for the leak check (its requests are cleared before each test). */
	readonly tokensSeen = new Set<string>();

	protected handle(request: RecordedRequest): Reply {
		const token = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (token) this.tokensSeen.add(token);
		if (!token || this.refuseAll || this.refused.has(token)) return { status: 401, reason: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, body: '' };
		const query = Object.fromEntries(new URL(request.url, 'http://fake').searchParams);
		if (request.path === '/echo') {
			return json(request.method === 'POST' ? 201 : 200, { method: request.method, query, contentType: header(request, 'content-type') ?? null, case: header(request, 'x-case') ?? null, body: request.body }, { 'Set-Cookie': 'session=abc' });
		}
		if (request.path === '/list') return json(200, [{ isbn: '9788202000001' }, { isbn: '9788202000002' }]);
		if (request.path === '/count') return json(200, 3);
		if (request.path === '/text') return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'hei på deg' };
		if (request.path === '/file') return { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="kvittering.pdf"' }, body: PDF };
		// A careless API that quotes what it was sent, the token and the client's secret among it.
		if (request.path === '/careless') return json(200, { youSent: `Bearer ${token}`, secretEcho: BOKBASEN_CLIENT.clientSecret, note: Buffer.from(`token=${token}`).toString('base64') });
		if (request.path === '/forbidden') return json(403, { error: 'insufficient_scope', message: 'The token lacks metadata:write' });
		return json(404, { error: 'not_found' });
	}
}

const node = new BoknettTicket();
let auth: FakeBokbasenAuth;
let api: FakeApi;

const credentials = () => ({ bokbasenOAuth2Api: { environment: 'custom', baseUrl: auth.baseUrl, ...BOKBASEN_CLIENT } });
const request = (path: string, extra: Record<string, unknown> = {}) => ({ operation: 'oauth2Token', output: 'response', requestUrl: `${api.baseUrl}${path}`, ...extra });
const runner = new RecordingRunner(() => ({ credentials: credentials(), parameters: request('/echo') }));
const items = async (options: RunOptions = {}) => await runner.items(node, options);
const logins = () => auth.requestsTo('/oauth/token').length;

beforeAll(async () => {
	auth = await new FakeBokbasenAuth().start();
	api = await new FakeApi().start();
});
afterAll(async () => {
	await auth.stop();
	await api.stop();
});
beforeEach(() => {
	auth.clearRequests();
	api.clearRequests();
});

describe('a login node, Output: Response', () => {
	it('sends the request with the token and passes on the JSON answer; no item holds the token', async () => {
		const [item] = await items({ parameters: request('/echo', { requestQuery: { entries: [{ name: 'year', value: '2025' }] }, requestHeaders: { entries: [{ name: 'X-Case', value: 'loan-42' }] } }) });
		expect(item.json).toEqual({ method: 'GET', query: { year: '2025' }, contentType: null, case: 'loan-42', body: '' });
		const [sent] = api.requests;
		expect(header(sent, 'authorization')).toMatch(/^Bearer .{20,}/);
		expect(JSON.stringify(item)).not.toContain(String(header(sent, 'authorization')).slice(7));
	});

	it('sends a JSON body with POST, once; a 502 after it is not sent again (the API may have acted)', async () => {
		const [created] = await items({ parameters: request('/echo', { requestMethod: 'POST', requestBody: '{"isbn": "9788202000001"}' }) });
		expect(created.json).toMatchObject({ method: 'POST', contentType: 'application/json', body: '{"isbn": "9788202000001"}' });
		api.serveNext({ status: 502, reason: 'Bad Gateway', body: '' });
		const failure = await runner.failure(node, { parameters: request('/echo', { requestMethod: 'POST', requestBody: '{}' }) });
		expect(failure.message).toMatch(/failed the POST request \(502 Bad Gateway\) but may already have acted on it, so it was not sent again/);
		expect(api.requests.filter((sent) => sent.method === 'POST')).toHaveLength(2);
	});

	it('makes an item of each object of a list, puts text and other JSON in data, and a file in binary', async () => {
		expect((await items({ parameters: request('/list') })).map((item) => item.json)).toEqual([{ isbn: '9788202000001' }, { isbn: '9788202000002' }]);
		expect((await items({ parameters: request('/count') }))[0].json).toEqual({ data: 3 });
		expect((await items({ parameters: request('/text') }))[0].json).toEqual({ data: 'hei på deg' });
		const [file] = await items({ parameters: request('/file') });
		expect(file.binary?.data).toMatchObject({ fileName: 'kvittering.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(String(file.binary?.data.data), 'base64')).toEqual(PDF);
		const [asText] = await items({ parameters: request('/file', { responseFormat: 'text', fullResponse: true }) });
		expect(asText.json).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/pdf' }, body: expect.stringContaining('%PDF-1.7') });
	});

	it('with the full response: status, headers (no cookies) and body', async () => {
		const [item] = await items({ parameters: request('/echo', { fullResponse: true }) });
		expect(item.json).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { method: 'GET' } });
		expect(item.json.headers).not.toHaveProperty('set-cookie');
	});

	it('a stored token the API refuses (401) is dropped: the node logs in anew once and sends the request again; a new token refused fails saying so', async () => {
		await items();
		expect(logins()).toBe(1);
		api.refused.add(String(header(api.requests[0], 'authorization')).slice(7));
		const [again] = await items();
		expect(again.json).toMatchObject({ method: 'GET' });
		expect([logins(), api.requests.length]).toEqual([2, 3]);
		// The provider refuses every token now: one new login after the stored token's 401, then the error.
		api.refuseAll = true;
		const [failed] = await runner.items(node, { continueOnFail: true });
		expect(failed.json).toMatchObject({ error: expect.stringMatching(/refused the token \(401 Unauthorized\)/) });
		expect(failed.json.description).toMatch(/The token was dropped, so the next run logs in anew/);
		expect([logins(), api.requests.length]).toEqual([3, 5]);
		// Nothing refused is handed out again: the next run logs in (once) before it sends.
		await runner.items(node, { continueOnFail: true });
		expect([logins(), api.requests.length]).toEqual([4, 6]);
		api.refuseAll = false;
	});

	it('a 403 keeps the token and says what the API said', async () => {
		const failure = await runner.failure(node, { parameters: request('/forbidden') });
		expect(failure.message).toMatch(/did not allow this request with the token \(403/);
		expect(failure.description).toMatch(/The token lacks metadata:write/);
		await items();
		expect(logins()).toBe(1);
	});

	it('refuses bad input before any login: an address that is no URL, a header the login sets, a body that is no JSON', async () => {
		expect((await runner.failure(node, { parameters: request('/echo', { requestUrl: 'ftp://api.example.no/echo' }) })).message).toBe('The URL is neither a full http(s) address nor a path');
		expect((await runner.failure(node, { parameters: request('/echo', { requestUrl: '//elsewhere.example/echo' }) })).message).toBe('The URL is neither a full http(s) address nor a path');
		expect((await runner.failure(node, { parameters: request('/echo', { requestHeaders: { entries: [{ name: 'authorization', value: 'x' }] } }) })).message).toBe('The header "authorization" is set by the login');
		expect((await runner.failure(node, { parameters: request('/echo', { requestMethod: 'PUT', requestBody: '{isbn:' }) })).message).toBe('The body is not valid JSON');
		expect(logins()).toBe(0);
		expect(api.requests).toHaveLength(0);
	});

	it("takes a path under the login's API address (the token item's apiBaseUrl), with or without a leading slash", async () => {
		for (const path of ['export', '/export']) {
			auth.clearRequests();
			const [item] = await items({ parameters: request('', { requestUrl: path }) });
			expect(item.json).toMatchObject({ records: [{ isbn: '9788202000000' }] });
			expect(auth.requestsTo('/metadata/export')).toHaveLength(1);
		}
	});

	it("scrubs the login's secrets and the token from an answer that quotes them, plainly or encoded", async () => {
		const [item] = await items({ parameters: request('/careless') });
		expect(item.json).toEqual({ youSent: 'Bearer [redacted]', secretEcho: '[redacted]', note: '[redacted]' });
	});

	it('leak check: no client secret or token in any output or error', () => {
		const tokens = Object.fromEntries([...api.tokensSeen].map((token, index) => [`token${index}`, token]));
		expect(Object.keys(tokens).length).toBeGreaterThan(1);
		expect(leakedSecrets(runner.produced, { clientSecret: BOKBASEN_CLIENT.clientSecret, ...tokens })).toEqual([]);
	});
});
