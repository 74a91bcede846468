/**
 * The package inside a real n8n (2.41.1 by default, N8N_E2E_VERSION to choose another): installed
 * from its tarball as a community package, the example workflows run against the fake providers,
 * and Altinn's two-phase PIN flow driven through n8n's own webhooks, across a restart of n8n.
 * Afterwards n8n's database and logs are searched for the national ID number and the passwords.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StoredExecution } from '../support/n8n';
import { N8nInstance, freePort, installPackage } from '../support/n8n';
import { DEFAULT_N8N_VERSION, N8N_RUNTIMES, isInstalled, runtimePaths } from '../support/runtime';
import { sandboxCredentials, sandboxSecrets, startSandboxes } from '../fakes/sandbox';
import { importExamples } from '../support/examples';
import type { Sandboxes } from '../fakes/sandbox';
import { ALTINN_PERSON, ALTINN_REST_USER } from '../fakes/fakeAltinn';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { FakeInbox } from '../fakes/fakeInbox';
import { BOKBASEN_CLIENT } from '../fakes/fakeBokbasenAuth';
import { ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_SMS_2FA_USER, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import * as shared from '../helpers/e2eWorkflows';
import type { WebhookFlow, Workflow } from '../helpers/e2eWorkflows';
import { examplesFor, nodeOutput, onSandboxes, outcome, subWorkflow, waitFor } from '../helpers/e2eWorkflows';
import { leakedSecrets } from '../helpers/leaks';

const version = process.env.N8N_E2E_VERSION ?? DEFAULT_N8N_VERSION;
jest.setTimeout(10 * 60_000);

let sandboxes: Sandboxes;
let inbox: FakeInbox;
let n8n: N8nInstance;
let userFolder: string;
const cliOutputs: string[] = [];

const examples = () => examplesFor(sandboxes);

const webhookStartedFlow = (example: Workflow, flow: WebhookFlow) => shared.webhookStartedFlow(example, inbox.baseUrl, flow);

/** The credential shapes released versions saved: by type and version, the declared fields and their defaults (test/fixtures/saved-credential-shapes.json). */
const SAVED_SHAPES = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'saved-credential-shapes.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

/** Example workflows as released versions saved them, where our nodes' saved parameters differ from today's (test/fixtures/saved-workflows.json). */
const SAVED_WORKFLOWS = (
	JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'saved-workflows.json'), 'utf8')) as { workflows: Array<{ savedBy: string[]; file: string; workflow: Workflow }> }
).workflows;

/**
 * A saved workflow of `file`, imported under an id of its own (only `nodeNames`, when given), its
 * Schedule Trigger made a manual one so the CLI can run it, and its nodes using `credentials` where
 * given (a credential no earlier test shared a token through); returns its id.
 */
async function importSavedWorkflow(file: string, savedBy: string, options: { nodeNames?: string[]; credentials?: Record<string, { id: string; name: string }> } = {}): Promise<string> {
	const found = SAVED_WORKFLOWS.find((saved) => saved.file === file && saved.savedBy.join(', ') === savedBy);
	if (!found) throw new Error(`no workflow ${file} saved by ${savedBy} in the fixture`);
	const id = `sv${found.workflow.id.slice(2, 10)}${savedBy.replace(/\D/g, '')}`.slice(0, 16);
	const saved = onSandboxes({ ...found.workflow, id, name: `${String(found.workflow.name)} (as saved by ${savedBy})` }, sandboxes);
	const workflow = {
		...saved,
		nodes: saved.nodes.map((node) => {
			const manual = node.type === 'n8n-nodes-base.scheduleTrigger' ? { ...node, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} } : node;
			return manual.credentials && options.credentials ? { ...manual, credentials: options.credentials } : manual;
		}),
	};
	await n8n.importWorkflow(options.nodeNames ? subWorkflow(workflow, id, String(workflow.name), options.nodeNames) : workflow);
	return id;
}

/** Each distinct saved shape of a credential type once, with the versions that saved it ("0.1.0, 0.2.0"). */
function savedShapesOf(type: string): Array<[string, Record<string, unknown>]> {
	const byShape = new Map<string, { versions: string[]; fields: Record<string, unknown> }>();
	for (const [savedBy, fields] of Object.entries(SAVED_SHAPES[type] ?? {})) {
		const key = JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
		const shape = byShape.get(key) ?? { versions: [], fields };
		shape.versions.push(savedBy);
		byShape.set(key, shape);
	}
	return [...byShape.values()].map(({ versions, fields }) => [versions.join(', '), fields]);
}

/** A credential as a version saved it: its fields, holding the sandbox's values (under the names that version used) or that version's defaults. */
function savedCredentialData(fields: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
	// 0.1.0 to 0.3.0 called the national ID number `userSsn`.
	const valueOf: Record<string, unknown> = { ...current, userSsn: current.secretNationalIdNumber };
	return Object.fromEntries(Object.entries(fields).map(([field, fallback]) => [field, valueOf[field] ?? fallback]));
}

const REUSE_WORKFLOW_ID = 'e2eBoknettReuse';
const REUSE_PATH = 'boknett-reuse';

/** Boknett login (Reuse Token on by default) and a metadata call, started by a webhook so the server's one process runs every execution. */
async function importReuseWorkflow(): Promise<void> {
	const example = examples().get('exBoknettLogin01') as Workflow;
	const flow = webhookStartedFlow(
		{ ...example, nodes: example.nodes.filter((node) => node.name !== 'Log Out') },
		{ id: REUSE_WORKFLOW_ID, name: 'E2E Boknett token reuse', path: REUSE_PATH, webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e04', notifyNode: 'Notify', notifyBody: '={{ { "done": true } }}' },
	);
	await n8n.importWorkflow(flow);
	await n8n.publishWorkflow(REUSE_WORKFLOW_ID);
}

/**
 * The HTTP Request example with its request node calling `url` with a credential of `type` (n8n's
 * Predefined Credential Type), which logs in by itself; imported under `id`.
 */
async function importHttpRequestWorkflow(id: string, name: string, type: string, credential: { id: string; name: string }, url: string): Promise<void> {
	const example = examples().get('exBoknettHttpCred1') as Workflow;
	await n8n.importWorkflow({
		...example,
		id,
		name,
		nodes: example.nodes.map((node) =>
			node.name === 'Get Metadata'
				? {
						...node,
						parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: type, options: { response: { response: { responseFormat: 'json' } } } },
						credentials: { [type]: credential },
					}
				: node,
		),
	});
}

async function runWithCli(workflowId: string): Promise<StoredExecution> {
	const [before] = await n8n.executions(workflowId);
	const { output } = await n8n.executeWithCli(workflowId);
	cliOutputs.push(output);
	return await n8n.waitForExecution(workflowId, ['success', 'error', 'crashed'], before?.id ?? 0, 30_000);
}

beforeAll(async () => {
	if (!isInstalled(version)) {
		throw new Error(`n8n ${version} is not installed: run "node .sandbox/build/test/support/runtime.js ${version}" (npm test does it first)`);
	}
	sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
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

	it('ONLYOFFICE: logs in and the HTTP Request node reads the profile with the token; the next run, another n8n process, reuses that token from the credential', async () => {
		const logins = () => sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length;
		const before = logins();
		const execution = await runWithCli('exOnlyofficeLog1');
		expect(outcome(execution)).toEqual({ status: 'success' });
		const [token] = nodeOutput(execution, 'ONLYOFFICE Auth');
		expect(token).toMatchObject({ provider: 'onlyoffice', expiresAt: '2030-07-07T14:06:03.584Z', reused: false });
		expect(nodeOutput(execution, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Anne Example' } });
		// Each CLI run is a process of its own, with an empty memory: the token comes sealed in the credential.
		const again = await runWithCli('exOnlyofficeLog1');
		expect(nodeOutput(again, 'ONLYOFFICE Auth')[0]).toMatchObject({ token: token.token, reused: true });
		expect(logins() - before).toBe(1);
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

	it('Altinn 3: Maskinporten login, and the HTTP Request node lists applications with the Bearer token', async () => {
		const execution = await runWithCli('exAltinn3Login01');
		expect(outcome(execution)).toEqual({ status: 'success' });
		const [token] = nodeOutput(execution, 'Altinn Authenticate');
		expect(token).toMatchObject({ provider: 'altinn3', actsFor: 'organisation', orgNumber: VENDOR_ORG_NO, headers: { Authorization: `Bearer ${String(token.token)}` } });
		expect(sandboxes.altinn3.grants.at(-1)?.header.kid).toBe(sandboxes.altinn3Client.keyId);
		expect(nodeOutput(execution, 'List Applications')[0]).toMatchObject({ applications: [{ id: 'ttd/example-app' }] });
	});

	it('Bokbasen OAuth2: client-credentials token, and the HTTP Request node calls the API with it', async () => {
		const execution = await runWithCli('exBokbasenOAuth1');
		expect(outcome(execution)).toEqual({ status: 'success' });
		expect(nodeOutput(execution, 'Bokbasen Token')[0]).toMatchObject({ provider: 'bokbasen', audience: BOKBASEN_CLIENT.audience });
		expect(nodeOutput(execution, 'Get Metadata')[0]).toMatchObject({ records: [{ isbn: '9788202000000' }] });
	});

	it('Altinn 3 system users: a scheduled submission for three customers; the two who approved get an instance, the third a clear error', async () => {
		const instancesBefore = sandboxes.altinn3.requestsTo('/ttd/example-app/instances').length;
		const execution = await runWithCli('exAltinn3Submit1');
		expect(outcome(execution)).toEqual({ status: 'success' });
		const tokens = nodeOutput(execution, 'Altinn Authenticate');
		expect(tokens.map((token) => token.orgNumber)).toEqual(['310547891', '313367002']);
		expect(tokens.every((token) => typeof token.systemUserId === 'string' && token.systemId === '991825827_sandbox')).toBe(true);
		const refused = nodeOutput(execution, 'Altinn Authenticate', 1);
		expect(refused).toHaveLength(1);
		// What reaches the error output says which customer (the input item's fields, added by n8n) and what to do.
		expect(refused[0]).toEqual({
			orgNumber: '312345676',
			error: 'This customer (org no 312345676) has not approved a system user for your system',
			message: expect.stringMatching(/Create Request/),
		});
		expect(tokens.every((token) => token.actsFor === 'customer')).toBe(true);
		expect(nodeOutput(execution, 'Create Instance')).toHaveLength(2);
		// The error output asks that customer: the request, with the confirmUrl a person at the customer opens.
		expect(nodeOutput(execution, 'Ask the Customer to Approve')).toEqual([
			expect.objectContaining({ orgNumber: '312345676', status: 'New', confirmUrl: expect.stringMatching(/^http/) }),
		]);
		const instances = sandboxes.altinn3.requestsTo('/ttd/example-app/instances').slice(instancesBefore);
		expect(instances.map((request) => (JSON.parse(request.body) as { instanceOwner: { organisationNumber: string } }).instanceOwner.organisationNumber)).toEqual([
			'310547891',
			'313367002',
		]);
	});

	it('ONLYOFFICE two-factor by authenticator app: the node computes the code and the profile call works', async () => {
		const execution = await runWithCli('exOnlyofficeTotp1');
		expect(outcome(execution)).toEqual({ status: 'success' });
		expect(sandboxes.onlyoffice.requestsTo('/api/2.0/authentication/').at(-1)?.path).toMatch(/^\/api\/2\.0\/authentication\/\d{6}$/);
		// The profile of the account that logged in: the authenticator-app account.
		expect(nodeOutput(execution, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Tore Example', email: ONLYOFFICE_APP_2FA_USER.username } });
	});

	describe('HTTP Request node with a Predefined Credential Type: the credential logs in by itself', () => {
		const boknettLogins = () => sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;

		it('Boknett: logs in once, keeps the ticket for the next run, and logs in again once after a 401', async () => {
			const before = boknettLogins();
			const first = await runWithCli('exBoknettHttpCred1');
			expect(outcome(first)).toEqual({ status: 'success' });
			expect(nodeOutput(first, 'Get Metadata')[0]).toEqual({ products: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
			const [call] = sandboxes.boknett.requestsTo('/metadata/').slice(-1);
			expect(call.headers.authorization).toMatch(/^Boknett TGT-/);
			expect(Math.abs(Date.parse(String(call.headers.date)) - Date.now())).toBeLessThan(5 * 60_000);
			expect(boknettLogins() - before).toBe(1);

			expect(outcome(await runWithCli('exBoknettHttpCred1'))).toEqual({ status: 'success' });
			expect(boknettLogins() - before).toBe(1);

			// The ticket ends on Boknett's side: the next call gets 401, n8n logs in again and repeats the call once.
			sandboxes.boknett.liveTickets.clear();
			const callsBefore = sandboxes.boknett.requestsTo('/metadata/').length;
			expect(outcome(await runWithCli('exBoknettHttpCred1'))).toEqual({ status: 'success' });
			expect(boknettLogins() - before).toBe(2);
			expect(sandboxes.boknett.requestsTo('/metadata/').length - callsBefore).toBe(2);
		});

		it('Boknett with a wrong password: the node fails with the login\'s message and the password was sent once', async () => {
			const example = examples().get('exBoknettHttpCred1') as Workflow;
			await n8n.importWorkflow({
				...example,
				id: 'e2eHttpCredWrong',
				name: 'HTTP Request with a wrong Boknett password',
				nodes: example.nodes.map((node) =>
					node.name === 'Get Metadata' ? { ...node, credentials: { boknettApi: { id: 'wrongBoknettPass', name: 'Boknett with a wrong password' } } } : node,
				),
			});
			const before = boknettLogins();
			const execution = await runWithCli('e2eHttpCredWrong');
			expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining('Boknett refused the login (400 Bad Request)') });
			expect(boknettLogins() - before).toBe(1);
		});

		it('ONLYOFFICE with an account that asks for an SMS code: three runs send one code in all, each failing with what to use instead', async () => {
			await n8n.importCredentials([
				{ id: 'e2eOnlySmsHttp01', name: 'ONLYOFFICE SMS account for HTTP Request', type: 'onlyofficeApi', data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER } },
			]);
			await importHttpRequestWorkflow('e2eHttpCredSms01', 'HTTP Request with an ONLYOFFICE SMS account', 'onlyofficeApi', { id: 'e2eOnlySmsHttp01', name: 'ONLYOFFICE SMS account for HTTP Request' }, `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`);
			const codesBefore = sandboxes.onlyoffice.smsCodesSent;
			const loginsBefore = sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length;
			// Each run is a new CLI process: what stops the second and third login is the mark n8n saved in the credential.
			for (let run = 0; run < 3; run++) {
				const execution = await runWithCli('e2eHttpCredSms01');
				expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringMatching(/requires an SMS code, which a request node cannot wait for\. The portal sent one at .+ UTC; this credential sends no further login/) });
			}
			expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
			expect(sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length - loginsBefore).toBe(1);
			// The mark sent nothing to the API either.
			expect(sandboxes.onlyoffice.requestsTo('/api/2.0/people/@self').filter((request) => String(request.headers.authorization ?? '').startsWith('codeNeeded'))).toEqual([]);
		});

		it.each([
			['onlyofficeApi', 'sandboxOnlyTotp1', () => `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`, { response: { displayName: 'Tore Example' } }],
			['altinnApi', 'sandboxAltinn001', () => `${sandboxes.altinn.baseUrl}/api/my/messages`, { _embedded: { messages: [{ MessageId: 'a1' }] } }],
			// New in 0.4.0: the Altinn 3 and Bokbasen credentials log in by themselves too (Bearer tokens).
			['altinnMaskinportenApi', 'sandboxAltinn3001', () => `${sandboxes.altinn3.baseUrl}/storage/api/v1/applications`, { applications: [{ id: 'ttd/example-app' }] }],
			['bokbasenOAuth2Api', 'sandboxBokbasen01', () => `${sandboxes.bokbasen.baseUrl}/metadata/export`, { records: [{ isbn: '9788202000000' }] }],
		] as const)('%s (%s): the HTTP Request node logs in and calls the API', async (type, credentialId, url, expected) => {
			const workflowId = `e2eHttpCred${type}`.slice(0, 16);
			await importHttpRequestWorkflow(workflowId, `HTTP Request with ${type}`, type, { id: credentialId, name: credentialId }, url());
			const execution = await runWithCli(workflowId);
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(nodeOutput(execution, 'Get Metadata')[0]).toMatchObject(expected);
		});
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
		['exBoknettLogin01', 'Boknett Ticket', () => (sandboxes.boknett.failure = 'htmlPage'), 'Boknett failed the login (502 Bad Gateway) but may already have counted a failed login, so it was not sent again'],
	])('a provider failure in %s reaches the workflow as the %s node\'s clear error', async (workflowId, nodeName, breakProvider, message) => {
		// Force New Login: a token an earlier run shared through the credential would otherwise be reused.
		const example = examples().get(workflowId) as Workflow;
		await n8n.importWorkflow({
			...example,
			id: `${workflowId}F`.slice(0, 16),
			nodes: example.nodes.map((node) => (node.name === nodeName ? { ...node, parameters: { ...(node.parameters as object), options: { forceNewLogin: true } } } : node)),
		});
		breakProvider();
		try {
			const execution = await runWithCli(`${workflowId}F`.slice(0, 16));
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
			const flow = {
				notifyNode: 'Send PIN Link',
				notifyBody: '={{ { "pinFormUrl": $json.pinFormUrl, "pinWebhookUrl": $json.pinWebhookUrl } }}',
			};
			await n8n.importWorkflow(
				webhookStartedFlow(example, { ...flow, id: workflowId, name: 'E2E Altinn SMS flow', path: 'start-altinn-sms', webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e01' }),
			);
			await n8n.publishWorkflow(workflowId);
			// The same flow whose Wait for PIN gives up after one minute.
			await n8n.importWorkflow(
				webhookStartedFlow(example, {
					...flow,
					id: timeLimitWorkflowId,
					name: 'E2E Altinn SMS time limit',
					path: 'start-altinn-sms-time-limit',
					webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e02',
					replace: (node) => (node.name === 'Wait for PIN' ? { ...node, parameters: { operation: 'waitForPin', timeLimitMinutes: 1 } } : node),
				}),
			);
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

	describe('ONLYOFFICE SMS code: log in, wait through n8n\'s resume URL, finish the login', () => {
		const workflowId = 'e2eOnlyofficeSms';
		let codeWebhookUrl = '';

		beforeAll(async () => {
			await n8n.stop();
			await n8n.importWorkflow(
				webhookStartedFlow(examples().get('exOnlyofficeSms01') as Workflow, {
					id: workflowId,
					name: 'E2E ONLYOFFICE SMS code',
					path: 'start-onlyoffice-sms',
					webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e03',
					notifyNode: 'Send Code Link',
					notifyBody: '={{ { "codeFormUrl": $json.codeFormUrl, "codeWebhookUrl": $json.codeWebhookUrl } }}',
					keepConnections: true,
				}),
			);
			await n8n.publishWorkflow(workflowId);
			await importReuseWorkflow();
			await n8n.start();
			await n8n.waitForWebhook('start-onlyoffice-sms');
			await n8n.waitForWebhook(REUSE_PATH);
		});

		it('pauses after the portal sent the code, with the code page sent on', async () => {
			const response = await fetch(`${n8n.baseUrl}/webhook/start-onlyoffice-sms`, { method: 'POST' });
			expect(response.status).toBe(200);
			const waiting = await n8n.waitForExecution(workflowId, ['waiting', 'error', 'success']);
			expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for SMS Code/) });
			const message = inbox.messages().pop() ?? {};
			codeWebhookUrl = String(message.codeWebhookUrl);
			expect(codeWebhookUrl).toContain(`/webhook-waiting/${waiting.id}`);
			expect(String(message.codeFormUrl)).toContain(`/form-waiting/${waiting.id}`);
			expect(sandboxes.onlyoffice.lastSmsCode).toMatch(/^\d{6}$/);
		});

		it('tells the person a wrong code was refused and keeps waiting; the right code finishes the login', async () => {
			const right = String(sandboxes.onlyoffice.lastSmsCode);
			const wrong = right === '000000' ? '111111' : '000000';
			const refused = await fetch(codeWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: wrong }) });
			expect(refused.status).toBe(400);
			expect(await refused.json()).toMatchObject({ accepted: false, error: expect.stringMatching(/refused the two-factor code/) });
			const [stillWaiting] = await n8n.executions(workflowId);
			expect(stillWaiting.status).toBe('waiting');
			const accepted = await fetch(codeWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: right }) });
			expect(accepted.status).toBe(200);
			const done = await n8n.waitForExecution(workflowId, ['success', 'error'], stillWaiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			expect(nodeOutput(done, 'Wait for SMS Code')[0]).toMatchObject({ provider: 'onlyoffice' });
			// The profile of the account that logged in with the SMS code.
			expect(nodeOutput(done, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Siri Example' } });
		});
	});

	describe('Altinn 3 system users: asking a customer, across an n8n restart, until the trigger reports the decision', () => {
		const CREATE_ID = 'e2eSuCreateReq1';
		const TRIGGER_ID = 'e2eSuTrigger001';
		let requestId = '';

		beforeAll(async () => {
			await n8n.stop();
			const example = examples().get('exAltinn3Onbrd01') as Workflow;
			const trigger = example.nodes.find((node) => node.type === 'n8n-nodes-login-tokens.altinnSystemUserTrigger');
			await n8n.importWorkflow(subWorkflow(example, CREATE_ID, 'E2E system user request', example.nodes.filter((node) => node !== trigger && !['Accepted?'].includes(String(node.name)) && !String(node.name).startsWith('Customer approved') && !String(node.name).startsWith('Rejected')).map((node) => String(node.name))));
			await n8n.importWorkflow(subWorkflow(example, TRIGGER_ID, 'E2E system user decision', [String(trigger?.name), 'Accepted?', ...example.nodes.filter((node) => /^(Customer approved|Rejected)/.test(String(node.name))).map((node) => String(node.name))]));
			await n8n.publishWorkflow(TRIGGER_ID);
			await n8n.start();
		});

		it('the trigger records what is already decided on its first poll, firing nothing', async () => {
			// n8n keeps a polling node's state under "node:<name>"; the trigger's holds the requests it has seen decided.
			await waitFor(
				async () =>
					Object.entries((await n8n.workflowStaticData(TRIGGER_ID)) ?? {}).some(
						([key, value]) => key.startsWith('node:') && typeof value === 'object' && value !== null && 'reported' in value,
					),
				150_000,
			);
			expect(await n8n.executions(TRIGGER_ID)).toEqual([]);
		});

		it('creates the request: pending, with a confirmUrl for a person at the customer', async () => {
			const execution = await runWithCli(CREATE_ID);
			expect(outcome(execution)).toEqual({ status: 'success' });
			const [request] = nodeOutput(execution, 'Create System User Request');
			expect(request).toMatchObject({ status: 'New', partyOrgNo: '312345676', systemId: '991825827_sandbox' });
			expect(String(request.confirmUrl)).toContain(String(request.requestId));
			requestId = String(request.requestId);
		});

		it('the customer approves while n8n is stopped; after the restart the trigger fires once with Accepted', async () => {
			await n8n.stop();
			const request = sandboxes.altinn3.systemUserRequests.get(requestId);
			const page = await fetch(sandboxes.altinn3.confirmUrl(request as NonNullable<typeof request>), {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: 'decision=approve',
				redirect: 'manual',
			});
			expect(page.status).toBeLessThan(400);
			await n8n.start();
			const fired = await n8n.waitForExecution(TRIGGER_ID, ['success', 'error'], 0, 150_000);
			expect(outcome(fired)).toEqual({ status: 'success' });
			expect(nodeOutput(fired, 'Altinn System User Trigger')).toEqual([expect.objectContaining({ requestId, status: 'Accepted', partyOrgNo: '312345676' })]);
			expect(nodeOutput(fired, 'Accepted?')).toHaveLength(1);
		});
	});

	describe('Reuse Token in the running server: executions one after another and at the same time', () => {
		const fetchMetadata = async () => {
			const response = await fetch(`${n8n.baseUrl}/webhook/${REUSE_PATH}`, { method: 'POST' });
			expect(response.status).toBe(200);
		};

		it('logs in once for four executions at the same time and one after them; the others say the token was reused', async () => {
			const loginsBefore = sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;
			// The fake answers slowly, so all four executions ask while the first login is still under way.
			sandboxes.boknett.answerDelayMs = 1_000;
			try {
				await Promise.all(Array.from({ length: 4 }, fetchMetadata));
				await waitFor(async () => (await n8n.executions(REUSE_WORKFLOW_ID)).filter((execution) => execution.status === 'success').length >= 4);
			} finally {
				sandboxes.boknett.answerDelayMs = 0;
			}
			await fetchMetadata();
			await waitFor(async () => (await n8n.executions(REUSE_WORKFLOW_ID)).filter((execution) => execution.status === 'success').length >= 5);
			const executions = (await n8n.executions(REUSE_WORKFLOW_ID)).slice(0, 5);
			expect(executions.map((execution) => outcome(execution))).toEqual(Array(5).fill({ status: 'success' }));
			const tokens = executions.map((execution) => nodeOutput(execution, 'Boknett Ticket')[0]);
			expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
			expect(tokens.filter((token) => token.reused === true)).toHaveLength(4);
			const logins = sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length - loginsBefore;
			expect(logins).toBe(1);
		});
	});

	describe('each credential\'s Test button (n8n\'s credential test, as the editor calls it)', () => {
		type Check = { status: string; message: string };
		const altinn3Data = () => sandboxCredentials(sandboxes).find((candidate) => candidate.type === 'altinnMaskinportenApi')?.data ?? {};
		// Also searched for by the leak check below.
		const WRONG_PASSWORD = 'Wrong&Password+1';
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

		it.each([
			// n8n first runs the credential's own login (preAuthentication), then the Test request.
			['boknettApi', ['POST /v1/tickets', 'GET /v1/tickets']],
			['onlyofficeApi', ['POST /api/2.0/authentication', 'GET /api/2.0/people/@self']],
			['altinnApi', ['POST /api/authentication/authenticatewithpassword', 'GET /api/my/messages']],
			// The service check (no PIN is requested: that would send an SMS), then the service description.
			['altinnSmsPinApi', ['GET /AuthenticationExternal/SystemAuthentication.svc', 'GET /AuthenticationExternal/SystemAuthentication.svc']],
			// The whole Altinn 3 login: Maskinporten token, then the exchange; then Altinn's token refresh.
			['altinnMaskinportenApi', ['POST /token', 'GET /authentication/api/v1/exchange/maskinporten', 'GET /authentication/api/v1/refresh']],
			['bokbasenOAuth2Api', ['POST /oauth/token', 'GET /.well-known/openid-configuration']],
		] as const)('passes for the sandbox %s', async (type, requests) => {
			const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
			const fake = {
				boknettApi: sandboxes.boknett,
				onlyofficeApi: sandboxes.onlyoffice,
				altinnApi: sandboxes.altinn,
				altinnSmsPinApi: sandboxes.altinn,
				altinnMaskinportenApi: sandboxes.altinn3,
				bokbasenOAuth2Api: sandboxes.bokbasen,
			}[type];
			const before = fake.requests.length;
			expect(await testCredential({ id: credential?.id ?? '', type, data: credential?.data ?? {} })).toEqual({ status: 'OK', message: 'Connection successful!' });
			// The check really reached the provider (the sandbox): the login, then the Test request.
			expect(fake.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual(requests);
		});

		it.each([
			['boknettApi', () => ({ environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: WRONG_PASSWORD }), /^Boknett refused the login \(400 Bad Request\)\. Check the username and password/],
			['onlyofficeApi', () => ({ portalUrl: sandboxes.onlyoffice.baseUrl, username: ONLYOFFICE_USER.username, password: WRONG_PASSWORD }), /^ONLYOFFICE refused the username or password/],
			['altinnApi', () => ({ environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER, password: WRONG_PASSWORD }), /^Altinn did not log in \(401/],
			['bokbasenOAuth2Api', () => ({ environment: 'custom', baseUrl: sandboxes.bokbasen.baseUrl, ...BOKBASEN_CLIENT, clientSecret: WRONG_PASSWORD }), /^Bokbasen refused the login \(401 Unauthorized\)/],
			['altinnMaskinportenApi', () => ({ ...altinn3Data(), keyId: 'not-registered' }), /^Maskinporten refused the login \(400 Bad Request\)/],
			['altinnSmsPinApi', () => ({ ...(sandboxCredentials(sandboxes).find((c) => c.type === 'altinnSmsPinApi')?.data ?? {}), baseUrl: `${sandboxes.boknett.baseUrl}/not-altinn` }), /^Altinn's SMS PIN authentication service did not answer as expected at this address/],
		])('fails for %s with wrong values, in words that say what to check', async (type, data, message) => {
			const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
			const result = await testCredential({ id: credential?.id ?? '', type, data: data() });
			expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(message) });
			expect(result.message).not.toContain(WRONG_PASSWORD);
		});
	});

	it('an ONLYOFFICE credential whose account asks for an SMS code: its Test button says when the portal sent one, and a second test sends none', async () => {
		await n8n.start();
		const rest = await n8n.ownerSession();
		const data = { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER };
		await n8n.importCredentials([{ id: 'e2eOnlySmsTest01', name: 'ONLYOFFICE SMS account (Test button)', type: 'onlyofficeApi', data }]);
		const codesBefore = sandboxes.onlyoffice.smsCodesSent;
		for (let test = 0; test < 2; test++) {
			const { status, body } = await rest('POST', '/credentials/test', { credentials: { id: 'e2eOnlySmsTest01', name: 'Test', type: 'onlyofficeApi', data } });
			expect(status).toBe(200);
			expect((body as { data: { status: string; message: string } }).data).toMatchObject({
				status: 'Error',
				message: expect.stringMatching(/The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC; this credential sends no further login/),
			});
		}
		expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
	});

	it.each(savedShapesOf('altinnSmsPinApi'))('an Altinn SMS PIN API credential saved by %s still requests the PIN for its person', async (versions, fields) => {
		const current = sandboxCredentials(sandboxes).find((candidate) => candidate.type === 'altinnSmsPinApi')?.data ?? {};
		const id = `savedSmsPin${versions.replace(/\W/g, '')}`.slice(0, 16);
		await n8n.importCredentials([{ id, name: `Altinn SMS PIN as saved by ${versions}`, type: 'altinnSmsPinApi', data: savedCredentialData(fields, current) }]);
		const example = examples().get('exAltinnSmsSoap1') as Workflow;
		const [trigger, requestPin] = example.nodes;
		await n8n.importWorkflow({
			...example,
			id: `${id}W`.slice(0, 16),
			name: `Request PIN with a credential saved by ${versions}`,
			nodes: [trigger, { ...requestPin, credentials: { altinnSmsPinApi: { id, name: id } } }],
			connections: { [String(trigger.name)]: { main: [[{ node: String(requestPin.name), type: 'main', index: 0 }]] } },
		});
		const pinsBefore = sandboxes.altinn.sentPins.length;
		const execution = await runWithCli(`${id}W`.slice(0, 16));
		expect(outcome(execution)).toEqual({ status: 'success' });
		expect(sandboxes.altinn.sentPins.slice(pinsBefore).map((pin) => pin.ssn)).toEqual([ALTINN_PERSON.ssn]);
	});

	describe('workflows as earlier versions saved them run with this version', () => {
		it('covers every saved workflow in the fixture', () => {
			expect(SAVED_WORKFLOWS.map((saved) => `${saved.file} (${saved.savedBy.join(', ')})`)).toEqual([
				'altinn3-maskinporten-applications.json (0.1.0, 0.2.0, 0.3.0, 0.4.0)',
				'onlyoffice-sms-code.json (0.1.0, 0.2.0)',
				'altinn3-system-user-submission.json (0.3.0, 0.4.0)',
			]);
		});

		it('Altinn Authenticate version 2, Maskinporten (0.1.0–0.4.0): logs in for the organisation and lists applications', async () => {
			const execution = await runWithCli(await importSavedWorkflow('altinn3-maskinporten-applications.json', '0.1.0, 0.2.0, 0.3.0, 0.4.0'));
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(nodeOutput(execution, 'Altinn Authenticate')[0]).toMatchObject({ provider: 'altinn3', actsFor: 'organisation' });
			expect(nodeOutput(execution, 'List Applications')[0]).toMatchObject({ applications: [{ id: 'ttd/example-app' }] });
		});

		it('ONLYOFFICE Auth version 1, Log In waiting for an SMS code (0.1.0, 0.2.0): sends one code and outputs where to hand it in', async () => {
			await n8n.importCredentials([{ id: 'svOnlySms010020', name: 'ONLYOFFICE SMS account (saved workflow)', type: 'onlyofficeApi', data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER } }]);
			const codesBefore = sandboxes.onlyoffice.smsCodesSent;
			const execution = await runWithCli(
				await importSavedWorkflow('onlyoffice-sms-code.json', '0.1.0, 0.2.0', {
					nodeNames: ['When clicking ‘Execute workflow’', 'Log In'],
					credentials: { onlyofficeApi: { id: 'svOnlySms010020', name: 'ONLYOFFICE SMS account (saved workflow)' } },
				}),
			);
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(nodeOutput(execution, 'Log In')[0]).toMatchObject({ status: 'smsCodeSent', codeWebhookUrl: expect.stringMatching(/^http/) });
			expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
		});

		it('Altinn Authenticate version 2, system user (0.3.0, 0.4.0): a token for each customer who approved, the other to the error output', async () => {
			const execution = await runWithCli(await importSavedWorkflow('altinn3-system-user-submission.json', '0.3.0, 0.4.0'));
			expect(outcome(execution)).toEqual({ status: 'success' });
			const tokens = nodeOutput(execution, 'Altinn Authenticate');
			const refused = nodeOutput(execution, 'Altinn Authenticate', 1);
			expect(tokens.every((token) => token.provider === 'altinn3' && token.actsFor === 'customer')).toBe(true);
			// 312345676 had not approved in the sandbox, unless the current example's error branch (run before) asked it and it approved.
			expect(tokens.map((token) => token.orgNumber).slice(0, 2)).toEqual(['310547891', '313367002']);
			expect([...tokens, ...refused].map((item) => item.orgNumber).sort()).toEqual(['310547891', '312345676', '313367002']);
			expect(refused.every((item) => typeof item.error === 'string')).toBe(true);
			expect(nodeOutput(execution, 'Create Instance')).toHaveLength(tokens.length);
		});
	});

	describe('credentials saved by every released version log in by themselves for the HTTP Request node', () => {
		const cases = [
			['boknettApi', 'sandboxBoknett01', () => sandboxes.boknett, '/v1/tickets', () => `${sandboxes.boknett.baseUrl}/metadata/export/onix`],
			['onlyofficeApi', 'sandboxOnlyoff01', () => sandboxes.onlyoffice, '/api/2.0/authentication', () => `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`],
			['altinnApi', 'sandboxAltinn001', () => sandboxes.altinn, '/api/authentication', () => `${sandboxes.altinn.baseUrl}/api/my/messages`],
			['altinnMaskinportenApi', 'sandboxAltinn3001', () => sandboxes.altinn3, '/token', () => `${sandboxes.altinn3.baseUrl}/storage/api/v1/applications`],
			['bokbasenOAuth2Api', 'sandboxBokbasen01', () => sandboxes.bokbasen, '/oauth/token', () => `${sandboxes.bokbasen.baseUrl}/metadata/export`],
		] as const;
		it.each(cases.flatMap(([type, sandboxId, fake, loginPath, url]) => savedShapesOf(type).map(([versions, fields]) => [type, versions, { sandboxId, fake, loginPath, url, fields }] as const)))(
			'%s saved by %s',
			async (type, versions, { sandboxId, fake, loginPath, url, fields }) => {
				const current = sandboxCredentials(sandboxes).find((candidate) => candidate.id === sandboxId)?.data ?? {};
				const id = `sv${type.slice(0, 8)}${versions.replace(/\W/g, '')}`.slice(0, 16);
				await n8n.importCredentials([{ id, name: `${type} as saved by ${versions}`, type, data: savedCredentialData(fields, current) }]);
				await importHttpRequestWorkflow(`${id}W`.slice(0, 16), `HTTP Request with ${type} as saved by ${versions}`, type, { id, name: `${type} as saved by ${versions}` }, url());
				const loginsBefore = fake().requestsTo(loginPath).length;
				const execution = await runWithCli(`${id}W`.slice(0, 16));
				expect(outcome(execution)).toEqual({ status: 'success' });
				// It logged in with the saved values (not with a session of another credential).
				expect(fake().requestsTo(loginPath).length - loginsBefore).toBeGreaterThanOrEqual(1);
			},
		);
	});

	it('a second npm start keeps what the person did: nothing already in n8n is imported again, and a published example stays published', async () => {
		await n8n.start();
		const rest = await n8n.ownerSession();
		const published = async () => {
			const { body } = await rest('GET', '/workflows/exScheduledBok01');
			const workflow = (body as { data: { active?: boolean; activeVersionId?: string | null } }).data;
			// n8n 1.x says `active`; 2.x publishes a version (`activeVersionId`).
			return workflow.active === true || Boolean(workflow.activeVersionId);
		};
		await n8n.publishWorkflow('exScheduledBok01');
		expect(await published()).toBe(true);
		const before = await n8n.storedIds();
		const said: string[] = [];
		const workflows = await importExamples(n8n, sandboxes, (line) => said.push(line));
		expect(said.join('\n')).toMatch(new RegExp(`imported 0 example workflow\\(s\\) and 0 credential\\(s\\) that were missing; kept the ${workflows.length} example`));
		expect(await n8n.storedIds()).toEqual(before);
		expect(await published()).toBe(true);
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
				...sandboxSecrets(sandboxes),
				wrongPassword: 'Wrong&Password+1',
			}),
		).toEqual([]);
	});
});
