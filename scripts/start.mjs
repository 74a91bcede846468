// `npm start` (and `npm run start:queue`, with the argument `queue`): builds the package and the
// sandbox scripts, then runs scripts/startSandbox.ts (or scripts/startQueue.ts).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = process.argv[2] === 'queue' ? 'startQueue.js' : 'startSandbox.js';

function step(title, command, args) {
	console.log(`\n▶ ${title}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

step('Building the package (tsc + icons)', 'npm', ['run', 'build']);
step('Building the sandbox scripts', 'npx', ['tsc', '-p', 'tsconfig.sandbox.json']);
// Run as a program of its own, so that Ctrl-C reaches it and it stops what it started.
const sandbox = spawnSync(process.execPath, [join(root, '.sandbox', 'build', 'scripts', program)], { cwd: root, stdio: 'inherit' });
process.exit(sandbox.status ?? 0);
