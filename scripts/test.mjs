#!/usr/bin/env node
/**
 * `npm test`: every check, arranged so that a two-core machine is kept busy. The build comes first
 * (the end-to-end tests install its tarball). Then the installs of n8n's two lines and the browser
 * (minutes on a fresh machine, nothing once done) run beside the lint, the type check and the unit
 * tests; the end-to-end tests follow once the installs are there. When the installs were already
 * done, all tests run in one jest run instead, so that the long end-to-end files start first.
 * Jest runs two test files at a time: most of an end-to-end test's time is spent waiting for n8n.
 * Each step's time is printed at the end.
 */
import { spawn } from 'node:child_process';

const JEST_WORKERS = '2';
const UNIT_ONLY = ['--testPathIgnorePatterns', '/node_modules/', '/test/e2e/'];
const started = Date.now();
const timings = [];

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/** Runs an npm script or a command, its output lines prefixed with its name when others run beside it. */
function step(name, command, args, { prefix = false } = {}) {
	const begun = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		if (prefix) {
			for (const stream of [child.stdout, child.stderr]) {
				let rest = '';
				stream.on('data', (chunk) => {
					const lines = (rest + chunk.toString()).split('\n');
					rest = lines.pop() ?? '';
					for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
				});
				stream.on('end', () => rest && process.stdout.write(`[${name}] ${rest}\n`));
			}
		}
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			timings.push([name, Date.now() - begun]);
			if (code === 0) resolve();
			else reject(new Error(`${name} failed (${signal ?? `exit code ${code}`})`));
		});
	});
}

const npmRun = (script, options) => step(script, 'npm', ['run', '--silent', script], options);
const jest = (name, args) => step(name, 'npx', ['jest', '--maxWorkers', JEST_WORKERS, ...args]);

try {
	await npmRun('build');
	let installed = false;
	const installs = Promise.all([npmRun('n8n:install', { prefix: true }), npmRun('browser:install', { prefix: true })]).then(() => {
		installed = true;
	});
	// A failed install is reported where it is awaited, not as an unhandled rejection meanwhile.
	installs.catch(() => undefined);
	await Promise.all([npmRun('lint', { prefix: true }), npmRun('typecheck', { prefix: true })]);
	if (installed) {
		await jest('jest: all tests', []);
	} else {
		await jest('jest: unit tests (while n8n installs)', UNIT_ONLY);
		await installs;
		await jest('jest: end-to-end tests', ['test/e2e']);
	}
	report('passed');
} catch (error) {
	report(`FAILED: ${error.message}`);
	process.exitCode = 1;
}

function report(outcome) {
	console.log(`\nnpm test ${outcome} after ${seconds(Date.now() - started)}`);
	for (const [name, ms] of timings) console.log(`  ${name.padEnd(40)} ${seconds(ms)}`);
}
