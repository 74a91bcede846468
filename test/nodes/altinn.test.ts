import type { INodeType } from 'n8n-workflow';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnSmsChallenge } from '../../nodes/Altinn/AltinnSmsChallenge.node';
import { AltinnSoapRequest } from '../../nodes/Altinn/AltinnSoapRequest.node';
import { ALTINN_PERSON, ALTINN_REST_USER, FakeAltinn, PERSON_WITHOUT_PHONE, altinnSmsPinCredentialData } from '../fakes/fakeAltinn';
import type { AltinnRestFailure, AltinnSoapFailure } from '../fakes/fakeAltinn';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { WebhookContext } from 'n8n-core';

import { FORM_WAITING_BASE_URL, WAITING_BASE_URL, callWebhook } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

let fake: FakeAltinn;
/** PINs that were used in a SOAP request: after use they may appear nowhere but in the PIN token item. */
const usedPins: string[] = [];

const runner = new RecordingRunner();
const produced = runner.produced;
const run = async (node: INodeType, options: RunOptions) => await runner.run(node, options);
const failure = async (node: INodeType, options: RunOptions) => await runner.failure(node, options);

function restCredentials(overrides: Record<string, string> = {}) {
	return { altinnApi: { environment: 'custom', baseUrl: fake.baseUrl, ...ALTINN_REST_USER, ...overrides } };
}

/** What a person reads on a page: its text without the style sheet and the markup. */
function visibleText(html: string): string {
	return html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
}

function pinCredentials(overrides: Record<string, string> = {}) {
	return { altinnSmsPinApi: altinnSmsPinCredentialData(fake.baseUrl, overrides) };
}

beforeAll(async () => {
	fake = await new FakeAltinn().start();
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.restFailure = 'none';
	fake.soapFailure = 'none';
	fake.requireApiKey = false;
	fake.cookieName = '.AspxAuthProd';
	fake.cookieLifetime = 'expires';
	fake.clearRequests();
});

describe('Altinn Authenticate', () => {
	const node = new AltinnAuthenticate();

	it.each(['.AspxAuthProd', '.AspxAuthTT02', '.ASPXAUTH'])('logs in and outputs the %s cookie as a token item', async (cookieName) => {
		fake.cookieName = cookieName;
		const { output } = await run(node, { credentials: restCredentials() });
		const json = output?.[0][0].json as Record<string, unknown>;
		expect(json).toMatchObject({ provider: 'altinn', environment: 'custom', cookieName });
		expect(json.headers).toEqual({ Cookie: `${cookieName}=${String(json.token)}`, ApiKey: ALTINN_REST_USER.apiKey, Accept: 'application/hal+json' });
		const expiresIn = Date.parse(String(json.expiresAt)) - Date.parse(String(json.obtainedAt));
		expect(expiresIn).toBeGreaterThan(29 * 60 * 1000);
		// The fake sets Expires 30 minutes after it answers, rounded to whole seconds.
		expect(expiresIn).toBeLessThanOrEqual(30 * 60 * 1000 + 2_000);
		const [request] = fake.requestsTo('/api/authentication');
		expect(request.headers.apikey).toBe(ALTINN_REST_USER.apiKey);
		expect(JSON.parse(request.body)).toEqual({ UserName: ALTINN_REST_USER.username, UserPassword: ALTINN_REST_USER.password });
		const messages = await fetch(`${fake.baseUrl}/api/my/messages`, { headers: json.headers as Record<string, string> });
		expect(messages.status).toBe(200);
	});

	it('reads Max-Age, and gives expiresAt null for a session cookie', async () => {
		fake.cookieLifetime = 'maxAge';
		const maxAge = (await run(node, { credentials: restCredentials() })).output?.[0][0].json as Record<string, string>;
		expect(Date.parse(maxAge.expiresAt) - Date.parse(maxAge.obtainedAt)).toBeGreaterThanOrEqual(1_799_000);
		fake.cookieLifetime = 'session';
		const session = await run(node, { credentials: restCredentials(), parameters: { options: { forceNewLogin: true } } });
		expect(session.output?.[0][0].json.expiresAt).toBeNull();
	});

	it('fails a 200 without an auth cookie as a failed login', async () => {
		fake.restFailure = 'okWithoutCookie';
		const error = await failure(node, { credentials: restCredentials() });
		expect(error.message).toBe('Altinn answered 200 OK but did not log in (no auth cookie was set)');
	});

	it('fails a wrong password once, with the reason phrase, and hints at special characters', async () => {
		const error = await failure(node, { credentials: restCredentials({ password: 'Feil#passord?' }) });
		expect(error.message).toBe('Altinn did not log in (401 Invalid username or password)');
		expect(error.description).toMatch(/special characters \(such as \? @ # &\)/);
		expect(fake.requestsTo('/api/authentication')).toHaveLength(1);
		expect(leakedSecrets([error], { wrong: 'Feil#passord?' })).toEqual([]);
	});

	it('shows Altinn\'s ErrorMessage when it sends one', async () => {
		fake.restFailure = 'wrongPasswordJson';
		const error = await failure(node, { credentials: restCredentials({ password: 'wrong-one' }) });
		expect(error.description).toMatch(/Ugyldig brukernavn eller passord/);
	});

	it('explains a missing and a refused API key', async () => {
		fake.requireApiKey = true;
		const missing = await failure(node, { credentials: restCredentials({ apiKey: '' }) });
		expect(missing.message).toBe("Altinn did not log in (400 Required header 'ApiKey' is missing.)");
		const refused = await failure(node, { credentials: restCredentials({ apiKey: 'not-a-registered-key' }) });
		expect(refused.message).toBe('Altinn refused the request (403 Forbidden)');
		expect(refused.description).toMatch(/API key/);
		expect(leakedSecrets([refused], { apiKey: 'not-a-registered-key' })).toEqual([]);
	});

	it.each<[AltinnRestFailure, RegExp]>([
		['htmlPage', /web page instead of logging in/],
		['serverError', /^Altinn failed the login \(503 Service Unavailable\) but may already have counted a failed login, so it was not sent again$/],
	])('turns %s into a clear error', async (mode, message) => {
		fake.restFailure = mode;
		expect((await failure(node, { credentials: restCredentials() })).message).toMatch(message);
	});

	it('times out clearly', async () => {
		fake.restFailure = 'slow';
		const error = await failure(node, { credentials: restCredentials(), parameters: { options: { timeout: 200 } } });
		expect(error.message).toMatch(/did not answer within 200 ms/);
	});

	it('with Continue On Fail, outputs the error per item', async () => {
		fake.restFailure = 'okWithoutCookie';
		const { output } = await run(node, { credentials: restCredentials(), continueOnFail: true, input: [{ json: {} }, { json: {} }] });
		expect(output?.[0].map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Altinn answered 200 OK but did not log in (no auth cookie was set)', { item: 0 }],
			['Altinn answered 200 OK but did not log in (no auth cookie was set)', { item: 1 }],
		]);
	});
});

describe('Altinn SMS Challenge: Request PIN', () => {
	const node = new AltinnSmsChallenge();

	it('asks Altinn to send a PIN and outputs the status and this execution\'s resume URLs', async () => {
		const { output } = await run(node, { credentials: pinCredentials(), executionId: '123', resumeToken: 'tok' });
		expect(output?.[0][0].json).toEqual({
			status: 'Ok',
			message: 'Engangskode er sendt på SMS.',
			validFrom: expect.any(String),
			validTo: expect.any(String),
			authMethod: 'SMSPin',
			pinFormUrl: `${FORM_WAITING_BASE_URL}/123?signature=tok`,
			pinWebhookUrl: `${WAITING_BASE_URL}/123?signature=tok`,
		});
		expect(fake.lastPinFor(ALTINN_PERSON.ssn)).toMatch(/^\d{5}$/);
		const [request] = fake.requestsTo('/AuthenticationExternal');
		expect(request.body).toContain('<ns1:UserPassword>Pinpass&lt;&amp;&gt;&quot;&apos;æøå</ns1:UserPassword>');
		expect(request.body).toContain('<ns1:SystemUserName>fagsystem-42</ns1:SystemUserName>');
	});

	it('still reads the national ID number of a credential saved before 0.4.0 (field "userSsn")', async () => {
		const { secretNationalIdNumber, ...older } = pinCredentials().altinnSmsPinApi;
		await run(node, { credentials: { altinnSmsPinApi: { ...older, userSsn: secretNationalIdNumber } }, executionId: '124', resumeToken: 'tok' });
		expect(fake.requestsTo('/AuthenticationExternal')[0].body).toContain(`<ns1:UserSSN>${ALTINN_PERSON.ssn}</ns1:UserSSN>`);
	});

	it('uses unsigned resume URLs where n8n (1.x) gives no signature', async () => {
		const { output } = await run(node, { credentials: pinCredentials(), executionId: '77', resumeToken: null });
		expect(output?.[0][0].json).toMatchObject({ pinFormUrl: `${FORM_WAITING_BASE_URL}/77`, pinWebhookUrl: `${WAITING_BASE_URL}/77` });
	});

	it.each<[string, Record<string, string>, RegExp]>([
		['InvalidCredentials', { userPassword: 'wrong-password' }, /refused the national ID number or password \(InvalidCredentials\)/],
		['NoPhoneNumber', { secretNationalIdNumber: PERSON_WITHOUT_PHONE.ssn, userPassword: PERSON_WITHOUT_PHONE.password }, /no mobile phone number/],
		['InvalidPinType', { secretNationalIdNumber: PERSON_WITHOUT_PHONE.ssn, userPassword: PERSON_WITHOUT_PHONE.password, authMethod: 'AltinnPin' }, /does not accept this PIN type/],
	])('fails %s with a clear English error and Altinn\'s Norwegian message', async (_status, overrides, message) => {
		const error = await failure(node, { credentials: pinCredentials(overrides) });
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/The service said: "[^"]*[æøå.]/);
		expect(fake.requestsTo('/AuthenticationExternal')).toHaveLength(1);
	});

	it.each<[AltinnSoapFailure, RegExp]>([
		['unknownStatus', /unknown status "TemporarilyLocked"/],
		['fault989', /error 989/],
		['fault5', /system login \(error 5\)/],
		['htmlPage', /^Altinn failed the PIN request \(502 Bad Gateway\) but may already have sent the SMS with the PIN, so it was not sent again$/],
		['malformedXml', /not well-formed XML/],
		['doctype', /document type declaration/],
		['serverError', /^Altinn failed the PIN request \(503 Service Unavailable\) but may already have sent the SMS with the PIN, so it was not sent again$/],
	])('turns %s into a clear error', async (mode, message) => {
		fake.soapFailure = mode;
		const error = await failure(node, { credentials: pinCredentials() });
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
		// Each PIN request may send an SMS: whatever the failure, it is sent once.
		expect(fake.requestsTo('/AuthenticationExternal')).toHaveLength(1);
	});

	it('times out clearly', async () => {
		fake.soapFailure = 'slow';
		expect((await failure(node, { credentials: pinCredentials(), parameters: { options: { timeout: 200 } } })).message).toMatch(/200 ms/);
	});

	it('refuses an SSN with a line break before sending', async () => {
		const error = await failure(node, { credentials: pinCredentials({ secretNationalIdNumber: `${ALTINN_PERSON.ssn}\n` }) });
		expect(error.message).toMatch(/control character/);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Altinn SMS Challenge: Wait for PIN', () => {
	const node = new AltinnSmsChallenge();
	const input = [{ json: { sent: true } }];

	async function startWaiting(timeLimitMinutes?: number) {
		const parameters = timeLimitMinutes ? { operation: 'waitForPin', timeLimitMinutes } : { operation: 'waitForPin' };
		const before = Date.now();
		const result = await run(node, { credentials: pinCredentials(), parameters, input });
		return { ...result, before };
	}

	it('pauses the execution for the time limit (30 minutes by default) and passes its input on', async () => {
		const { output, harness, before } = await startWaiting();
		expect(output).toEqual([input]);
		expect(harness.statusChanges).toEqual(['waiting']);
		const waitTill = harness.runExecutionData.waitTill?.getTime() ?? 0;
		expect(waitTill - before).toBeGreaterThanOrEqual(30 * 60 * 1000);
		expect(waitTill - before).toBeLessThan(30 * 60 * 1000 + 5_000);
		const tenMinutes = await startWaiting(10);
		expect((tenMinutes.harness.runExecutionData.waitTill?.getTime() ?? 0) - tenMinutes.before).toBeLessThan(10 * 60 * 1000 + 5_000);
	});

	it('shows a PIN form on GET and keeps waiting', async () => {
		const { harness } = await startWaiting();
		const { result, response } = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(200);
		expect(response.headers['content-type']).toMatch(/text\/html/);
		expect(response.body).toMatch(/<form method="post" action="">/);
		expect(response.body).toMatch(/name="pin"/);
	});

	it('refuses a malformed PIN with a message and keeps waiting, then takes the right one', async () => {
		const { harness } = await startWaiting();
		const refused = await callWebhook(harness, node, { method: 'POST', body: { pin: '12<b>' } });
		expect(refused.result.workflowData).toBeUndefined();
		expect(refused.response.statusCode).toBe(400);
		expect(JSON.parse(refused.response.body)).toEqual({
			accepted: false,
			error: 'That is not a valid PIN: it must be 4 to 12 letters or digits. The workflow is still waiting; please try again.',
		});
		const before = Date.now();
		const accepted = await callWebhook(harness, node, { method: 'POST', body: { pin: '48213' } });
		expect(accepted.response.statusCode).toBe(200);
		expect(JSON.parse(accepted.response.body)).toEqual({ accepted: true });
		const item = accepted.result.workflowData?.[0][0].json as Record<string, unknown>;
		expect(item).toMatchObject({ provider: 'altinn-sms', environment: 'custom', token: '48213', authMethod: 'SMSPin', headers: {} });
		expect(Date.parse(String(item.expiresAt)) - before).toBeGreaterThanOrEqual(30 * 60 * 1000 - 10);
		produced.push(accepted.result);
	});

	it('reads the credential once for a right PIN posted as JSON (the login), and builds the page only when it sends one', async () => {
		const { harness } = await startWaiting();
		// Counted, not replaced: n8n's own getCredentials still answers.
		const reads = jest.spyOn(WebhookContext.prototype, 'getCredentials');
		try {
			await callWebhook(harness, node, { method: 'POST', body: { pin: '48213' } });
			expect(reads).toHaveBeenCalledTimes(1);
			reads.mockClear();
			const page = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
			expect(page.response.body).toMatch(/name="pin"/);
			expect(reads).toHaveBeenCalledTimes(1);
		} finally {
			reads.mockRestore();
		}
	});

	it('takes the PIN from the HTML form, ignoring spaces, and thanks the person', async () => {
		const { harness } = await startWaiting();
		const formPost = await callWebhook(harness, node, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { pin: ' 482 13 ' },
		});
		expect(formPost.result.workflowData?.[0][0].json.token).toBe('48213');
		expect(formPost.response.body).toMatch(/The PIN was received\. The workflow now sends it to Altinn with its request/);
		expect(visibleText(formPost.response.body)).not.toMatch(/\bcode\b/i);
		const badForm = await callWebhook(harness, node, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { pin: '' },
		});
		expect(badForm.response.statusCode).toBe(400);
		expect(badForm.response.body).toMatch(/<p class="error" role="alert">That is not a valid PIN: /);
		expect(badForm.response.body).toMatch(/name="pin"/);
	});

	it('names the service, the person by the last digits of the national ID number only, and until when the PIN is valid', async () => {
		const requested = await run(node, { credentials: pinCredentials() });
		const requestItem = requested.output?.[0][0].json ?? {};
		const validTo = String(requestItem.validTo);
		const { harness } = await run(node, {
			credentials: pinCredentials(),
			parameters: { operation: 'waitForPin' },
			input: [{ json: { sent: true } }],
			timezone: 'Europe/Oslo',
			// As in the examples: Request PIN, a node sending the link, then this one.
			upstream: [
				{ name: 'Request PIN', parameters: {}, output: [requestItem] },
				{ name: 'Send PIN Link', type: 'n8n-nodes-base.noOp', output: [{ sent: true }] },
			],
		});
		const { response } = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
		produced.push(response.body);
		expect(response.statusCode).toBe(200);
		expect(response.body).toContain(`<dt>Service</dt><dd>Altinn (custom address ${new URL(fake.baseUrl).host})</dd>`);
		expect(response.body).toContain('<dt>Account</dt><dd>national ID number ending in 45</dd>');
		expect(leakedSecrets([response.body], { 'national ID number': ALTINN_PERSON.ssn })).toEqual([]);
		const hhmm = new Date(validTo).toLocaleTimeString('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		// The date is said too when the PIN stays valid past midnight in Oslo (a run near midnight).
		const osloDay = (date: Date) => date.toLocaleDateString('en-CA', { timeZone: 'Europe/Oslo' });
		const day = osloDay(new Date(validTo)) === osloDay(new Date()) ? '' : ` on ${osloDay(new Date(validTo))}`;
		expect(response.body).toContain(`<p class="validity">Valid until ${hhmm}${day} (Europe/Oslo)</p>`);
		expect(response.body).toContain('<title>Altinn PIN</title>');
		expect(response.body).toContain('<label for="pin">Type the one-time PIN Altinn sent you:</label>');
		expect(visibleText(response.body)).not.toMatch(/\bcode\b/i);
	});

	it.each([
		['no Request PIN step before it', []],
		['a Request PIN step that did not run', [{ name: 'Request PIN', parameters: { operation: 'requestPin' } }]],
		['an empty validTo (.NET\'s 0001-01-01)', [{ name: 'Request PIN', output: [{ validTo: '0001-01-01T00:00:00' }] }]],
		['an unreadable validTo', [{ name: 'Request PIN', output: [{ validTo: 'soon' }] }]],
	])('without a usable time (%s) the page says how long a PIN lasts', async (_case, upstream) => {
		const { harness } = await run(node, { credentials: pinCredentials(), parameters: { operation: 'waitForPin' }, input, upstream });
		const { response } = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(response.statusCode).toBe(200);
		expect(response.body).toContain('<p class="validity">A PIN is valid for 30 minutes after it was sent.</p>');
		expect(response.body).not.toContain('Valid until');
	});

	it('asks for the PIN from the letter of codes when the credential uses Altinn PIN (letter)', async () => {
		const { harness } = await run(node, { credentials: pinCredentials({ authMethod: 'AltinnPin' }), parameters: { operation: 'waitForPin' }, input });
		const { response } = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(response.body).toContain('<label for="pin">Type the PIN from the letter of codes Altinn sent you by post (Altinn says which one):</label>');
	});

	it('shows the page even when the credential cannot be read, without the service and account', async () => {
		const { harness } = await run(node, { parameters: { operation: 'waitForPin' }, input });
		const { response } = await callWebhook(harness, node, { method: 'GET', headers: { 'content-type': '' } });
		expect(response.statusCode).toBe(200);
		expect(response.body).not.toContain('<dl>');
		expect(response.body).toMatch(/<input id="pin"/);
	});

	it('escapes nothing it echoes: the error page never repeats what was posted', async () => {
		const { harness } = await startWaiting();
		const posted = '<script>alert(1)</script>';
		const { response } = await callWebhook(harness, node, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { pin: posted },
		});
		expect(response.body).not.toContain(posted);
	});
});

describe('Altinn SOAP Request', () => {
	const challenge = new AltinnSmsChallenge();
	const node = new AltinnSoapRequest();

	async function pinItem() {
		await run(challenge, { credentials: pinCredentials() });
		const pin = fake.lastPinFor(ALTINN_PERSON.ssn) ?? '';
		usedPins.push(pin);
		fake.clearRequests();
		return { json: { provider: 'altinn-sms', environment: 'custom', token: pin, authMethod: 'SMSPin', headers: {} } };
	}

	it('fills the SSN, passwords and PIN from the credential and the PIN item, and outputs the answer without secrets', async () => {
		const { output } = await run(node, { credentials: pinCredentials(), input: [await pinItem()] });
		const json = output?.[0][0].json as Record<string, Record<string, Record<string, Record<string, string>>>>;
		const element = json.GetReporteeElementListBasicV2Response.GetReporteeElementListBasicV2Result.ReporteeElementBEV2;
		expect(element).toMatchObject({ ReporteeElementId: '123456', Title: 'Skattemelding 2026', Reportee: '[redacted]' });
		const [request] = fake.requestsTo('/ServiceEngineExternal');
		expect(request.headers.soapaction).toBe('"http://www.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10/IReporteeElementListExternalBasic/GetReporteeElementListBasicV2"');
		expect(request.body).toContain('<ns:userPassword>Pinpass&lt;&amp;&gt;&quot;&apos;æøå</ns:userPassword>');
		expect(request.body).toContain('<ns:systemPassword>Sys&amp;pass&lt;1&gt;</ns:systemPassword>');
	});

	it('gives the raw XML when asked, still without secrets', async () => {
		const { output } = await run(node, { credentials: pinCredentials(), input: [await pinItem()], parameters: { options: { responseFormat: 'xml' } } });
		const xml = String(output?.[0][0].json.xml);
		expect(xml).toContain('<a:Title>Skattemelding 2026</a:Title>');
		expect(xml).toContain('<a:Reportee>[redacted]</a:Reportee>');
	});

	it('says the PIN is wrong, used up or expired and a new one is needed (ErrorID 989)', async () => {
		const item = await pinItem();
		const wrong = await failure(node, { credentials: pinCredentials(), input: [{ json: { ...item.json, token: '99999' } }] });
		expect(wrong.message).toMatch(/error 989\): the PIN is wrong, used up or expired/);
		expect(wrong.description).toMatch(/Request a new PIN/);
		fake.expireAllPins();
		const expired = await failure(node, { credentials: pinCredentials(), input: [item] });
		expect(expired.message).toMatch(/error 989/);
	});

	it('reports a wrong system password (ErrorID 5)', async () => {
		const item = await pinItem();
		const error = await failure(node, { credentials: pinCredentials({ systemPassword: 'wrong-system-pass' }), input: [item] });
		expect(error.message).toMatch(/system login \(error 5\)/);
		expect(leakedSecrets([error], { system: 'wrong-system-pass' })).toEqual([]);
	});

	it('fails clearly when no PIN arrived, e.g. after the wait\'s time limit passed', async () => {
		const error = await failure(node, { credentials: pinCredentials(), input: [{ json: { sent: true } }] });
		expect(error.message).toBe('No Altinn PIN reached this node');
		expect(error.description).toMatch(/time limit/);
		expect(fake.requests).toHaveLength(0);
	});

	it('refuses a template that is not XML, unknown placeholders and another host, before sending', async () => {
		const item = await pinItem();
		const broken = await failure(node, { credentials: pinCredentials(), input: [item], parameters: { body: '<a>{{userSSN}}</b>' } });
		expect(broken.message).toMatch(/not well-formed XML/);
		const unknown = await failure(node, { credentials: pinCredentials(), input: [item], parameters: { body: '<a>{{ssn}}</a>' } });
		expect(unknown.message).toMatch(/unknown placeholders/);
		const elsewhere = await failure(node, { credentials: pinCredentials(), input: [item], parameters: { endpoint: 'http://127.0.0.2:9/X.svc' } });
		expect(elsewhere.message).toMatch(/not the Altinn environment/);
		expect(fake.requests).toHaveLength(0);
	});

	it('keeps a value from breaking out of its element (SOAP injection through the credential)', async () => {
		fake.people.set('</ns:userSSN><x/>', { ...ALTINN_PERSON, ssn: '</ns:userSSN><x/>' });
		const error = await failure(node, { credentials: pinCredentials({ secretNationalIdNumber: '</ns:userSSN><x/>' }), input: [await pinItem()] });
		// The fake parsed the escaped value back as the SSN it was, so the envelope stayed intact.
		expect(error.message).toMatch(/error 989/);
		expect(fake.requestsTo('/ServiceEngineExternal')[0].body).toContain('&lt;/ns:userSSN&gt;&lt;x/&gt;');
	});

	it('with Continue On Fail, fails only the item without a PIN', async () => {
		const { output } = await run(node, { credentials: pinCredentials(), continueOnFail: true, input: [{ json: {} }, await pinItem()] });
		expect(output?.[0][0].json.error).toBe('No Altinn PIN reached this node');
		expect(output?.[0][1].json.GetReporteeElementListBasicV2Response).toBeDefined();
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no national ID number, password or used PIN in any output, error or page', () => {
	// Something was produced, so the search below searched something.
	expect(produced.length).toBeGreaterThan(0);
	const secrets: Record<string, string> = {
		restPassword: ALTINN_REST_USER.password,
		ssn: ALTINN_PERSON.ssn,
		userPassword: ALTINN_PERSON.password,
		systemPassword: ALTINN_PERSON.systemPassword ?? '',
		otherSsn: PERSON_WITHOUT_PHONE.ssn,
		otherPassword: PERSON_WITHOUT_PHONE.password,
	};
	expect(leakedSecrets(produced, secrets)).toEqual([]);
	// After use, a PIN may only stand in the PIN token item's own `token` (made before use).
	const afterUse = produced.filter((value) => !JSON.stringify(value ?? null).includes('"provider":"altinn-sms"'));
	const pins = Object.fromEntries(usedPins.map((pin, index) => [`pin${index}`, pin]));
	expect(leakedSecrets(afterUse, pins)).toEqual([]);
});
