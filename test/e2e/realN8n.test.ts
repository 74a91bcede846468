/**
 * The package inside a real n8n (2.41.1 by default, N8N_E2E_VERSION to choose another): installed
 * from its tarball as a community package, the example workflows run against the fake providers,
 * and Altinn's two-phase PIN flow driven through n8n's own webhooks, across a restart of n8n.
 * Afterwards n8n's database and logs are searched for the national ID number and the passwords.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StoredExecution } from '../../scripts/lib/n8n';
import { N8nInstance, freePort, installPackage } from '../../scripts/lib/n8n';
import { DEFAULT_N8N_VERSION, N8N_RUNTIMES, isInstalled, runtimePaths } from '../../scripts/lib/runtime';
import { sandboxCredentials, startSandboxes } from '../../scripts/sandbox';
import type { Sandboxes } from '../../scripts/sandbox';
import { exampleWorkflows } from '../../scripts/startSandbox';
import { ALTINN_PERSON, ALTINN_REST_USER } from '../fakes/fakeAltinn';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { FakeInbox } from '../fakes/fakeInbox';
import { ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';

const version = process.env.N8N_E2E_VERSION ?? DEFAULT_N8N_VERSION;
jest.setTimeout(10 * 60_000);

type Workflow = { id: string; name: string; nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> };

let sandboxes: Sandboxes;
let inbox: FakeInbox;
let n8n: N8nInstance;
let userFolder: string;
const cliOutputs: string[] = [];

/** The example workflows with the sandbox URLs pointed at this run's fakes. */
function examples(): Map<string, Workflow> {
	const portFor: Record<string, string> = {
		'127.0.0.1:5701': new URL(sandboxes.boknett.baseUrl).host,
		'127.0.0.1:5702': new URL(sandboxes.onlyoffice.baseUrl).host,
		'127.0.0.1:5703': new URL(sandboxes.altinn.baseUrl).host,
	};
	const result = new Map<string, Workflow>();
	for (const workflow of exampleWorkflows()) {
		const text = JSON.stringify(workflow).replace(/127\.0\.0\.1:570[1-3]/g, (host) => portFor[host]);
		result.set(workflow.id, JSON.parse(text) as Workflow);
	}
	return result;
}

function nodeOutput(execution: StoredExecution, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main[0] ?? []).map((item) => item.json);
}

/** The status, and for a failed execution which node failed and why, so a failing test says it. */
function outcome(execution: StoredExecution): { status: string; failure?: string } {
	if (execution.status === 'success') return { status: 'success' };
	const result = execution.data?.resultData;
	const node = result?.lastNodeExecuted ?? '?';
	const runs = result?.runData[node] ?? [];
	const error = runs[runs.length - 1]?.error ?? result?.error;
	return { status: execution.status, failure: `${node}: ${error?.message ?? 'no error recorded'} ${error?.description ?? ''}` };
}

async function runWithCli(workflowId: string): Promise<StoredExecution> {
	const [before] = await n8n.executions(workflowId);
	const { output } = await n8n.executeWithCli(workflowId);
	cliOutputs.push(output);
	return await n8n.waitForExecution(workflowId, ['success', 'error', 'crashed'], before?.id ?? 0, 30_000);
}

beforeAll(async () => {
	if (!isInstalled(version)) {
		throw new Error(`n8n ${version} is not installed: run "node .sandbox/build/scripts/lib/runtime.js ${version}" (npm test does it first)`);
	}
	sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0 });
	inbox = await new FakeInbox().start();
	userFolder = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-e2e-'));
	n8n = new N8nInstance({ runtime: runtimePaths(version), userFolder, port: await freePort() });
	await installPackage(userFolder);
	await n8n.importCredentials([
		...sandboxCredentials(sandboxes),
		{
			id: 'wrongBoknettPass',
			name: 'Boknett with a wrong password',
			type: 'boknettApi',
			data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: 'Wrong&Password+1' },
		},
	]);
	for (const workflow of examples().values()) await n8n.importWorkflow(workflow);
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.stop();
	await inbox?.stop();
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
});

describe(`in a real n8n ${version}`, () => {
	it('is the version the README\'s compatibility table reports on', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		const nodeMajor = N8N_RUNTIMES[version]?.nodeMajor;
		expect(readme).toMatch(new RegExp(`\\| ${version.replace(/\./g, '\\.')} \\| ${nodeMajor} \\|.*\\| all pass \\|`));
	});

	it('Boknett: logs in, the HTTP Request node sends the ticket and a Date header, then logs out', async () => {
		const execution = await runWithCli('exBoknettLogin01');
		expect(outcome(execution)).toEqual({ status: 'success' });
		const [token] = nodeOutput(execution, 'Boknett Ticket');
		expect(token).toMatchObject({ provider: 'boknett', environment: 'custom', headers: { Authorization: `Boknett ${String(token.token)}` } });
		expect(nodeOutput(execution, 'Get Metadata')[0]).toEqual({ products: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
		const [downstream] = sandboxes.boknett.requestsTo('/metadata/');
		expect(downstream.headers.authorization).toBe(`Boknett ${String(token.token)}`);
		expect(Math.abs(Date.parse(String(downstream.headers.date)) - Date.now())).toBeLessThan(5 * 60_000);
		expect(nodeOutput(execution, 'Log Out')).toEqual([{ deleted: true }]);
		expect(sandboxes.boknett.liveTickets.has(String(token.token))).toBe(false);
	});

	it('ONLYOFFICE: logs in and the HTTP Request node reads the profile with the token', async () => {
		const execution = await runWithCli('exOnlyofficeLog1');
		expect(outcome(execution)).toEqual({ status: 'success' });
		expect(nodeOutput(execution, 'ONLYOFFICE Auth')[0]).toMatchObject({ provider: 'onlyoffice', expiresAt: '2030-07-07T14:06:03.584Z' });
		expect(nodeOutput(execution, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Anne Example' } });
	});

	it('Altinn: password login, and the HTTP Request node lists messages with the cookie and API key', async () => {
		const execution = await runWithCli('exAltinnPwMsgs01');
		expect(outcome(execution)).toEqual({ status: 'success' });
		const [token] = nodeOutput(execution, 'Altinn Authenticate');
		expect(token).toMatchObject({ provider: 'altinn', cookieName: '.AspxAuthProd' });
		const [downstream] = sandboxes.altinn.requestsTo('/api/my/messages');
		expect(downstream.headers.cookie).toBe(`.AspxAuthProd=${String(token.token)}`);
		expect(downstream.headers.apikey).toBe(ALTINN_REST_USER.apiKey);
		expect(nodeOutput(execution, 'Get My Messages')[0]).toHaveProperty('_embedded');
	});

	it('a wrong password reaches the workflow as the node\'s clear error', async () => {
		const workflow = examples().get('exBoknettLogin01') as Workflow;
		const failing: Workflow = {
			...workflow,
			id: 'e2eWrongPassword',
			name: 'Boknett with a wrong password',
			nodes: workflow.nodes.map((node) =>
				node.name === 'Boknett Ticket' ? { ...node, credentials: { boknettApi: { id: 'wrongBoknettPass', name: 'Boknett with a wrong password' } } } : node,
			),
		};
		await n8n.importWorkflow(failing);
		const before = sandboxes.boknett.requestsTo('/v1/tickets').length;
		const execution = await runWithCli('e2eWrongPassword');
		expect(execution.status).toBe('error');
		const [run] = execution.data?.resultData.runData['Boknett Ticket'] ?? [];
		expect(run.error?.message).toBe('Boknett refused the login (400 Bad Request)');
		expect(run.error?.description).toMatch(/Check the username and password/);
		expect(sandboxes.boknett.requestsTo('/v1/tickets').length - before).toBe(1);
	});

	it.each([
		['exOnlyofficeLog1', 'ONLYOFFICE Auth', () => (sandboxes.onlyoffice.failure = 'twoFactorSms'), 'This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code'],
		['exAltinnPwMsgs01', 'Altinn Authenticate', () => (sandboxes.altinn.restFailure = 'okWithoutCookie'), 'Altinn answered 200 OK but did not log in (no auth cookie was set)'],
		['exBoknettLogin01', 'Boknett Ticket', () => (sandboxes.boknett.failure = 'htmlPage'), 'Boknett failed during login (502 Bad Gateway, tried 3 times)'],
	])('a provider failure in %s reaches the workflow as the %s node\'s clear error', async (workflowId, nodeName, breakProvider, message) => {
		breakProvider();
		try {
			const execution = await runWithCli(workflowId);
			expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining(`${nodeName}: ${message}`) });
		} finally {
			sandboxes.onlyoffice.failure = 'none';
			sandboxes.altinn.restFailure = 'none';
			sandboxes.boknett.failure = 'none';
		}
	});

	describe('Altinn SMS PIN: request, wait through n8n\'s resume URL, then the SOAP call', () => {
		const workflowId = 'e2eAltinnSmsFlow';
		let pinWebhookUrl = '';
		let pinFormUrl = '';

		beforeAll(async () => {
			const example = examples().get('exAltinnSmsSoap1') as Workflow;
			const trigger = {
				parameters: { httpMethod: 'POST', path: 'start-altinn-sms', responseMode: 'onReceived', options: {} },
				id: 'e2e-webhook-trigger',
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e01',
			};
			const notify = {
				parameters: {
					method: 'POST',
					url: `${inbox.baseUrl}/send`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ { "pinFormUrl": $json.pinFormUrl, "pinWebhookUrl": $json.pinWebhookUrl } }}',
					options: {},
				},
				id: 'e2e-notify',
				name: 'Send PIN Link',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
			};
			const nodes = example.nodes.filter((node) => !['Send PIN Link'].includes(String(node.name)) && node.type !== 'n8n-nodes-base.manualTrigger');
			const chain = ['Start', 'Request PIN', 'Send PIN Link', 'Wait for PIN', 'Get Reportee Elements'];
			const connections = Object.fromEntries(chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]));
			await n8n.importWorkflow({ ...example, id: workflowId, name: 'E2E Altinn SMS flow', nodes: [trigger, ...nodes, notify], connections });
			await n8n.publishWorkflow(workflowId);
			// The same flow whose Wait for PIN gives up after one minute.
			await n8n.importWorkflow({
				...example,
				id: timeLimitWorkflowId,
				name: 'E2E Altinn SMS time limit',
				nodes: [
					{ ...trigger, id: 'e2e-webhook-trigger-2', webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e02', parameters: { ...trigger.parameters, path: 'start-altinn-sms-time-limit' } },
					...nodes.map((node) => (node.name === 'Wait for PIN' ? { ...node, parameters: { operation: 'waitForPin', timeLimitMinutes: 1 } } : node)),
					notify,
				],
				connections,
			});
			await n8n.publishWorkflow(timeLimitWorkflowId);
			await n8n.start();
			await n8n.waitForWebhook('start-altinn-sms');
			await n8n.waitForWebhook('start-altinn-sms-time-limit');
		});

		const timeLimitWorkflowId = 'e2eAltinnSmsTimeLimit';
		let timeLimitStartedAt = 0;

		it('starts a second PIN wait with a 1-minute time limit, to be checked at the end', async () => {
			const response = await fetch(`${n8n.baseUrl}/webhook/start-altinn-sms-time-limit`, { method: 'POST' });
			expect(response.status).toBe(200);
			await n8n.waitForExecution(timeLimitWorkflowId, ['waiting']);
			timeLimitStartedAt = Date.now();
		});

		it('requests the PIN and pauses the execution, sending the resume URLs on', async () => {
			const sentBefore = sandboxes.altinn.sentPins.length;
			const [previous] = await n8n.executions(workflowId);
			const response = await fetch(`${n8n.baseUrl}/webhook/start-altinn-sms`, { method: 'POST' });
			expect(response.status).toBe(200);
			const waiting = await n8n.waitForExecution(workflowId, ['waiting', 'error', 'success'], previous?.id ?? 0);
			expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for PIN/) });
			expect(sandboxes.altinn.sentPins.length).toBe(sentBefore + 1);
			const message = inbox.messages().pop() ?? {};
			pinWebhookUrl = String(message.pinWebhookUrl);
			pinFormUrl = String(message.pinFormUrl);
			expect(pinWebhookUrl).toContain(`/webhook-waiting/${waiting.id}`);
			expect(pinFormUrl).toContain(`/form-waiting/${waiting.id}`);
		});

		it('shows the PIN form at the form URL', async () => {
			const page = await fetch(pinFormUrl);
			expect(page.status).toBe(200);
			expect(await page.text()).toMatch(/name="pin"/);
		});

		it('refuses a malformed PIN and keeps waiting', async () => {
			const response = await fetch(pinWebhookUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ pin: 'x!' }),
			});
			expect(response.status).toBe(400);
			expect(await response.json()).toMatchObject({ accepted: false });
			const [newest] = await n8n.executions(workflowId);
			expect(newest.status).toBe('waiting');
		});

		it('survives a restart of n8n, then takes the right PIN and completes the SOAP call', async () => {
			await n8n.stop();
			await n8n.start();
			const pin = sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) ?? '';
			const [waiting] = await n8n.executions(workflowId);
			expect(waiting.status).toBe('waiting');
			const response = await fetch(pinWebhookUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ pin }),
			});
			expect({ status: response.status, body: await response.text() }).toMatchObject({ status: 200 });
			const done = await n8n.waitForExecution(workflowId, ['success', 'error'], waiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			expect(nodeOutput(done, 'Wait for PIN')[0]).toMatchObject({ provider: 'altinn-sms', token: pin, authMethod: 'SMSPin' });
			const [soap] = nodeOutput(done, 'Get Reportee Elements');
			expect(JSON.stringify(soap)).toContain('Skattemelding 2026');
			expect(sandboxes.altinn.requestsTo('/ServiceEngineExternal')).toHaveLength(1);
		});

		it('when nobody enters the PIN in time, n8n goes on without it and the SOAP Request node says so', async () => {
			// n8n looks at waiting executions once a minute: allow three minutes from the start of the wait.
			const remaining = Math.max(10_000, 3 * 60_000 - (Date.now() - timeLimitStartedAt));
			const execution = await n8n.waitForExecution(timeLimitWorkflowId, ['success', 'error'], 0, remaining);
			expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining('Get Reportee Elements: No Altinn PIN reached this node') });
		});
	});

	describe('each credential\'s Test button (n8n\'s credential test, as the editor calls it)', () => {
		type Check = { status: string; message: string };
		let testCredential: (credential: { id: string; type: string; data: Record<string, unknown> }) => Promise<Check>;

		beforeAll(async () => {
			await n8n.start();
			const rest = await n8n.ownerSession();
			testCredential = async (credential) => {
				const { status, body } = await rest('POST', '/credentials/test', { credentials: { name: 'Test', ...credential } });
				expect({ status, body }).toMatchObject({ status: 200 });
				return (body as { data: Check }).data;
			};
		});

		it.each(['boknettApi', 'onlyofficeApi', 'altinnApi', 'altinnSmsPinApi'])('passes for the sandbox %s', async (type) => {
			const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
			const fake = { boknettApi: sandboxes.boknett, onlyofficeApi: sandboxes.onlyoffice, altinnApi: sandboxes.altinn, altinnSmsPinApi: sandboxes.altinn }[type];
			const before = fake?.requests.length ?? 0;
			expect(await testCredential({ id: credential?.id ?? '', type, data: credential?.data ?? {} })).toMatchObject({ status: 'OK' });
			// The check really reached the provider (the sandbox), once.
			expect((fake?.requests.length ?? 0) - before).toBe(1);
		});

		it.each([
			['boknettApi', () => ({ environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: 'wrong' })],
			['onlyofficeApi', () => ({ portalUrl: sandboxes.onlyoffice.baseUrl, username: ONLYOFFICE_USER.username, password: 'wrong' })],
			['altinnApi', () => ({ environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER, password: 'wrong' })],
		])('fails for %s with a wrong password', async (type, data) => {
			const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
			expect(await testCredential({ id: credential?.id ?? '', type, data: data() })).toMatchObject({ status: 'Error' });
		});
	});

	it('leaves no national ID number or password in n8n\'s database, logs or CLI output', async () => {
		// Runs after the PIN flow above, so its executions are in what is searched.
		expect(sandboxes.altinn.requestsTo('/ServiceEngineExternal')).toHaveLength(1);
		await n8n.stop();
		const stored = [
			readFileSync(n8n.databaseFile).toString('latin1'),
			readFileSync(n8n.databaseFile).toString('utf8'),
			n8n.serverLog(),
			...cliOutputs,
		];
		expect(
			leakedSecrets(stored, {
				ssn: ALTINN_PERSON.ssn,
				altinnUserPassword: ALTINN_PERSON.password,
				altinnSystemPassword: ALTINN_PERSON.systemPassword ?? '',
				altinnRestPassword: ALTINN_REST_USER.password,
				boknettPassword: BOKNETT_USER.password,
				onlyofficePassword: ONLYOFFICE_USER.password,
				wrongPassword: 'Wrong&Password+1',
			}),
		).toEqual([]);
	});
});
