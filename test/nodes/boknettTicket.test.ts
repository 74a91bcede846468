import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const node = new BoknettTicket();
let fake: FakeBoknett;
function credentials(overrides: Record<string, string> = {}) {
	return { boknettApi: { environment: 'custom', baseUrl: fake.baseUrl, ...BOKNETT_USER, ...overrides } };
}

const runner = new RecordingRunner(() => ({ credentials: credentials() }));
const run = async (options: RunOptions) => await runner.items(node, options);
const failure = async (options: RunOptions) => await runner.failure(node, options);

beforeAll(async () => {
	fake = await new FakeBoknett().start();
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.failure = 'none';
	fake.clearRequests();
});

describe('Boknett Ticket: create', () => {
	it('logs in and outputs a token item with the ticket, headers and a 2-hour expiry', async () => {
		const before = Date.now();
		const [item] = await run({});
		const json = item.json as Record<string, unknown>;
		expect(json.provider).toBe('boknett');
		expect(json.environment).toBe('custom');
		expect(json.token).toMatch(/^TGT-\d+-/);
		expect(json.headers).toEqual({ Authorization: `Boknett ${String(json.token)}` });
		const obtainedAt = Date.parse(String(json.obtainedAt));
		expect(obtainedAt).toBeGreaterThanOrEqual(before - 1);
		expect(Date.parse(String(json.expiresAt)) - obtainedAt).toBe(2 * 60 * 60 * 1000);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(fake.liveTickets.has(String(json.token))).toBe(true);
	});

	it('sends the credentials form-encoded, so æ & = + % and spaces arrive intact', async () => {
		await run({});
		const [request] = fake.requestsTo('/v1/tickets');
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(request.body).toContain('password=S3cret+%C3%A6%26%3D%2B%25+pass');
		expect(new URLSearchParams(request.body).get('username')).toBe(BOKNETT_USER.username);
	});

	it('shortens the expiry when the Ticket Lifetime option says so', async () => {
		const [item] = await run({ parameters: { options: { ticketLifetimeMinutes: 30 } } });
		const json = item.json as Record<string, string>;
		expect(Date.parse(json.expiresAt) - Date.parse(json.obtainedAt)).toBe(30 * 60 * 1000);
	});

	it('with Reuse Token off, logs in once per input item and pairs each output with its input', async () => {
		const items = await run({ input: [{ json: { a: 1 } }, { json: { a: 2 } }, { json: { a: 3 } }], parameters: { options: { reuseToken: false } } });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(new Set(items.map((item) => item.json.token)).size).toBe(3);
		expect(fake.requestsTo('/v1/tickets')).toHaveLength(3);
	});

	it('fails clearly on a wrong password and sends it only once', async () => {
		const error = await failure({ credentials: credentials({ password: 'wrong-password-123' }) });
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe('Boknett refused the login (400 Bad Request)');
		expect(error.description).toMatch(/Check the username and password/);
		expect(error.httpCode).toBe('400');
		expect(fake.requestsTo('/v1/tickets')).toHaveLength(1);
		expect(leakedSecrets([error], { wrong: 'wrong-password-123' })).toEqual([]);
	});

	it.each([
		['missingTicketHeader', /sent no ticket \(the Boknett-TGT header is missing\)/],
		['methodNotAllowed', /does not accept Boknett logins at this address \(405/],
		['serverError', /^Boknett failed the login \(503 Service Unavailable\) but may already have counted a failed login, so it was not sent again$/],
		['htmlPage', /^Boknett failed the login \(502 Bad Gateway\) but may already have counted a failed login, so it was not sent again$/],
	] as const)('turns %s into a clear error', async (mode, message) => {
		fake.failure = mode;
		const error = await failure({});
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
		expect(error.description).not.toMatch(/<html|<body/i);
	});

	it('fails with a time-out message when Boknett does not answer in time', async () => {
		fake.failure = 'slow';
		const error = await failure({ parameters: { options: { timeout: 300 } } });
		// The fake answers with a ticket after 2 s: an error, not that ticket, shows the time-out ended the wait.
		expect(error.message).toBe(`127.0.0.1:${new URL(fake.baseUrl).port} did not answer within 300 ms`);
		expect(error.description).toMatch(/Timeout option/);
		// A password POST that timed out may have reached Boknett: it is not sent again.
		expect(fake.requestsTo('/v1/tickets')).toHaveLength(1);
	});

	it('fails clearly when nothing listens at the address', async () => {
		const error = await failure({ credentials: credentials({ baseUrl: 'http://127.0.0.1:9' }) });
		expect(error.message).toBe('127.0.0.1:9 refused the connection (tried 3 times)');
	});

	it('refuses a custom environment without a valid Base URL', async () => {
		const error = await failure({ credentials: credentials({ baseUrl: 'login.boknett.no' }) });
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/Base URL is not a valid/);
		expect(fake.requests).toHaveLength(0);
	});

	it('with Continue On Fail, fails only the item that failed', async () => {
		const items = await run({
			continueOnFail: true,
			input: [{ json: {} }, { json: {} }],
			parameters: { operation: 'delete', ticket: '={{ $json.ticket ?? "TGT-unknown" }}' },
		});
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toMatch(/did not know this ticket/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('with Continue On Fail, keeps the good items beside a failed one', async () => {
		const [loginItem] = await run({});
		const items = await run({
			continueOnFail: true,
			input: [{ json: { token: 'TGT-not-ours' } }, loginItem],
			parameters: { operation: 'delete' },
		});
		expect(items[0].json.error).toMatch(/did not know this ticket/);
		expect(items[1].json).toEqual({ deleted: true });
	});
});

describe('Boknett Ticket: delete', () => {
	it('logs out the ticket of the incoming token item by default', async () => {
		const [loginItem] = await run({});
		const ticket = String(loginItem.json.token);
		const [item] = await run({ input: [loginItem], parameters: { operation: 'delete' } });
		expect(item.json).toEqual({ deleted: true });
		expect(fake.liveTickets.has(ticket)).toBe(false);
		const [request] = fake.requestsTo('/v1/tickets/');
		expect(request.method).toBe('DELETE');
		expect(decodeURIComponent(request.path)).toBe(`/v1/tickets/${ticket}`);
	});

	it('fails clearly when there is no ticket to log out', async () => {
		const error = await failure({ input: [{ json: {} }], parameters: { operation: 'delete' } });
		expect(error.message).toBe('No Boknett ticket to log out');
		expect(fake.requests).toHaveLength(0);
	});

	it('fails clearly when Boknett fails the logout', async () => {
		fake.failure = 'serverError';
		const error = await failure({ input: [{ json: { token: 'TGT-1' } }], parameters: { operation: 'delete' } });
		expect(error.message).toBe('Boknett failed during logout (503 Service Unavailable, tried 3 times)');
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no password in any output or error', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(leakedSecrets(runner.produced, { password: BOKNETT_USER.password })).toEqual([]);
});
