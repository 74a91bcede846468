/**
 * The package in n8n 2.41.1's queue mode, as users scale out: a real Redis and PostgreSQL on
 * loopback ports, a main process, two workers and a webhook processor (test/support/queue.ts), the
 * package installed in each process's own user folder. Results are read from PostgreSQL.
 *
 * - every example workflow, run as the editor's "Execute workflow" does, runs on a worker and its
 *   token reaches the downstream HTTP Request node;
 * - the Altinn SMS PIN and ONLYOFFICE SMS-code waits: first phase on a worker, the PIN posted to the
 *   resume URL on the webhook processor, the rest on a worker — plainly, with the first phase's
 *   worker SIGKILLed while the execution waits, and with the webhook processor restarted;
 * - logins counted at the fakes for 20 executions spread over the two workers (a table is printed);
 * - a worker SIGKILLed in the middle of a (refused) login: what n8n does with the execution;
 * - finally a pg_dump of the database and every process's log are searched for every secret.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstance, StoredExecution } from '../support/n8n';
import type { QueueCluster } from '../support/queue';
import { createQueueCluster } from '../support/queue';
import { DEFAULT_N8N_VERSION, isInstalled, runtimePaths } from '../support/runtime';
import { sandboxCredentials, sandboxSecrets, startSandboxes } from '../fakes/sandbox';
import type { Sandboxes } from '../fakes/sandbox';
import { ALTINN_PERSON } from '../fakes/fakeAltinn';
import { CONSENT_PERSON } from '../fakes/fakeAltinnConsent';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { ONLYOFFICE_SMS_2FA_USER } from '../fakes/fakeOnlyoffice';
import { FakeInbox } from '../fakes/fakeInbox';
import type { WebhookFlow, Workflow } from '../helpers/e2eWorkflows';
import { examplesFor, nodeOutput, outcome, subWorkflow, waitFor, webhookStartedFlow } from '../helpers/e2eWorkflows';
import { leakedSecrets } from '../helpers/leaks';

// Queue mode is tested on n8n 2.x only (n8n 1.x is covered by realN8n.test.ts in one process).
const version = DEFAULT_N8N_VERSION;
jest.setTimeout(5 * 60_000);

let sandboxes: Sandboxes;
let inbox: FakeInbox;
let cluster: QueueCluster | undefined;
let baseDir: string;
let rest: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;
const startedAt = Date.now();
/** The consent request the consent tests ask for and the person accepts. */
let consentRequestId = '';

/** Accounts only the reuse measurement uses, so no token from an earlier test is in any worker's memory. */
const REUSE_NODE_USER = { username: 'reuse-node@example.no', password: 'Reuse-Node æ&=+ pass' };
const REUSE_CREDENTIAL_USER = { username: 'reuse-credential@example.no', password: 'Reuse-Cred æ&=+ pass' };
const WRONG_PASSWORD = 'Wrong&Password+1';
/** The reuse figures of this run, printed for the README's table. */
const figureRows: string[] = [];
/** Tokens the cluster shared between processes: kept sealed, never readable in PostgreSQL's credentials or workflows, or in a log. */
const sharedTokens: Record<string, string> = {};

const c = () => {
	if (!cluster) throw new Error('the queue cluster did not start');
	return cluster;
};
const examples = () => examplesFor(sandboxes);
const webhookUrl = (path: string) => `${c().webhook.baseUrl}/webhook/${path}`;
const executions = (workflowId: string) => c().main.executions(workflowId);
const waitForExecution = (workflowId: string, statuses: string[], afterId = 0, timeoutMs = 60_000) =>
	c().main.waitForExecution(workflowId, statuses, afterId, timeoutMs);

/** The workers (by number, 1 or 2) whose log says they started this execution, in the order of their logs. */
function workersThatRan(executionId: number): number[] {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`);
	return c()
		.workers.map((worker, index) => ({ index: index + 1, ran: line.test(worker.serverLog()) }))
		.filter((worker) => worker.ran)
		.map((worker) => worker.index);
}

/** The Bull job a worker ran an execution as, read from its log line "Worker started execution N (job J)". */
function jobOf(executionId: number): string {
	const line = new RegExp(`Worker started execution ${executionId} \\(job (\\w+)`);
	for (const worker of c().workers) {
		const found = line.exec(worker.serverLog());
		if (found) return found[1];
	}
	throw new Error(`No worker logged execution ${executionId}`);
}

/** Bull's lists a worker takes a job from or holds it in (n8n's queue "jobs", Bull's default prefix), each holding the job or not. */
async function bullListsHolding(jobId: string): Promise<string[]> {
	const lists = ['wait', 'active', 'paused', 'delayed'];
	const replies = await Promise.all(
		lists.map((list) => (list === 'delayed' ? c().redis.command('ZRANGE', `bull:jobs:${list}`, '0', '-1') : c().redis.command('LRANGE', `bull:jobs:${list}`, '0', '-1'))),
	);
	return lists.filter((_list, index) => replies[index].includes(`\r\n${jobId}\r\n`));
}

function startedOn(executionId: number): Record<number, number> {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`, 'g');
	return Object.fromEntries(c().workers.map((worker, index) => [index + 1, (worker.serverLog().match(line) ?? []).length]));
}

const boknettLogins = (username: string, password?: string) =>
	sandboxes.boknett
		.requestsTo('/v1/tickets')
		.filter((request) => request.method === 'POST')
		.filter((request) => {
			const form = new URLSearchParams(request.body);
			return form.get('username') === username && (password === undefined || form.get('password') === password);
		}).length;

async function post(url: string, body?: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: response.status, text: await response.text() };
}

/** Runs a workflow as the editor's "Execute workflow" button does; in queue mode with offloading, a worker runs it. */
async function runManually(workflowId: string, triggerName: string): Promise<StoredExecution> {
	const { status, body } = await rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
	expect({ status, body }).toMatchObject({ status: 200, body: { data: { executionId: expect.any(String) } } });
	const executionId = Number((body as { data: { executionId: string } }).data.executionId);
	await waitFor(async () => (await executions(workflowId)).some((execution) => execution.id === executionId && ['success', 'error', 'crashed'].includes(execution.status)), 60_000, `execution ${executionId}`);
	return (await executions(workflowId)).find((execution) => execution.id === executionId) as StoredExecution;
}

const PIN_FLOW = {
	notifyNode: 'Send PIN Link',
	notifyBody: '={{ { "kind": "altinn", "pinFormUrl": $json.pinFormUrl, "pinWebhookUrl": $json.pinWebhookUrl } }}',
};
const CODE_FLOW = {
	// The example branches: a token goes on from Log In's first output, a login that needs a code from the second.
	keepConnections: true,
	notifyNode: 'Send Code Link',
	notifyBody: '={{ { "kind": "onlyoffice", "codeFormUrl": $json.codeFormUrl, "codeWebhookUrl": $json.codeWebhookUrl } }}',
};

/** The consent example's lower branch: the trigger (polling on main) and what it starts on a worker. */
const CONSENT_DECIDED = (): Workflow =>
	subWorkflow(examples().get('exAltinn3Cnsnt01') as Workflow, 'qConsentDecided', 'Queue consent decided', [
		'Altinn Consent Trigger',
		'Accepted?',
		'Get Income',
		'Rejected or revoked: follow up',
	]);

/** The SMS-code example as "Execute workflow" runs it, logging in each time (Reuse Token off), with a credential of its own. */
const MANUAL_SMS_CODE = (): Workflow => {
	const example = examples().get('exOnlyofficeSms01') as Workflow;
	return {
		...example,
		id: 'qManualSmsCode',
		name: 'Queue: SMS code, Execute workflow',
		nodes: example.nodes.map((node) =>
			node.credentials
				? { ...node, credentials: { onlyofficeApi: { id: 'qManualSmsCred', name: 'qManualSmsCred' } }, ...(node.name === 'Log In' ? { parameters: { ...(node.parameters as object), options: { reuseToken: false } } } : {}) }
				: node,
		),
	};
};

/** The webhook-started flows, by id: [workflow, path]. Published, so the webhook processor serves them. */
function queueFlows(): Array<[Workflow, string]> {
	const all = examples();
	const flow = (exampleId: string, id: string, path: string, uuidEnd: string, extra: Omit<WebhookFlow, 'id' | 'name' | 'path' | 'webhookId'>, replace?: (node: Record<string, unknown>) => Record<string, unknown>): [Workflow, string] => [
		webhookStartedFlow(all.get(exampleId) as Workflow, inbox.baseUrl, { ...extra, id, name: `Queue ${id}`, path, webhookId: `8e2d0c4a-1b7f-4c3e-9a5d-0000000000${uuidEnd}`, replace }),
		path,
	];
	const withCredential = (type: string, id: string) => (node: Record<string, unknown>) =>
		node.credentials ? { ...node, credentials: { [type]: { id, name: id } } } : node;
	const boknettLogin = all.get('exBoknettLogin01') as Workflow;
	const withoutLogout = { ...boknettLogin, nodes: boknettLogin.nodes.filter((node) => node.name !== 'Log Out') };
	const done = { notifyNode: 'Notify', notifyBody: '={{ { "done": true } }}' };
	return [
		flow('exAltinnSmsSoap1', 'qAltinnSms', 'q-altinn-sms', '01', PIN_FLOW),
		// Reuse Token off for the ONLYOFFICE flow: every run must really ask for a code.
		flow('exOnlyofficeSms01', 'qOnlyofficeSms', 'q-onlyoffice-sms', '02', CODE_FLOW, (node) =>
			node.name === 'Log In' ? { ...node, parameters: { ...(node.parameters as object), options: { reuseToken: false } } } : node,
		),
		// The example as it is (Reuse Token on), for where a code-completed token is kept; a credential of its own,
		// so the token it shares is this flow's alone.
		flow('exOnlyofficeSms01', 'qOnlyofficeSmsReuse', 'q-onlyoffice-sms-reuse', '06', CODE_FLOW, withCredential('onlyofficeApi', 'qOnlySmsReuseCred')),
		[
			webhookStartedFlow(withoutLogout, inbox.baseUrl, {
				...done,
				id: 'qReuseNode',
				name: 'Queue reuse: Boknett Ticket node',
				path: 'q-reuse-node',
				webhookId: '8e2d0c4a-1b7f-4c3e-9a5d-000000000003',
				replace: withCredential('boknettApi', 'qReuseNodeCred'),
			}),
			'q-reuse-node',
		],
		flow('exBoknettHttpCred1', 'qReuseCredential', 'q-reuse-credential', '04', done, withCredential('boknettApi', 'qReuseHttpCred')),
		flow('exAltinn3CnsWait', 'qConsentWait', 'q-consent-wait', '07', {
			keepConnections: true,
			notifyNode: 'Send viewUri to the person',
			notifyBody: '={{ { "viewUri": $json.viewUri, "redirectUrl": $json.redirectUrl, "consentRequestId": $json.consentRequestId } }}',
		}),
		[
			webhookStartedFlow(withoutLogout, inbox.baseUrl, {
				...done,
				id: 'qKilledLogin',
				name: 'Queue: worker killed during a refused login',
				path: 'q-killed-login',
				webhookId: '8e2d0c4a-1b7f-4c3e-9a5d-000000000005',
				replace: withCredential('boknettApi', 'qWrongPassword'),
			}),
			'q-killed-login',
		],
	];
}

beforeAll(async () => {
	if (!isInstalled(version)) {
		throw new Error(`n8n ${version} is not installed: run "node .sandbox/build/test/support/runtime.js ${version}" (npm test does it first)`);
	}
	sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
	sandboxes.boknett.accounts.set(REUSE_NODE_USER.username, REUSE_NODE_USER.password);
	sandboxes.boknett.accounts.set(REUSE_CREDENTIAL_USER.username, REUSE_CREDENTIAL_USER.password);
	inbox = await new FakeInbox().start();
	baseDir = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-queue-'));
	cluster = await createQueueCluster({
		runtime: runtimePaths(version),
		baseDir,
		workers: 2,
		workerConcurrency: 2,
		encryptionKey: randomBytes(24).toString('base64url'),
		env: {
			// A dead worker's job is noticed after its lock runs out (default 60 s, checked every 30 s): shortened for the test.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		},
	});
	await c().installPackage();
	const boknett = (id: string, user: { username: string; password: string }) => ({
		id,
		name: id,
		type: 'boknettApi',
		data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, ...user },
	});
	await c().main.importCredentials([
		...sandboxCredentials(sandboxes),
		boknett('qReuseNodeCred', REUSE_NODE_USER),
		boknett('qReuseHttpCred', REUSE_CREDENTIAL_USER),
		boknett('qWrongPassword', { username: BOKNETT_USER.username, password: WRONG_PASSWORD }),
		{ id: 'qOnlySmsReuseCred', name: 'qOnlySmsReuseCred', type: 'onlyofficeApi', data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER } },
		// The manual SMS-code run's own values (a trailing slash): no code another test sent holds them.
		{ id: 'qManualSmsCred', name: 'qManualSmsCred', type: 'onlyofficeApi', data: { portalUrl: `${sandboxes.onlyoffice.baseUrl}/`, ...ONLYOFFICE_SMS_2FA_USER } },
	]);
	// One CLI run for all of them (each run boots n8n for several seconds).
	const flows = queueFlows();
	const consentDecided = CONSENT_DECIDED();
	await c().main.importWorkflows([...examples().values(), ...flows.map(([workflow]) => workflow), consentDecided, MANUAL_SMS_CODE()]);
	await c().start();
	rest = await c().main.ownerSession();
	// Published as the editor does it; main registers their webhooks in the database, where the webhook processor finds them.
	// The consent trigger is published too: its first poll, on main, notes the time, so decisions after it fire.
	for (const workflow of [...flows.map(([flowWorkflow]) => flowWorkflow), consentDecided]) {
		const { body } = await rest('GET', `/workflows/${workflow.id}`);
		const versionId = (body as { data: { versionId: string } }).data.versionId;
		expect(await rest('POST', `/workflows/${workflow.id}/activate`, { versionId })).toMatchObject({ status: 200 });
	}
	for (const [, path] of flows) await c().webhook.waitForWebhook(path);
	console.log(`[queue e2e] cluster ready after ${Math.round((Date.now() - startedAt) / 1000)} s`);
}, 8 * 60_000);

afterAll(async () => {
	await cluster?.stop();
	await sandboxes?.stop();
	await inbox?.stop();
	if (baseDir) rmSync(baseDir, { recursive: true, force: true });
	console.log(`[queue e2e] whole file took ${Math.round((Date.now() - startedAt) / 1000)} s`);
});

describe(`n8n ${version} in queue mode: main, two workers and a webhook processor on PostgreSQL and Redis`, () => {
	it('has the package installed in the user folder of every process', () => {
		for (const process of c().processes()) {
			expect(existsSync(join(process.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-login-tokens', 'package.json'))).toBe(true);
		}
	});

	// Early in the file: the trigger's check near the end then needs no wait of its own.
	it('Altinn 3 consent: asks and waits on a worker; the person back from Altinn resumes it through the webhook processor; the consent token gets the data on a worker', async () => {
		const inboxBefore = inbox.requests.length;
		expect((await post(webhookUrl('q-consent-wait'))).status).toBe(200);
		const waiting = await waitForExecution('qConsentWait', ['waiting', 'error', 'success']);
		expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for Decision/) });
		expect(workersThatRan(waiting.id)).toHaveLength(1);
		await waitFor(async () => inbox.requests.length > inboxBefore, 10_000, 'the link message');
		const message = inbox.messages().at(-1) ?? {};
		consentRequestId = String(message.consentRequestId);
		// Altinn sends the person back to the webhook processor, which checks with Altinn before it resumes anything.
		expect(String(message.redirectUrl).startsWith(`${c().webhook.baseUrl}/webhook-waiting/${waiting.id}`)).toBe(true);
		const decided = await fetch(String(message.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
		const back = await fetch(String(decided.headers.get('location')));
		expect({ status: back.status, page: await back.text() }).toEqual({ status: 200, page: expect.stringContaining('Thank you: Altinn has the decision') });
		const done = await waitForExecution('qConsentWait', ['success', 'error', 'crashed'], waiting.id - 1);
		expect(outcome(done)).toEqual({ status: 'success' });
		expect(workersThatRan(done.id).length).toBeGreaterThanOrEqual(1);
		expect(nodeOutput(done, 'Wait for Decision')).toEqual([expect.objectContaining({ consentRequestId, status: 'Accepted' })]);
		expect(nodeOutput(done, 'Get Income')[0]).toEqual({ consentId: consentRequestId, incomeYears: [{ year: '2025', income: 612000 }] });
		// Nothing n8n saved of the execution holds the person's number, however encoded (the token's JWT included).
		expect(leakedSecrets([done.data], { nationalIdNumber: CONSENT_PERSON.nationalIdNumber })).toEqual([]);
	});

	describe('every example workflow, run with "Execute workflow", runs on a worker and hands its token on', () => {
		const cases: Array<[string, string, string, (token: Record<string, unknown>) => void]> = [
			['exBoknettLogin01', 'Boknett Ticket', 'Get Metadata', (token) => {
				expect(sandboxes.boknett.requestsTo('/metadata/').some((request) => request.headers.authorization === `Boknett ${String(token.token)}`)).toBe(true);
			}],
			['exScheduledBok01', 'Boknett Ticket', 'Download Metadata', (token) => {
				expect(sandboxes.boknett.requestsTo('/metadata/').some((request) => request.headers.authorization === `Boknett ${String(token.token)}`)).toBe(true);
			}],
			['exOnlyofficeLog1', 'ONLYOFFICE Auth', 'Get My Profile', (token) => {
				expect(sandboxes.onlyoffice.requestsTo('/api/2.0/people/@self').some((request) => request.headers.authorization === String(token.token))).toBe(true);
			}],
			['exOnlyofficeTotp1', 'ONLYOFFICE Auth', 'Get My Profile', (token) => {
				expect(sandboxes.onlyoffice.requestsTo('/api/2.0/people/@self').some((request) => request.headers.authorization === String(token.token))).toBe(true);
			}],
			['exAltinnPwMsgs01', 'Altinn Authenticate', 'Get My Messages', (token) => {
				expect(sandboxes.altinn.requestsTo('/api/my/messages').some((request) => request.headers.cookie === `.AspxAuthProd=${String(token.token)}`)).toBe(true);
			}],
			['exAltinn3Login01', 'Altinn Authenticate', 'List Applications', (token) => {
				expect(sandboxes.altinn3.requests.some((request) => request.headers.authorization === `Bearer ${String(token.token)}`)).toBe(true);
			}],
			// Output: Response: the token stays inside the node.
			['exBokbasenOAuth1', '', 'Get Metadata', () => {
				expect(sandboxes.bokbasen.requestsTo('/metadata/export').at(-1)?.headers.authorization).toMatch(/^Bearer /);
			}],
			// No login node: the HTTP Request node's credential logs in (preAuthentication).
			['exBoknettHttpCred1', '', 'Get Metadata', () => {
				expect(sandboxes.boknett.requestsTo('/metadata/').at(-1)?.headers.authorization).toMatch(/^Boknett TGT-/);
			}],
		];

		it.each(cases)('%s', async (workflowId, loginNode, downstreamNode, tokenReached) => {
			const workflow = examples().get(workflowId) as Workflow;
			const trigger = workflow.nodes.find((node) => /Trigger$/.test(String(node.type)));
			const execution = await runManually(workflowId, String(trigger?.name));
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(workersThatRan(execution.id)).toHaveLength(1);
			const token = loginNode ? nodeOutput(execution, loginNode)[0] : {};
			if (loginNode) expect(token).toMatchObject({ token: expect.any(String), headers: expect.any(Object) });
			expect(nodeOutput(execution, downstreamNode).length).toBeGreaterThan(0);
			tokenReached(token);
		});
	});

	describe('two-phase logins: the first phase on a worker, the code through the webhook processor, the rest on a worker', () => {
		type Disruption = 'none' | 'kill the worker that ran the first phase' | 'restart the webhook processor';
		const disruptions: Disruption[] = ['none', 'kill the worker that ran the first phase', 'restart the webhook processor'];
		let restarting: Promise<void> = Promise.resolve();

		async function disrupt(disruption: Disruption, executionId: number): Promise<number | undefined> {
			if (disruption === 'restart the webhook processor') {
				await c().webhook.stop();
				await c().webhook.start();
				return undefined;
			}
			if (disruption === 'kill the worker that ran the first phase') {
				const [first] = workersThatRan(executionId);
				const worker = c().workers[first - 1] as N8nInstance;
				await worker.kill('SIGKILL');
				// Back for the later tests, while this one goes on with the other worker.
				restarting = worker.start();
				return first;
			}
			return undefined;
		}

		const cases = disruptions.flatMap((disruption) => [['Altinn SMS PIN', disruption] as const, ['ONLYOFFICE SMS code', disruption] as const]);

		it.each(cases)('%s, %s', async (kind, disruption) => {
			await restarting;
			const altinn = kind === 'Altinn SMS PIN';
			const workflowId = altinn ? 'qAltinnSms' : 'qOnlyofficeSms';
			const [previous] = await executions(workflowId);
			const inboxBefore = inbox.requests.length;
			const start = await post(webhookUrl(altinn ? 'q-altinn-sms' : 'q-onlyoffice-sms'));
			expect(start.status).toBe(200);
			const waiting = await waitForExecution(workflowId, ['waiting', 'error', 'success'], previous?.id ?? 0);
			expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(altinn ? /^Wait for PIN/ : /^Wait for SMS Code/) });
			expect(workersThatRan(waiting.id)).toHaveLength(1);
			await waitFor(async () => inbox.requests.length > inboxBefore, 10_000, 'the link message');
			const message = inbox.messages().at(-1) ?? {};
			const resumeUrl = String(altinn ? message.pinWebhookUrl : message.codeWebhookUrl);
			// The resume URL points at the webhook processor, not at main.
			expect(resumeUrl.startsWith(`${c().webhook.baseUrl}/webhook-waiting/${waiting.id}`)).toBe(true);
			if (disruption === 'none') {
				// So does the page a person types the PIN or code into; the webhook processor serves it.
				const formUrl = String(altinn ? message.pinFormUrl : message.codeFormUrl);
				expect(formUrl.startsWith(`${c().webhook.baseUrl}/form-waiting/${waiting.id}`)).toBe(true);
				const page = await fetch(formUrl);
				expect(page.status).toBe(200);
				expect(await page.text()).toMatch(/name="pin"/);
			}

			const killed = await disrupt(disruption, waiting.id);
			const [stillWaiting] = await executions(workflowId);
			expect(stillWaiting).toMatchObject({ id: waiting.id, status: 'waiting' });

			const secret = altinn ? (sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) ?? '') : String(sandboxes.onlyoffice.lastSmsCode);
			const answer = await post(resumeUrl, altinn ? { pin: secret } : { code: secret });
			expect(answer).toMatchObject({ status: 200 });
			const done = await waitForExecution(workflowId, ['success', 'error', 'crashed'], waiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			const ran = workersThatRan(done.id);
			if (killed) expect(ran).toContain(killed === 1 ? 2 : 1);
			if (altinn) {
				expect(nodeOutput(done, 'Wait for PIN')[0]).toMatchObject({ provider: 'altinn-sms', token: secret });
				expect(JSON.stringify(nodeOutput(done, 'Get Reportee Elements')[0])).toContain('Skattemelding 2026');
			} else {
				const [token] = nodeOutput(done, 'Wait for SMS Code');
				expect(token).toMatchObject({ provider: 'onlyoffice' });
				// The profile of the account that logged in with the SMS code.
				expect(nodeOutput(done, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Siri Example' } });
				expect(sandboxes.onlyoffice.requestsTo('/api/2.0/people/@self').at(-1)?.headers.authorization).toBe(String(token.token));
			}
		});

		afterAll(async () => {
			await restarting;
		});
	});

	it('ONLYOFFICE SMS code with Reuse Token on: the token completed with one typed code serves 10 later runs on both workers, with no further SMS', async () => {
		const workflowId = 'qOnlyofficeSmsReuse';
		const post_ = async () => expect((await post(webhookUrl('q-onlyoffice-sms-reuse'))).status).toBe(200);
		const [previous] = await executions(workflowId);
		const inboxBefore = inbox.requests.length;
		const codesBefore = sandboxes.onlyoffice.smsCodesSent;
		await post_();
		const waiting = await waitForExecution(workflowId, ['waiting', 'error', 'success'], previous?.id ?? 0);
		// The outcome, so that a failure says which node failed and why.
		expect(waiting.status === 'waiting' ? 'waiting' : outcome(waiting)).toBe('waiting');
		await waitFor(async () => inbox.requests.length > inboxBefore, 10_000, 'the link message');
		const codeWebhookUrl = String(inbox.messages().at(-1)?.codeWebhookUrl);
		// The webhook processor takes the code and completes the login; it shares the token through the credential.
		expect((await post(codeWebhookUrl, { code: String(sandboxes.onlyoffice.lastSmsCode) })).status).toBe(200);
		const done = await waitForExecution(workflowId, ['success', 'error'], waiting.id - 1);
		expect(outcome(done)).toEqual({ status: 'success' });
		const token = String(nodeOutput(done, 'Wait for SMS Code')[0].token);
		sharedTokens.typedCodeToken = token;

		// 10 later runs (waves of 4, 4 and 2 at once, so both workers take some): each reuses that token.
		const loginsBefore = sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length;
		for (const [index, size] of [4, 4, 2].entries()) {
			await Promise.all(Array.from({ length: size }, post_));
			const wanted = [4, 8, 10][index];
			await waitFor(async () => (await executions(workflowId)).filter((execution) => execution.id > done.id && ['success', 'error', 'waiting'].includes(execution.status)).length >= wanted, 60_000, `run wave ${index + 1}`);
		}
		const runs = (await executions(workflowId)).filter((execution) => execution.id > done.id);
		expect(runs.map((execution) => outcome(execution))).toEqual(Array(10).fill({ status: 'success' }));
		expect(runs.map((execution) => nodeOutput(execution, 'Log In')[0])).toEqual(Array(10).fill(expect.objectContaining({ token, reused: true })));
		const perWorker: Record<number, number> = { 1: 0, 2: 0 };
		for (const execution of runs) for (const [worker, count] of Object.entries(startedOn(execution.id))) perWorker[Number(worker)] += count;
		expect(Object.values(perWorker).filter((count) => count > 0)).toHaveLength(2);
		const smsCodes = sandboxes.onlyoffice.smsCodesSent - codesBefore;
		const logins = sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length - loginsBefore;
		expect(smsCodes).toBe(1);
		expect(logins).toBe(0);
		figureRows.push(`| ONLYOFFICE Auth, SMS code typed once, then 10 runs (Reuse Token on) | ${perWorker[1]} / ${perWorker[2]} | **${logins}** (SMS codes sent in all: **${smsCodes}**) |`);
	});

	describe('token reuse across processes: 20 executions over two workers', () => {
		/**
		 * 20 executions through the webhook processor: one, then 19 in waves of 4 at once (as a schedule
		 * and a burst after it); returns the logins and where the executions ran.
		 */
		async function measure(workflowId: string, path: string, logins: () => number): Promise<{ logins: number; perWorker: Record<number, number> }> {
			const before = logins();
			const [previous] = await executions(workflowId);
			let started = 0;
			for (const [wave, size] of [1, 4, 4, 4, 4, 3].entries()) {
				const answers = await Promise.all(Array.from({ length: size }, () => post(webhookUrl(path))));
				expect(answers.map((answer) => answer.status)).toEqual(Array(size).fill(200));
				started += size;
				await waitFor(async () => (await executions(workflowId)).filter((execution) => execution.id > (previous?.id ?? 0) && execution.status === 'success').length >= started, 60_000, `wave ${wave + 1}`);
			}
			const runs = (await executions(workflowId)).filter((execution) => execution.id > (previous?.id ?? 0));
			expect(runs.map((execution) => outcome(execution).status)).toEqual(Array(20).fill('success'));
			const perWorker: Record<number, number> = { 1: 0, 2: 0 };
			for (const execution of runs) {
				for (const [worker, count] of Object.entries(startedOn(execution.id))) perWorker[Number(worker)] += count;
			}
			return { logins: logins() - before, perWorker };
		}

		it('(a) a login node with Reuse Token on: one login in the cluster, its token shared through the credential', async () => {
			const { logins, perWorker } = await measure('qReuseNode', 'q-reuse-node', () => boknettLogins(REUSE_NODE_USER.username));
			const [latest] = await executions('qReuseNode');
			sharedTokens.sharedTicket = String(nodeOutput(await c().main.waitForExecution('qReuseNode', ['success'], latest.id - 1), 'Boknett Ticket')[0].token);
			figureRows.push(`| (a) Boknett Ticket node, Reuse Token on (token sealed in the credential, shared by every worker) | ${perWorker[1]} / ${perWorker[2]} | **${logins}** |`);
			expect(Object.values(perWorker).filter((count) => count > 0)).toHaveLength(2);
			expect(logins).toBe(1);
		});

		it('(b) the HTTP Request node with the Boknett API credential: the session is kept in the encrypted credential in PostgreSQL', async () => {
			const { logins, perWorker } = await measure('qReuseCredential', 'q-reuse-credential', () => boknettLogins(REUSE_CREDENTIAL_USER.username));
			figureRows.push(`| (b) HTTP Request, Predefined Credential Type → Boknett API (session in the credential, in the database) | ${perWorker[1]} / ${perWorker[2]} | **${logins}** |`);
			expect(Object.values(perWorker).filter((count) => count > 0)).toHaveLength(2);
			expect(logins).toBe(1);
		});

		afterAll(() => {
			console.log(['| Executions (one, then 19 in waves of 4; or a typed code, then 10) | executions on worker 1 / 2 | logins |', '|---|---|---|', ...figureRows].join('\n'));
		});
	});

	describe('the credential a schedule shares tokens through, written by several processes (n8n 2.34 and later)', () => {
		it("an edit saved in the editor while executions share tokens survives, and two workers' entries both survive", async () => {
			const credentialId = 'qReuseNodeCred';
			const stored = async () => (await c().main.decryptedCredentials()).find((credential) => credential.id === credentialId)?.data ?? {};
			const { body } = await rest('GET', `/credentials/${credentialId}?includeData=true`);
			const seen = (body as { data: { name: string; type: string; data: Record<string, unknown> } }).data;
			// A new password, valid at Boknett too, saved as the editor saves it while executions run on both workers.
			const newPassword = `${REUSE_NODE_USER.password} 2`;
			sandboxes.boknett.accounts.set(REUSE_NODE_USER.username, newPassword);
			const [previous] = await executions('qReuseNode');
			const running = Promise.all(Array.from({ length: 4 }, () => post(webhookUrl('q-reuse-node'))));
			expect((await rest('PATCH', `/credentials/${credentialId}`, { name: seen.name, type: seen.type, data: { ...seen.data, password: newPassword } })).status).toBe(200);
			await running;
			await waitFor(async () => (await executions('qReuseNode')).filter((execution) => execution.id > (previous?.id ?? 0) && ['success', 'error'].includes(execution.status)).length >= 4, 60_000, 'the four executions');
			// More executions with the new password log in, and share their ticket, on whichever worker takes them.
			const [before] = await executions('qReuseNode');
			await Promise.all(Array.from({ length: 4 }, () => post(webhookUrl('q-reuse-node'))));
			await waitFor(async () => (await executions('qReuseNode')).filter((execution) => execution.id > before.id && execution.status === 'success').length >= 4, 60_000, 'four more executions');
			const after = await stored();
			expect(after.password).toBe(newPassword);
			// The tickets of both passwords' logins: each a sealed entry of its own (written by a worker before the edit,
			// and after it), none lost to the editor's save or to the other's write.
			expect(Object.keys((JSON.parse(String(after.sharedTokens)) as { tokens: object }).tokens)).toHaveLength(2);
		});
	});

	describe('two-phase logins and the consent wait started with "Execute workflow" (on a worker, as n8n 3 always runs manual executions)', () => {
		/** Starts a manual execution and returns it once it waits. */
		async function startManually(workflowId: string): Promise<StoredExecution> {
			const workflow = examples().get(workflowId) ?? MANUAL_SMS_CODE();
			const trigger = workflow.nodes.find((node) => /Trigger$/.test(String(node.type)));
			const [previous] = await executions(workflowId);
			const { status } = await rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: String(trigger?.name) } });
			expect(status).toBe(200);
			return await waitForExecution(workflowId, ['waiting', 'error', 'success', 'crashed'], previous?.id ?? 0);
		}

		it.each([
			['exAltinnSmsSoap1', 'Request PIN', 'pinWebhookUrl', () => ({ pin: sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) ?? '' })],
			['qManualSmsCode', 'Log In', 'codeWebhookUrl', () => ({ code: String(sandboxes.onlyoffice.lastSmsCode) })],
		] as const)('%s: the first phase on a worker, the code handed in at the resume URL, the rest on a worker', async (workflowId, firstNode, urlField, secret) => {
			const waiting = await startManually(workflowId);
			expect(waiting.status).toBe('waiting');
			expect(workersThatRan(waiting.id)).toHaveLength(1);
			// The SMS-code example's Log In sends a login that needs a code to its second output.
			const first = nodeOutput(waiting, firstNode, workflowId === 'qManualSmsCode' ? 1 : 0)[0];
			const resumeUrl = String(first[urlField]);
			expect(resumeUrl).toMatch(/^http/);
			expect((await post(resumeUrl, secret())).status).toBe(200);
			const done = await waitForExecution(workflowId, ['success', 'error', 'crashed'], waiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			expect(workersThatRan(done.id).length).toBeGreaterThanOrEqual(1);
		});

		it('exAltinn3CnsWait: asks and waits on a worker; the person back from Altinn resumes it; the data is fetched on a worker', async () => {
			const waiting = await startManually('exAltinn3CnsWait');
			expect(waiting.status).toBe('waiting');
			const [request] = nodeOutput(waiting, 'Ask for Consent');
			const decided = await fetch(String(request.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
			const back = await fetch(String(decided.headers.get('location')));
			expect(back.status).toBe(200);
			const done = await waitForExecution('exAltinn3CnsWait', ['success', 'error', 'crashed'], waiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			expect(nodeOutput(done, 'Get Income')[0]).toMatchObject({ incomeYears: [{ year: '2025', income: 612000 }] });
			expect(leakedSecrets([done.data], { nationalIdNumber: CONSENT_PERSON.nationalIdNumber })).toEqual([]);
		});
	});

	describe('a worker killed (SIGKILL) in the middle of a refused login', () => {
		it('sends the wrong password once, and n8n ends the execution without running it again', async () => {
			const workflowId = 'qKilledLogin';
			const refused = () => boknettLogins(BOKNETT_USER.username, WRONG_PASSWORD);
			const before = refused();
			sandboxes.boknett.answerDelayMs = 30_000;
			let killedAt = 0;
			try {
				expect((await post(webhookUrl('q-killed-login'))).status).toBe(200);
				await waitFor(async () => refused() > before, 30_000, 'the login to reach the fake');
				const [running] = await executions(workflowId);
				expect(running.status).toBe('running');
				const [worker] = workersThatRan(running.id);
				const job = jobOf(running.id);
				expect(await bullListsHolding(job)).toEqual(['active']);
				await c().workers[worker - 1].kill('SIGKILL');
				killedAt = Date.now();
				const ended = await waitForExecution(workflowId, ['error', 'crashed', 'success', 'canceled'], running.id - 1, 90_000);
				console.log(
					`[queue e2e] worker ${worker} killed during the login of execution ${ended.id}: n8n stored status "${ended.status}" after ${Math.round((Date.now() - killedAt) / 1000)} s; ` +
						`its error: ${JSON.stringify(ended.data?.resultData.error?.message ?? null)}; workers that started it: ${JSON.stringify(workersThatRan(ended.id))}`,
				);
				expect(ended.status).not.toBe('success');
				// Bull's stalled-job check (every 5 s here) either gives the job to the other worker or fails it:
				// once no list holds it, a run on the other worker would already be in that worker's log.
				await waitFor(async () => (await bullListsHolding(job)).length === 0, 60_000, 'Bull to let go of the killed worker\'s job');
				expect(workersThatRan(ended.id)).toEqual([worker]);
				expect(refused() - before).toBe(1);
			} finally {
				sandboxes.boknett.answerDelayMs = 0;
			}
		});
	});

	describe('Altinn App: a worker killed (SIGKILL) between storing the data and moving the process on', () => {
		it('leaves one instance per organisation; the next run, on a worker, completes the same instances', async () => {
			const app = 'ttd/monthly-report';
			const workflowId = 'exAltinnMonthly1';
			const trigger = 'When clicking ‘Execute workflow’';
			const moves = () => sandboxes.altinn3.requests.filter((request) => request.path.startsWith(`/${app}/instances/`) && request.path.endsWith('/process/next'));
			const movesBefore = moves().length;
			// A worker an earlier test killed is back: the other one must be alive to take over after the kill.
			for (const worker of c().workers) if (!worker.running) await worker.start();
			// The first move of the first filing never gets an answer: the worker is killed while it waits.
			sandboxes.altinn3.faultAt((request) => request.method === 'PUT' && request.path.startsWith(`/${app}/instances/`) && request.path.endsWith('/process/next'), { status: 200, silent: true });
			const [previous] = await executions(workflowId);
			const { status } = await rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } });
			expect(status).toBe(200);
			await waitFor(async () => moves().length > movesBefore, 60_000, 'the first process move to reach the app');
			const [running] = await executions(workflowId);
			expect(running.id).toBeGreaterThan(previous?.id ?? 0);
			const [worker] = workersThatRan(running.id);
			await c().workers[worker - 1].kill('SIGKILL');
			const ended = await waitForExecution(workflowId, ['error', 'crashed', 'success', 'canceled'], running.id - 1, 90_000);
			console.log(`[queue e2e] worker ${worker} killed between storing the data and process next: n8n stored status "${ended.status}"`);
			await waitFor(async () => (await bullListsHolding(jobOf(running.id))).length === 0, 60_000, "Bull to let go of the killed worker's job");
			// The killed run stored the first organisation's data and stopped before moving it on.
			const first = sandboxes.altinn3.liveInstances(app, '310547891');
			expect(first).toHaveLength(1);
			expect(first[0].taskIndex).toBe(0);
			expect(first[0].data.filter((element) => element.dataType === 'model')).toHaveLength(1);
			await c().workers[worker - 1].start();
			const again = await runManually(workflowId, trigger);
			expect(outcome(again)).toEqual({ status: 'success' });
			expect(nodeOutput(again, 'Submit the Report').map((item) => [item.orgNumber, item.outcome])).toEqual([
				['310547891', 'completed'],
				['315544327', 'completed'],
				['991825827', 'completed'],
			]);
			for (const orgNumber of ['310547891', '313367002', '315544327', '991825827']) expect(sandboxes.altinn3.liveInstances(app, orgNumber)).toHaveLength(1);
			expect(sandboxes.altinn3.liveInstances(app, '310547891')[0].guid).toBe(first[0].guid);
			// Each of the three filed instances moved on twice in all, the killed one's first move included once.
			for (const orgNumber of ['310547891', '315544327', '991825827']) expect(sandboxes.altinn3.liveInstances(app, orgNumber)[0].flow - 2).toBe(2);
		});
	});

	it('Altinn 3 consent: the trigger on main sees that decision once and a worker runs the rest: the consent token gets the data', async () => {
		// The trigger polls every minute; the decision was made early in the file (the manual run's consent is decided later).
		const firedFor = async () => (await executions('qConsentDecided')).filter((execution) => nodeOutput(execution, 'Altinn Consent Trigger').some((item) => item.consentRequestId === consentRequestId));
		await waitFor(async () => (await firedFor()).some((execution) => ['success', 'error', 'crashed'].includes(execution.status)), 150_000, 'the trigger to fire for that decision');
		const found = await firedFor();
		expect(found).toHaveLength(1);
		const [fired] = found;
		expect(outcome(fired)).toEqual({ status: 'success' });
		expect(workersThatRan(fired.id)).toHaveLength(1);
		const index = nodeOutput(fired, 'Altinn Consent Trigger').findIndex((item) => item.consentRequestId === consentRequestId);
		expect(nodeOutput(fired, 'Altinn Consent Trigger')[index]).toMatchObject({ consentRequestId, eventType: 'Accepted' });
		expect(nodeOutput(fired, 'Get Income')[index]).toEqual({ consentId: consentRequestId, incomeYears: [{ year: '2025', income: 612000 }] });
	});

	it('leaves no secret in PostgreSQL (pg_dump) or in any process\'s log', async () => {
		await c().stopN8n();
		const dump = await c().postgres.dump();
		expect(dump).toContain('execution_entity');
		const logs = c().processes().map((process) => process.serverLog());
		expect(logs.every((log) => log.length > 0)).toBe(true);
		const redisLog = existsSync(c().redis.logFile) ? readFileSync(c().redis.logFile, 'utf8') : '';
		const postgresLog = existsSync(c().postgres.logFile) ? readFileSync(c().postgres.logFile, 'utf8') : '';
		expect(
			leakedSecrets([dump, ...logs, redisLog, postgresLog], {
				...sandboxSecrets(sandboxes),
				wrongPassword: WRONG_PASSWORD,
				reuseNodePassword: REUSE_NODE_USER.password,
				reuseCredentialPassword: REUSE_CREDENTIAL_USER.password,
			}),
		).toEqual([]);
		// The tokens shared between processes are sealed in the credential (which n8n encrypts too); execution
		// data holds the token items the workflows passed on, as any node's output.
		const table = (name: string) => new RegExp(`COPY public\\.${name} [^\\n]*\\n([\\s\\S]*?)\\n\\\\\\.`).exec(dump)?.[1] ?? '';
		expect(table('workflow_entity')).toContain('qReuseNode');
		expect(Object.keys(sharedTokens)).toEqual(['typedCodeToken', 'sharedTicket']);
		expect(leakedSecrets([table('workflow_entity'), ...logs, redisLog], sharedTokens)).toEqual([]);
		// n8n encrypts credentials: searched as n8n holds them decrypted, field by field, so the check can see what it looks for.
		const credentials = await c().main.decryptedCredentials();
		const byId = new Map(credentials.map((credential) => [credential.id, credential.data]));
		// Decrypted for real: the password typed into a credential is there, in its own field.
		expect(byId.get('qOnlySmsReuseCred')).toMatchObject({ password: ONLYOFFICE_SMS_2FA_USER.password, sharedTokens: expect.stringMatching(/^\{"v":2,/) });
		const storedFields = credentials.map((credential) => credential.data);
		// The sealed tokens and the sessions: no shared token, no password or key, in any form.
		const kept = storedFields.map(({ sessionToken, sessionTicket, sessionCookie, sharedTokens: sealed }) => ({ sessionToken, sessionTicket, sessionCookie, sealed }));
		expect(leakedSecrets(kept, { ...sharedTokens, ...sandboxSecrets(sandboxes), reuseNodePassword: REUSE_NODE_USER.password, reuseCredentialPassword: REUSE_CREDENTIAL_USER.password })).toEqual([]);
		// The consent giver's number is where the user typed it (the workflow, and its copy with each execution), and in no log or credential field.
		expect(leakedSecrets([storedFields, ...logs, redisLog, postgresLog], { consentGiver: CONSENT_PERSON.nationalIdNumber })).toEqual([]);
	});
});
