/**
 * The filing protocol alone, against the fake app: what two n8n processes filing the same key at the same
 * moment do (no shared memory between them), what the answers of other app versions read as, and what
 * the transport does with a request the caller looks up before resending.
 */
import type { HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { DEFAULT_TRANSPORT_SETTINGS, sendRequest } from '../../nodes/shared/transport';
import { SUBMISSION_DATA_VALUE, altinnApp, appProblem, checkInstanceId, checkSubmissionKey, readStoredDataAnswer, readValidationAnswer } from '../../nodes/Altinn/protocol/apps';
import type { FilingSession } from '../../nodes/Altinn/protocol/filing';
import { fileOnce } from '../../nodes/Altinn/protocol/filing';
import { FakeAltinnApps } from '../fakes/fakeAltinnApp';
import { n8nHttpRequestHelper } from '../helpers/n8nRunner';

const ORG = '310547891';
const APP_ID = 'ttd/monthly-report';
let fake: FakeAltinnApps;

/** An Altinn token of the customer's system user, as the exchange gives it (the fake checks its claims). */
function systemUserToken(orgNumber: string): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const token = [part({ alg: 'RS256' }), part({ scope: 'altinn:instances.read altinn:instances.write', authorization_details: [{ type: 'urn:altinn:systemuser', systemuser_org: { ID: `0192:${orgNumber}` } }] }), 'sig'].join('.');
	fake.altinnTokens.add(token);
	return token;
}

/** What one n8n process has: its own connection to Altinn, and nothing in common with another but Altinn. */
function processSession(): FilingSession {
	const token = systemUserToken(ORG);
	const settings = { ...DEFAULT_TRANSPORT_SETTINGS, timeoutMs: 5_000, retry: { ...DEFAULT_TRANSPORT_SETTINGS.retry, sleep: async () => undefined } };
	return {
		app: altinnApp('ttd', 'monthly-report', 'custom', fake.baseUrl),
		send: async (build: (token: string) => HttpRequestSpec) => await sendRequest(n8nHttpRequestHelper(), build(token), settings),
		sleep: async () => undefined,
	};
}

const filing = { orgNumber: ORG, submissionKey: `${ORG}-2026-11`, data: [{ dataType: 'model', contentType: 'application/json', filename: 'model.json', body: '{"turnover":1}' }] };

beforeEach(async () => {
	fake = await new FakeAltinnApps().start();
	fake.addParty(ORG);
	fake.addApp({
		appId: APP_ID,
		dataTypes: [{ id: 'model', allowedContentTypes: ['application/json'], maxCount: 1, minCount: 1, taskId: 'Task_1' }],
		process: [
			{ id: 'Task_1', type: 'data' },
			{ id: 'Task_2', type: 'confirmation' },
		],
	});
});
afterEach(async () => {
	await fake.stop();
});

describe('a filing in two n8n processes at the same moment', () => {
	it('both find nothing and both create; the younger instance is deleted by the one that made it, which leaves the filing to the other: one instance, filed once', async () => {
		fake.answerDelayMs = 15;
		const [a, b] = await Promise.all([fileOnce(processSession(), filing), fileOnce(processSession(), filing)]);
		expect(fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/instances'))).toHaveLength(2);
		const live = fake.liveInstances(APP_ID, ORG);
		expect(live).toHaveLength(1);
		expect(live[0].ended).not.toBeNull();
		expect(live[0].dataValues).toEqual({ [SUBMISSION_DATA_VALUE]: filing.submissionKey });
		expect([a.outcome, b.outcome].sort()).toEqual(['anotherRunIsFiling', 'completed']);
		expect(a.instance.instanceId).toBe(b.instance.instanceId);
		// The one deleted was a draft nobody had stored data in.
		const deleted = [...fake.instances.values()].filter((instance) => instance.hardDeleted);
		expect(deleted).toHaveLength(1);
		expect(deleted[0].data).toEqual([]);
	});

	it('both create at once and one of the answers is lost (a 502 after Altinn made it): the one that looks up gives way as well, one instance stays', async () => {
		fake.answerDelayMs = 15;
		fake.faultAt((request) => request.method === 'POST' && request.path === `/${APP_ID}/instances`, { status: 502, reason: 'Bad Gateway', body: '' }, true);
		const results = await Promise.allSettled([fileOnce(processSession(), filing), fileOnce(processSession(), filing)]);
		expect(fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/instances'))).toHaveLength(2);
		const live = fake.liveInstances(APP_ID, ORG);
		expect(live).toHaveLength(1);
		expect(live[0].ended).not.toBeNull();
		expect(live[0].flow - 2).toBe(2);
		// The younger draft is gone, whichever process deleted it; the other's delete finds it gone and goes on.
		expect([...fake.instances.values()].filter((instance) => instance.hardDeleted)).toHaveLength(1);
		expect(results.some((result) => result.status === 'fulfilled' && result.value.outcome === 'completed')).toBe(true);
	});

	it('two processes continuing the same instance at once (a rerun on two workers): one stored element, moved on once per step', async () => {
		await fileOnce(processSession(), { ...filing, stopAtTask: 'Task_1' });
		fake.answerDelayMs = 15;
		const results = await Promise.allSettled([fileOnce(processSession(), filing), fileOnce(processSession(), filing)]);
		const [instance] = fake.liveInstances(APP_ID, ORG);
		expect(fake.liveInstances(APP_ID, ORG)).toHaveLength(1);
		expect(instance.data.filter((element) => element.dataType === 'model')).toHaveLength(1);
		expect(instance.ended).not.toBeNull();
		expect(instance.flow - 2).toBe(2);
		// One completes it; the other completes it too, or fails saying the process was not where it thought (a 409).
		expect(results.some((result) => result.status === 'fulfilled' && result.value.outcome === 'completed')).toBe(true);
		for (const result of results) {
			if (result.status === 'rejected') expect(String(result.reason)).toMatch(/present state \(409|ended/);
		}
	});
});

describe('the transport and a request looked up before it is resent', () => {
	it('a 502 is handed back at once (the service may have acted); a 429 is still waited out and sent again', async () => {
		const session = processSession();
		fake.serveNext({ status: 502, reason: 'Bad Gateway', body: '' });
		const gateway = await session.send((token) => ({ method: 'POST', url: `${fake.baseUrl}/anything`, headers: { Authorization: `Bearer ${token}` }, body: '{}', lookBeforeResending: true }));
		expect(gateway.statusCode).toBe(502);
		expect(fake.requestsTo('/anything')).toHaveLength(1);
		fake.serveNext({ status: 429, reason: 'Too Many Requests', headers: { 'Retry-After': '0' }, body: '' });
		const slowed = await session.send((token) => ({ method: 'POST', url: `${fake.baseUrl}/anything`, headers: { Authorization: `Bearer ${token}` }, body: '{}', lookBeforeResending: true }));
		expect(slowed.statusCode).not.toBe(429);
		expect(fake.requestsTo('/anything')).toHaveLength(3);
	});
});

describe('reading what apps of other versions answer', () => {
	const answer = (statusCode: number, body: unknown, contentType = 'application/json') => ({ statusCode, statusMessage: '', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

	it('an upload answered with the element (201, older apps) or with newDataElementId (200, the current API)', () => {
		expect(readStoredDataAnswer(answer(201, { id: 'a', dataType: 'model' }))).toEqual({ dataElementId: 'a' });
		expect(readStoredDataAnswer(answer(200, { newDataElementId: 'b', instance: {}, validationIssues: [] }))).toEqual({ dataElementId: 'b' });
	});

	it('validation issues with severity as a number (current) or a name (older apps); unknown ones stay unspecified', () => {
		expect(readValidationAnswer(answer(200, [{ severity: 1, code: 'a' }, { severity: 'Warning', code: 'b' }, { severity: 9, code: 'c' }])).map((issue) => issue.severity)).toEqual(['error', 'warning', 'unspecified']);
	});

	it('a 409 from process next lists its issues; a plain-text 404 on the party says what to check', () => {
		const invalid = appProblem(answer(409, { title: 'Validation failed for task', detail: '1 validation errors found for task Task_1', validationIssues: [{ severity: 1, code: 'x', field: 'f', description: 'Feil' }] }, 'application/problem+json'), { action: 'move on', notFound: '' });
		expect(invalid.issues).toEqual([expect.objectContaining({ severity: 'error', field: 'f', description: 'Feil' })]);
		const party = appProblem(answer(404, 'Cannot lookup party: Failed to lookup party by organisationNumber: 310547891.', 'text/plain'), { action: 'create the instance', notFound: 'Altinn does not know the app, or the organisation to file for' });
		expect(party.message).toMatch(/does not know the app, or the organisation/);
		expect(party.details.providerMessage).toMatch(/Cannot lookup party/);
	});

	it('instance IDs and keys are checked before anything is sent; a quoted bad ID masks a national ID number', () => {
		expect(checkInstanceId('50001337/0a1b2c3d-0000-4000-8000-000000000001')).toBe('50001337/0a1b2c3d-0000-4000-8000-000000000001');
		expect(() => checkInstanceId('13097248022')).toThrow(/"\[national ID number\]" is not an Altinn instance ID/);
		expect(() => checkSubmissionKey('  ')).toThrow(/empty/);
		expect(() => checkSubmissionKey('x'.repeat(201))).toThrow(/201 characters/);
	});

	it("the app's address for each environment, or the base URL given", () => {
		expect(altinnApp('skd', 'mva-melding', 'production', 'https://platform.altinn.no').appUrl).toBe('https://skd.apps.altinn.no/skd/mva-melding');
		expect(altinnApp('skd', 'mva-melding', 'test', 'https://platform.tt02.altinn.no').appUrl).toBe('https://skd.apps.tt02.altinn.no/skd/mva-melding');
		expect(altinnApp('ttd', 'app', 'custom', 'http://local.altinn.cloud/').appUrl).toBe('http://local.altinn.cloud/ttd/app');
		expect(altinnApp('ttd', 'app', 'test', 'https://platform.tt02.altinn.no', 'http://localhost:5005/ttd/app/').appUrl).toBe('http://localhost:5005/ttd/app');
	});
});
