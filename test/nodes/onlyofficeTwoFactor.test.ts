import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { FakeOnlyoffice, ONLYOFFICE_TOTP_SECRET, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { FORM_WAITING_BASE_URL, WAITING_BASE_URL, callWebhook } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const node = new OnlyofficeAuth();
let fake: FakeOnlyoffice;
const smsCodes: string[] = [];

function credentials(overrides: Record<string, string> = {}) {
	return { onlyofficeApi: { portalUrl: fake.baseUrl, ...ONLYOFFICE_USER, totpSecret: '', ...overrides } };
}

const runner = new RecordingRunner(() => ({ credentials: credentials() }));
const run = async (options: RunOptions = {}) => await runner.run(node, options);
const failure = async (options: RunOptions = {}) => await runner.failure(node, options);

beforeAll(async () => {
	fake = await new FakeOnlyoffice().start();
	fake.onSmsCode = (code) => smsCodes.push(code);
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.failure = 'none';
	fake.smsCodeExpires = undefined;
	fake.clearRequests();
});

describe('ONLYOFFICE Auth: authenticator-app two-factor', () => {
	it('computes the code from the credential\'s secret and completes the login', async () => {
		fake.failure = 'twoFactorApp';
		const { output } = await run({ credentials: credentials({ totpSecret: ONLYOFFICE_TOTP_SECRET.toLowerCase().replace(/(.{4})/g, '$1 ') }) });
		const json = output?.[0][0].json as Record<string, unknown>;
		expect(json.provider).toBe('onlyoffice');
		expect(fake.liveTokens.has(String(json.token))).toBe(true);
		expect(fake.requests.map((request) => request.path)).toEqual(['/api/2.0/authentication', expect.stringMatching(/^\/api\/2\.0\/authentication\/\d{6}$/)]);
		expect(JSON.parse(fake.requests[1].body)).toEqual({ userName: ONLYOFFICE_USER.username, password: ONLYOFFICE_USER.password });
	});

	it('explains a wrong secret as a refused code, sent once', async () => {
		fake.failure = 'twoFactorApp';
		const error = await failure({ credentials: credentials({ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }) });
		expect(error.message).toBe('ONLYOFFICE refused the two-factor code (401 Unauthorized)');
		expect(error.description).toMatch(/authenticator secret .* clock/);
		expect(fake.requests).toHaveLength(2);
	});

	it('without a secret says where to put it', async () => {
		fake.failure = 'twoFactorApp';
		const error = await failure();
		expect(error.message).toBe('This ONLYOFFICE account requires two-factor login with an authenticator app');
		expect(error.description).toMatch(/Add the authenticator secret/);
	});

	it('refuses a malformed secret before sending a code', async () => {
		fake.failure = 'twoFactorApp';
		const error = await failure({ credentials: credentials({ totpSecret: 'not base32!' }) });
		expect(error.message).toBe('The authenticator secret in the ONLYOFFICE API credential is not a valid Base32 key');
		expect(fake.requests).toHaveLength(1);
	});
});

describe('ONLYOFFICE Auth: SMS code', () => {
	it('stops with an error by default, saying how to wait for the code', async () => {
		fake.failure = 'twoFactorSms';
		const error = await failure();
		expect(error.message).toBe('This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code');
		expect(error.description).toMatch(/Wait for SMS Code/);
	});

	it('with "Wait for the Code" outputs the code page and resume URL, then the waiting node finishes the login', async () => {
		fake.failure = 'twoFactorSms';
		const login = await run({ parameters: { operation: 'logIn', smsCodeHandling: 'wait' }, executionId: '815' });
		const sent = login.output?.[0][0].json ?? {};
		expect(sent).toMatchObject({ status: 'smsCodeSent', phoneNoise: '+47 *****123' });
		expect(String(sent.codeFormUrl)).toMatch(new RegExp(`^${FORM_WAITING_BASE_URL}/815`));
		expect(String(sent.codeWebhookUrl)).toMatch(new RegExp(`^${WAITING_BASE_URL}/815`));
		expect(sent).not.toHaveProperty('token');

		const waiting = await run({ parameters: { operation: 'waitForSmsCode' }, input: [{ json: sent }] });
		expect(waiting.harness.statusChanges).toEqual(['waiting']);
		expect((waiting.harness.runExecutionData.waitTill?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);

		const malformed = await callWebhook(waiting.harness, node, { method: 'POST', body: { code: '12ab' } });
		expect(malformed.response.statusCode).toBe(400);
		expect(JSON.parse(malformed.response.body).error).toBe('That is not a valid code: it must be 6 digits. The workflow is still waiting; please try again.');

		const wrongCode = smsCodes.at(-1) === '000000' ? '111111' : '000000';
		const refused = await callWebhook(waiting.harness, node, { method: 'POST', body: { code: wrongCode } });
		runner.produced.push(refused.response.body);
		expect(refused.result.workflowData).toBeUndefined();
		expect(refused.response.statusCode).toBe(400);
		expect(JSON.parse(refused.response.body).error).toMatch(/^ONLYOFFICE refused the two-factor code \(401 Unauthorized\)\. .* This page still takes the code until the wait ends\.$/);

		const accepted = await callWebhook(waiting.harness, node, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { pin: ` ${String(smsCodes.at(-1)).slice(0, 3)} ${String(smsCodes.at(-1)).slice(3)}` },
		});
		runner.produced.push(accepted.result);
		expect(accepted.response.body).toMatch(/<p class="done">ONLYOFFICE accepted the code and you are logged in; the workflow goes on\./);
		const item = accepted.result.workflowData?.[0][0].json as Record<string, unknown>;
		expect(item.provider).toBe('onlyoffice');
		expect(fake.liveTokens.has(String(item.token))).toBe(true);
		expect(fake.requestsTo('/api/2.0/authentication/')).toHaveLength(2);
	});

	it('the code page names the portal and the account (masked), and until when the code is valid, read from the Log In step before it', async () => {
		fake.failure = 'twoFactorSms';
		// A fixed expiry in the portal's own format (with an offset), so the page's time is known.
		fake.smsCodeExpires = '2030-01-01T10:10:00+01:00';
		const parameters = { operation: 'logIn', smsCodeHandling: 'wait' };
		const pending = await run({ parameters, typeVersion: 2 });
		const sent = pending.output?.[1][0].json ?? {};
		expect(sent.codeExpiresAt).toBe('2030-01-01T09:10:00.000Z');
		const waiting = await run({
			parameters: { operation: 'waitForSmsCode' },
			typeVersion: 2,
			input: [{ json: { sent: true } }],
			timezone: 'Asia/Tokyo',
			// As in the example: Log In's Code Needed output, a node sending the link, then this one.
			upstream: [
				{ name: 'Log In', parameters, output: [sent], outputIndex: 1 },
				{ name: 'Send Code Link', type: 'n8n-nodes-base.noOp', output: [{ sent: true }] },
			],
		});
		const page = await callWebhook(waiting.harness, node, { method: 'GET', headers: { 'content-type': '' } });
		runner.produced.push(page.response.body);
		expect(page.response.statusCode).toBe(200);
		expect(page.response.body).toContain(`<dt>Service</dt><dd>ONLYOFFICE (${new URL(fake.baseUrl).host})</dd>`);
		expect(page.response.body).toContain('<dt>Account</dt><dd>a…@example.no</dd>');
		expect(page.response.body).not.toContain(ONLYOFFICE_USER.username);
		expect(page.response.body).not.toContain('anne');
		expect(page.response.body).toContain('<p class="validity">Valid until 18:10 on 2030-01-01 (Asia/Tokyo)</p>');
		expect(page.response.body).toContain('<title>ONLYOFFICE code</title>');

		const malformed = await callWebhook(waiting.harness, node, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { pin: 'x' } });
		expect(malformed.response.body).toContain('<p class="error" role="alert">That is not a valid code: it must be 6 digits.');

		const withoutTime = await run({ parameters: { operation: 'waitForSmsCode' }, input: [{ json: { sent: true } }], upstream: [{ name: 'Log In', parameters, output: [{ ...sent, codeExpiresAt: null }] }] });
		const fallback = await callWebhook(withoutTime.harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(fallback.response.body).toContain('<p class="validity">The code is valid for a few minutes.</p>');
	});

	it('version 2 sends a login that needs a code to the Code Needed output, and a reused token to the Token output', async () => {
		fake.failure = 'twoFactorSms';
		const parameters = { operation: 'logIn', smsCodeHandling: 'wait' };
		const pending = await run({ parameters, typeVersion: 2, executionId: '816' });
		expect(pending.output).toHaveLength(2);
		expect(pending.output?.[0]).toEqual([]);
		expect(pending.output?.[1][0].json).toMatchObject({ status: 'smsCodeSent', codeFormUrl: expect.stringContaining('/816') });

		// A token from an earlier login with the same credential: the code page must not be sent. (The code just
		// sent holds the values: another login with them is a person's Force New Login.)
		fake.failure = 'none';
		const first = await run({ parameters: { ...parameters, options: { forceNewLogin: true } }, typeVersion: 2 });
		expect(first.output?.[0][0].json).toMatchObject({ provider: 'onlyoffice', reused: false });
		expect(first.output?.[1]).toEqual([]);
		fake.failure = 'twoFactorSms';
		const reused = await run({ parameters, typeVersion: 2 });
		expect(reused.output?.[0][0].json).toMatchObject({ provider: 'onlyoffice', reused: true });
		expect(reused.output?.[1]).toEqual([]);

		// Version 1 keeps its one output.
		const versionOne = await run({ parameters: { ...parameters, options: { reuseToken: false, forceNewLogin: true } }, executionId: '817' });
		expect(versionOne.output).toHaveLength(1);
		expect(versionOne.output?.[0][0].json).toMatchObject({ status: 'smsCodeSent' });
	});

	it('shows the code form on GET', async () => {
		const waiting = await run({ parameters: { operation: 'waitForSmsCode' } });
		const { response } = await callWebhook(waiting.harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(response.body).toMatch(/Type the code the ONLYOFFICE portal sent you by SMS/);
	});

	it('keeps waiting and says so when the portal is down at the moment the code arrives', async () => {
		const waiting = await run({ parameters: { operation: 'waitForSmsCode' } });
		fake.failure = 'serverError';
		const { result, response } = await callWebhook(waiting.harness, node, { method: 'POST', body: { code: '123456' } });
		runner.produced.push(response.body);
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(502);
		expect(fake.requestsTo('/api/2.0/authentication/123456')).toHaveLength(1);
		expect(JSON.parse(response.body).error).toMatch(/^The ONLYOFFICE portal failed the two-factor code \(502 Bad Gateway\) but may already have used up the code or counted a failed login, so it was not sent again\. Check first whether it did .+ This page still takes the code until the wait ends\.$/);
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no password or authenticator secret in any output, error or code page', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(leakedSecrets(runner.produced, { password: ONLYOFFICE_USER.password, totpSecret: ONLYOFFICE_TOTP_SECRET })).toEqual([]);
});
