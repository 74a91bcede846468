/**
 * Where an n8n keeps its data, as the scripts and tests see it: the environment that points n8n at
 * it, and a read of a workflow's executions with their run data (the REST API would need an owner
 * account and a login; the database needs neither). n8n's own runtime reads it (its sqlite3 or pg
 * module, and flatted for the run data), so nothing is added to this package's dependencies.
 */
import { existsSync } from 'node:fs';
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
	/** A workflow's static data (what polling triggers keep between polls), or null. */
	staticData(runtime: Runtime, workflowId: string): Promise<Record<string, unknown> | null>;
	/** The IDs of the workflows and credentials n8n holds (none before its first start). */
	storedIds(runtime: Runtime): Promise<StoredIds>;
}

export interface StoredIds {
	workflows: string[];
	credentials: string[];
}

async function readWithRuntime<T>(runtime: Runtime, script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
	const output = await run(runtime.nodeBin, ['-e', script, ...args], {
		cwd: runtime.dir,
		env: { ...process.env, NODE_PATH: join(runtime.dir, 'node_modules'), ...env },
		quiet: true,
	});
	return JSON.parse(output) as T;
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
		return await readWithRuntime<StoredExecution[]>(runtime, script, [this.file, workflowId]);
	}

	async staticData(runtime: Runtime, workflowId: string): Promise<Record<string, unknown> | null> {
		const script = `
const sqlite3 = require('sqlite3');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
db.get('SELECT staticData FROM workflow_entity WHERE id = ?', [process.argv[2]], (error, row) => {
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(row && row.staticData ? JSON.parse(row.staticData) : null));
	db.close();
});`;
		return await readWithRuntime<Record<string, unknown> | null>(runtime, script, [this.file, workflowId]);
	}

	async storedIds(runtime: Runtime): Promise<StoredIds> {
		if (!existsSync(this.file)) return { workflows: [], credentials: [] };
		const script = `
const sqlite3 = require('sqlite3');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
const ids = (table) => new Promise((resolve) => db.all('SELECT id FROM ' + table, [], (error, rows) => resolve(error ? [] : rows.map((row) => String(row.id)))));
Promise.all([ids('workflow_entity'), ids('credentials_entity')]).then(([workflows, credentials]) => {
	process.stdout.write(JSON.stringify({ workflows, credentials }));
	db.close();
});`;
		return await readWithRuntime<StoredIds>(runtime, script, [this.file]);
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
		return await this.query<StoredExecution[]>(
			runtime,
			'SELECT e.id, e.status, e.finished, e."waitTill", d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 ORDER BY e.id DESC',
			workflowId,
			"rows.map((row) => ({ ...row, id: Number(row.id), data: row.data ? require('flatted').parse(row.data) : null }))",
		);
	}

	async staticData(runtime: Runtime, workflowId: string): Promise<Record<string, unknown> | null> {
		return await this.query<Record<string, unknown> | null>(
			runtime,
			'SELECT "staticData" FROM workflow_entity WHERE id = $1',
			workflowId,
			"rows[0] && rows[0].staticData !== null ? (typeof rows[0].staticData === 'string' ? JSON.parse(rows[0].staticData) : rows[0].staticData) : null",
		);
	}

	async storedIds(runtime: Runtime): Promise<StoredIds> {
		// Before n8n's first start there are no tables: nothing is stored yet.
		const ids = async (table: string) =>
			await this.query<string[]>(runtime, `SELECT id FROM ${table} WHERE $1 = $1`, 'any', 'rows.map((row) => String(row.id))').catch(() => []);
		const [workflows, credentials] = await Promise.all(['workflow_entity', 'credentials_entity'].map(ids));
		return { workflows, credentials };
	}

	/**
	 * Runs one query with n8n's own pg module and prints `result`, a JavaScript expression over
	 * `rows`, as JSON. pg's client reads the connection from the environment, so the password is on
	 * no command line.
	 */
	private async query<T>(runtime: Runtime, sql: string, parameter: string, result: string): Promise<T> {
		const script = `
const { Client } = require('pg');
(async () => {
	const client = new Client();
	await client.connect();
	const { rows } = await client.query(${JSON.stringify(sql)}, [process.argv[1]]);
	await client.end();
	process.stdout.write(JSON.stringify(${result}));
})().catch((error) => { console.error(error.message); process.exit(1); });`;
		return await readWithRuntime<T>(runtime, script, [parameter], this.clientEnv());
	}

	/** The connection for pg's client, in the environment, so the password is on no command line. */
	private clientEnv(): Record<string, string> {
		const { host, port, user, password, database } = this.connection;
		return { PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
	}
}
