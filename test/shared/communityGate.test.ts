/**
 * n8n's community-package gate: the analysis of `npx @n8n/scan-community-package` (scripts/communityScan.mjs
 * runs the scanner's own code; its provenance and registry steps need a published package) on the
 * tarball `npm pack` makes, unpacked, and on the source, with no error and no warning allowed. Also:
 * the tarball's JavaScript needs no package but n8n-workflow, and the lint configuration is the
 * scanner's, so a clean `npm run lint` means a clean source scan.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
jest.setTimeout(180_000);

interface ScanMessage {
	file: string;
	line: number;
	rule: string | null;
	severity: 'error' | 'warning';
	message: string;
}
interface ScanReport {
	kind: string;
	files: number;
	scannerPassed: boolean;
	scannerMessage: string | null;
	errors: number;
	warnings: number;
	messages: ScanMessage[];
}

function scan(kind: 'source' | 'tarball' | 'config', dir: string): ScanReport {
	const result = spawnSync(process.execPath, [join(root, 'scripts', 'communityScan.mjs'), kind, dir], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (!result.stdout) throw new Error(`the scan did not run: ${result.stderr}`);
	return JSON.parse(result.stdout) as ScanReport;
}

/** Each finding on one line, so a failing test lists them all. */
const findings = (report: ScanReport) => report.messages.map((m) => `${m.severity} ${m.file}:${m.line} ${m.rule ?? ''} ${m.message}`);

let work: string;
let unpacked: string;
let tarball: { file: string; size: number; unpackedSize: number; entryCount: number };

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-gate-'));
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as Array<{
		filename: string;
		size: number;
		unpackedSize: number;
		entryCount: number;
	}>;
	tarball = { file: join(work, packed.filename), size: packed.size, unpackedSize: packed.unpackedSize, entryCount: packed.entryCount };
	unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', tarball.file, '-C', work]);
});

afterAll(() => {
	if (work) rmSync(work, { recursive: true, force: true });
});

describe("n8n's community-package scan", () => {
	it('passes on the packed tarball with no errors and no warnings', () => {
		const report = scan('tarball', unpacked);
		expect(report.files).toBeGreaterThan(10);
		expect(findings(report)).toEqual([]);
		expect(report).toMatchObject({ scannerPassed: true, errors: 0, warnings: 0 });
	});

	it('passes on the source with no errors and no warnings', () => {
		const report = scan('source', root);
		expect(report.files).toBeGreaterThan(10);
		expect(findings(report)).toEqual([]);
		expect(report).toMatchObject({ scannerPassed: true, errors: 0, warnings: 0 });
	});

	it('is what eslint.config.mjs runs: the same rules at the same levels for every scanned file, eslint-disable ignored', () => {
		const report = scan('config', root);
		expect(report.files).toBeGreaterThan(10);
		expect(findings(report)).toEqual([]);
	});
});

describe('the tarball', () => {
	const manifest = () => JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;

	it('declares no runtime dependencies, and names its author, homepage and repository', () => {
		const { dependencies, author, homepage, repository } = manifest();
		expect(Object.keys((dependencies as Record<string, string> | undefined) ?? {})).toEqual([]);
		expect(author).toMatchObject({ name: expect.any(String), email: expect.stringContaining('@') });
		expect(homepage).toMatch(/^https:\/\//);
		expect(repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//) });
	});

	it('has JavaScript that requires only n8n-workflow, Node.js built-ins and its own files', () => {
		const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
		const outside: string[] = [];
		const walk = (dir: string): void => {
			for (const name of readdirSync(dir)) {
				const file = join(dir, name);
				if (statSync(file).isDirectory()) walk(file);
				else if (name.endsWith('.js')) {
					for (const [, module] of readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
						if (!module.startsWith('.') && module !== 'n8n-workflow' && !builtins.has(module)) outside.push(`${relative(unpacked, file)}: ${module}`);
					}
				}
			}
		};
		walk(join(unpacked, 'dist'));
		expect(outside).toEqual([]);
	});

	it('loads every node and credential with nothing installed beside it but n8n-workflow', () => {
		// A child process whose module search stops at the unpacked folder plus n8n-workflow alone.
		const script = `
const Module = require('node:module');
const path = require('node:path');
const [packageDir, repoDir] = process.argv.slice(1);
const workflowEntry = require.resolve('n8n-workflow', { paths: [repoDir] });
const original = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
	const fromPackage = parent && parent.filename && parent.filename.startsWith(packageDir + path.sep);
	if (fromPackage && request === 'n8n-workflow') return workflowEntry;
	if (fromPackage && !request.startsWith('.') && !request.startsWith('/') && !Module.isBuiltin(request)) throw new Error('needs the package ' + request);
	return original.call(this, request, parent, ...rest);
};
const manifest = require(path.join(packageDir, 'package.json'));
for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) require(path.join(packageDir, file));
const { Cookie } = require(path.join(packageDir, 'dist/vendor/tough-cookie.js'));
const cookie = Cookie.parse('.AspxAuthProd=abc; Max-Age=60; Path=/');
const { XMLParser } = require(path.join(packageDir, 'dist/vendor/fast-xml-parser.js'));
const xml = new XMLParser().parse('<a><b>1</b></a>');
process.stdout.write(JSON.stringify({ cookie: [cookie.key, cookie.value, cookie.maxAge], xml }));`;
		const output = execFileSync(process.execPath, ['-e', script, unpacked, root], { encoding: 'utf8' });
		expect(JSON.parse(output)).toEqual({ cookie: ['.AspxAuthProd', 'abc', 60], xml: { a: { b: 1 } } });
	});

	// Measured: 139 kB of bundled libraries; a 132 kB tarball in 0.4.0, 148 kB before Altinn consent,
	// 161 kB with it (two nodes and a login), 190 kB with Output: Response, holds and bound sessions (of
	// which the README is 30 kB), 208 kB with the Altinn App node. The limits catch growth nobody meant
	// (a library bundled twice).
	it('stays small: the bundled libraries add under 160 kB unpacked, and the tarball is under 240 kB', () => {
		const vendor = readdirSync(join(unpacked, 'dist', 'vendor')).reduce((sum, name) => sum + statSync(join(unpacked, 'dist', 'vendor', name)).size, 0);
		expect(vendor).toBeLessThan(160 * 1024);
		expect(tarball.size).toBeLessThan(240 * 1024);
	});
});
