/**
 * Altinn App: a filing once per Submission Key against a fake app built from app-lib-dotnet's controllers,
 * with each customer's system-user token from the fakes of Maskinporten and Altinn. Every promise is tried
 * across several items, a second run, two executions at once, and a failure between each pair of steps.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AltinnApp } from '../../nodes/Altinn/AltinnApp.node';
import { AltinnAppTrigger } from '../../nodes/Altinn/AltinnAppTrigger.node';
import { buildMaskinportenGrant, buildMaskinportenTokenRequest, readMaskinportenTokenAnswer } from '../../nodes/Altinn/protocol/maskinporten';
import { readSystemUserRequestAnswer } from '../../nodes/Altinn/protocol/vendorAnswers';
import { SCOPE_SYSTEMUSER_REQUEST_WRITE, buildCreateSystemUserRequest } from '../../nodes/Altinn/protocol/vendorRequests';
import type { HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { DEFAULT_TRANSPORT_SETTINGS, sendRequest } from '../../nodes/shared/transport';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import type { FakeInstance } from '../fakes/fakeAltinnApp';
import { FakeAltinnApps, monthlyReportApp } from '../fakes/fakeAltinnApp';
import { CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import { n8nHttpRequestHelper, pollNode } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const SYSTEM_ID = `${VENDOR_ORG_NO}_regnskap`;
const SCOPES = 'altinn:instances.read altinn:instances.write';
const RIGHT = { resource: [{ id: 'urn:altinn:resource', value: 'app_ttd_monthly-report' }] };
/** A third customer, whose data the app finds wrong. */
const THIRD_CUSTOMER = '312345676';
const APP_ID = 'ttd/monthly-report';

const node = new AltinnApp();
const vendor = makeKeyClient();
let fake: FakeAltinnApps;

function credential() {
	return altinnMaskinportenCredentialData(vendor, fake.baseUrl, SCOPES);
}

const runner = new RecordingRunner(() => ({ credentials: { altinnMaskinportenApi: credential() } }));

const SUBMIT: INodeParameters = {
	resource: 'filing',
	operation: 'submit',
	appOwner: 'ttd',
	appName: 'monthly-report',
	customerOrgNumber: '={{ $json.orgNumber }}',
	submissionKey: '={{ $json.orgNumber }}-2026-11',
	dataElements: { entries: [{ dataType: 'model', format: 'json', content: '={{ JSON.stringify($json.report) }}' }] },
};

const report = (orgNumber: string, turnover = 1000) => ({ json: { orgNumber, report: { orgNumber, turnover } } });

async function send(request: HttpRequestSpec) {
	return await sendRequest(n8nHttpRequestHelper(), request, { ...DEFAULT_TRANSPORT_SETTINGS, timeoutMs: 5_000 });
}

/** A person at the customer approved a system user for the vendor's system (as Altinn System User asks for). */
async function approvedSystemUser(orgNo: string): Promise<void> {
	const grant = buildMaskinportenGrant({ ...vendor, maskinportenUrl: fake.baseUrl, scopes: SCOPE_SYSTEMUSER_REQUEST_WRITE }, new Date(), randomUUID());
	const vendorToken = readMaskinportenTokenAnswer(await send(buildMaskinportenTokenRequest(fake.baseUrl, grant)), new Date()).accessToken;
	const created = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, vendorToken, { systemId: SYSTEM_ID, partyOrgNo: orgNo, rights: [RIGHT] })));
	fake.approve(created.requestId);
}

function instancesOf(orgNumber: string): FakeInstance[] {
	return fake.liveInstances(APP_ID, orgNumber);
}

const stored = (instance: FakeInstance, dataType = 'model') => instance.data.filter((element) => element.dataType === dataType);

beforeEach(async () => {
	fake = await new FakeAltinnApps().start();
	fake.registerVendorClient(vendor.clientId, vendor.keyId, vendor.publicKey, `${SCOPES} ${SCOPE_SYSTEMUSER_REQUEST_WRITE}`);
	fake.addSystem({ id: SYSTEM_ID, clientId: [vendor.clientId], rights: [RIGHT] });
	for (const orgNumber of [CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, THIRD_CUSTOMER, VENDOR_ORG_NO]) {
		await approvedSystemUser(orgNumber);
		fake.addParty(orgNumber);
	}
	fake.addApp(monthlyReportApp());
	fake.clearRequests();
});
afterEach(async () => {
	await fake.stop();
});

describe('Altinn App: Submit, once per Submission Key', () => {
	it('files for three customers and the organisation itself; the one with invalid data goes to the Invalid Data output with its issues and key; run twice, still four instances, each complete once', async () => {
		const input = [report(CUSTOMER_ORG_NO), report(OTHER_CUSTOMER_ORG_NO), report(THIRD_CUSTOMER, -5), report(VENDOR_ORG_NO)];
		const first = await runner.run(node, { parameters: SUBMIT, input });
		const [filed, failed] = first.output ?? [[], []];
		expect(filed.map((item) => item.json.orgNumber)).toEqual([CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO]);
		for (const item of filed) {
			expect(item.json).toMatchObject({ outcome: 'completed', newInstance: true, appId: APP_ID, steps: ['created', 'stored model', 'validated', 'completed Task_1', 'confirm'] });
			expect(item.json.ended).toEqual(expect.any(String));
			expect(item.json.receiptDataElementId).toEqual(expect.any(String));
		}
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ orgNumber: THIRD_CUSTOMER, outcome: 'invalid', submissionKey: `${THIRD_CUSTOMER}-2026-11`, issues: [{ severity: 'error', code: 'turnover.invalid', field: 'turnover' }] });
		expect(String(failed[0].json.message)).toMatch(/found 1 error in the filing, so it was not submitted/);
		// Not moved on: the invalid filing waits in its data task.
		expect(instancesOf(THIRD_CUSTOMER)).toHaveLength(1);
		expect(instancesOf(THIRD_CUSTOMER)[0].ended).toBeNull();

		const second = await runner.run(node, { parameters: SUBMIT, input });
		for (const orgNumber of [CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO, THIRD_CUSTOMER]) expect(instancesOf(orgNumber)).toHaveLength(1);
		expect(second.output?.[0].map((item) => item.json)).toEqual(
			[CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO].map((orgNumber) => expect.objectContaining({ orgNumber, outcome: 'completed', newInstance: false, steps: [] })),
		);
		// One process move each (two tasks) over both runs: nothing filed twice.
		expect(fake.requests.filter((request) => request.path.endsWith('/process/next'))).toHaveLength(6);

		// Corrected data: the same instance is continued and completed.
		const corrected = await runner.items(node, { parameters: SUBMIT, input: [report(THIRD_CUSTOMER, 12)] });
		expect(corrected[0].json).toMatchObject({ outcome: 'completed', newInstance: false, steps: ['replaced model', 'validated', 'completed Task_1', 'confirm'] });
		expect(instancesOf(THIRD_CUSTOMER)).toHaveLength(1);
		expect(JSON.parse(stored(instancesOf(THIRD_CUSTOMER)[0])[0].bytes.toString('utf8'))).toEqual({ orgNumber: THIRD_CUSTOMER, turnover: 12 });
	});

	it('logs in once per customer for all its filings (tokens reused per customer), and Altinn sees only system-user tokens', async () => {
		const keys = ['a', 'b', 'c'];
		const input = keys.map((key) => ({ json: { ...report(CUSTOMER_ORG_NO).json, key } }));
		await runner.items(node, { parameters: { ...SUBMIT, submissionKey: '={{ $json.orgNumber }}-{{ $json.key }}' }, input });
		expect(instancesOf(CUSTOMER_ORG_NO)).toHaveLength(3);
		expect(fake.grants.filter((grant) => grant.claims.authorization_details)).toHaveLength(1);
		expect(fake.requestsTo('/authentication/api/v1/exchange')).toHaveLength(1);
	});

	it('a reused token Altinn has since refused is dropped and one new login made; a fresh token refused is not logged in again', async () => {
		await runner.items(node, { parameters: { ...SUBMIT, submissionKey: 'first' }, input: [report(CUSTOMER_ORG_NO)] });
		const logins = () => fake.grants.filter((grant) => grant.claims.authorization_details).length;
		expect(logins()).toBe(1);
		// Altinn revokes every token it issued (the system user changed, say).
		fake.altinnTokens.clear();
		const [again] = await runner.items(node, { parameters: { ...SUBMIT, submissionKey: 'second' }, input: [report(CUSTOMER_ORG_NO)] });
		expect(again.json.outcome).toBe('completed');
		expect(logins()).toBe(2);
		// A token that is refused as soon as it is made: one login, and the refusal said.
		const exchanged = fake.altinnTokens.add.bind(fake.altinnTokens);
		fake.altinnTokens.clear();
		fake.altinnTokens.add = () => fake.altinnTokens;
		try {
			const error = await runner.failure(node, { parameters: { ...SUBMIT, submissionKey: 'third' }, input: [report(CUSTOMER_ORG_NO)] });
			expect(error.message).toMatch(/Altinn refused the token when asked to list the organisation's instances of the app \(401/);
			expect(logins()).toBe(3);
		} finally {
			fake.altinnTokens.add = exchanged;
		}
	});

	it('two items with the same key, and two executions at once in one n8n process, file once (two processes: test/protocol/altinnApps.test.ts)', async () => {
		await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO), report(CUSTOMER_ORG_NO)] });
		expect(instancesOf(CUSTOMER_ORG_NO)).toHaveLength(1);
		fake.answerDelayMs = 20;
		const [a, b] = await Promise.all([
			runner.items(node, { parameters: SUBMIT, input: [report(OTHER_CUSTOMER_ORG_NO)], executionId: 'one' }),
			runner.items(node, { parameters: SUBMIT, input: [report(OTHER_CUSTOMER_ORG_NO)], executionId: 'two' }),
		]);
		expect(instancesOf(OTHER_CUSTOMER_ORG_NO)).toHaveLength(1);
		expect([a[0].json.instanceId, b[0].json.instanceId]).toEqual([instancesOf(OTHER_CUSTOMER_ORG_NO)[0].partyId + '/' + instancesOf(OTHER_CUSTOMER_ORG_NO)[0].guid, expect.any(String)]);
		expect(a[0].json.instanceId).toBe(b[0].json.instanceId);
		expect(fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/instances'))).toHaveLength(2);
	});

	it.each([
		['create', 'created (found after a failed answer)'],
		['addData', 'stored model'],
		['next', 'completed Task_1 (found after a failed answer)'],
	] as const)('a gateway that answers 502 after Altinn did the %s step: looked up, not sent again, and the filing completes once', async (step, noted) => {
		fake.failAfterWork.push(step);
		const [item] = await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(item.json).toMatchObject({ outcome: 'completed' });
		expect(item.json.steps).toContain(noted);
		const [instance] = instancesOf(CUSTOMER_ORG_NO);
		expect(instancesOf(CUSTOMER_ORG_NO)).toHaveLength(1);
		expect(stored(instance)).toHaveLength(1);
		expect(instance.ended).not.toBeNull();
	});

	it.each([
		['after create', (request: { method: string; path: string }) => request.method === 'POST' && /\/data$/.test(request.path), 0],
		['after storing the data', (request: { method: string; path: string }) => request.path.endsWith('/validate'), 0],
		['after validating', (request: { method: string; path: string }) => request.path.endsWith('/process/next'), 0],
		['between the two process steps', (request: { method: string; path: string }) => request.path.endsWith('/process/next'), 1],
	] as const)('a run that stops %s (a worker gone): the next run completes the same instance', async (_when, stopAt, skip) => {
		// From that request on nothing arrives, as from a killed worker.
		fake.goDownAt(stopAt, skip);
		const error = await runner.failure(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(error.message).toMatch(/Altinn failed to/);
		fake.up();
		const [item] = await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(item.json).toMatchObject({ outcome: 'completed', newInstance: false });
		expect(instancesOf(CUSTOMER_ORG_NO)).toHaveLength(1);
		expect(stored(instancesOf(CUSTOMER_ORG_NO)[0])).toHaveLength(1);
	});

	it("stops at the app owner's feedback step, and a later run says it is done once the owner moved it on", async () => {
		fake.apps.get(APP_ID)!.process.push({ id: 'Task_3', type: 'feedback', name: 'Tilbakemelding' });
		const [waiting] = await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(waiting.json).toMatchObject({ outcome: 'waitingForAppOwner', currentTask: { elementId: 'Task_3', altinnTaskType: 'feedback' } });
		const [instance] = instancesOf(CUSTOMER_ORG_NO);
		fake.completeFeedback(instance);
		const [done] = await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(done.json).toMatchObject({ outcome: 'completed', newInstance: false, steps: [] });
	});

	it('Stop at Task leaves the filing at the named task (e.g. for a person to sign), and the next run without it goes on', async () => {
		const [stopped] = await runner.items(node, { parameters: { ...SUBMIT, options: { stopAtTask: 'Task_2' } }, input: [report(CUSTOMER_ORG_NO)] });
		expect(stopped.json).toMatchObject({ outcome: 'stoppedAtTask', currentTask: { elementId: 'Task_2' } });
		const [done] = await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		expect(done.json).toMatchObject({ outcome: 'completed', steps: ['confirm'] });
	});

	it('refuses a key with a national ID number, an org number that fails its check, and an app name that is no Altinn name, before anything is sent', async () => {
		const person = await runner.failure(node, { parameters: { ...SUBMIT, submissionKey: 'skattemelding-13097248022' }, input: [report(CUSTOMER_ORG_NO)] });
		expect(person.message).toBe('The Submission Key holds a national ID number');
		expect(JSON.stringify(person)).not.toContain('13097248022');
		const org = await runner.failure(node, { parameters: SUBMIT, input: [report('310547892')] });
		expect(org.message).toMatch(/not a valid organisation number/);
		const app = await runner.failure(node, { parameters: { ...SUBMIT, appName: 'Monthly Report' }, input: [report(CUSTOMER_ORG_NO)] });
		expect(app.message).toMatch(/App Name "monthly report" is not an Altinn name/);
		expect(fake.requests.filter((request) => !request.path.startsWith('/token') && !request.path.includes('exchange'))).toHaveLength(0);
	});

	it('a data type the app refuses (content type) fails the item with what Altinn said, and nothing is moved on', async () => {
		const parameters = { ...SUBMIT, dataElements: { entries: [{ dataType: 'model', format: 'json', content: '={{ JSON.stringify($json.report) }}' }, { dataType: 'vedlegg', format: 'xml', content: '<a/>' }] } };
		const error = await runner.failure(node, { parameters, input: [report(CUSTOMER_ORG_NO)] });
		expect(error.message).toMatch(/Altinn refused to store the data element \(400/);
		expect(error.description).toMatch(/Invalid content type: application\/xml/);
		expect(instancesOf(CUSTOMER_ORG_NO)[0].taskIndex).toBe(0);
	});
});

describe('Altinn App: Find by Key, Get, Download, Delete', () => {
	it('finds the instance of a key across pages, reads it, downloads its receipt, and says found: false for a key never filed', async () => {
		fake.instancePageSize = 1;
		for (const key of ['x', 'y', 'z']) {
			await runner.items(node, { parameters: { ...SUBMIT, submissionKey: `${CUSTOMER_ORG_NO}-${key}` }, input: [report(CUSTOMER_ORG_NO)] });
		}
		const base = { appOwner: 'ttd', appName: 'monthly-report', customerOrgNumber: CUSTOMER_ORG_NO };
		const [found] = await runner.items(node, { parameters: { ...base, resource: 'filing', operation: 'findByKey', submissionKey: `${CUSTOMER_ORG_NO}-x` } });
		expect(found.json).toMatchObject({ found: true, submissionKey: `${CUSTOMER_ORG_NO}-x` });
		const [none] = await runner.items(node, { parameters: { ...base, resource: 'filing', operation: 'findByKey', submissionKey: 'never' } });
		expect(none.json).toEqual({ found: false, orgNumber: CUSTOMER_ORG_NO, submissionKey: 'never' });
		const [read] = await runner.items(node, { parameters: { ...base, resource: 'instance', operation: 'getInstance', instanceId: String(found.json.instanceId) } });
		expect(read.json).toMatchObject({ instanceId: found.json.instanceId, ended: expect.any(String) });
		const [file] = await runner.items(node, { parameters: { ...base, resource: 'data', operation: 'downloadData', instanceId: String(found.json.instanceId) } });
		expect(file.binary?.data.mimeType).toBe('application/pdf');
		expect(Buffer.from(file.binary!.data.data, 'base64').toString('utf8')).toMatch(/^%PDF/);
		const [gone] = await runner.items(node, { parameters: { ...base, resource: 'instance', operation: 'deleteInstance', instanceId: String(found.json.instanceId), hardDelete: true } });
		expect(gone.json).toEqual({ instanceId: found.json.instanceId, deleted: true, hardDeleted: true });
		const [after] = await runner.items(node, { parameters: { ...base, resource: 'filing', operation: 'findByKey', submissionKey: `${CUSTOMER_ORG_NO}-x` } });
		expect(after.json.found).toBe(false);
	});

	it('step by step: Create (once per key), Upload, Validate, Next Step, as Submit does in one', async () => {
		const base = { appOwner: 'ttd', appName: 'monthly-report', customerOrgNumber: CUSTOMER_ORG_NO };
		const create = { ...base, resource: 'instance', operation: 'createInstance', submissionKey: 'steps-1' };
		const [made] = await runner.items(node, { parameters: create });
		const [again] = await runner.items(node, { parameters: create });
		expect(made.json).toMatchObject({ newInstance: true, submissionKey: 'steps-1', currentTask: { elementId: 'Task_1' } });
		expect(again.json).toMatchObject({ newInstance: false, instanceId: made.json.instanceId });
		const instanceId = String(made.json.instanceId);
		const [invalid] = await runner.items(node, {
			parameters: { ...base, resource: 'process', operation: 'validate', instanceId },
		});
		expect(invalid.json).toMatchObject({ valid: false, issues: [{ severity: 'error', code: 'TooFewDataElementsOfType', field: 'model' }] });
		const upload = { ...base, resource: 'data', operation: 'uploadData', instanceId, dataElements: { entries: [{ dataType: 'model', format: 'json', content: '{"turnover":-1}' }] } };
		await runner.items(node, { parameters: upload });
		const refused = await runner.failure(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId }, continueOnFail: false });
		expect(refused.message).toMatch(/The app found errors in the filing, so it did not move the process/);
		expect(refused.description).toMatch(/Omsetning må være et tall/);
		const [failedItem] = await runner.items(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId }, continueOnFail: true });
		expect(failedItem.json).toMatchObject({ instanceId, issues: [{ code: 'turnover.invalid' }] });
		const [replaced] = await runner.items(node, { parameters: { ...upload, dataElements: { entries: [{ dataType: 'model', format: 'json', content: '{"turnover":7}' }] } } });
		expect(replaced.json).toMatchObject({ steps: ['replaced model'] });
		const [valid] = await runner.items(node, { parameters: { ...base, resource: 'process', operation: 'validate', instanceId } });
		expect(valid.json).toEqual({ instanceId, valid: true, issues: [] });
		const [confirming] = await runner.items(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId } });
		expect(confirming.json).toMatchObject({ currentTask: { elementId: 'Task_2', altinnTaskType: 'confirmation' } });
		const [ended] = await runner.items(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId } });
		expect(ended.json).toMatchObject({ steps: ['confirm'], ended: expect.any(String) });
		const over = await runner.failure(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId } });
		expect(over.message).toMatch(/its process has ended/);
		expect(instancesOf(CUSTOMER_ORG_NO)).toHaveLength(1);
	});

	it('leak test: no token, private key or grant in any item or error of any operation', async () => {
		await runner.run(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO), report(THIRD_CUSTOMER, -1)], continueOnFail: true });
		const base = { appOwner: 'ttd', appName: 'monthly-report', customerOrgNumber: CUSTOMER_ORG_NO };
		const [found] = await runner.items(node, { parameters: { ...base, resource: 'filing', operation: 'findByKey', submissionKey: `${CUSTOMER_ORG_NO}-2026-11` } });
		const instanceId = String(found.json.instanceId);
		for (const parameters of [
			{ resource: 'instance', operation: 'getInstance', instanceId },
			{ resource: 'instance', operation: 'createInstance', submissionKey: 'leak' },
			{ resource: 'data', operation: 'downloadData', instanceId },
		]) {
			await runner.items(node, { parameters: { ...base, ...parameters } });
		}
		// Failures: Altinn refusing a step of an ended filing, Altinn down.
		await runner.failure(node, { parameters: { ...base, resource: 'process', operation: 'validate', instanceId } });
		await runner.failure(node, { parameters: { ...base, resource: 'process', operation: 'nextStep', instanceId } });
		await runner.failure(node, { parameters: { ...base, resource: 'data', operation: 'uploadData', instanceId, dataElements: { entries: [{ dataType: 'model', format: 'json', content: '{}' }] } } });
		fake.goDownAt(() => true);
		await runner.failure(node, { parameters: SUBMIT, input: [report(OTHER_CUSTOMER_ORG_NO)] });
		fake.up();
		const tokens = Object.fromEntries([...fake.altinnTokens].map((token, index) => [`altinn token ${index}`, token]));
		const leaks = leakedSecrets(runner.produced, { privateKey: credential().privateKey, ...tokens });
		expect(Object.keys(tokens).length).toBeGreaterThan(0);
		expect(leaks).toEqual([]);
	});
});

export type { IDataObject };

describe('Altinn App Trigger: a filing that ends or reaches the app owner', () => {
	const trigger = new AltinnAppTrigger();
	const watch = { appOwner: 'ttd', appName: 'monthly-report', orgNumbers: `${CUSTOMER_ORG_NO}, ${OTHER_CUSTOMER_ORG_NO}` };
	const poll = async (staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger', parameters: INodeParameters = {}) =>
		await pollNode(trigger, { credentials: { altinnMaskinportenApi: credential() }, parameters: { ...watch, ...parameters }, staticData, mode });

	it('notes what is there on its first poll; fires once when a filing reaches the feedback step and once when the app owner ends it; never for instances it did not file', async () => {
		fake.apps.get(APP_ID)!.process.push({ id: 'Task_3', type: 'feedback', name: 'Tilbakemelding' });
		await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toBeNull();
		// A filing made after: it reaches the feedback step (fires), and an instance without a key (not ours) is ignored.
		const now = new Date().toISOString();
		const partyId = fake.parties.get(OTHER_CUSTOMER_ORG_NO)!;
		fake.instances.set(`${partyId}/0a1b2c3d-0000-4000-8000-00000000abcd`, {
			partyId,
			guid: '0a1b2c3d-0000-4000-8000-00000000abcd',
			appId: APP_ID,
			orgNumber: OTHER_CUSTOMER_ORG_NO,
			dataValues: {},
			created: now,
			lastChanged: now,
			taskIndex: -1,
			flow: 5,
			ended: now,
			softDeleted: false,
			hardDeleted: false,
			data: [],
		});
		const [waiting] = await runner.items(node, { parameters: SUBMIT, input: [report(OTHER_CUSTOMER_ORG_NO)] });
		expect(waiting.json.outcome).toBe('waitingForAppOwner');
		const fired = await poll(staticData);
		expect(fired?.[0].map((item) => [item.json.orgNumber, item.json.event, (item.json.currentTask as IDataObject).elementId])).toEqual([[OTHER_CUSTOMER_ORG_NO, 'reachedFeedback', 'Task_3']]);
		expect(await poll(staticData)).toBeNull();
		fake.completeFeedback(instancesOf(OTHER_CUSTOMER_ORG_NO).find((instance) => instance.dataValues.n8nSubmissionKey)!);
		const ended = await poll(staticData);
		expect(ended?.[0].map((item) => [item.json.orgNumber, item.json.event])).toEqual([[OTHER_CUSTOMER_ORG_NO, 'completed']]);
		expect(await poll(staticData)).toBeNull();
		// The test event shows the newest filing; the state holds no token.
		const test = await poll({}, 'manual');
		expect(test?.[0][0].json).toMatchObject({ orgNumber: OTHER_CUSTOMER_ORG_NO, event: 'completed' });
		expect(JSON.stringify(staticData)).not.toMatch(/eyJ|Bearer/);
		expect(Object.keys(staticData.states as object)).toHaveLength(2);
	});

	it('a poll that fails (Altinn down) fires nothing and keeps its state, so the next poll reports what happened meanwhile', async () => {
		await runner.items(node, { parameters: { ...SUBMIT, options: { stopAtTask: 'Task_2' } }, input: [report(CUSTOMER_ORG_NO)] });
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toBeNull();
		const before = JSON.stringify(staticData);
		await runner.items(node, { parameters: SUBMIT, input: [report(CUSTOMER_ORG_NO)] });
		fake.goDownAt(() => true);
		await expect(poll(staticData)).rejects.toThrow(/Altinn failed to list/);
		expect(JSON.stringify(staticData)).toBe(before);
		fake.up();
		expect((await poll(staticData))?.[0].map((item) => item.json.event)).toEqual(['completed']);
	});
});
