/**
 * The Altinn Consent node (Create, Get, Wait for Decision) against the fake Altinn, and the whole
 * round: ask, a person accepts on Altinn's page, then a consent token without the person's number.
 */
import { createHash, randomUUID } from 'node:crypto';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnConsent } from '../../nodes/Altinn/AltinnConsent.node';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CONSENT_PERSON, CONSENT_RESOURCE, DATA_PROVIDER_PATH, DATA_PROVIDER_SCOPE, FakeAltinnConsent } from '../fakes/fakeAltinnConsent';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { WAITING_BASE_URL, callWebhook } from '../helpers/n8nRunner';
import { json } from '../fakes/fakeServer';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const SCOPES = `altinn:consentrequests.write altinn:consentrequests.read ${DATA_PROVIDER_SCOPE}`;
const consumer = makeKeyClient();
const unscoped = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-0000000000c2' };
// An operator's client, acting for the consumer (On Behalf Of).
const operator = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-0000000000c3' };
let fake: FakeAltinnConsent;
const nextYear = () => new Date(Date.now() + 365 * 24 * 3600_000).toISOString();

const CREATE = {
	resource: 'consentRequest',
	operation: 'createConsentRequest',
	consentFrom: '={{ $json.nationalIdNumber }}',
	consentResource: CONSENT_RESOURCE,
	metadata: 'inntektsaar=2025',
	redirectUrl: 'https://bank.example/consent-done?case=42',
	requestMessage: 'Vi trenger inntekten din for lånesøknaden.',
};
const runner = new RecordingRunner(() => ({
	credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, fake.baseUrl, SCOPES) },
	parameters: { ...CREATE, validTo: nextYear() },
	input: [{ json: { nationalIdNumber: CONSENT_PERSON.nationalIdNumber } }],
}));
const consentNode = new AltinnConsent();
const authenticate = new AltinnAuthenticate();
const create = async (options: RunOptions = {}) => (await runner.items(consentNode, options))[0].json;

beforeAll(async () => {
	fake = await new FakeAltinnConsent().start();
	fake.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, SCOPES);
	fake.registerVendorClient(unscoped.clientId, unscoped.keyId, unscoped.publicKey, DATA_PROVIDER_SCOPE);
});
afterAll(async () => await fake.stop());
beforeEach(() => fake.clearRequests());

describe('Altinn Consent: Create and Get Consent Request', () => {
	it('asks the person: the request is Created, with the page to decide on, and the output names the person only by the last two digits', async () => {
		const request = await create();
		expect(request).toMatchObject({
			status: 'Created',
			newRequest: true,
			fromKind: 'person',
			consentFrom: 'the person with national ID number ending in 04',
			fromOrgNumber: null,
			toOrgNumber: VENDOR_ORG_NO,
			viewUri: fake.viewUri(String(request.consentRequestId)),
			redirectUrl: 'https://bank.example/consent-done?case=42',
			consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: CONSENT_RESOURCE }], metadata: { inntektsaar: '2025' } }],
			events: [{ eventType: 'Created', created: expect.any(String) }],
		});
		const [post] = fake.requestsTo('/accessmanagement/api/v1/enterprise/consentrequests');
		expect(JSON.parse(post.body)).toMatchObject({ from: `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`, to: `urn:altinn:organization:identifier-no:${VENDOR_ORG_NO}`, portalViewMode: 'hide', requestMessage: { nb: CREATE.requestMessage } });
	});

	it('the same request sent again gets the one Altinn has (the ID comes from the contents), not a second one', async () => {
		const validTo = nextYear();
		const first = await create({ parameters: { ...CREATE, validTo } });
		const again = await create({ parameters: { ...CREATE, validTo } });
		expect(again).toMatchObject({ consentRequestId: first.consentRequestId, newRequest: false, status: 'Created' });
	});

	it("the ID tells nothing of the person: recomputed from the item's contents with the person's number it does not match, and another credential's client names the same contents otherwise", async () => {
		const own = { ...CREATE, redirectUrl: 'https://bank.example/consent-done?case=id-check' };
		const validTo = nextYear();
		const request = await create({ parameters: { ...own, validTo } });
		// What one output item shows, plus a guess of the number: everything an attacker needs to test a guess against a plain digest.
		const [post] = fake.requestsTo('/accessmanagement/api/v1/enterprise/consentrequests').slice(-1);
		const { id, ...contents } = JSON.parse(post.body) as Record<string, unknown>;
		expect(id).toBe(request.consentRequestId);
		expect(contents.from).toBe(`urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`);
		const digest = createHash('sha256').update(JSON.stringify(contents)).digest('hex');
		expect(String(request.consentRequestId).replace(/-/g, '').slice(0, 8)).not.toBe(digest.slice(0, 8));
		// Another client (another private key) gets another ID for the same contents; the same client the same ID again.
		const other = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-0000000000c4' };
		fake.registerVendorClient(other.clientId, other.keyId, other.publicKey, SCOPES);
		const [byOther] = await runner.items(consentNode, {
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(other, fake.baseUrl, SCOPES) },
			parameters: { ...own, validTo },
		});
		expect(byOther.json).toMatchObject({ newRequest: true });
		expect(byOther.json.consentRequestId).not.toBe(request.consentRequestId);
		expect(await create({ parameters: { ...own, validTo } })).toMatchObject({ consentRequestId: request.consentRequestId, newRequest: false });
	});

	it('the same request sent again after the person rejected it fails with what to change: nobody was asked again; an accepted one is passed on as it is', async () => {
		// Contents of its own, so that no other test's request (whose Valid To is a moment later) gets the same ID.
		const own = { ...CREATE, redirectUrl: 'https://bank.example/consent-done?case=asked-again' };
		const validTo = nextYear();
		const first = await create({ parameters: { ...own, validTo } });
		fake.decideConsent(String(first.consentRequestId), 'Rejected');
		const again = await runner.failure(consentNode, { parameters: { ...own, validTo } });
		expect(again.message).toBe(`Altinn already has this consent request (${String(first.consentRequestId)}), rejected: nobody was asked again`);
		expect(again.description).toMatch(/change something in it \(e\.g\. Valid To\), or give a new Consent Request ID/);
		// Continue On Fail: the failed item says which request it was.
		const [failed] = await runner.items(consentNode, { parameters: { ...own, validTo }, continueOnFail: true });
		expect(failed.json).toMatchObject({ consentRequestId: first.consentRequestId, error: again.message });
		// A new Valid To is a new request: the person is asked again.
		const anew = await create({ parameters: { ...own, validTo: new Date(Date.parse(validTo) + 1000).toISOString() } });
		expect(anew).toMatchObject({ newRequest: true, status: 'Created' });
		expect(anew.consentRequestId).not.toBe(first.consentRequestId);
		fake.decideConsent(String(anew.consentRequestId), 'Accepted');
		const accepted = await create({ parameters: { ...own, validTo: new Date(Date.parse(validTo) + 1000).toISOString() } });
		expect(accepted).toMatchObject({ consentRequestId: anew.consentRequestId, newRequest: false, status: 'Accepted' });
	});

	it('the person accepts on the page, is sent to the redirect URL as it is, and Get says Accepted', async () => {
		const request = await create();
		const page = await fetch(String(request.viewUri));
		expect(await page.text()).toMatch(/Godta/);
		const decided = await fetch(String(request.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
		expect({ status: decided.status, location: decided.headers.get('location') }).toEqual({ status: 302, location: CREATE.redirectUrl });
		const [read] = await runner.items(consentNode, { parameters: { resource: 'consentRequest', operation: 'getConsentRequest', consentRequestId: String(request.consentRequestId) } });
		expect(read.json).toMatchObject({ consentRequestId: request.consentRequestId, status: 'Accepted', consented: expect.any(String) });
		expect(read.json).not.toHaveProperty('newRequest');
		expect((read.json.events as Array<{ eventType: string }>).map((event) => event.eventType)).toEqual(['Created', 'Accepted']);
	});

	it('then Altinn Authenticate, Output: Response, gets the data with the consent from the consent ID alone (the giver is read from Altinn); revoked, it says so', async () => {
		const request = await create();
		fake.decideConsent(String(request.consentRequestId), 'Accepted');
		const fetchData = { authentication: 'maskinporten', actFor: 'consent', consentId: '={{ $json.consentRequestId }}', consentFrom: '', consentScope: DATA_PROVIDER_SCOPE, output: 'response', requestUrl: `${fake.baseUrl}${DATA_PROVIDER_PATH}` };
		const [data] = await runner.items(authenticate, { typeVersion: 3, parameters: fetchData, input: [{ json: request }] });
		expect(data.json).toEqual({ consentId: request.consentRequestId, incomeYears: [{ year: '2025', income: 612000 }] });
		// Revoked: the stored token is refused by the data provider and a new one by Maskinporten.
		fake.decideConsent(String(request.consentRequestId), 'Revoked');
		const refused = await runner.failure(authenticate, { typeVersion: 3, parameters: fetchData, input: [{ json: request }] });
		expect(refused.message).toBe(`Consent ${String(request.consentRequestId)} from the person with national ID number ending in 04 was revoked: no token was asked for`);
		expect(refused.description).toMatch(/Create Consent Request/);
	});

	it('a consent read from Altinn as rejected, or past its Valid To, gets no grant at all: the error says the status read', async () => {
		const rejected = await create({ parameters: { ...CREATE, validTo: nextYear(), metadata: 'inntektsaar=2022' } });
		fake.decideConsent(String(rejected.consentRequestId), 'Rejected');
		const grantsBefore = fake.grants.length;
		const useIt = { authentication: 'maskinporten', actFor: 'consent', consentId: '={{ $json.consentRequestId }}', consentFrom: '', consentScope: DATA_PROVIDER_SCOPE };
		const refused = await runner.failure(authenticate, { typeVersion: 3, parameters: useIt, input: [{ json: rejected }] });
		expect(refused.message).toBe(`Consent ${String(rejected.consentRequestId)} from the person with national ID number ending in 04 was rejected: no token was asked for`);
		// Only the vendor's grant to read the request: none for the consent.
		expect(fake.grants.slice(grantsBefore).filter((grant) => JSON.stringify(grant.claims).includes('urn:altinn:consent'))).toHaveLength(0);
		const lapsed = await create({ parameters: { ...CREATE, validTo: nextYear(), metadata: 'inntektsaar=2021' } });
		fake.decideConsent(String(lapsed.consentRequestId), 'Accepted');
		const stored = fake.consents.get(String(lapsed.consentRequestId));
		if (stored) stored.validTo = '2026-01-01T00:00:00Z';
		const expired = await runner.failure(authenticate, { typeVersion: 3, parameters: useIt, input: [{ json: lapsed }] });
		expect(expired.message).toMatch(/was expired \(its Valid To, 2026-01-01T00:00:00Z, has passed\): no token was asked for$/);
	});

	it.each([
		['a time in the past', { validTo: '2020-01-01T00:00:00Z' }, /Valid To is not a date and time in the future/],
		['a redirect that is not an address', { redirectUrl: 'consent-done' }, /redirect URL is not a full address/],
		['a national ID number with wrong check digits', { consentFrom: '21818297805' }, /national ID number is not valid/],
		['no resource', { consentResource: '' }, /at least one resource/],
		['metadata that is not key=value', { metadata: 'inntektsaar' }, /is not key=value/],
	])('refuses %s before anything is sent', async (_case, overrides, message) => {
		const error = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear(), ...overrides } });
		expect(error.message).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	it("passes on Altinn's refusals with what to do: missing metadata (AM-00008), an unknown person (AM-00004), a client without the scope (403)", async () => {
		const missing = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear(), metadata: '' } });
		expect(missing.message).toMatch(/Altinn refused to create the consent request \(400/);
		expect(missing.description).toMatch(/inntektsaar/);
		const unknown = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear() }, input: [{ json: { nationalIdNumber: '01010100050' } }] });
		expect(unknown.description).toMatch(/does not know this person/);
		expect(JSON.stringify(unknown)).not.toContain('01010100050');
		const forbidden = await runner.failure(consentNode, {
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(unscoped, fake.baseUrl, DATA_PROVIDER_SCOPE) },
			parameters: { ...CREATE, validTo: nextYear() },
		});
		// The client lacks the scope: Maskinporten already refuses the token for it, and says so.
		expect(forbidden.message).toMatch(/Maskinporten did not give this client access/);
	});

	describe("On behalf of another organisation (an operator for the bank, with the credential's On Behalf Of)", () => {
		const OPERATOR_ORG_NO = '310149942';
		const operatorCredential = (onBehalfOf: string) => ({ altinnMaskinportenApi: altinnMaskinportenCredentialData(operator, fake.baseUrl, SCOPES, { onBehalfOf }) });
		beforeAll(() => fake.registerVendorClient(operator.clientId, operator.keyId, operator.publicKey, SCOPES, OPERATOR_ORG_NO));

		it('once the bank delegated the scopes: the request is the bank\'s, handled by the operator; the operator gets the consent token and the data', async () => {
			fake.delegateScopes(VENDOR_ORG_NO, OPERATOR_ORG_NO, SCOPES);
			const request = await create({ credentials: operatorCredential(VENDOR_ORG_NO) });
			expect(request).toMatchObject({ status: 'Created', toOrgNumber: VENDOR_ORG_NO, handledByOrgNumber: OPERATOR_ORG_NO });
			const [grant] = fake.requestsTo('/token').map((recorded) => JSON.parse(Buffer.from(String(new URLSearchParams(recorded.body).get('assertion')).split('.')[1], 'base64url').toString()) as Record<string, unknown>);
			expect(grant).toMatchObject({ consumer_org: VENDOR_ORG_NO, iss: operator.clientId });
			fake.decideConsent(String(request.consentRequestId), 'Accepted');
			const [data] = await runner.items(authenticate, {
				typeVersion: 3,
				credentials: operatorCredential(VENDOR_ORG_NO),
				parameters: { authentication: 'maskinporten', actFor: 'consent', consentId: String(request.consentRequestId), consentFrom: '', consentScope: DATA_PROVIDER_SCOPE, output: 'response', requestUrl: `${fake.baseUrl}${DATA_PROVIDER_PATH}` },
			});
			expect(data.json).toMatchObject({ consentId: request.consentRequestId });
			// The operator's own organisation, without On Behalf Of, may not read the bank's request.
			const own = await runner.failure(consentNode, { credentials: operatorCredential(''), parameters: { resource: 'consentRequest', operation: 'getConsentRequest', consentRequestId: String(request.consentRequestId) } });
			expect(own.message).toMatch(/403/);
		});

		it('without the delegation, Maskinporten refuses, and the error names the delegation to check', async () => {
			const refused = await runner.failure(consentNode, { credentials: operatorCredential('974760673'), parameters: { ...CREATE, validTo: nextYear() } });
			expect(refused.message).toMatch(/Maskinporten did not give this client access/);
			expect(refused.description).toMatch(/on behalf of 974760673: that organisation must have delegated these scopes to yours in Altinn/);
			expect(fake.requestsTo('/accessmanagement')).toHaveLength(0);
		});
	});

	describe('Wait for Decision', () => {
		const WAIT = { resource: 'consentRequest', operation: 'waitForDecision', consentRequestId: '={{ $json.consentRequestId }}', timeLimitMinutes: 90 };
		const accept = async (viewUri: unknown) =>
			await fetch(String(viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
		// A visit to the resume URL, as n8n hands it to the waiting node; what it answers is kept for the leak check.
		const visit = async (harness: Parameters<typeof callWebhook>[0], waitingInput: Array<Record<string, unknown>>, method: 'GET' | 'POST' = 'GET') => {
			const answer = await callWebhook(harness, consentNode, { method, headers: { 'content-type': method === 'GET' ? '' : 'application/json' }, waitingInput: waitingInput as never });
			runner.produced.push(answer.result, answer.response.body);
			return answer;
		};

		it('goes on at once, with the request as Altinn has it, when the person has already decided', async () => {
			const request = await create();
			fake.decideConsent(String(request.consentRequestId), 'Rejected');
			const { output, harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: request }] });
			expect(output?.[0][0].json).toMatchObject({ consentRequestId: request.consentRequestId, status: 'Rejected' });
			expect(harness.runExecutionData.waitTill).toBeUndefined();
		});

		it("pauses while undecided; the person's return resumes it only once Altinn has the decision, whatever the visit says", async () => {
			// The redirect that brings the person back: this execution's resume URL.
			const request = await create({ parameters: { ...CREATE, validTo: nextYear(), redirectUrl: '={{ $execution.resumeUrl }}' }, executionId: '901', resumeToken: 'sig' });
			expect(request.redirectUrl).toBe(`${WAITING_BASE_URL}/901?signature=sig`);
			const before = Date.now();
			const { output, harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: request }] });
			const waitTill = harness.runExecutionData.waitTill?.getTime() ?? 0;
			expect(waitTill - before).toBeGreaterThanOrEqual(90 * 60_000);
			expect(waitTill - before).toBeLessThan(90 * 60_000 + 5_000);
			// Meanwhile (and at the time limit, when n8n passes them on) the input items, status Created.
			expect(output?.[0][0].json).toMatchObject({ consentRequestId: request.consentRequestId, status: 'Created' });

			// Someone opens the link before deciding: a page, and the execution keeps waiting.
			const early = await visit(harness, [request]);
			expect(early.response.statusCode).toBe(200);
			expect(early.response.body).toMatch(/no decision on this request yet/);
			expect(early.result.workflowData).toBeUndefined();

			// The person accepts; Altinn sends the browser to the redirect URL as it is.
			const decided = await accept(request.viewUri);
			expect(decided.headers.get('location')).toBe(`${WAITING_BASE_URL}/901?signature=sig`);
			fake.clearRequests();
			const back = await visit(harness, [request]);
			expect(back.response.headers['content-type']).toMatch(/text\/html/);
			expect(back.response.body).toMatch(/Thank you: Altinn has the decision/);
			expect(back.result.workflowData?.[0]).toEqual([{ json: expect.objectContaining({ consentRequestId: request.consentRequestId, status: 'Accepted' }), pairedItem: { item: 0 } }]);
			// It asked Altinn, not the browser.
			expect(fake.requestsTo(`/accessmanagement/api/v1/enterprise/consentrequests/${String(request.consentRequestId)}`)).toHaveLength(1);
			// The page says nothing of whose request it is.
			expect(back.response.body).not.toMatch(/ending in|consentRequestId|\d{9}/);
		});

		it('with several people, goes on when every one has decided; a script may POST and gets JSON', async () => {
			const first = await create();
			const second = await create({ input: [{ json: { nationalIdNumber: CONSENT_PERSON.nationalIdNumber } }], parameters: { ...CREATE, validTo: nextYear(), metadata: 'inntektsaar=2024' } });
			const { harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: first }, { json: second }] });
			expect(harness.runExecutionData.waitTill).toBeDefined();
			fake.decideConsent(String(second.consentRequestId), 'Accepted');
			const one = await visit(harness, [first, second], 'POST');
			expect({ status: one.response.statusCode, body: JSON.parse(one.response.body) }).toEqual({ status: 200, body: { decided: false, message: expect.stringMatching(/no decision/) } });
			expect(one.result.workflowData).toBeUndefined();
			fake.decideConsent(String(first.consentRequestId), 'Rejected');
			const both = await visit(harness, [first, second], 'POST');
			expect(JSON.parse(both.response.body)).toMatchObject({ decided: true });
			expect(both.result.workflowData?.[0].map((item) => [item.json.consentRequestId, item.json.status])).toEqual([
				[first.consentRequestId, 'Rejected'],
				[second.consentRequestId, 'Accepted'],
			]);
		});

		it("keeps the input item's own fields (a case number, an e-mail) beside the request: at once, and when the person is back", async () => {
			const decided = await create();
			fake.decideConsent(String(decided.consentRequestId), 'Accepted');
			const atOnce = await runner.items(consentNode, { parameters: WAIT, input: [{ json: { ...decided, caseNumber: 'loan-42', email: 'kari@example.no' } }] });
			expect(atOnce[0].json).toMatchObject({ consentRequestId: decided.consentRequestId, status: 'Accepted', caseNumber: 'loan-42', email: 'kari@example.no' });
			const open = await create({ parameters: { ...CREATE, validTo: nextYear(), metadata: 'inntektsaar=2023' } });
			const waitingInput = [{ ...open, caseNumber: 'loan-43', email: 'ola@example.no' }];
			const { harness } = await runner.run(consentNode, { parameters: WAIT, input: waitingInput.map((json) => ({ json })), executionId: '921' });
			fake.decideConsent(String(open.consentRequestId), 'Rejected');
			const back = await visit(harness, waitingInput);
			expect(back.result.workflowData?.[0][0].json).toMatchObject({ consentRequestId: open.consentRequestId, status: 'Rejected', caseNumber: 'loan-43', email: 'ola@example.no' });
		});

		it('reads Altinn once for visits that come at the same time, and stops reading after 100 visits to one waiting execution', async () => {
			const request = await create();
			const { harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: request }], executionId: '922' });
			fake.clearRequests();
			const path = `/accessmanagement/api/v1/enterprise/consentrequests/${String(request.consentRequestId)}`;
			fake.answerDelayMs = 200;
			try {
				const together = await Promise.all(Array.from({ length: 5 }, async () => await visit(harness, [request])));
				expect(together.every((answer) => /no decision on this request yet/.test(answer.response.body))).toBe(true);
			} finally {
				fake.answerDelayMs = 0;
			}
			expect(fake.requestsTo(path)).toHaveLength(1);
			for (let reads = 1; reads < 100; reads++) await visit(harness, [request]);
			expect(fake.requestsTo(path)).toHaveLength(100);
			const beyond = await visit(harness, [request]);
			expect(beyond.response.statusCode).toBe(429);
			expect(beyond.response.body).toMatch(/checks no more/);
			expect(fake.requestsTo(path)).toHaveLength(100);
		});

		it('Altinn unavailable at the visit: the page asks to reload, and the execution keeps waiting', async () => {
			const request = await create();
			const { harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: request }] });
			fake.decideConsent(String(request.consentRequestId), 'Accepted');
			fake.serveNext(...Array.from({ length: 6 }, () => json(503, { title: 'Service Unavailable' })));
			const down = await visit(harness, [request]);
			fake.clearScript();
			expect(down.response.statusCode).toBe(502);
			expect(down.response.body).toMatch(/could not check with Altinn just now/);
			expect(down.result.workflowData).toBeUndefined();
			const up = await visit(harness, [request]);
			expect(up.result.workflowData?.[0][0].json).toMatchObject({ status: 'Accepted' });
		});

		it('with Continue On Fail, a request Altinn does not know fails its own item and keeps nobody waiting', async () => {
			const request = await create();
			// Shaped as Create's output (status Created): what Altinn says decides, not the input's old status.
			const unknown = { consentRequestId: randomUUID(), status: 'Created', caseNumber: 'loan-44' };
			const { output, harness } = await runner.run(consentNode, { parameters: WAIT, input: [{ json: unknown }, { json: request }], continueOnFail: true });
			// The other request is undecided: the execution waits (its items meanwhile are the input's).
			expect(harness.runExecutionData.waitTill).toBeDefined();
			expect(output?.[0].map((item) => item.json)).toEqual([unknown, request]);
			fake.decideConsent(String(request.consentRequestId), 'Accepted');
			const back = await visit(harness, [unknown, request]);
			expect(back.response.body).toMatch(/Thank you/);
			expect(back.result.workflowData?.[0].map((item) => item.json)).toEqual([
				{ error: expect.stringMatching(/404/), description: expect.any(String), consentRequestId: unknown.consentRequestId },
				expect.objectContaining({ consentRequestId: request.consentRequestId, status: 'Accepted' }),
			]);
		});

		it('refuses a request ID that is not a GUID before anything is sent', async () => {
			const error = await runner.failure(consentNode, { parameters: { ...WAIT, consentRequestId: 'not-a-guid' } });
			expect(error.message).toMatch(/consent/i);
			expect(fake.requests).toHaveLength(0);
		});
	});

	it('leak check: no national ID number or private key in any output or error', () => {
		expect(
			leakedSecrets(runner.produced, {
				nationalIdNumber: CONSENT_PERSON.nationalIdNumber,
				unknownNationalIdNumber: '01010100050',
				mistypedNationalIdNumber: '21818297805',
				privateKey: consumer.privateKeyPem,
				privateKeyBody: consumer.privateKeyPem.split('\n')[1],
				operatorPrivateKeyBody: operator.privateKeyPem.split('\n')[1],
			}),
		).toEqual([]);
	});
});
