#!/usr/bin/env node
/**
 * n8n's community-package gate, run locally: the analysis part of `npx @n8n/scan-community-package`
 * (its registry and provenance steps need a published package). It lints a folder with the scanner's
 * own ESLint configuration (`buildScanConfig`), file patterns and options (`allowInlineConfig: false`,
 * so `eslint-disable` comments count for nothing), exactly as `analyzePackageByName` does:
 *
 *   node scripts/communityScan.mjs source  <dir>   # package.json + {nodes,credentials}/**\/*.{js,ts,json}
 *   node scripts/communityScan.mjs tarball <dir>   # an unpacked tarball: **\/*.js + package.json
 *   node scripts/communityScan.mjs config  <dir>   # the project's eslint.config.mjs against the scanner's
 *                                                  # configuration, rule by rule, for every source file
 *
 * Prints one JSON object: the scanner's own verdict (`analyzePackage`, which fails on errors only)
 * and every message, warnings included. Exits 0 only when there are no errors and no warnings.
 */
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// eslint-plugin-n8n-nodes-base switches to its own test mode under NODE_ENV=test (as jest sets it),
// where every file counts as a node file; n8n's scan runs without it, and so does this one.
delete process.env.NODE_ENV;

const require = createRequire(import.meta.url);
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const fromScanner = createRequire(scannerFile);

// The scanner makes a temporary folder when it is loaded; have it removed when this process exits.
fromScanner('tmp').setGracefulCleanup();

const scanner = await import(pathToFileURL(scannerFile).href);
const { ESLint } = await import(pathToFileURL(fromScanner.resolve('eslint')).href);
const glob = fromScanner('fast-glob');

/** The patterns `analyzePackageByName` passes for each leg of the scan. */
const PATTERNS = {
	source: scanner.SOURCE_FILE_PATTERNS,
	tarball: ['**/*.js', 'package.json'],
};

export async function scan(kind, folder) {
	const dir = resolve(folder);
	const patterns = PATTERNS[kind];
	if (!patterns) throw new Error(`unknown kind ${kind}: use source or tarball`);
	const verdict = await scanner.analyzePackage(dir, patterns);
	// The same lint as analyzePackage, keeping warnings, which its verdict ignores.
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = files.length ? await eslint.lintFiles(files) : [];
	const messages = results.flatMap((result) =>
		result.messages.map((message) => ({
			file: relative(dir, result.filePath),
			line: message.line,
			rule: message.ruleId,
			severity: message.severity === 2 ? 'error' : 'warning',
			message: message.message,
		})),
	);
	return {
		kind,
		files: files.length,
		scannerPassed: verdict.passed,
		scannerMessage: verdict.message ?? null,
		errors: messages.filter((message) => message.severity === 'error').length,
		warnings: messages.filter((message) => message.severity === 'warning').length,
		messages,
	};
}

/** Where the project's own lint configuration differs from the scanner's, file by file and rule by rule. */
export async function compareConfigs(folder) {
	const dir = resolve(folder);
	const scannerLint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const projectLint = new ESLint({ cwd: dir });
	const files = glob.sync(PATTERNS.source, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const severity = (entry) => {
		const level = Array.isArray(entry) ? entry[0] : entry;
		return { 0: 'off', 1: 'warn', 2: 'error' }[level] ?? level;
	};
	const messages = [];
	for (const file of files) {
		if (await projectLint.isPathIgnored(file)) {
			messages.push({ file: relative(dir, file), line: 0, rule: null, severity: 'error', message: 'ignored by eslint.config.mjs but scanned by the scanner' });
			continue;
		}
		const ours = (await projectLint.calculateConfigForFile(file)).rules ?? {};
		const theirs = (await scannerLint.calculateConfigForFile(file)).rules ?? {};
		for (const rule of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
			if (severity(ours[rule] ?? 'off') !== severity(theirs[rule] ?? 'off') || JSON.stringify(ours[rule]?.slice?.(1)) !== JSON.stringify(theirs[rule]?.slice?.(1))) {
				messages.push({ file: relative(dir, file), line: 0, rule, severity: 'error', message: `eslint.config.mjs: ${JSON.stringify(ours[rule])}, scanner: ${JSON.stringify(theirs[rule])}` });
			}
		}
		const inline = (await projectLint.calculateConfigForFile(file)).linterOptions?.noInlineConfig;
		if (inline !== true) messages.push({ file: relative(dir, file), line: 0, rule: null, severity: 'error', message: 'eslint.config.mjs honours eslint-disable comments; the scanner ignores them' });
	}
	return { kind: 'config', files: files.length, scannerPassed: messages.length === 0, scannerMessage: null, errors: messages.length, warnings: 0, messages };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const [kind, dir = process.cwd()] = process.argv.slice(2);
	const report = kind === 'config' ? await compareConfigs(dir) : await scan(kind, dir);
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	process.exitCode = report.errors === 0 && report.warnings === 0 && report.scannerPassed ? 0 : 1;
}
