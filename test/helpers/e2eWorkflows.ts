/**
 * Pieces every real-n8n test uses (test/e2e/realN8nSuite.ts in one n8n process, queueMode.test.ts
 * in a queue-mode cluster, browser.test.ts in a browser): the example workflows pointed at this run's fakes, reading a node's
 * output and an execution's outcome, and turning an example into a webhook-started flow.
 */
import type { StoredExecution } from '../support/n8n';
import type { Sandboxes } from '../fakes/sandbox';
import { exampleWorkflows } from '../support/examples';

export type Workflow = { id: string; name: string; nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> };

/** The example workflows with the sandbox URLs pointed at this run's fakes. */
export function examplesFor(sandboxes: Omit<Sandboxes, 'stop'>): Map<string, Workflow> {
	return new Map(exampleWorkflows().map((workflow) => [workflow.id, onSandboxes(workflow as Workflow, sandboxes)]));
}

/** A workflow written for the sandboxes' fixed ports (5701–5705), pointed at these sandboxes' ports. */
export function onSandboxes(workflow: Workflow, sandboxes: Omit<Sandboxes, 'stop'>): Workflow {
	const portFor: Record<string, string> = {
		'127.0.0.1:5701': new URL(sandboxes.boknett.baseUrl).host,
		'127.0.0.1:5702': new URL(sandboxes.onlyoffice.baseUrl).host,
		'127.0.0.1:5703': new URL(sandboxes.altinn.baseUrl).host,
		'127.0.0.1:5704': new URL(sandboxes.altinn3.baseUrl).host,
		'127.0.0.1:5705': new URL(sandboxes.bokbasen.baseUrl).host,
	};
	return JSON.parse(JSON.stringify(workflow).replace(/127\.0\.0\.1:570[1-5]/g, (host) => portFor[host])) as Workflow;
}

/** The items a node put out on one of its outputs (the first unless said) in its last run. */
export function nodeOutput(execution: StoredExecution, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main[output] ?? []).map((item) => item.json);
}

/** Part of an example: the named nodes and the connections among them. */
export function subWorkflow(example: Workflow, id: string, name: string, nodeNames: string[]): Workflow {
	const keep = new Set(nodeNames);
	const connections = Object.fromEntries(
		Object.entries(example.connections as Record<string, { main: Array<Array<{ node: string }>> }>)
			.filter(([from]) => keep.has(from))
			.map(([from, outputs]) => [from, { main: outputs.main.map((targets) => targets.filter((target) => keep.has(target.node))) }]),
	);
	return { ...example, id, name, nodes: example.nodes.filter((node) => keep.has(String(node.name))), connections };
}

/** The status, and for a failed execution which node failed and why, so a failing test says it. */
export function outcome(execution: StoredExecution): { status: string; failure?: string } {
	if (execution.status === 'success') return { status: 'success' };
	const result = execution.data?.resultData;
	const node = result?.lastNodeExecuted ?? '?';
	const runs = result?.runData[node] ?? [];
	const error = runs[runs.length - 1]?.error ?? result?.error;
	return { status: execution.status, failure: `${node}: ${error?.message ?? 'no error recorded'} ${error?.description ?? ''}` };
}

export interface WebhookFlow {
	id: string;
	name: string;
	path: string;
	webhookId: string;
	notifyNode: string;
	notifyBody: string;
	replace?: (node: Record<string, unknown>) => Record<string, unknown>;
	/** Keep the example's connections (it branches) instead of chaining its nodes left to right. */
	keepConnections?: boolean;
}

/**
 * An example whose manual trigger becomes a webhook (so n8n runs it as in production) and whose
 * placeholder "send the link" step posts to the fake inbox, where the test reads the links.
 */
export function webhookStartedFlow(example: Workflow, inboxUrl: string, flow: WebhookFlow): Workflow {
	const trigger = {
		parameters: { httpMethod: 'POST', path: flow.path, responseMode: 'onReceived', options: {} },
		id: `${flow.id}-trigger`,
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: flow.webhookId,
	};
	// In the place of the example's own "send the link" step, or else last in the chain.
	const placeholder = example.nodes.find((node) => node.name === flow.notifyNode);
	const rightmost = Math.max(0, ...example.nodes.map((node) => (node.position as number[])[0]));
	const notify = {
		parameters: { method: 'POST', url: `${inboxUrl}/send`, sendBody: true, specifyBody: 'json', jsonBody: flow.notifyBody, options: {} },
		id: `${flow.id}-notify`,
		name: flow.notifyNode,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: placeholder ? (placeholder.position as number[]) : [rightmost + 220, 0],
	};
	const kept = example.nodes
		.filter((node) => node.name !== flow.notifyNode && node.type !== 'n8n-nodes-base.manualTrigger')
		.map((node) => flow.replace?.(node) ?? node);
	const byPosition = [trigger, ...kept, notify].sort((a, b) => (a.position as number[])[0] - (b.position as number[])[0]);
	if (flow.keepConnections) {
		// The example's own connections (branches included), with the webhook in the manual trigger's place.
		const manualTrigger = example.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
		const connections = Object.fromEntries(
			Object.entries(example.connections).map(([from, outputs]) => [from === manualTrigger?.name ? trigger.name : from, outputs]),
		);
		return { ...example, id: flow.id, name: flow.name, nodes: byPosition, connections };
	}
	const chain = byPosition.map((node) => String(node.name));
	const connections = Object.fromEntries(chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]));
	return { ...example, id: flow.id, name: flow.name, nodes: byPosition, connections };
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000, what = 'a condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
