/**
 * "Log in once, not every run": token reuse across executions, through n8n's execution code
 * against the fakes. Every test starts with an empty store (test/helpers/freshTokenCache.ts).
 */
import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_SMS_2FA_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { callWebhook } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const boknettNode = new BoknettTicket();
let boknett: FakeBoknett;
let onlyoffice: FakeOnlyoffice;

function boknettCredentials(overrides: Record<string, string> = {}) {
	return { boknettApi: { environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER, ...overrides } };
}

const runner = new RecordingRunner(() => ({ credentials: boknettCredentials() }));
const login = async (options: RunOptions = {}) => (await runner.items(boknettNode, options))[0].json;
const logins = () => boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;

beforeAll(async () => {
	boknett = await new FakeBoknett().start();
	onlyoffice = await new FakeOnlyoffice().start();
});
afterAll(async () => {
	await boknett.stop();
	await onlyoffice.stop();
});
beforeEach(() => {
	boknett.failure = 'none';
	boknett.answerDelayMs = 0;
	boknett.clearRequests();
	onlyoffice.clearRequests();
});

describe('Reuse Token', () => {
	it('gives a second execution the first one\'s ticket without a request, marked reused', async () => {
		const first = await login();
		const second = await login();
		expect(first.reused).toBe(false);
		expect(second).toEqual({ ...first, reused: true });
		expect(logins()).toBe(1);
	});

	it('logs in again once the ticket is within the margin of its expiry', async () => {
		// A 5-minute ticket with the default 5-minute margin is never reused …
		await login({ parameters: { options: { ticketLifetimeMinutes: 5 } } });
		await login({ parameters: { options: { ticketLifetimeMinutes: 5 } } });
		expect(logins()).toBe(2);
		// … a 6-minute one is, for its first minute.
		await login({ parameters: { options: { ticketLifetimeMinutes: 6 } } });
		expect((await login({ parameters: { options: { ticketLifetimeMinutes: 6 } } })).reused).toBe(true);
		expect(logins()).toBe(3);
		// A margin of 6 minutes makes that one too short as well.
		await login({ parameters: { options: { ticketLifetimeMinutes: 6, reuseMarginMinutes: 6 } } });
		expect(logins()).toBe(4);
	});

	it('never gives a changed credential the old ticket', async () => {
		const first = await login();
		boknett.accounts.set('other-user', 'Other pass 1');
		const other = await login({ credentials: boknettCredentials({ username: 'other-user', password: 'Other pass 1' }) });
		expect(other.reused).toBe(false);
		expect(other.token).not.toBe(first.token);
		expect(logins()).toBe(2);
	});

	it('logs in anew with Force New Login, and later runs reuse that new ticket', async () => {
		const first = await login();
		const forced = await login({ parameters: { options: { forceNewLogin: true } } });
		expect(forced.reused).toBe(false);
		expect(forced.token).not.toBe(first.token);
		expect((await login()).token).toBe(forced.token);
		expect(logins()).toBe(2);
	});

	it('makes ten executions running at the same time share one login', async () => {
		boknett.answerDelayMs = 200;
		const tokens = await Promise.all(Array.from({ length: 10 }, async () => await login()));
		expect(logins()).toBe(1);
		expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
		expect(tokens.filter((token) => token.reused === false)).toHaveLength(1);
	});

	it('does not keep a failed login, and simultaneous runs with a wrong password make one attempt in all', async () => {
		boknett.answerDelayMs = 200;
		const wrong = boknettCredentials({ password: 'wrong' });
		const results = await Promise.allSettled(Array.from({ length: 5 }, async () => await login({ credentials: wrong })));
		expect(results.map((result) => result.status)).toEqual(Array(5).fill('rejected'));
		expect(logins()).toBe(1);
		boknett.answerDelayMs = 0;
		expect((await login()).reused).toBe(false);
		expect(logins()).toBe(2);
	});

	it('with Reuse Token off logs in every time and stores nothing', async () => {
		await login({ parameters: { options: { reuseToken: false } } });
		await login({ parameters: { options: { reuseToken: false } } });
		expect((await login()).reused).toBe(false);
		expect(logins()).toBe(3);
	});

	it('forgets a ticket that was logged out, so no run gets a dead ticket', async () => {
		const first = await login();
		await runner.items(boknettNode, { parameters: { operation: 'delete', ticket: String(first.token) } });
		const next = await login();
		expect(next.reused).toBe(false);
		expect(boknett.liveTickets.has(String(next.token))).toBe(true);
	});
});

describe('Reuse Token with ONLYOFFICE SMS codes', () => {
	const node = new OnlyofficeAuth();
	const credentials = () => ({ onlyofficeApi: { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '' } });

	it('keeps the token a code completed, so the next run needs no SMS and its wait step goes straight on', async () => {
		const first = await runner.run(node, { credentials: credentials(), parameters: { smsCodeHandling: 'wait' } });
		expect(first.output?.[0][0].json.status).toBe('smsCodeSent');
		const waiting = await runner.run(node, { credentials: credentials(), parameters: { operation: 'waitForSmsCode' } });
		const done = await callWebhook(waiting.harness, node, { method: 'POST', body: { code: onlyoffice.lastSmsCode } });
		const token = done.result.workflowData?.[0][0].json ?? {};
		runner.produced.push(done.result);

		onlyoffice.clearRequests();
		const second = await runner.run(node, { credentials: credentials(), parameters: { smsCodeHandling: 'wait' } });
		const reused = second.output?.[0][0].json ?? {};
		expect(reused).toMatchObject({ token: token.token, reused: true });
		expect(onlyoffice.requests).toHaveLength(0);
		const passThrough = await runner.run(node, { credentials: credentials(), parameters: { operation: 'waitForSmsCode' }, input: [{ json: reused }] });
		expect(passThrough.harness.statusChanges).toEqual([]);
		expect(passThrough.output?.[0][0].json.token).toBe(token.token);
	});
});

describe('a refused login within one run', () => {
	it('is sent once: with Continue On Fail, the other items get the same refusal without a request', async () => {
		const items = await runner.items(boknettNode, {
			credentials: boknettCredentials({ password: 'wrong-for-all-items' }),
			continueOnFail: true,
			input: [{ json: {} }, { json: {} }, { json: {} }],
		});
		expect(items.map((item) => item.json.error)).toEqual(Array(3).fill('Boknett refused the login (400 Bad Request)'));
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(logins()).toBe(1);
	});

	it('is sent once with Reuse Token off too', async () => {
		await runner.items(boknettNode, {
			credentials: boknettCredentials({ password: 'wrong-for-all-items' }),
			continueOnFail: true,
			parameters: { options: { reuseToken: false } },
			input: [{ json: {} }, { json: {} }],
		});
		expect(logins()).toBe(1);
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no password in anything the reuse runs produced', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(leakedSecrets(runner.produced, { boknett: BOKNETT_USER.password, onlyoffice: ONLYOFFICE_SMS_2FA_USER.password })).toEqual([]);
});
