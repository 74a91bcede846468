/**
 * The fault matrix: every node (targets.ts) against every fault (cases.ts), through n8n's real
 * execution code and real HTTP to the fakes. Each case checks the exact outcome (error class,
 * message, hint), how many requests the fake saw, the waits the retry policy asked for, that a
 * second host saw nothing, and that no secret appears in any output, error or log line. The
 * figures are printed at the end; when the whole matrix ran, they must be the ones committed in FIGURES.md,
 * which only `npm run figures` writes (so `npm test` leaves git clean).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { replaceTokenStore, TokenStore } from '../../nodes/shared/tokenStore';
import type { Clock } from '../../nodes/shared/tokenStore';
import { FakeAltinn } from '../fakes/fakeAltinn';
import { FakeAltinn3 } from '../fakes/fakeAltinn3';
import { FakeAltinnConsent } from '../fakes/fakeAltinnConsent';
import { FakeBokbasenAuth } from '../fakes/fakeBokbasenAuth';
import { FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice } from '../fakes/fakeOnlyoffice';
import type { RecordedRequest, Reply } from '../fakes/fakeServer';
import { FakeServer } from '../fakes/fakeServer';
import { everythingIn, leakedSecrets } from '../helpers/leaks';
import { executeNode } from '../helpers/n8nRunner';
import type { CaseContext, Expected, FaultCase } from './cases';
import { GENERIC_CASES, PROVIDER_CASES } from './cases';
import type { Fakes, NodeTarget, Overrides } from './targets';
import { INJECTION, TARGETS, soapChildren } from './targets';

/** A host that must never be contacted: redirects and external entities point here. */
class Elsewhere extends FakeServer {
	protected handle(): Reply {
		return { status: 200, body: 'collected' };
	}
}

let fakes: Fakes;
let elsewhere: Elsewhere;
let refusedUrl: string;
const waits: number[] = [];
const logLines: string[] = [];
/** The real back-off schedule (1 s, then 2 s), recorded instead of slept; each test gets a fresh store on this clock. */
const recordingClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => {
		waits.push(ms);
	},
};
let store: TokenStore;

interface Figures {
	tried: number;
	passed: number;
	/** For each case that sent something where no retry was allowed: the most requests to one address. Each must be 1. */
	noRetryRequests: number[];
	/** For each case of a node whose requests may reach a person (an SMS, a failed login): the most sends of one such request. Each must be at most 1. */
	personRequests: number[];
	secretsFound: number;
}
const figures = new Map<string, Figures>(TARGETS.map((target) => [target.name, { tried: 0, passed: 0, noRetryRequests: [], personRequests: [], secretsFound: 0 }]));

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

beforeAll(async () => {
	fakes = {
		boknett: await new FakeBoknett().start(),
		onlyoffice: await new FakeOnlyoffice().start(),
		altinn: await new FakeAltinn().start(),
		altinn3: await new FakeAltinn3().start(),
		altinnSystemUser: await new FakeAltinnConsent().start(),
		bokbasen: await new FakeBokbasenAuth().start(),
	};
	elsewhere = await new Elsewhere().start();
	refusedUrl = `http://127.0.0.1:${await closedPort()}`;
	const record = (level: string) => (message: string, metadata?: object) => logLines.push(`${level} ${message} ${JSON.stringify(metadata ?? {})}`);
	LoggerProxy.init({ error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') });
});

beforeEach(() => {
	store = new TokenStore(recordingClock);
	replaceTokenStore(store);
});

afterAll(async () => {
	await Promise.all([fakes.boknett.stop(), fakes.onlyoffice.stop(), fakes.altinn.stop(), fakes.altinn3.stop(), fakes.altinnSystemUser.stop(), fakes.bokbasen.stop(), elsewhere.stop()]);
	reportFigures();
});

interface RunResult {
	items?: INodeExecutionData[];
	error?: Error & { description?: string };
	requests: RecordedRequest[];
	waits: number[];
}

/** Runs a target once with a scripted fault and collects everything it produced. */
async function runCase(
	target: NodeTarget,
	script: Reply[] | 'refused',
	overrides: Overrides,
	timeoutMs?: number,
	arrange?: (fakes: Fakes) => void,
): Promise<RunResult & { produced: unknown[] }> {
	const fake = target.fake(fakes);
	target.reset(fakes);
	target.prepare(fakes);
	arrange?.(fakes);
	fake.clearScript();
	fake.clearRequests();
	elsewhere.clearRequests();
	waits.length = 0;
	logLines.length = 0;
	const baseUrl = script === 'refused' ? refusedUrl : fake.baseUrl;
	if (script !== 'refused') fake.serveNext(...(script.length > 0 ? [...(target.scriptPrefix?.(fakes) ?? []), ...script] : []));
	const options = target.options(baseUrl, overrides);
	if (timeoutMs) {
		const nodeOptions = (options.parameters?.options ?? {}) as Record<string, string | number>;
		options.parameters = { ...options.parameters, options: { ...nodeOptions, timeout: timeoutMs } };
	}
	const consoleLines: string[] = [];
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))),
	);
	const result: RunResult & { produced: unknown[] } = { requests: [], waits: [], produced: [] };
	try {
		const { output } = await executeNode(target.node, options);
		result.items = output?.[0] ?? [];
		result.produced.push(output);
	} catch (error) {
		result.error = error as RunResult['error'];
		result.produced.push(error);
	} finally {
		for (const spy of spies) spy.mockRestore();
		fake.clearScript();
	}
	result.requests = fake.requestsTo(target.path);
	result.waits = [...waits];
	result.produced.push(...logLines, ...consoleLines);
	return result;
}

function checkOutcome(target: NodeTarget, result: RunResult, expected: Expected): void {
	if ('ok' in expected) {
		expect(result.error?.message).toBeUndefined();
		const json = result.items?.[0]?.json as IDataObject;
		expect(target.succeeded(json)).toBe(true);
		if (expected.token !== undefined) expect(target.token?.(json)).toBe(expected.token);
	} else {
		expect(result.error?.constructor.name).toBe(expected.error);
		expect(result.error?.message).toMatch(expected.message);
		expect(result.error?.description).toMatch(expected.hint);
	}
	expect(result.requests).toHaveLength(expected.requests);
}

/** The most times one address (method and path) was sent a request; 0 when none was. */
function mostToOneAddress(requests: RecordedRequest[]): number {
	const perAddress = new Map<string, number>();
	for (const request of requests) perAddress.set(`${request.method} ${request.path}`, (perAddress.get(`${request.method} ${request.path}`) ?? 0) + 1);
	return Math.max(0, ...perAddress.values());
}

/** Runs the checks of one matrix cell, counting it in the figures whether it passes or not. */
async function cell(
	target: NodeTarget,
	faultCase: Pick<FaultCase, 'retryAllowed' | 'waits' | 'timeoutMs'> & { arrange?: (fakes: Fakes) => void },
	script: Reply[] | 'refused',
	expected: Expected,
	overrides: Overrides = {},
	extraChecks: (result: RunResult) => void = () => undefined,
	extraSecrets: Record<string, string> = {},
): Promise<void> {
	const figure = figures.get(target.name) as Figures;
	figure.tried++;
	const result = await runCase(target, script, overrides, faultCase.timeoutMs, faultCase.arrange);
	const secrets = { ...target.secrets, ...extraSecrets };
	const carried = target.tokenCarries ?? [];
	const withoutTokens = result.produced.map((produced) =>
		produced instanceof Error ? produced : (JSON.parse(JSON.stringify(produced ?? null, (key, value: unknown) => (key === 'token' || key === 'Authorization' ? '[token]' : value))) as unknown),
	);
	const leaks = [
		...leakedSecrets(result.produced, Object.fromEntries(Object.entries(secrets).filter(([name]) => !carried.includes(name)))),
		...leakedSecrets(withoutTokens, Object.fromEntries(Object.entries(secrets).filter(([name]) => carried.includes(name)))),
	];
	figure.secretsFound += leaks.length;
	// A login of several steps (token, then exchange; password, then code) sends each step once.
	const most = mostToOneAddress(result.requests);
	if (!faultCase.retryAllowed && result.requests.length > 0) {
		figure.noRetryRequests.push(most);
		expect(most).toBe(1);
	}
	if (target.reachesPerson) {
		// Whatever the fault, a request that may send an SMS or count a failed login goes out at most once.
		figure.personRequests.push(most);
		expect(most).toBeLessThanOrEqual(1);
	}
	checkOutcome(target, result, expected);
	const expectedWaits = ('waits' in expected ? expected.waits : undefined) ?? faultCase.waits;
	if (Array.isArray(expectedWaits)) expect(result.waits).toEqual(expectedWaits);
	else if (expectedWaits) expect(expectedWaits(result.waits)).toBe(true);
	if (!faultCase.retryAllowed) expect(result.waits).toEqual([]);
	expect(elsewhere.requests).toHaveLength(0);
	expect(leaks).toEqual([]);
	// Errors never carry the raw request: no request body or credential header in their JSON form.
	if (result.error) expect(everythingIn([result.error])).not.toMatch(/"(?:body|data|auth|headers)":\s*"?[^"]*(?:password|UserPassword|userName)/i);
	extraChecks(result);
	figure.passed++;
}

const context = (): CaseContext => ({ elsewhereUrl: elsewhere.baseUrl, refusedUrl });

describe.each(TARGETS.map((target) => [target.name, target] as const))('%s', (_name, target) => {
	it.each(GENERIC_CASES.map((faultCase) => [faultCase.description, faultCase] as const))('%s', async (_description, faultCase) => {
		const expected = target.overrides?.[faultCase.id] ?? faultCase.generic;
		await cell(target, faultCase, faultCase.script(context()), expected);
	});

	it.each(PROVIDER_CASES.map((faultCase) => [faultCase.description, faultCase] as const))('%s', async (_description, faultCase) => {
		await cell(target, faultCase, faultCase.script(context()), target.provider[faultCase.id]);
	});

	it.each(target.own.map((ownCase) => [ownCase.description, ownCase] as const))('%s', async (_description, ownCase) => {
		await cell(target, ownCase, ownCase.script(context()), ownCase.expected, ownCase.overrides, undefined, ownCase.overrides);
	});

	it.each(target.fields.map((field) => [field.name, field] as const))('keeps an injected value inside the %s field', async (_name, field) => {
		await cell(target, { retryAllowed: false }, [], field.injected, field.set(INJECTION), (result) => {
			expect(field.readBack(result.requests[0], result.requests)).toBe(INJECTION);
			const request = result.requests[0];
			if (!String(request.headers['content-type']).startsWith('text/xml')) return;
			const soapOperation = soapChildren(request.body, 'challengeRequest') ?? soapChildren(request.body, 'GetReporteeElementListBasicV2');
			// Every parameter is still plain text in its own element: nothing was added, split or nested.
			expect(soapOperation).toBeDefined();
			const parameters = Object.values(soapOperation ?? {});
			expect(parameters.length).toBeGreaterThan(0);
			for (const value of parameters) expect(typeof value).toBe('string');
		});
	});

	it.each(target.fields.map((field) => [field.name, field] as const))('refuses a line break in the %s field before sending', async (_name, field) => {
		const expected: Expected = field.controlCharacters ?? {
			error: 'NodeOperationError',
			message: new RegExp(`The ${field.name.replace(/[()]/g, '\\$&')} in the .+ credential contains a line break or another control character$`),
			hint: /retype the value/,
			requests: 0,
		};
		for (const bad of ['\r\nX-Injected: 1', '\u0000', '\u0085']) {
			await cell(target, { retryAllowed: false }, [], expected, field.set(`value${bad}`));
		}
	});

	it('sends æøå as UTF-8, byte for byte', async () => {
		await cell(target, { retryAllowed: false }, [], { ok: true, requests: target.utf8.requests ?? 1 }, target.utf8.overrides, (result) =>
			target.utf8.check(result.requests[0], result.requests),
		);
	});
});

describe('retry on a refused connection', () => {
	it('succeeds when the service comes up during the back-off, having sent the login once', async () => {
		const fake = new FakeBoknett();
		const port = Number(new URL(refusedUrl).port);
		replaceTokenStore(
			new TokenStore({
				now: () => Date.now(),
				sleep: async (ms) => {
					waits.push(ms);
					if (waits.length === 1) await fake.start(port);
				},
			}),
		);
		waits.length = 0;
		try {
			const { output } = await executeNode(TARGETS[0].node, TARGETS[0].options(refusedUrl, {}));
			expect(String(output?.[0][0].json.token)).toMatch(/^TGT-/);
			expect(waits).toEqual([1000]);
			expect(fake.requests).toHaveLength(1);
		} finally {
			replaceTokenStore(store);
			await fake.stop();
		}
	});
});

/**
 * Once per need: the faults after which a request that may have reached a person (an SMS, a failed
 * login) must not go out again, each tried across several items, two runs of the node (as n8n's Retry
 * On Fail or a schedule runs it again in the same process) and two executions at the same moment. The
 * person-reaching request goes out once in all.
 */
const NEED_FAULTS: ReadonlyArray<{ description: string; script: () => Reply[]; timeoutMs?: number }> = [
	{ description: 'a 502 after the request (it may have reached the person)', script: () => [{ status: 502, reason: 'Bad Gateway' }] },
	{ description: 'a 503 asking to wait 60 s', script: () => [{ status: 503, reason: 'Service Unavailable', headers: { 'Retry-After': '60' } }] },
	{ description: 'no answer within the time-out', script: () => [{ status: 200, body: '', delayMs: 2_000 }], timeoutMs: 300 },
];
const NEED_SHAPES = ['three items', 'a second run (Retry On Fail, a schedule)', 'two executions at once'] as const;
const PERSON_TARGETS = TARGETS.filter((target) => target.reachesPerson);

/** Runs one need shape against a fault; what it produced, and the person-reaching requests sent in all. */
async function runNeed(target: NodeTarget, fault: (typeof NEED_FAULTS)[number], shape: (typeof NEED_SHAPES)[number]): Promise<{ produced: unknown[]; requests: number }> {
	const fake = target.fake(fakes);
	target.reset(fakes);
	target.prepare(fakes);
	fake.clearScript();
	fake.clearRequests();
	fake.serveNext(...[...(target.scriptPrefix?.(fakes) ?? []), ...fault.script()]);
	const options = target.options(fake.baseUrl, {});
	if (fault.timeoutMs) options.parameters = { ...options.parameters, options: { ...((options.parameters?.options ?? {}) as object), timeout: fault.timeoutMs } };
	const produced: unknown[] = [];
	const once = async (extra: Partial<typeof options> = {}) => {
		try {
			produced.push((await executeNode(target.node, { ...options, ...extra })).output);
		} catch (error) {
			produced.push(error);
		}
	};
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
	try {
		if (shape === 'three items') await once({ input: [1, 2, 3].flatMap(() => options.input ?? [{ json: {} }]), continueOnFail: true });
		else if (shape === 'a second run (Retry On Fail, a schedule)') {
			await once();
			await once();
		} else await Promise.all([once(), once()]);
	} finally {
		for (const spy of spies) spy.mockRestore();
		fake.clearScript();
	}
	return { produced, requests: mostToOneAddress(fake.requestsTo(target.path)) };
}

describe.each(PERSON_TARGETS.map((target) => [target.name, target] as const))('%s: once per need', (_name, target) => {
	it.each(NEED_FAULTS.flatMap((fault) => NEED_SHAPES.map((shape) => [fault.description, shape, fault] as const)))('%s, %s: the request goes out once in all', async (_fault, shape, fault) => {
		const figure = figures.get(target.name) as Figures;
		figure.tried++;
		const { produced, requests } = await runNeed(target, fault, shape);
		const leaks = leakedSecrets(produced, target.secrets);
		figure.secretsFound += leaks.length;
		figure.personRequests.push(requests);
		expect(requests).toBe(1);
		expect(leaks).toEqual([]);
		figure.passed++;
	});
});

const EXPECTED_CELLS = TARGETS.reduce(
	(sum, target) =>
		sum + GENERIC_CASES.length + PROVIDER_CASES.length + target.own.length + target.fields.length * 4 + 1 + (target.reachesPerson ? NEED_FAULTS.length * NEED_SHAPES.length : 0),
	0,
);

function reportFigures(): void {
	const rows = [...figures.entries()].map(([name, figure]) => {
		const noRetry = figure.noRetryRequests;
		const most = noRetry.length ? Math.max(...noRetry) : 0;
		const person = figure.personRequests.length ? String(Math.max(...figure.personRequests)) : 'none sent';
		return `| ${name} | ${figure.tried} | ${figure.passed} | ${noRetry.length} | ${most} | ${person} | ${figure.secretsFound} |`;
	});
	const total = [...figures.values()].reduce(
		(sum, figure) => ({
			tried: sum.tried + figure.tried,
			passed: sum.passed + figure.passed,
			noRetry: sum.noRetry + figure.noRetryRequests.length,
			most: Math.max(sum.most, ...figure.noRetryRequests),
			person: Math.max(sum.person, ...figure.personRequests),
			secrets: sum.secrets + figure.secretsFound,
		}),
		{ tried: 0, passed: 0, noRetry: 0, most: 0, person: 0, secrets: 0 },
	);
	const table = [
		'| Node | Cases tried | Cases passed | Cases where no retry was allowed (and a request was sent) | Most requests to one address in such a case (must be 1) | Messages to a person / failed logins: most sends of one such request in any case (must be at most 1) | Secrets found (must be 0) |',
		'|---|---:|---:|---:|---:|---:|---:|',
		...rows,
		`| **All** | **${total.tried}** | **${total.passed}** | **${total.noRetry}** | **${total.most}** | **${total.person}** | **${total.secrets}** |`,
	].join('\n');
	console.log(`Fault matrix figures\n${table}`);
	if (total.tried !== EXPECTED_CELLS) return;
	const document = [
		'# Fault matrix figures',
		'',
		'Written by `npm run figures` (test/faults/faultMatrix.test.ts with WRITE_FAULT_FIGURES=1); every run of the whole',
		'matrix checks that these are its figures. A case is one node against one fault, through n8n\'s real execution',
		'code and real HTTP to the fake providers. A line-break case counts once per control character tried (CR/LF, NUL, NEL).',
		'',
		table,
		'',
	].join('\n');
	const path = join(__dirname, 'FIGURES.md');
	if (process.env.WRITE_FAULT_FIGURES === '1') {
		writeFileSync(path, document);
		return;
	}
	// Figures that changed are written on purpose, and committed: `npm run figures`.
	expect(readFileSync(path, 'utf8')).toBe(document);
}
