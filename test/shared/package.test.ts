/**
 * What n8n reads of the built package: every file the "n8n" section names exists in dist/,
 * exports one class whose name matches the file, and each node's credentials are in the package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { credentials: string[]; nodes: string[] };
	dependencies?: Record<string, string>;
	peerDependencies: Record<string, string>;
};

/** The icon files an icon property names: one file, or a light and a dark one. */
function iconFiles(icon: unknown): string[] {
	const refs = typeof icon === 'object' && icon !== null ? Object.values(icon as Record<string, string>) : [String(icon)];
	return refs.map((ref) => ref.replace(/^file:/, ''));
}

function loadClass<T>(file: string): T {
	const module = require(join(root, file)) as Record<string, new () => T>;
	const className = basename(file).split('.')[0];
	const Class = module[className];
	expect(Class).toBeDefined();
	return new Class();
}

describe('the built package', () => {
	it('has no runtime dependencies (fast-xml-parser and tough-cookie are bundled into dist/vendor), n8n-workflow as a peer', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	const credentialNames = manifest.n8n.credentials.map((file) => {
		expect(existsSync(join(root, file))).toBe(true);
		return loadClass<ICredentialType>(file).name;
	});

	it.each(manifest.n8n.nodes)('%s exists, with its icon and known credentials, none tested by the node', (file) => {
		expect(existsSync(join(root, file))).toBe(true);
		const node = loadClass<INodeType>(file);
		for (const icon of iconFiles(node.description.icon)) expect(existsSync(join(root, dirname(file), icon))).toBe(true);
		for (const credential of node.description.credentials ?? []) expect(credentialNames).toContain(credential.name);
		// Credentials test themselves (a request after their own login), not through a node's function.
		expect((node.description.credentials ?? []).filter((entry) => entry.testedBy)).toEqual([]);
		const codex = JSON.parse(readFileSync(join(root, file.replace(/\.js$/, '.json')), 'utf8')) as { node: string; categories: string[] };
		expect(codex.node).toBe(`n8n-nodes-login-tokens.${node.description.name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
	});

	it.each(manifest.n8n.credentials)('%s has its icon', (file) => {
		const credential = loadClass<ICredentialType>(file);
		for (const icon of iconFiles(credential.icon)) expect(existsSync(join(root, dirname(file), icon))).toBe(true);
	});

	it.each(manifest.n8n.credentials)('%s has a Test button of n8n\'s own kind (a request after its own login), not a node\'s function', (file) => {
		const credential = loadClass<ICredentialType>(file);
		expect(credential.test?.request.url).toMatch(/^\//);
		expect(typeof credential.preAuthentication).toBe('function');
	});

	it.each(manifest.n8n.nodes)('%s says whether AI agents may use it: no (n8n offers a node to agents when usableAsTool is truthy)', (file) => {
		const { description } = loadClass<INodeType>(file);
		const isTrigger = description.group.includes('trigger');
		// Every node but the trigger names the property; n8n would make a tool of none of them.
		expect(Object.keys(description).includes('usableAsTool')).toBe(!isTrigger);
		expect(Boolean(description.usableAsTool)).toBe(false);
	});
});

describe('the packed tarball', () => {
	const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{
		files: Array<{ path: string }>;
	}>;
	const files = packed[0].files.map((file) => file.path).sort();

	it('holds exactly the compiled code, icons and codex files n8n needs, with the manifest, README and licence', () => {
		const outsideDist = files.filter((file) => !file.startsWith('dist/'));
		expect(outsideDist).toEqual(['LICENSE', 'README.md', 'index.js', 'package.json']);
		const unexpected = files.filter((file) => file.startsWith('dist/') && !/\.(js|svg|node\.json)$/.test(file));
		expect(unexpected).toEqual([]);
		expect(files.filter((file) => /\.(ts|map)$/.test(file) || file.includes('/test/'))).toEqual([]);
	});

	it('holds every file the "n8n" section names, with their icons and codex files', () => {
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(file);
		for (const file of manifest.n8n.nodes) expect(files).toContain(file.replace(/\.js$/, '.json'));
		expect(files.filter((file) => file.endsWith('.svg'))).toHaveLength(6);
	});
});
