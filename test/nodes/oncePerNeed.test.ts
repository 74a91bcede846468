/**
 * Once per need, across items, runs and n8n processes: a login that may reach a person (an SMS code,
 * a failed login) is sent once for a need, however many items, runs, retries or workers ask; a token
 * logged out in one process is handed out by none. Each "process" is a fresh token store that starts
 * from the credential as the run before it left it saved (n8n's preAuthentication saving, as the
 * harness's credentials helper does it); "a run" is one execution of the node.
 */
import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { TokenStore, replaceTokenStore } from '../../nodes/shared/tokenStore';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_SMS_2FA_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import type { CredentialsByType, RunOptions } from '../helpers/n8nRunner';
import { callWebhook, executeNodeSettled } from '../helpers/n8nRunner';
import { FAST_CLOCK, useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

let boknett: FakeBoknett;
let onlyoffice: FakeOnlyoffice;
const produced: unknown[] = [];
/** The SMS codes the fake portal sent, for the leak check: a code handed in is a secret after use. */
const smsCodes: string[] = [];
const onlyofficeAuth = new OnlyofficeAuth();
const boknettTicket = new BoknettTicket();

/** A new n8n process: an empty token store. */
const newProcess = () => replaceTokenStore(new TokenStore(FAST_CLOCK));

/** Runs the node once, keeping what it produced; the credential as the run left it saved, for the next. */
async function run(node: OnlyofficeAuth | BoknettTicket, options: RunOptions): Promise<{ items: Array<Record<string, unknown>>; error?: Error & { description?: string }; saved: CredentialsByType }> {
	const { output, error, harness } = await executeNodeSettled(node, options);
	produced.push(error ?? output);
	return { items: (output?.[0] ?? []).map((item) => item.json), error: error as (Error & { description?: string }) | undefined, saved: harness.savedCredentials };
}

const items = (count: number) => Array.from({ length: count }, () => ({ json: {} }));
const logins = () => boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;

beforeAll(async () => {
	boknett = await new FakeBoknett().start();
	onlyoffice = await new FakeOnlyoffice().start();
});
afterAll(async () => {
	await Promise.all([boknett.stop(), onlyoffice.stop()]);
});

describe('ONLYOFFICE Auth with SMS Code: Stop With an Error (the default)', () => {
	const credentials = (): CredentialsByType => ({ onlyofficeApi: { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '', sharedTokens: '' } });

	it('sends one code for two items and a later run, says when it went out, and another process sends none either', async () => {
		const codesBefore = onlyoffice.smsCodesSent;
		const first = await run(onlyofficeAuth, { credentials: credentials(), input: items(2), continueOnFail: true });
		expect(first.items.map((item) => String(item.error))).toEqual([
			expect.stringMatching(/requires two-factor login: the portal has sent an SMS code/),
			expect.stringMatching(/requires an SMS code\. The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC, which was not handed in; no further login \(and no further code\) is sent/),
		]);
		const later = await run(onlyofficeAuth, { credentials: first.saved });
		expect(later.error?.message).toMatch(/The portal sent one at .*no further login/);
		newProcess();
		const elsewhere = await run(onlyofficeAuth, { credentials: later.saved });
		expect(elsewhere.error?.message).toMatch(/The portal sent one at .*no further login/);
		expect(onlyoffice.smsCodesSent - codesBefore).toBe(1);
		// A person's explicit Force New Login sends a new code, once.
		await run(onlyofficeAuth, { credentials: elsewhere.saved, parameters: { options: { forceNewLogin: true } } });
		expect(onlyoffice.smsCodesSent - codesBefore).toBe(2);
	});
});

describe('ONLYOFFICE Auth with SMS Code: Wait for the Code, the code handed in at another process', () => {
	it('the worker that sent the code hears of it: its next run reuses the token, with no new code and no hold', async () => {
		const credentials: CredentialsByType = { onlyofficeApi: { portalUrl: `${onlyoffice.baseUrl}/`, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '', sharedTokens: '' } };
		onlyoffice.onSmsCode = (code) => smsCodes.push(code);
		try {
			const worker = newProcess();
			const login = await executeNodeSettled(onlyofficeAuth, { credentials, parameters: { operation: 'logIn', smsCodeHandling: 'wait' }, executionId: '931' });
			const sent = login.output?.[0][0].json ?? {};
			expect(sent).toMatchObject({ status: 'smsCodeSent' });
			const workerStore = replaceTokenStore(worker);
			// The webhook processor: another process takes the code and completes the login.
			newProcess();
			const waiting = await executeNodeSettled(onlyofficeAuth, { credentials: login.harness.savedCredentials, parameters: { operation: 'waitForSmsCode' }, input: [{ json: sent }] });
			const accepted = await callWebhook(waiting.harness, onlyofficeAuth, { method: 'POST', body: { code: String(smsCodes.at(-1)) } });
			produced.push(login.output, waiting.output, accepted.result);
			const token = String(accepted.result.workflowData?.[0][0].json.token);
			// Back on the worker, its memory holding the hold of the code it sent.
			replaceTokenStore(workerStore);
			const codesBefore = onlyoffice.smsCodesSent;
			const next = await run(onlyofficeAuth, { credentials: waiting.harness.savedCredentials, parameters: { operation: 'logIn', smsCodeHandling: 'wait' } });
			expect(next.items[0]).toMatchObject({ token, reused: true });
			expect(onlyoffice.smsCodesSent - codesBefore).toBe(0);
			// A run that must log in (Reuse Token off) is not held by the code that was handed in: it is a new need.
			const anew = await executeNodeSettled(onlyofficeAuth, { credentials: waiting.harness.savedCredentials, parameters: { operation: 'logIn', smsCodeHandling: 'wait', options: { reuseToken: false } }, executionId: '932' });
			produced.push(anew.output);
			expect(anew.error).toBeUndefined();
			expect(anew.output?.[0][0].json).toMatchObject({ status: 'smsCodeSent' });
		} finally {
			onlyoffice.onSmsCode = undefined;
		}
	});
});

describe('two credentials with the same values', () => {
	it('a process that sent a code for one credential does not hold a copy of it once the code was handed in at another process (the lift is written to the first)', async () => {
		const values = { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '', sharedTokens: '' };
		onlyoffice.onSmsCode = (code) => smsCodes.push(code);
		try {
			const worker = newProcess();
			const wait = { operation: 'logIn', smsCodeHandling: 'wait' };
			const login = await executeNodeSettled(onlyofficeAuth, { credentials: { onlyofficeApi: values }, credentialIds: { onlyofficeApi: 'original' }, parameters: wait, executionId: '941' });
			const sent = login.output?.[0][0].json ?? {};
			expect(sent).toMatchObject({ status: 'smsCodeSent' });
			// Another process (the webhook processor) takes the code: the lift is written to the original credential.
			const workerStore = replaceTokenStore(worker);
			newProcess();
			const waiting = await executeNodeSettled(onlyofficeAuth, { credentials: login.harness.savedCredentials, credentialIds: { onlyofficeApi: 'original' }, parameters: { operation: 'waitForSmsCode' }, input: [{ json: sent }] });
			const accepted = await callWebhook(waiting.harness, onlyofficeAuth, { method: 'POST', body: { code: String(smsCodes.at(-1)) } });
			produced.push(login.output, waiting.output, accepted.result);
			expect(accepted.result.workflowData?.[0][0].json).toMatchObject({ provider: 'onlyoffice' });
			// Back on the worker, its memory holding the code it sent: a copy of the credential is not held by it.
			replaceTokenStore(workerStore);
			const copy = await run(onlyofficeAuth, { credentials: { onlyofficeApi: values }, credentialIds: { onlyofficeApi: 'copy' }, parameters: wait });
			expect(copy.error).toBeUndefined();
			expect(copy.items[0]).toMatchObject({ status: 'smsCodeSent' });
		} finally {
			onlyoffice.onSmsCode = undefined;
		}
	});
});

describe('Boknett Ticket: a login that may have counted a failed login, and a refused password', () => {
	const credentials = (password = BOKNETT_USER.password): CredentialsByType => ({
		boknettApi: { environment: 'custom', baseUrl: boknett.baseUrl, username: BOKNETT_USER.username, password, sessionTicket: '', sharedTokens: '' },
	});

	it('a 503 after the login: three items send it once, a later run and another process not before the time the error names', async () => {
		const before = logins();
		boknett.serveNext({ status: 503, reason: 'Service Unavailable', body: '' });
		const first = await run(boknettTicket, { credentials: credentials(), parameters: { operation: 'create' }, input: items(3), continueOnFail: true });
		expect(first.items.map((item) => String(item.error))).toEqual(Array(3).fill(expect.stringMatching(/^Boknett failed the login \(503 Service Unavailable\) but may already have counted a failed login, so it was not sent again/)));
		expect(String(first.items[2].description)).toMatch(/No login is sent with these values before \d{4}-\d\d-\d\dT/);
		const later = await run(boknettTicket, { credentials: first.saved, parameters: { operation: 'create' } });
		expect(later.error?.message).toMatch(/^Boknett failed the login \(503/);
		newProcess();
		const elsewhere = await run(boknettTicket, { credentials: later.saved, parameters: { operation: 'create' } });
		expect(elsewhere.error?.message).toMatch(/^Boknett failed the login \(503/);
		expect(logins() - before).toBe(1);
	});

	it("a refused password: a schedule's later runs and other processes send it no more, and say since when; the right password logs in", async () => {
		const before = logins();
		const wrong = credentials('wrong-schedule-pass');
		const first = await run(boknettTicket, { credentials: wrong, parameters: { operation: 'create' } });
		expect(first.error?.message).toMatch(/^Boknett refused the login \(400 Bad Request\)/);
		let saved = first.saved;
		for (let scheduled = 0; scheduled < 3; scheduled++) {
			newProcess();
			const again = await run(boknettTicket, { credentials: saved, parameters: { operation: 'create' } });
			expect(again.error?.message).toMatch(/^Boknett refused the login \(400 Bad Request\)/);
			expect(again.error?.description).toMatch(/Since then \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) no login is sent with these values/);
			saved = again.saved;
		}
		expect(logins() - before).toBe(1);
		const fixed = await run(boknettTicket, { credentials: credentials(), parameters: { operation: 'create' } });
		expect(fixed.items[0]).toMatchObject({ provider: 'boknett' });
	});

	it("Force New Login lifts a hold only in a run a person starts: left on in a schedule it sends nothing; after the person's run, the schedule goes on", async () => {
		newProcess();
		const before = logins();
		const locked = { boknettApi: { ...credentials('unlocked-later-pass').boknettApi, username: 'locked@example.no' } };
		const refused = await run(boknettTicket, { credentials: locked, parameters: { operation: 'create' } });
		expect(refused.error?.message).toMatch(/^Boknett refused the login \(400 Bad Request\)/);
		// An administrator unlocks the account: the same values log in from now on.
		boknett.accounts.set('locked@example.no', 'unlocked-later-pass');
		const forced = { operation: 'create', options: { forceNewLogin: true } };
		const scheduled = await run(boknettTicket, { credentials: refused.saved, parameters: forced, mode: 'trigger' });
		expect(scheduled.error?.description).toMatch(/Since then .* no login is sent with these values/);
		expect(logins() - before).toBe(1);
		const byHand = await run(boknettTicket, { credentials: scheduled.saved, parameters: forced });
		expect(byHand.items[0]).toMatchObject({ provider: 'boknett', reused: false });
		expect(logins() - before).toBe(2);
		// Another process's scheduled run: the lift reached it, and the person's ticket is reused.
		newProcess();
		const next = await run(boknettTicket, { credentials: byHand.saved, parameters: { operation: 'create' }, mode: 'trigger' });
		expect(next.items[0]).toMatchObject({ token: byHand.items[0].token, reused: true });
		expect(logins() - before).toBe(2);
	});

	it('Retry On Fail: n8n runs the node again, and the login is not sent again', async () => {
		const before = logins();
		boknett.serveNext({ status: 502, reason: 'Bad Gateway', body: '' });
		const wrong = credentials('retry-on-fail-pass');
		const first = await run(boknettTicket, { credentials: wrong, parameters: { operation: 'create' } });
		// n8n's retry is the node run once more in the same process.
		const retried = await run(boknettTicket, { credentials: first.saved, parameters: { operation: 'create' } });
		expect(retried.error?.message).toMatch(/^Boknett failed the login \(502/);
		expect(logins() - before).toBe(1);
	});

	it('a ticket deleted in one process is handed out by no other, from the credential or from its memory', async () => {
		newProcess();
		const first = await run(boknettTicket, { credentials: credentials(), parameters: { operation: 'create' } });
		const ticket = String(first.items[0].token);
		// Another process has the ticket in its memory.
		const worker = newProcess();
		const reused = await run(boknettTicket, { credentials: first.saved, parameters: { operation: 'create' } });
		expect(reused.items[0]).toMatchObject({ token: ticket, reused: true });
		const workerStore = replaceTokenStore(worker);
		// A third process logs out.
		newProcess();
		const logout = await run(boknettTicket, { credentials: reused.saved, parameters: { operation: 'delete', ticket } });
		expect(logout.items[0]).toEqual({ deleted: true });
		// The worker, its memory holding the ticket, reads the credential as it is now: it logs in instead.
		replaceTokenStore(workerStore);
		const after = await run(boknettTicket, { credentials: logout.saved, parameters: { operation: 'create' } });
		expect(after.items[0].token).not.toBe(ticket);
		expect(after.items[0]).toMatchObject({ reused: false });
	});
});

it('leak check: no password or SMS code handed in, in any output or error', () => {
	expect(produced.length).toBeGreaterThan(0);
	expect(smsCodes.length).toBeGreaterThan(0);
	expect(
		leakedSecrets(produced, {
			boknett: BOKNETT_USER.password,
			onlyoffice: ONLYOFFICE_SMS_2FA_USER.password,
			wrongSchedule: 'wrong-schedule-pass',
			wrongRetry: 'retry-on-fail-pass',
			unlocked: 'unlocked-later-pass',
			...Object.fromEntries(smsCodes.map((code, index) => [`smsCode${index}`, code])),
		}),
	).toEqual([]);
});
