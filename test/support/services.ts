/**
 * The services n8n's queue mode needs beside n8n: a Redis and a PostgreSQL, both real servers from
 * Debian's packages, started on free loopback ports with their data in a temporary folder that is
 * removed when they stop. `ensureQueueServices` installs the packages with apt-get when they are
 * missing (CI runs as root on a fresh Debian machine with only Node.js and npm); when they are there
 * it only looks for the binaries, so a second run costs nothing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n';
import { run } from './runtime';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface QueueServiceBinaries {
	redisServer: string;
	/** PostgreSQL's bin folder (initdb, pg_ctl, createdb, pg_dump). */
	postgresBin: string;
}

function findRedis(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => existsSync(file));
}

function findPostgres(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((version) => existsSync(join(root, version, 'bin', 'initdb')) && existsSync(join(root, version, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function found(): QueueServiceBinaries | undefined {
	const redisServer = findRedis();
	const postgresBin = findPostgres();
	return redisServer && postgresBin ? { redisServer, postgresBin } : undefined;
}

/** Finds Redis and PostgreSQL, installing Debian's `redis-server` and `postgresql` with apt-get if needed. */
export async function ensureQueueServices(log: (line: string) => void = console.log): Promise<QueueServiceBinaries> {
	const present = found();
	if (present) return present;
	if (process.getuid?.() !== 0) {
		throw new Error('Redis and PostgreSQL are not installed; run as root once, or: sudo apt-get install -y redis-server postgresql');
	}
	const started = Date.now();
	log('[services] installing redis-server and postgresql with apt-get (first time only)…');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server', 'postgresql'], { env, quiet: true });
	try {
		await install();
	} catch {
		// A fresh machine has no package lists yet.
		await run('apt-get', ['update'], { env, quiet: true });
		await install();
	}
	const installed = found();
	if (!installed) throw new Error('apt-get installed redis-server and postgresql, but their programs were not found');
	log(`[services] installed after ${Math.round((Date.now() - started) / 1000)} s`);
	return installed;
}

async function tcpAnswers(port: number, send: string, expect: RegExp): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = new Socket();
		let text = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.once('error', () => done(false));
		socket.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (expect.test(text)) done(true);
		});
		socket.connect(port, '127.0.0.1', () => socket.write(send));
	});
}

export interface RedisServer {
	port: number;
	logFile: string;
	/** Sends one command and resolves with Redis's raw reply (RESP), for tests that read Bull's state. */
	command(...args: string[]): Promise<string>;
	stop(): Promise<void>;
}

/** One Redis command in RESP, its whole reply read until the connection is closed by QUIT. */
async function redisCommand(port: number, args: string[]): Promise<string> {
	const encode = (parts: string[]) => `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
	return await new Promise((resolve, reject) => {
		const socket = new Socket();
		let reply = '';
		socket.setTimeout(5_000, () => socket.destroy(new Error(`Redis did not answer ${args[0]} within 5 s`)));
		socket.once('error', reject);
		socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
		socket.once('close', () => resolve(reply.replace(/\+OK\r\n$/, '')));
		socket.connect(port, '127.0.0.1', () => socket.write(encode(args) + encode(['QUIT'])));
	});
}

/** A Redis on a free loopback port, without persistence, its files in a temporary folder. */
export async function startRedis(binaries: QueueServiceBinaries): Promise<RedisServer> {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-redis-'));
	const port = await freePort();
	const logFile = join(dir, 'redis.log');
	const child: ChildProcess = spawn(
		binaries.redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile, '--daemonize', 'no'],
		{ stdio: 'ignore', detached: true },
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null && child.pid) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// Already gone.
			}
			await Promise.race([exited, sleep(10_000)]);
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// Already gone.
				}
				await exited;
			}
		}
		rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline && child.exitCode === null) {
		if (await tcpAnswers(port, 'PING\r\n', /\+PONG/)) return { port, logFile, command: (...args) => redisCommand(port, args), stop };
		await sleep(200);
	}
	const text = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
	await stop();
	throw new Error(`Redis did not start on port ${port}:\n${text}`);
}

export interface PostgresServer {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	logFile: string;
	/** The whole database as SQL text (pg_dump). */
	dump(): Promise<string>;
	stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster made with initdb in a temporary folder, started with pg_ctl on a free
 * loopback port with its unix socket in that folder. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` user that Debian's package creates.
 */
export async function startPostgres(binaries: QueueServiceBinaries): Promise<PostgresServer> {
	const asRoot = process.getuid?.() === 0;
	let uid: number | undefined;
	let gid: number | undefined;
	if (asRoot) {
		const ids = (await run('id', ['-u', 'postgres'], { quiet: true })).trim();
		const group = (await run('id', ['-g', 'postgres'], { quiet: true })).trim();
		uid = Number(ids);
		gid = Number(group);
	}
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-postgres-'));
	const dataDir = join(dir, 'data');
	const socketDir = join(dir, 'socket');
	mkdirSync(socketDir);
	if (uid !== undefined && gid !== undefined) {
		chownSync(dir, uid, gid);
		chownSync(socketDir, uid, gid);
	}
	const logFile = join(dir, 'postgres.log');
	const port = await freePort();
	const user = asRoot ? 'postgres' : userInfo().username;
	const password = 'n8n-queue-test-database';
	const database = 'n8n';
	const bin = (name: string) => join(binaries.postgresBin, name);
	const asServerUser = { uid, gid, cwd: dir, quiet: true, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } };
	const pwFile = join(dir, 'pw');
	await run('sh', ['-c', `umask 077; printf '%s' "$0" > "$1"`, password, pwFile], asServerUser);
	// fsync off: a test database that is thrown away afterwards.
	await run(bin('initdb'), ['-D', dataDir, '-U', user, '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync'], asServerUser);
	rmSync(pwFile, { force: true });
	const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	await run(bin('pg_ctl'), ['-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'], asServerUser);
	const clientEnv = { ...process.env, PGPASSWORD: password };
	const stop = async () => {
		try {
			await run(bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], asServerUser);
		} catch {
			await run(bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], asServerUser).catch(() => undefined);
		}
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await run(bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], { env: clientEnv, quiet: true });
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		database,
		logFile,
		async dump() {
			return await run(bin('pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '--no-owner', database], { env: clientEnv, quiet: true });
		},
		stop,
	};
}
