/**
 * `npm run bench`: what token reuse saves and what the node costs, measured against the local
 * fakes and printed as Markdown tables (copied into the README). Timings vary by machine; the
 * tests never assert them.
 *
 * 1. Logins for 100 executions: the node with Reuse Token, without it, and the plain n8n way (an
 *    HTTP Request login and then the call, in every execution).
 * 2. One login through the node (n8n's execution code and HTTP client) against a bare `fetch` of the
 *    same request, interleaved in one run: the median ratio.
 * 3. The PIN resume against n8n's own Wait node in a real n8n (benchResume.ts).
 * 4. Cold `require` of the built package, the packed tarball's size, its runtime dependencies on disk.
 * 5. 50 customers filed by Altinn App (Submit) against the same filings by the same protocol code with a bare `fetch` (benchFiling.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { BoknettTicket } from '../nodes/Boknett/BoknettTicket.node';
import { buildCreateTicketRequest } from '../nodes/Boknett/protocol/tickets';
import { SYSTEM_CLOCK, TokenStore, replaceTokenStore } from '../nodes/shared/tokenStore';
import { BOKNETT_USER, FakeBoknett } from '../test/fakes/fakeBoknett';
import { executeNode, n8nHttpRequestHelper, prepareExecution } from '../test/helpers/n8nRunner';
import { REPO_ROOT } from '../test/support/runtime';
import { filingBench } from './benchFiling';
import { pinResumeAgainstWaitNode } from './benchResume';

const EXECUTIONS = 100;
const SAMPLES = 300;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
	const start = process.hrtime.bigint();
	await action();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

async function loginsFor100Executions(fake: FakeBoknett): Promise<Array<[string, number]>> {
	const node = new BoknettTicket();
	const credentials = { boknettApi: { environment: 'custom', baseUrl: fake.baseUrl, ...BOKNETT_USER } };
	const logins = () => fake.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;
	const rows: Array<[string, number]> = [];

	replaceTokenStore(new TokenStore(SYSTEM_CLOCK));
	fake.clearRequests();
	for (let run = 0; run < EXECUTIONS; run++) await executeNode(node, { credentials });
	rows.push(['Boknett Ticket, Reuse Token on (default)', logins()]);

	fake.clearRequests();
	for (let run = 0; run < EXECUTIONS; run++) await executeNode(node, { credentials, parameters: { options: { reuseToken: false } } });
	rows.push(['Boknett Ticket, Reuse Token off', logins()]);

	// The plain n8n way: an HTTP Request node posts the login form, a second one makes the call, every run.
	const { helpers } = n8nHttpRequestHelper();
	fake.clearRequests();
	for (let run = 0; run < EXECUTIONS; run++) {
		const login = buildCreateTicketRequest({ baseUrl: fake.baseUrl, ...BOKNETT_USER });
		const answer = (await helpers.httpRequest({ ...login, returnFullResponse: true })) as { headers: Record<string, string> };
		await helpers.httpRequest({
			method: 'GET',
			url: `${fake.baseUrl}/metadata/export/onix`,
			headers: { Authorization: `Boknett ${answer.headers['boknett-tgt']}`, Date: new Date().toUTCString() },
		});
	}
	rows.push(['Plain n8n: HTTP Request login + HTTP Request call', logins()]);
	return rows;
}

async function nodeAgainstFetch(fake: FakeBoknett): Promise<{ node: number; fetch: number; client: number; ratio: number }> {
	const node = new BoknettTicket();
	const credentials = { boknettApi: { environment: 'custom', baseUrl: fake.baseUrl, ...BOKNETT_USER } };
	const request = buildCreateTicketRequest({ baseUrl: fake.baseUrl, ...BOKNETT_USER });
	const runNode = () => executeNode(node, { credentials, parameters: { options: { reuseToken: false } } });
	// n8n builds the workflow and the node's context before the node runs: only the node's execute is timed.
	const prepareNode = () => prepareExecution(node, { credentials, parameters: { options: { reuseToken: false } } });
	const { helpers } = n8nHttpRequestHelper();
	// n8n's HTTP client alone, with the node's settings: shows how much of the node's time is the client's.
	const viaClient = () =>
		helpers.httpRequest({ ...request, returnFullResponse: true, ignoreHttpStatusErrors: true, disableFollowRedirect: true, encoding: 'arraybuffer', json: false });
	const viaFetch = async () => {
		const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
		await response.arrayBuffer();
		if (!response.headers.get('boknett-tgt')) throw new Error('no ticket');
	};
	for (let warm = 0; warm < 30; warm++) {
		await runNode();
		await viaFetch();
	}
	const nodeTimes: number[] = [];
	const fetchTimes: number[] = [];
	const clientTimes: number[] = [];
	for (let sample = 0; sample < SAMPLES; sample++) {
		// Alternate the order so neither side always runs on a warmer connection pool.
		if (sample % 2) {
			const execute = prepareNode();
			nodeTimes.push(await timed(execute));
			fetchTimes.push(await timed(viaFetch));
			clientTimes.push(await timed(viaClient));
		} else {
			fetchTimes.push(await timed(viaFetch));
			clientTimes.push(await timed(viaClient));
			const execute = prepareNode();
			nodeTimes.push(await timed(execute));
		}
	}
	const nodeMedian = median(nodeTimes);
	const fetchMedian = median(fetchTimes);
	return { node: nodeMedian, fetch: fetchMedian, client: median(clientTimes), ratio: nodeMedian / fetchMedian };
}

function builtFiles(): string[] {
	const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	return [...manifest.n8n.nodes, ...manifest.n8n.credentials].map((file) => join(REPO_ROOT, file));
}

/**
 * Cold `require` of every node and credential in a fresh process. n8n-workflow (the peer
 * dependency) is loaded first and timed apart: n8n has it loaded before it loads any package.
 */
function coldRequireMs(): { own: number; peer: number } {
	const script = `let t = process.hrtime.bigint(); require('n8n-workflow'); const peer = Number(process.hrtime.bigint() - t) / 1e6;
t = process.hrtime.bigint(); for (const f of ${JSON.stringify(builtFiles())}) require(f); console.log(JSON.stringify({ own: Number(process.hrtime.bigint() - t) / 1e6, peer }));`;
	const runs = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT }).toString()) as { own: number; peer: number });
	return { own: median(runs.map((run) => run.own)), peer: median(runs.map((run) => run.peer)) };
}

function directorySize(path: string): number {
	const info = statSync(path);
	if (!info.isDirectory()) return info.size;
	return readdirSync(path).reduce((total, entry) => total + directorySize(join(path, entry)), 0);
}

/** The runtime dependencies as npm installs them for a user: the package's dependencies and theirs. */
function runtimeDependencies(): { names: string[]; bytes: number } {
	const seen = new Set<string>();
	const visit = (name: string) => {
		if (seen.has(name)) return;
		seen.add(name);
		const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
		for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
	};
	// Since 0.3.0 the package has none (the libraries are bundled): the field is absent, which is zero.
	const own = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
	for (const name of Object.keys(own.dependencies ?? {})) visit(name);
	const names = [...seen].sort();
	return { names, bytes: names.reduce((total, name) => total + directorySize(join(REPO_ROOT, 'node_modules', name)), 0) };
}

function tarball(): { size: number; unpackedSize: number; files: number } {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
	const [packed] = JSON.parse(output) as Array<{ size: number; unpackedSize: number; entryCount: number }>;
	return { size: packed.size, unpackedSize: packed.unpackedSize, files: packed.entryCount };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function main(): Promise<void> {
	const fake = await new FakeBoknett().start();
	try {
		console.log(`\n### Logins for ${EXECUTIONS} executions (Boknett fake)\n`);
		console.log('| way | logins |\n|---|---|');
		for (const [way, logins] of await loginsFor100Executions(fake)) console.log(`| ${way} | ${logins} |`);

		const cost = await nodeAgainstFetch(fake);
		console.log(`\n### One login: the node against a bare fetch (${SAMPLES} samples each, interleaved)\n`);
		console.log('| | median |\n|---|---|');
		console.log(`| Boknett Ticket's \`execute\` (n8n's ExecuteContext and HTTP client, Reuse Token off) | ${cost.node.toFixed(2)} ms |`);
		console.log(`| n8n's \`helpers.httpRequest\` alone, same request and settings | ${cost.client.toFixed(2)} ms |`);
		console.log(`| bare \`fetch\` of the same request | ${cost.fetch.toFixed(2)} ms |`);
		console.log(`| ratio | ${cost.ratio.toFixed(2)} |`);
	} finally {
		await fake.stop();
	}

	const filing = await filingBench();
	console.log('\n### 50 customers filed to an Altinn app (fake app, data then confirmation; medians of 5 interleaved rounds)\n');
	console.log('| | |\n|---|---|');
	console.log(`| logins (system-user grants) for the 50 filings | ${filing.logins} |`);
	console.log(`| requests to the app and Storage per filing (list, create, list again, store, read, validate, move, read, move, read) | ${filing.requestsPerFiling.toFixed(1)} |`);
	console.log(`| Altinn App node (Submit), per filing, tokens reused | ${filing.nodeMsPerFiling.toFixed(2)} ms |`);
	console.log(`| the same protocol code with a bare \`fetch\` (a login per filing), per filing | ${filing.fetchMsPerFiling.toFixed(2)} ms |`);
	console.log(`| ratio | ${filing.ratio.toFixed(2)} (goal ≤ 1.2) |`);

	const resume = await pinResumeAgainstWaitNode();
	console.log(`\n### The PIN resume against n8n's Wait node (real n8n ${resume?.version ?? 'not installed'}, medians of interleaved samples)\n`);
	if (resume) {
		console.log('| from the resume POST until the next node\'s request | median |\n|---|---|');
		console.log(`| Altinn SMS Challenge, Wait for PIN (a right PIN, JSON) | ${resume.pin.toFixed(1)} ms |`);
		console.log(`| n8n's Wait node, resume on webhook | ${resume.wait.toFixed(1)} ms |`);
		console.log(`| ratio | ${resume.ratio.toFixed(2)} (goal ≤ 1.1) |`);
	} else {
		console.log('n8n is not installed: run `npm run n8n:install` first.');
	}

	const packed = tarball();
	const dependencies = runtimeDependencies();
	console.log('\n### Package\n');
	console.log('| | |\n|---|---|');
	const load = coldRequireMs();
	console.log(`| cold \`require\` of every node and credential with their dependencies (median of 7 fresh processes) | ${load.own.toFixed(1)} ms |`);
	console.log(`| for comparison: cold \`require('n8n-workflow')\`, which n8n has loaded already | ${load.peer.toFixed(1)} ms |`);
	console.log(`| \`npm pack\` tarball | ${kB(packed.size)} (${packed.files} files, ${kB(packed.unpackedSize)} unpacked) |`);
	console.log(`| runtime dependencies on disk (${dependencies.names.join(', ') || 'none'}) | ${kB(dependencies.bytes)} |`);
	console.log(`\nNode.js ${process.version}, ${process.platform}/${process.arch}; measured ${new Date().toISOString().slice(0, 10)}.`);
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
