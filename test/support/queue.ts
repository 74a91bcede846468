/**
 * n8n in queue mode, as users scale it out: Redis and PostgreSQL (services.ts), one main process
 * (`n8n start`: editor, REST API, timers; it enqueues manual executions), workers (`n8n worker`: they
 * run every execution) and one webhook processor (`n8n webhook`: production webhooks and the resume
 * URLs of waiting executions). All share one N8N_ENCRYPTION_KEY, the database and Redis.
 *
 * Every process has a user folder of its own with the package installed in it, as each container
 * of a real deployment has its own file system: a process that lacks the package fails the
 * executions that reach it (n8n issues #17652, #30313), so each gets its own installation and
 * nothing here can pass because the processes happen to share a folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { PostgresDatabase } from './database';
import { N8nInstance, freePort, installPackage, packPackage } from './n8n';
import type { Runtime } from './runtime';
import type { PostgresServer, QueueServiceBinaries, RedisServer } from './services';
import { ensureQueueServices, startPostgres, startRedis } from './services';

export interface QueuePorts {
	main: number;
	webhook: number;
	/** Health-check ports of the workers (QUEUE_HEALTH_CHECK_PORT), one per worker. */
	workers: number[];
}

export interface QueueClusterOptions {
	runtime: Runtime;
	/** Each process gets `<baseDir>/<name>` as its user folder (main, worker-1, worker-2, webhook). */
	baseDir: string;
	/** Fixed ports (npm run start:queue); free ones unless given. */
	ports?: Partial<QueuePorts>;
	workers?: number;
	/** Executions one worker runs at the same time (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	encryptionKey: string;
	/** Environment for every process on top of the queue-mode settings. */
	env?: Record<string, string>;
	log?: (line: string) => void;
}

export interface QueueCluster {
	redis: RedisServer;
	postgres: PostgresServer;
	database: PostgresDatabase;
	main: N8nInstance;
	workers: N8nInstance[];
	webhook: N8nInstance;
	/** main, the workers, then the webhook processor. */
	processes(): N8nInstance[];
	/** Packs the package once and installs the tarball into every process's user folder. */
	installPackage(): Promise<void>;
	/** Starts main (it migrates the database), then the workers and the webhook processor. */
	start(): Promise<void>;
	/** Stops every n8n process (webhook processor and workers first, main last); Redis and PostgreSQL keep running. */
	stopN8n(): Promise<void>;
	/** Stops every n8n process, then Redis and PostgreSQL, and removes their data. Safe to call twice. */
	stop(): Promise<void>;
}

/** The queue-mode settings every process shares (n8n's docs: "Queue mode environment variables"). */
function queueEnv(redis: RedisServer, options: QueueClusterOptions): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Production webhooks only on the webhook processor, as with a load balancer in front.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		N8N_ENCRYPTION_KEY: options.encryptionKey,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...options.env,
	};
}

export async function createQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	const log = options.log ?? (() => undefined);
	const binaries: QueueServiceBinaries = await ensureQueueServices(log);
	const redis = await startRedis(binaries);
	let postgres: PostgresServer;
	try {
		postgres = await startPostgres(binaries);
	} catch (error) {
		await redis.stop();
		throw error;
	}
	log(`[queue] Redis on 127.0.0.1:${redis.port}, PostgreSQL on 127.0.0.1:${postgres.port}`);
	const database = new PostgresDatabase(postgres);
	const env = queueEnv(redis, options);
	const workerCount = options.workers ?? 2;
	const mainPort = options.ports?.main ?? (await freePort());
	const webhookPort = options.ports?.webhook ?? (await freePort());
	// Resume URLs and production webhooks are built with the webhook processor's address.
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const processEnv = { ...env, N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/` };
	const instance = async (name: string, command: 'start' | 'worker' | 'webhook', port: number, args: string[] = []) => {
		const userFolder = join(options.baseDir, name);
		mkdirSync(userFolder, { recursive: true });
		return new N8nInstance({ runtime: options.runtime, userFolder, port, command, args, database, webhookUrl, env: processEnv });
	};
	const main = await instance('main', 'start', mainPort);
	const workers: N8nInstance[] = [];
	for (let index = 0; index < workerCount; index++) {
		const port = options.ports?.workers?.[index] ?? (await freePort());
		workers.push(await instance(`worker-${index + 1}`, 'worker', port, [`--concurrency=${options.workerConcurrency ?? 10}`]));
	}
	const webhook = await instance('webhook', 'webhook', webhookPort);
	const processes = () => [main, ...workers, webhook];
	let stopped = false;
	const stopN8n = async () => {
		// Webhook processor and workers first, so nothing is left holding jobs, then main.
		await Promise.all([webhook, ...workers].map((process) => process.stop()));
		await main.stop();
	};
	return {
		redis,
		postgres,
		database,
		main,
		workers,
		webhook,
		processes,
		async installPackage() {
			const packed = await packPackage();
			try {
				await Promise.all(processes().map((process) => installPackage(process.userFolder, packed.tarball)));
			} finally {
				packed.remove();
			}
		},
		async start() {
			await main.start();
			await Promise.all([...workers, webhook].map((process) => process.start()));
		},
		stopN8n,
		async stop() {
			if (stopped) return;
			stopped = true;
			try {
				await stopN8n();
			} finally {
				await Promise.all([redis.stop(), postgres.stop()]);
			}
		},
	};
}
