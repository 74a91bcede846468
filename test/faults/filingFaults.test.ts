/**
 * The fault matrix of a filing (Altinn App → Submit): every step of the chain meets every kind of failure,
 * before the app acts and, for the steps that create or move something, after it acted (a gateway that
 * fails on the way back, a connection cut mid-answer, a time-out). Each cell is a run that meets the fault
 * and then a run with Altinn well: one instance for the key, one data element, each process step taken
 * once, the filing where it was to stop, and what the first run said an n8n error in words (never a raw one).
 * The figures are printed as a table (columns: what the first run did, instances, moves).
 */
import type { INodeParameters } from 'n8n-workflow';

import { AltinnApp } from '../../nodes/Altinn/AltinnApp.node';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import type { FakeInstance } from '../fakes/fakeAltinnApp';
import { FakeAltinnApps } from '../fakes/fakeAltinnApp';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import type { RecordedRequest, Reply } from '../fakes/fakeServer';
import { HTML_ERROR_PAGE, json } from '../fakes/fakeServer';
import { leakedSecrets } from '../helpers/leaks';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const ORG = '310547891';
const APP_ID = 'ttd/monthly-report';
const SYSTEM_ID = `${VENDOR_ORG_NO}_regnskap`;
const SCOPES = 'altinn:instances.read altinn:instances.write';
const vendor = makeKeyClient();
const node = new AltinnApp();
let fake: FakeAltinnApps;

const runner = new RecordingRunner(() => ({ credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(vendor, fake.baseUrl, SCOPES) } }));

const appPath = (request: RecordedRequest) => request.path.startsWith(`/${APP_ID}/instances`);

/** The steps of a filing, as the requests that make them. */
const STEPS: Record<string, { at: (request: RecordedRequest) => boolean; acts: boolean }> = {
	'list instances': { at: (request) => request.path === '/storage/api/v1/instances', acts: false },
	create: { at: (request) => request.method === 'POST' && request.path === `/${APP_ID}/instances`, acts: true },
	'read instance': { at: (request) => request.method === 'GET' && appPath(request) && /instances\/\d+\/[0-9a-f-]{36}$/.test(request.path), acts: false },
	'store data': { at: (request) => request.method === 'POST' && appPath(request) && request.path.endsWith('/data'), acts: true },
	// The second element, of a type without a count limit: one added twice would stay twice.
	'store an attachment': { at: (request) => request.method === 'POST' && appPath(request) && request.url.includes('dataType=vedlegg'), acts: true },
	validate: { at: (request) => appPath(request) && request.path.endsWith('/validate'), acts: false },
	'process next': { at: (request) => request.method === 'PUT' && appPath(request) && request.path.endsWith('/process/next'), acts: true },
};

const FAULTS: Record<string, { reply: Reply; afterWorkToo: boolean; timeoutMs?: number; onlyLater?: boolean }> = {
	'503': { reply: { status: 503, reason: 'Service Unavailable', body: '' }, afterWorkToo: false },
	'502 page': { reply: { status: 502, reason: 'Bad Gateway', headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE }, afterWorkToo: true },
	'504': { reply: { status: 504, reason: 'Gateway Timeout', body: '' }, afterWorkToo: true },
	'500': { reply: { status: 500, reason: 'Internal Server Error', body: '' }, afterWorkToo: false },
	'429 then well': { reply: { status: 429, reason: 'Too Many Requests', headers: { 'Retry-After': '0' }, body: '' }, afterWorkToo: false },
	'HTML with 200': { reply: { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE }, afterWorkToo: true },
	'truncated JSON': { reply: { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"id":"5000' }, afterWorkToo: true },
	'418': { reply: json(418, { title: "I'm a teapot" }), afterWorkToo: false },
	'cut mid-answer': { reply: { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '5000' }, body: '{"id":', cutAfterBody: true }, afterWorkToo: true },
	'no answer in time': { reply: { status: 200, silent: true }, afterWorkToo: true, timeoutMs: 300 },
	// The app is still working when the node gives up, and acts after the node looked: the look sees nothing yet.
	'no answer in time, the work lands later': { reply: { status: 200, silent: true }, afterWorkToo: true, timeoutMs: 300, onlyLater: true },
};

const CELLS = Object.entries(STEPS).flatMap(([step, { acts }]) =>
	Object.entries(FAULTS).flatMap(([fault, { afterWorkToo, onlyLater }]) =>
		onlyLater ? (acts ? [[step, fault, true] as const] : []) : [[step, fault, false] as const, ...(acts && afterWorkToo ? [[step, fault, true] as const] : [])],
	),
);

const figures: string[] = [];

function submit(key: string, timeoutMs?: number): INodeParameters {
	return {
		resource: 'filing',
		operation: 'submit',
		appOwner: 'ttd',
		appName: 'monthly-report',
		customerOrgNumber: ORG,
		submissionKey: key,
		dataElements: {
			entries: [
				{ dataType: 'model', format: 'json', content: '{"turnover":5}' },
				{ dataType: 'vedlegg', format: 'json', content: '{"note":"attached"}' },
			],
		},
		// A third task the filing stops at: a move sent twice would show as the process ended.
		options: { stopAtTask: 'Task_3', ...(timeoutMs ? { timeout: timeoutMs } : {}) },
	};
}

const withKey = (key: string): FakeInstance[] => fake.liveInstances(APP_ID, ORG).filter((instance) => instance.dataValues.n8nSubmissionKey === key);

beforeAll(async () => {
	fake = await new FakeAltinnApps().start();
	fake.registerVendorClient(vendor.clientId, vendor.keyId, vendor.publicKey, SCOPES);
	fake.addSystem({ id: SYSTEM_ID, clientId: [vendor.clientId], rights: [] });
	fake.systemUsers.set('0c1a5b8e-1f7e-4d3a-9a57-6c0e2b9d4f11', {
		id: '0c1a5b8e-1f7e-4d3a-9a57-6c0e2b9d4f11',
		systemId: SYSTEM_ID,
		reporteeOrgNo: ORG,
		supplierOrgNo: VENDOR_ORG_NO,
		externalRef: ORG,
		integrationTitle: 'Regnskap',
		rights: [],
		accessPackages: [],
		agent: false,
		created: '2026-11-23T10:00:00Z',
	});
	fake.addParty(ORG);
	fake.addApp({
		appId: APP_ID,
		dataTypes: [
			{ id: 'model', allowedContentTypes: ['application/json'], maxCount: 1, minCount: 1, taskId: 'Task_1' },
			// No count limit: an element added twice would stay twice.
			{ id: 'vedlegg', allowedContentTypes: ['application/json'], taskId: 'Task_1' },
		],
		process: [
			{ id: 'Task_1', type: 'data' },
			{ id: 'Task_2', type: 'confirmation' },
			{ id: 'Task_3', type: 'confirmation' },
		],
	});
});
afterAll(async () => {
	await fake.stop();
	console.log(['| step | fault | after Altinn acted | first run | instances | data elements | process steps | second run |', '|---|---|---|---|---|---|---|---|', ...figures].join('\n'));
});

describe('a filing meets a fault at every step, then runs again: one instance, filed once', () => {
	it.each(CELLS)('%s: %s (after Altinn acted: %s)', async (step, fault, afterWork) => {
		const key = `${step}-${fault}-${afterWork}`;
		const { reply, timeoutMs, onlyLater } = FAULTS[fault];
		fake.faultAt(STEPS[step].at, reply, onlyLater ? 'later' : afterWork);
		const first = await runner.run(node, { parameters: submit(key, timeoutMs), continueOnFail: true });
		// Work still in flight lands before the next run.
		if (onlyLater) await new Promise((resolve) => setTimeout(resolve, fake.laterMs + 200));
		const firstItem = first.output?.[0]?.[0]?.json ?? {};
		const firstSaid = typeof firstItem.error === 'string' ? `failed: ${firstItem.error}` : String(firstItem.outcome);
		// What a failed run says is an n8n error in words, never a raw client error or a stack.
		if (typeof firstItem.error === 'string') {
			expect(firstItem.error).not.toMatch(/undefined|TypeError|at \w+ \(|ECONN|stack/);
			expect(typeof firstItem.description).toBe('string');
		}
		const second = await runner.items(node, { parameters: submit(key) });
		const instances = withKey(key);
		expect(instances).toHaveLength(1);
		const [instance] = instances;
		expect(instance.data.filter((element) => element.dataType === 'model')).toHaveLength(1);
		expect(instance.data.filter((element) => element.dataType === 'vedlegg')).toHaveLength(1);
		// Moved on twice in all (data, then confirmation) and stopped at the third task: never a move too many.
		expect(instance.flow - 2).toBe(2);
		expect(instance.ended).toBeNull();
		expect(second[0].json).toMatchObject({ outcome: 'stoppedAtTask', currentTask: { elementId: 'Task_3' } });
		// No younger instance was left behind either (a deleted draft is the only other kind).
		const others = [...fake.instances.values()].filter((candidate) => candidate.dataValues.n8nSubmissionKey === key && candidate !== instance);
		expect(others.every((other) => other.hardDeleted && other.data.length === 0)).toBe(true);
		figures.push(`| ${step} | ${fault} | ${onlyLater ? 'later' : afterWork ? 'yes' : 'no'} | ${firstSaid.replace(/\|/g, '/')} | ${instances.length} | ${instance.data.length - instance.data.filter((element) => element.dataType === 'ref-data-as-pdf').length} | ${instance.flow - 2} | ${String(second[0].json.outcome)} |`);
	});

	it('leak test: no token or private key in any item or error of the matrix', () => {
		const tokens = Object.fromEntries([...fake.altinnTokens].map((token, index) => [`altinn token ${index}`, token]));
		expect(Object.keys(tokens).length).toBeGreaterThan(0);
		expect(leakedSecrets(runner.produced, { privateKey: vendor.privateKeyPem, ...tokens })).toEqual([]);
	});
});
