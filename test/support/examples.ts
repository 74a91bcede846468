/** The example workflows in examples/, as npm start imports them and the end-to-end tests run them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './runtime';

export function exampleWorkflows(): Array<{ id: string; name: string }> {
	const dir = join(REPO_ROOT, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id: string; name: string });
}
