/**
 * `npm start`: a local n8n 2.41.1 with this package installed as a community package, the
 * provider sandboxes on fixed local ports, and the example workflows with credentials that point
 * at them. Ctrl-C stops everything it started. A second run reuses what is installed and keeps what
 * the person did: examples and credentials already in n8n are not imported again, and the sandboxes
 * keep their key and customers' approvals (.sandbox/user/sandbox-state.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { importExamples } from '../test/support/examples';
import { N8nInstance, installPackage } from '../test/support/n8n';
import { SANDBOX_DIR, ensureRuntime } from '../test/support/runtime';
import { SANDBOX_PORTS, sandboxState, startSandboxes } from '../test/fakes/sandbox';
import type { SandboxState, Sandboxes } from '../test/fakes/sandbox';

const N8N_PORT = 5678;

export function phase(text: string): void {
	console.log(`\n▶ ${text}`);
}


/**
 * The provider sandboxes on their fixed ports, printing each PIN or code they "send by SMS". With a
 * `stateFile`, what they hold that n8n's credentials and workflows depend on (the Altinn 3 client's key,
 * customers' approvals) is read from it at start and written to it while they run and when they stop.
 */
export async function startPrintingSandboxes(stateFile?: string): Promise<Sandboxes> {
	const kept = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState) : undefined;
	const sandboxes = await startSandboxes(SANDBOX_PORTS, kept);
	if (stateFile) {
		let written = '';
		const save = () => {
			const state = JSON.stringify(sandboxState(sandboxes));
			if (state === written) return;
			writeFileSync(stateFile, state, { mode: 0o600 });
			written = state;
		};
		save();
		const saving = setInterval(save, 2_000);
		saving.unref();
		const stop = sandboxes.stop.bind(sandboxes);
		sandboxes.stop = async () => {
			clearInterval(saving);
			save();
			await stop();
		};
	}
	sandboxes.altinn.onPinSent = (pin) => console.log(`\n📱 The Altinn sandbox "sent" an SMS with the PIN ${pin}\n`);
	sandboxes.onlyoffice.onSmsCode = (code) => console.log(`\n📱 The ONLYOFFICE sandbox "sent" an SMS with the code ${code}\n`);
	return sandboxes;
}

/** What to do next, once n8n runs. */
export function howToUse(baseUrl: string, workflows: Array<{ name: string }>, sandboxes: Sandboxes, ownerNote: string): string {
	return `
✅ n8n is running at ${baseUrl} with n8n-nodes-login-tokens installed.

First time: create the owner account n8n asks for (${ownerNote}).
n8n then opens its start page (in n8n 2.x an assistant); the examples are under Overview (left sidebar) → Workflows:
${workflows.map((workflow) => `  • ${workflow.name}`).join('\n')}
Open one and press "Execute workflow". The credentials point at the local sandboxes.
For the Altinn SMS PIN example, the PIN the sandbox "sends" is printed here and listed at
${sandboxes.altinn.baseUrl}/__sandbox/sms; open the "pinFormUrl" of the Request PIN step to type it in.
The ONLYOFFICE SMS code example works the same way: the code is printed here, the page is the
"codeFormUrl" of its first ONLYOFFICE Auth step.`;
}

/** Runs `stop` once on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignals(stop: () => Promise<void>): void {
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the sandboxes…');
		try {
			await stop();
		} finally {
			process.exit(0);
		}
	};
	process.on('SIGINT', () => void stopAll());
	process.on('SIGTERM', () => void stopAll());
}

async function main(): Promise<void> {
	phase('1/5 Node.js 24 and n8n 2.41.1 (installed once into .sandbox/, several minutes the first time)');
	const runtime = await ensureRuntime();

	const userFolder = join(SANDBOX_DIR, 'user');
	// The sandbox's people live in Norway: schedules and the code pages' times are in Oslo time.
	const n8n = new N8nInstance({ runtime, userFolder, port: N8N_PORT, env: { GENERIC_TIMEZONE: 'Europe/Oslo' } });

	phase('2/5 Packing this package and installing it into the local n8n, as Settings → Community Nodes would');
	await installPackage(userFolder);

	phase('3/5 Starting the provider sandboxes (Boknett :5701, ONLYOFFICE :5702, Altinn :5703, Altinn 3 :5704, Bokbasen OAuth2 :5705)');
	const sandboxes = await startPrintingSandboxes(join(userFolder, 'sandbox-state.json'));

	phase('4/5 Importing the sandbox credentials and the example workflows');
	const workflows = await importExamples(n8n, sandboxes, console.log);

	phase(`5/5 Starting n8n on ${n8n.baseUrl}`);
	stopOnSignals(async () => {
		await n8n.stop();
		await sandboxes.stop();
	});
	await n8n.start();

	console.log(`${howToUse(n8n.baseUrl, workflows, sandboxes, 'it stays in .sandbox/user')}

n8n's log: ${n8n.logFile}
Press Ctrl-C to stop n8n and the sandboxes.`);
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(`\n✖ ${error.message}`);
		process.exit(1);
	});
}
