/**
 * `npm run start:queue`: the same as `npm start` (the package, the provider sandboxes, the example
 * workflows), but n8n runs in queue mode as users scale it out: a Redis and a PostgreSQL on loopback
 * ports, the main process on :5678, two workers and a webhook processor on :5679, each with the
 * package installed in its own user folder under .sandbox/queue/. Ctrl-C stops all of it; the
 * database is temporary, so every start begins with a new owner account.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { createQueueCluster } from '../test/support/queue';
import { SANDBOX_DIR, ensureRuntime } from '../test/support/runtime';
import { importExamples } from '../test/support/examples';
import { howToUse, phase, startPrintingSandboxes, stopOnSignals } from './startSandbox';

export const QUEUE_PORTS = { main: 5678, webhook: 5679, workers: [5680, 5681] };

async function main(): Promise<void> {
	phase('1/6 Node.js 24 and n8n 2.41.1 (installed once into .sandbox/, several minutes the first time)');
	const runtime = await ensureRuntime();

	phase('2/6 Redis and PostgreSQL (installed with apt-get the first time), each on a free loopback port');
	const baseDir = join(SANDBOX_DIR, 'queue');
	rmSync(baseDir, { recursive: true, force: true });
	const cluster = await createQueueCluster({
		runtime,
		baseDir,
		ports: QUEUE_PORTS,
		encryptionKey: 'local-queue-sandbox-encryption-key-not-secret',
		log: console.log,
	});
	let sandboxes: Awaited<ReturnType<typeof startPrintingSandboxes>> | undefined;
	stopOnSignals(async () => {
		await cluster.stop();
		await sandboxes?.stop();
	});
	try {
		phase('3/6 Packing this package and installing it into the user folder of main, each worker and the webhook processor');
		await cluster.installPackage();

		phase('4/6 Starting the provider sandboxes (Boknett :5701, ONLYOFFICE :5702, Altinn :5703, Altinn 3 :5704, Bokbasen OAuth2 :5705)');
		sandboxes = await startPrintingSandboxes();

		phase('5/6 Importing the sandbox credentials and the example workflows into PostgreSQL');
		const workflows = await importExamples(cluster.main, sandboxes, console.log);

		phase('6/6 Starting n8n: main :5678, worker 1 and 2 (health :5680, :5681), webhook processor :5679');
		await cluster.start();

		console.log(`${howToUse(cluster.main.baseUrl, workflows, sandboxes, 'the queue database is temporary: a new one at every start')}

Queue mode: "Execute workflow" runs on a worker (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true); production
webhooks and the PIN and code pages are served by the webhook processor on ${cluster.webhook.baseUrl}.
Logs: ${cluster.processes().map((process) => process.logFile).join('\n      ')}
Press Ctrl-C to stop n8n, Redis, PostgreSQL and the sandboxes.`);
	} catch (error) {
		await cluster.stop();
		await sandboxes?.stop();
		throw error;
	}
}

if (require.main === module) {
	main().catch((error: Error) => {
		console.error(`\n✖ ${error.message}`);
		process.exit(1);
	});
}
