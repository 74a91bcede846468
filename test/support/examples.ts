/** The example workflows in examples/, as npm start imports them and the end-to-end tests run them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { sandboxCredentials } from '../fakes/sandbox';
import type { Sandboxes } from '../fakes/sandbox';
import type { N8nInstance } from './n8n';
import { REPO_ROOT } from './runtime';

export function exampleWorkflows(): Array<{ id: string; name: string }> {
	const dir = join(REPO_ROOT, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id: string; name: string });
}

/**
 * Imports the sandbox credentials and the example workflows that n8n does not hold yet (through
 * `n8n import:*`, which encrypts the credentials): what a person changed, published or added since an
 * earlier `npm start` is kept. Returns every example, and says which were imported now.
 */
export async function importExamples(
	n8n: N8nInstance,
	sandboxes: Omit<Sandboxes, 'stop'>,
	log: (line: string) => void = () => undefined,
): Promise<Array<{ id: string; name: string }>> {
	const stored = await n8n.storedIds();
	const credentials = sandboxCredentials(sandboxes).filter((credential) => !stored.credentials.includes(credential.id));
	const workflows = exampleWorkflows();
	const missing = workflows.filter((workflow) => !stored.workflows.includes(workflow.id));
	if (credentials.length > 0) await n8n.importCredentials(credentials);
	if (missing.length > 0) await n8n.importWorkflows(missing);
	const kept = workflows.length - missing.length;
	log(
		kept > 0
			? `  imported ${missing.length} example workflow(s) and ${credentials.length} credential(s) that were missing; kept the ${kept} example(s) already in n8n as they are (delete one in n8n to have it imported afresh)`
			: `  imported ${missing.length} example workflows and ${credentials.length} credentials`,
	);
	return workflows;
}
