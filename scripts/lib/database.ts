/**
 * Where an n8n keeps its data, as the scripts and tests see it: the environment that points n8n at
 * it, and a read of a workflow's executions with their run data (the REST API would need an owner
 * account and a login; the database needs neither). n8n's own runtime reads it (its sqlite3 or pg
 * module, and flatted for the run data), so nothing is added to this package's dependencies.
 */
import { join } from 'node:path';

import type { Runtime } from './runtime';
import { run } from './runtime';

/** One execution as n8n stores it. `data` is the run data (IRunExecutionData), unflattened. */
export interface StoredExecution {
	id: number;
	status: string;
	finished: number | boolean;
	waitTill: string | null;
	data: {
		resultData: {
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
			runData: Record<string, Array<{ error?: { message?: string; description?: string }; data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>;
		};
	} | null;
}

export interface N8nDatabase {
	/** Environment variables that point an n8n process at this database. */
	env(): Record<string, string>;
	/** A workflow's executions, newest first, with their run data. */
	executions(runtime: Runtime, workflowId: string): Promise<StoredExecution[]>;
}

async function readWithRuntime(runtime: Runtime, script: string, args: string[]): Promise<StoredExecution[]> {
	const output = await run(runtime.nodeBin, ['-e', script, ...args], {
		cwd: runtime.dir,
		env: { ...process.env, NODE_PATH: join(runtime.dir, 'node_modules') },
		quiet: true,
	});
	return JSON.parse(output) as StoredExecution[];
}

/** n8n's default: a sqlite file in the user folder. */
export class SqliteDatabase implements N8nDatabase {
	constructor(readonly file: string) {}

	env(): Record<string, string> {
		return {};
	}

	async executions(runtime: Runtime, workflowId: string): Promise<StoredExecution[]> {
		const script = `
const sqlite3 = require('sqlite3');
const { parse } = require('flatted');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
db.all('SELECT e.id, e.status, e.finished, e.waitTill, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC', [process.argv[2]], (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(rows.map((row) => ({ ...row, data: row.data ? parse(row.data) : null }))));
	db.close();
});`;
		return await readWithRuntime(runtime, script, [this.file, workflowId]);
	}
}

export interface PostgresConnection {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
}

/** PostgreSQL, which queue mode requires (n8n does not support sqlite there). */
export class PostgresDatabase implements N8nDatabase {
	constructor(readonly connection: PostgresConnection) {}

	env(): Record<string, string> {
		const { host, port, user, password, database } = this.connection;
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
			DB_POSTGRESDB_DATABASE: database,
		};
	}

	async executions(runtime: Runtime, workflowId: string): Promise<StoredExecution[]> {
		// The connection comes in the environment, so the password is on no command line.
		const script = `
const { Client } = require('pg');
const { parse } = require('flatted');
(async () => {
	const client = new Client({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: process.env.PGUSER, password: process.env.PGPASSWORD, database: process.env.PGDATABASE });
	await client.connect();
	const { rows } = await client.query('SELECT e.id, e.status, e.finished, e."waitTill", d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 ORDER BY e.id DESC', [process.argv[1]]);
	await client.end();
	process.stdout.write(JSON.stringify(rows.map((row) => ({ ...row, id: Number(row.id), data: row.data ? parse(row.data) : null }))));
})().catch((error) => { console.error(error.message); process.exit(1); });`;
		const { host, port, user, password, database } = this.connection;
		const output = await run(runtime.nodeBin, ['-e', script, workflowId], {
			cwd: runtime.dir,
			env: { ...process.env, NODE_PATH: join(runtime.dir, 'node_modules'), PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database },
			quiet: true,
		});
		return JSON.parse(output) as StoredExecution[];
	}
}
