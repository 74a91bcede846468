/**
 * An example workflow made startable by a production webhook (so n8n's server runs it, as in
 * production) whose placeholder "send the link" step posts to a fake inbox, where a test reads the
 * links a person would get. Used by the real-n8n and the browser end-to-end tests.
 */
export type Workflow = { id: string; name: string; nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> };

export function webhookStartedFlow(
	example: Workflow,
	flow: {
		id: string;
		name: string;
		path: string;
		webhookId: string;
		notifyNode: string;
		notifyBody: string;
		inboxUrl: string;
		replace?: (node: Record<string, unknown>) => Record<string, unknown>;
		/** Keep the example's connections (it branches) instead of chaining its nodes left to right. */
		keepConnections?: boolean;
	},
): Workflow {
	const trigger = {
		parameters: { httpMethod: 'POST', path: flow.path, responseMode: 'onReceived', options: {} },
		id: `${flow.id}-trigger`,
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: flow.webhookId,
	};
	const notify = {
		parameters: { method: 'POST', url: `${flow.inboxUrl}/send`, sendBody: true, specifyBody: 'json', jsonBody: flow.notifyBody, options: {} },
		id: `${flow.id}-notify`,
		name: flow.notifyNode,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
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
