/**
 * The PIN resume against n8n's own Wait node, in one real n8n (the default line), interleaved: the
 * time from the POST of a right PIN (or the Wait node's resume POST) until the next node's request
 * arrives. Each sample waits until its execution is waiting before it posts. Part of `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { ALTINN_PERSON } from '../test/fakes/fakeAltinn';
import { FakeInbox } from '../test/fakes/fakeInbox';
import type { Sandboxes } from '../test/fakes/sandbox';
import { sandboxCredentials, startSandboxes } from '../test/fakes/sandbox';
import type { Workflow } from '../test/helpers/e2eWorkflows';
import { N8nInstance, freePort, installPackage } from '../test/support/n8n';
import { DEFAULT_N8N_VERSION, isInstalled, runtimePaths } from '../test/support/runtime';

const SAMPLES = 15;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const post = (url: string, body: unknown) => ({ method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody: body, options: {} });

/** Start (webhook) → the waiting step, its resume URL sent to the inbox first → the next node, which posts to the inbox's /done. */
function flow(id: string, path: string, webhookId: string, inboxUrl: string, waiting: Array<Record<string, unknown>>, resumeUrl: string): Workflow {
	const nodes: Array<Record<string, unknown>> = [
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
		...waiting.slice(0, -1),
		{ id: `${id}-link`, name: 'Send Link', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [400, 0], parameters: post(`${inboxUrl}/link`, `={{ { "url": ${resumeUrl} } }}`) },
		waiting[waiting.length - 1],
		{ id: `${id}-next`, name: 'Next', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [800, 0], parameters: post(`${inboxUrl}/done`, '={{ { "done": true } }}') },
	];
	const chain = nodes.map((node) => String(node.name));
	const connections = Object.fromEntries(chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]));
	return { id, name: id, nodes, connections };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error('the benchmark waited too long');
		await new Promise((resolve) => setTimeout(resolve, 1));
	}
}

/** One sample: start the workflow, wait until it waits, then time the resume POST until the next node's request. */
async function sample(n8n: N8nInstance, inbox: FakeInbox, workflowId: string, path: string, body: () => unknown): Promise<number> {
	const links = inbox.requestsTo('/link').length;
	await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST' });
	await until(() => inbox.requestsTo('/link').length > links);
	const url = String((JSON.parse(inbox.requestsTo('/link').at(-1)?.body ?? '{}') as { url?: string }).url);
	await until(async () => (await n8n.executions(workflowId))[0]?.status === 'waiting');
	const done = inbox.requestsTo('/done').length;
	const started = performance.now();
	const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body()) });
	if (!answer.ok) throw new Error(`the resume POST got ${answer.status}`);
	await until(() => inbox.requestsTo('/done').length > done);
	return performance.now() - started;
}

export async function pinResumeAgainstWaitNode(): Promise<{ pin: number; wait: number; ratio: number; version: string } | undefined> {
	const version = DEFAULT_N8N_VERSION;
	if (!isInstalled(version)) return undefined;
	const sandboxes: Sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
	const inbox = await new FakeInbox().start();
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-bench-'));
	const n8n = new N8nInstance({ runtime: runtimePaths(version), userFolder, port: await freePort() });
	try {
		await installPackage(userFolder);
		const smsCredential = sandboxCredentials(sandboxes).filter((credential) => credential.type === 'altinnSmsPinApi');
		await n8n.importCredentials(smsCredential);
		const credentials = { altinnSmsPinApi: { id: smsCredential[0].id, name: smsCredential[0].name } };
		await n8n.importWorkflow(
			flow('benchPinResume', 'bench-pin', '5b0e8f7e-1f4c-4d6e-9a1b-00000000b001', inbox.baseUrl, [
				{ id: 'pin-request', name: 'Request PIN', type: 'n8n-nodes-login-tokens.altinnSmsChallenge', typeVersion: 1, position: [200, 0], parameters: { operation: 'requestPin' }, credentials },
				{ id: 'pin-wait', name: 'Wait for PIN', type: 'n8n-nodes-login-tokens.altinnSmsChallenge', typeVersion: 1, position: [600, 0], parameters: { operation: 'waitForPin', timeLimitMinutes: 30 }, credentials },
			], '$json.pinWebhookUrl'),
		);
		await n8n.importWorkflow(
			flow('benchWaitResume', 'bench-wait', '5b0e8f7e-1f4c-4d6e-9a1b-00000000b002', inbox.baseUrl, [
				{ id: 'wait-node', name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [600, 0], parameters: { resume: 'webhook', httpMethod: 'POST', options: {} } },
			], '$execution.resumeUrl'),
		);
		await n8n.start();
		await n8n.publishWorkflow('benchPinResume');
		await n8n.publishWorkflow('benchWaitResume');
		await n8n.waitForWebhook('bench-pin');
		await n8n.waitForWebhook('bench-wait');
		const pinSample = async () => await sample(n8n, inbox, 'benchPinResume', 'bench-pin', () => ({ pin: sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) }));
		const waitSample = async () => await sample(n8n, inbox, 'benchWaitResume', 'bench-wait', () => ({}));
		// One of each to warm up, then interleaved, each kind first in turn.
		await pinSample();
		await waitSample();
		const pin: number[] = [];
		const wait: number[] = [];
		for (let round = 0; round < SAMPLES; round++) {
			if (round % 2 === 0) {
				pin.push(await pinSample());
				wait.push(await waitSample());
			} else {
				wait.push(await waitSample());
				pin.push(await pinSample());
			}
		}
		return { pin: median(pin), wait: median(wait), ratio: median(pin) / median(wait), version };
	} finally {
		await n8n.stop();
		await sandboxes.stop();
		await inbox.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}
