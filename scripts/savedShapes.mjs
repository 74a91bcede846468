/**
 * Writes the fixtures of what released versions (0.1.0 to 0.4.0) saved:
 * - test/fixtures/saved-credential-shapes.json: for each credential type, the fields that version's
 *   credential type declared and their defaults, read from that version's own compiled code (its
 *   credentials/ from git, compiled with this checkout's TypeScript);
 * - test/fixtures/saved-workflows.json: that version's example workflows, as its `npm start` imported
 *   them into n8n (its examples/ from git): its nodes' parameters in the shape that version saved. A
 *   workflow several versions saved alike is kept once, under all of them.
 * The real-n8n e2e saves credentials in these shapes, imports these workflows and runs them.
 * Run: node scripts/savedShapes.mjs (needs the git history; the fixtures are committed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each release: the commit whose package.json first carried that version's number as released. */
const RELEASES = { '0.1.0': '1bdb07c^', '0.2.0': '1bdb07c', '0.3.0': '56e23a8', '0.4.0': '786774e' };

/** What a workflow saved of our nodes, for comparing versions: each of our nodes' version, parameters and credential types. */
function savedForm(workflow) {
	return JSON.stringify(
		workflow.nodes
			.filter((node) => node.type.startsWith('n8n-nodes-login-tokens.'))
			.map((node) => [node.name, node.type, node.typeVersion, node.parameters, Object.keys(node.credentials ?? {})]),
	);
}

const root = process.cwd();
const shapes = {};
/** Workflows by their saved form: [versions, workflow]. */
const workflows = new Map();
for (const [version, commit] of Object.entries(RELEASES)) {
	const dir = mkdtempSync(join(tmpdir(), `saved-shapes-${version}-`));
	try {
		execFileSync('bash', ['-c', `git archive ${commit} | tar -x -C ${dir}`], { cwd: root });
		for (const file of readdirSync(join(dir, 'examples')).filter((name) => name.endsWith('.json')).sort()) {
			const workflow = JSON.parse(readFileSync(join(dir, 'examples', file), 'utf8'));
			const saved = savedForm(workflow);
			const entry = workflows.get(saved) ?? { versions: [], file, workflow };
			entry.versions.push(version);
			workflows.set(saved, entry);
		}
		symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
		const out = join(dir, 'compiled');
		const files = readdirSync(join(dir, 'credentials')).filter((file) => file.endsWith('.credentials.ts')).map((file) => join(dir, 'credentials', file));
		execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--outDir', out, '--rootDir', dir, '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', '--noEmitOnError', 'false', ...files], { cwd: dir, stdio: 'inherit' });
		const require = createRequire(join(out, 'index.js'));
		for (const file of readdirSync(join(out, 'credentials')).filter((name) => name.endsWith('.credentials.js'))) {
			for (const CredentialClass of Object.values(require(join(out, 'credentials', file)))) {
				if (typeof CredentialClass !== 'function') continue;
				const credential = new CredentialClass();
				if (!credential.name || !Array.isArray(credential.properties)) continue;
				// A field shown only under some options (a custom address) was still saved with its default.
				const fields = Object.fromEntries(credential.properties.filter((property) => property.type !== 'notice').map((property) => [property.name, property.default ?? '']));
				(shapes[credential.name] ??= {})[version] = fields;
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const fixture = {
	about:
		'Credential data in the shapes released versions saved: for each credential type and version, the fields that version declared with their defaults, read from its own compiled code by scripts/savedShapes.mjs. The real-n8n e2e fills in the sandbox values, saves each shape into a real n8n (which hands a node only the fields the current credential type declares) and logs in with it.',
	...shapes,
};
writeFileSync(join(root, 'test', 'fixtures', 'saved-credential-shapes.json'), `${JSON.stringify(fixture, null, '\t')}\n`);
// Only the workflows a later version changed: the others are the current examples, which the e2e runs anyway.
const current = new Set(
	readdirSync(join(root, 'examples'))
		.filter((name) => name.endsWith('.json'))
		.map((name) => {
			return savedForm(JSON.parse(readFileSync(join(root, 'examples', name), 'utf8')));
		}),
);
const older = [...workflows.entries()].filter(([saved]) => !current.has(saved)).map(([, { versions, file, workflow }]) => ({ savedBy: versions, file, workflow }));
writeFileSync(
	join(root, 'test', 'fixtures', 'saved-workflows.json'),
	`${JSON.stringify({ about: 'Example workflows as released versions saved them, where they differ from the current examples; written by scripts/savedShapes.mjs.', workflows: older }, null, '\t')}\n`,
);
console.log(older.map(({ savedBy, file }) => `${file}: ${savedBy.join(', ')}`).join('\n'));
console.log(Object.entries(shapes).map(([type, versions]) => `${type}: ${Object.keys(versions).join(', ')}`).join('\n'));
