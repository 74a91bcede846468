/**
 * What n8n reads of the built package: every file the "n8n" section names exists in dist/,
 * exports one class whose name matches the file, and each node's credentials are in the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { credentials: string[]; nodes: string[] };
	dependencies: Record<string, string>;
	peerDependencies: Record<string, string>;
};

function loadClass<T>(file: string): T {
	const module = require(join(root, file)) as Record<string, new () => T>;
	const className = basename(file).split('.')[0];
	const Class = module[className];
	expect(Class).toBeDefined();
	return new Class();
}

describe('the built package', () => {
	it('has only fast-xml-parser and tough-cookie as runtime dependencies, n8n-workflow as a peer', () => {
		expect(Object.keys(manifest.dependencies).sort()).toEqual(['fast-xml-parser', 'tough-cookie']);
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	const credentialNames = manifest.n8n.credentials.map((file) => {
		expect(existsSync(join(root, file))).toBe(true);
		return loadClass<ICredentialType>(file).name;
	});

	it.each(manifest.n8n.nodes)('%s exists, with its icon and known credentials', (file) => {
		expect(existsSync(join(root, file))).toBe(true);
		const node = loadClass<INodeType>(file);
		const icon = String(node.description.icon).replace(/^file:/, '');
		expect(existsSync(join(root, dirname(file), icon))).toBe(true);
		for (const credential of node.description.credentials ?? []) expect(credentialNames).toContain(credential.name);
	});

	it.each(manifest.n8n.credentials)('%s has its icon', (file) => {
		const credential = loadClass<ICredentialType>(file);
		const icon = String(credential.icon).replace(/^file:/, '');
		expect(existsSync(join(root, dirname(file), icon))).toBe(true);
	});
});
