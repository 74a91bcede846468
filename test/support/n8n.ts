/**
 * Drives a real n8n for `npm start`, `npm run start:queue` and the end-to-end tests: a user folder
 * with the package installed as n8n installs community packages, the n8n CLI, the n8n process (a
 * main `n8n start`, or in queue mode an `n8n worker` or `n8n webhook`), and a read of n8n's
 * database (sqlite, or PostgreSQL in queue mode; see database.ts) for execution results.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nDatabase, StoredExecution, StoredIds } from './database';
import { SqliteDatabase } from './database';
import type { Runtime } from './runtime';
import { REPO_ROOT, run } from './runtime';

export type { StoredExecution } from './database';

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Packs the built package into a temporary folder; returns the tarball and a function that removes it. */
export async function packPackage(): Promise<{ tarball: string; remove: () => void }> {
	const packDir = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-pack-'));
	const output = await run('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: REPO_ROOT, quiet: true });
	return { tarball: join(packDir, output.trim().split('\n').pop() ?? ''), remove: () => rmSync(packDir, { recursive: true, force: true }) };
}

/**
 * Installs the package's tarball into the user folder, as n8n installs community packages; packs
 * the built package first unless a tarball is given.
 */
export async function installPackage(userFolder: string, tarball?: string): Promise<void> {
	const packed = tarball ? undefined : await packPackage();
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	try {
		await run('npm', ['install', '--prefix', nodesDir, tarball ?? packed?.tarball ?? '', '--omit=peer', '--no-audit', '--no-fund', '--ignore-scripts'], {
			cwd: nodesDir,
			quiet: true,
		});
	} finally {
		packed?.remove();
	}
}

/** What an n8n process is: the main process (`n8n start`), a queue-mode worker, or a webhook processor. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface N8nOptions {
	runtime: Runtime;
	userFolder: string;
	/** The HTTP port: the editor and API (start), production and resume webhooks (webhook), health checks (worker). */
	port: number;
	env?: Record<string, string>;
	/** `start` unless told; `worker` and `webhook` need queue mode (PostgreSQL and Redis in `database` and `env`). */
	command?: N8nCommand;
	/** More arguments for the command, e.g. `--concurrency=2` for a worker. */
	args?: string[];
	/** The sqlite file in the user folder unless told. */
	database?: N8nDatabase;
	/** The base URL resume URLs and production webhooks are built from, when another process serves them (queue mode). */
	webhookUrl?: string;
}

export class N8nInstance {
	readonly runtime: Runtime;

	readonly userFolder: string;

	readonly port: number;

	readonly logFile: string;

	readonly command: N8nCommand;

	readonly database: N8nDatabase;

	private readonly args: string[];

	private readonly webhookUrl: string | undefined;

	private readonly extraEnv: Record<string, string>;

	private server: ChildProcess | undefined;

	constructor(options: N8nOptions) {
		this.runtime = options.runtime;
		this.userFolder = options.userFolder;
		this.port = options.port;
		this.extraEnv = options.env ?? {};
		this.command = options.command ?? 'start';
		this.args = options.args ?? [];
		this.webhookUrl = options.webhookUrl;
		this.database = options.database ?? new SqliteDatabase(join(options.userFolder, '.n8n', 'database.sqlite'));
		this.logFile = join(options.userFolder, 'n8n-server.log');
		mkdirSync(options.userFolder, { recursive: true });
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The sqlite file (n8n's default database; queue mode uses PostgreSQL instead). */
	get databaseFile(): string {
		return this.database instanceof SqliteDatabase ? this.database.file : join(this.userFolder, '.n8n', 'database.sqlite');
	}

	private env(brokerPort: number): NodeJS.ProcessEnv {
		return {
			PATH: process.env.PATH,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: this.webhookUrl ?? `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_ENCRYPTION_KEY: 'local-sandbox-encryption-key-not-secret',
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			N8N_LOG_LEVEL: 'info',
			...(this.command === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}),
			...this.database.env(),
			...this.extraEnv,
		};
	}

	/** Runs one n8n CLI command in a process of its own (beside any running server) and returns its output. */
	async cli(args: string[]): Promise<string> {
		return await run(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(await freePort()),
			quiet: true,
		});
	}

	/** Imports credentials through n8n's CLI, which encrypts them; the plain-text file is removed at once. */
	async importCredentials(credentials: unknown[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		try {
			await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	async importWorkflow(workflow: { id: string; [key: string]: unknown }): Promise<void> {
		const file = join(this.userFolder, `workflow-${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/**
	 * Every credential as n8n holds it, decrypted with this instance's encryption key (n8n's own
	 * `export:credentials --decrypted`): what a leak check must search, since n8n stores credentials
	 * encrypted. The file is removed at once.
	 */
	async decryptedCredentials(): Promise<Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>> {
		const file = join(this.userFolder, `decrypted-${Date.now()}.json`);
		try {
			await this.cli(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
			return JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** Imports several workflows with one CLI run (each run boots n8n, several seconds). */
	async importWorkflows(workflows: Array<{ id: string; [key: string]: unknown }>): Promise<void> {
		const file = join(this.userFolder, `workflows-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(workflows));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Makes a workflow active, so its trigger webhooks are registered when the server starts. */
	async publishWorkflow(id: string): Promise<void> {
		// n8n 2.x publishes a workflow; 1.x activates it.
		const args = this.runtime.version.startsWith('1.') ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
		await this.cli(args);
	}

	/** Executes a workflow with the CLI and returns what it printed; the run data is read from the database. */
	async executeWithCli(id: string): Promise<{ succeeded: boolean; output: string }> {
		try {
			return { succeeded: true, output: await this.cli(['execute', `--id=${id}`, '--rawOutput']) };
		} catch (error) {
			return { succeeded: false, output: (error as Error).message };
		}
	}

	async start(): Promise<void> {
		if (this.server) return;
		const log = createWriteStream(this.logFile, { flags: 'a' });
		const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, this.command, ...this.args], {
			cwd: this.userFolder,
			env: this.env(await freePort()),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
		this.server = child;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.once('close', () => log.end());
		const deadline = Date.now() + 180_000;
		while (Date.now() < deadline && child.exitCode === null) {
			try {
				// n8n 1.x reports readiness before its REST and waiting-webhook routes exist: wait for both.
				// Workers and webhook processors have no REST API; their readiness means database and Redis are connected.
				if ((await fetch(`${this.baseUrl}/healthz/readiness`)).ok && (this.command !== 'start' || (await fetch(`${this.baseUrl}/rest/settings`)).status !== 404)) return;
			} catch {
				// Not listening yet.
			}
			await Promise.race([sleep(500), exited]);
		}
		await this.stop();
		throw new Error(`n8n ${this.command} did not become ready on ${this.baseUrl}:\n${this.serverLog().slice(-3000)}`);
	}

	async stop(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		this.rest = undefined;
		if (!child?.pid || child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			return;
		}
		let timer: NodeJS.Timeout | undefined;
		const stopped = await Promise.race([
			exited.then(() => true),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
		]);
		clearTimeout(timer);
		if (!stopped) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			await exited;
		}
	}

	/** True while the process runs. */
	get running(): boolean {
		return this.server !== undefined && this.server.exitCode === null && this.server.signalCode === null;
	}

	/** Kills the process and its children at once, without letting n8n shut down (a crash, an OOM kill). */
	async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		const child = this.server;
		this.server = undefined;
		this.rest = undefined;
		if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		try {
			process.kill(-child.pid, signal);
		} catch {
			return;
		}
		await exited;
	}

	/**
	 * Waits until a production webhook is registered (it happens after readiness) without calling it:
	 * a GET to a POST-only webhook answers 404 "not registered for GET requests. Did you mean … POST",
	 * where an unregistered path answers 404 "is not registered".
	 */
	async waitForWebhook(path: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			try {
				const response = await fetch(`${this.baseUrl}/webhook/${path}`);
				const text = await response.text();
				if (response.status !== 404 || /not registered for GET requests/.test(text)) return;
			} catch {
				// Not up yet.
			}
			await sleep(300);
		}
		throw new Error(`the webhook ${path} was not registered within ${timeoutMs} ms`);
	}

	/**
	 * Creates the owner account (first call) and returns a function for calls to n8n's REST API as
	 * that owner. n8n ties its auth cookie to a browser id sent in the `browser-id` header.
	 */
	async ownerSession(): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>> {
		const browserId = 'login-tokens-e2e-browser';
		const headers: Record<string, string> = { 'Content-Type': 'application/json', 'browser-id': browserId };
		const owner = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Sandbox-Owner-Password-1' };
		let response = await fetch(`${this.baseUrl}/rest/owner/setup`, { method: 'POST', headers, body: JSON.stringify(owner) });
		const setupAnswer = `${response.status} ${await response.clone().text()}`;
		if (!response.ok) {
			response = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
			});
		}
		if (!response.ok) {
			throw new Error(`could not set up or log in the n8n owner: setup ${setupAnswer.slice(0, 300)}; login ${response.status} ${(await response.text()).slice(0, 300)}`);
		}
		const cookie = (response.headers.getSetCookie?.() ?? []).map((setCookie) => setCookie.split(';')[0]).join('; ');
		return async (method, path, body) => {
			const answer = await fetch(`${this.baseUrl}/rest${path}`, {
				method,
				headers: { ...headers, Cookie: cookie },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await answer.text();
			let parsed: unknown = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				// Not JSON: keep the text.
			}
			return { status: answer.status, body: parsed };
		};
	}

	/** The owner's REST session with the running server: made on first use, and again after each start. */
	private rest: Promise<Awaited<ReturnType<N8nInstance['ownerSession']>>> | undefined;

	private async restCall(method: string, path: string, body?: unknown): Promise<unknown> {
		this.rest ??= this.ownerSession();
		const answer = await (await this.rest)(method, path, body);
		if (answer.status >= 400) throw new Error(`n8n answered ${method} /rest${path} with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
		return (answer.body as { data?: unknown }).data;
	}

	/**
	 * Runs a workflow in the running server, as the editor's "Execute workflow" does, from its first
	 * trigger; returns the execution's ID. Far quicker than `executeWithCli`, which boots n8n anew.
	 */
	async runInServer(workflowId: string): Promise<number> {
		const workflow = (await this.restCall('GET', `/workflows/${workflowId}`)) as { nodes: Array<{ name: string; type: string }> };
		const trigger = workflow.nodes.find((node) => /trigger$/i.test(node.type));
		if (!trigger) throw new Error(`workflow ${workflowId} has no trigger to start from`);
		// n8n 2.x runs the stored workflow; 1.x runs the workflow sent along.
		const body = this.runtime.version.startsWith('1.') ? { workflowData: workflow, triggerToStartFrom: { name: trigger.name } } : { triggerToStartFrom: { name: trigger.name } };
		const started = (await this.restCall('POST', `/workflows/${workflowId}/run`, body)) as { executionId?: string; waitingForWebhook?: boolean };
		if (!started.executionId) throw new Error(`n8n did not start ${workflowId}: ${JSON.stringify(started)}`);
		return Number(started.executionId);
	}

	/** Publishes (2.x) or activates (1.x) a workflow in the running server, as the editor's switch does: no restart needed. */
	async activateInServer(workflowId: string): Promise<void> {
		const { versionId } = (await this.restCall('GET', `/workflows/${workflowId}`)) as { versionId: string };
		await this.restCall('POST', `/workflows/${workflowId}/activate`, { versionId });
	}

	/** Unpublishes (2.x) or deactivates (1.x) a workflow in the running server, as the editor's switch does. */
	async deactivateInServer(workflowId: string): Promise<void> {
		await this.restCall('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** A workflow's executions, newest first, with their run data, read from n8n's database. */
	async executions(workflowId: string): Promise<StoredExecution[]> {
		return await this.database.executions(this.runtime, workflowId);
	}

	/** A workflow's static data (what polling triggers keep between polls), read from n8n's database. */
	async workflowStaticData(workflowId: string): Promise<Record<string, unknown> | null> {
		return await this.database.staticData(this.runtime, workflowId);
	}

	/** The IDs of the workflows and credentials this n8n holds. */
	async storedIds(): Promise<StoredIds> {
		return await this.database.storedIds(this.runtime);
	}

	/** Waits until the newest execution of a workflow (newer than `afterId`) has one of the statuses. */
	async waitForExecution(workflowId: string, statuses: string[], afterId = 0, timeoutMs = 90_000): Promise<StoredExecution> {
		const deadline = Date.now() + timeoutMs;
		let newest: StoredExecution | undefined;
		while (Date.now() < deadline) {
			[newest] = await this.executions(workflowId);
			if (newest && newest.id > afterId && statuses.includes(newest.status)) {
				// n8n 1.x can store a resumed execution's status a moment before its data: wait until the data stops changing.
				await sleep(300);
				const [again] = await this.executions(workflowId);
				if (again?.id === newest.id && again.status === newest.status && JSON.stringify(again.data) === JSON.stringify(newest.data)) return again;
				continue;
			}
			await sleep(500);
		}
		throw new Error(`no execution of ${workflowId} reached ${statuses.join('/')} (newest: ${newest?.status ?? 'none'})\n${this.serverLog().slice(-2000)}`);
	}

	serverLog(): string {
		try {
			return readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}
}
