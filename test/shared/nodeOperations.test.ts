/**
 * The one layout of nodes with operations: every node of the package that has an Operation field takes it,
 * and each operation's fields, from `actions/<node>/router.ts`, one `<op>.operation.ts` file per operation.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { INodeProperties, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { NodeOperation } from '../../nodes/shared/nodeOperations';
import { NodeOperations } from '../../nodes/shared/nodeOperations';

const ROOT = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };

/** Every node the package lists, from its source. */
const NODES = packageJson.n8n.nodes.map((built) => {
	const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	const className = /([A-Za-z]+)\.node\.ts$/.exec(source)![1];
	const Type = (require(join(ROOT, source)) as Record<string, new () => INodeType>)[className];
	const node = new Type();
	return { source, node };
});

function filesUnder(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
	);
}

const isNodeOperation = (value: unknown): value is NodeOperation =>
	typeof value === 'object' && value !== null && 'option' in value && 'execute' in value && 'properties' in value;

const field = (name: string): INodeProperties => ({ displayName: name, name, type: 'string', default: '' });
const operation = (value: string, properties: INodeProperties[] = []): NodeOperation => ({
	option: { name: value, value, action: value },
	properties,
	execute: async () => [[]],
});

describe('one layout for nodes with operations', () => {
	const withOperations = NODES.filter(({ node }) => node.description.properties.some((property) => property.name === 'operation'));

	it('the package has nodes with operations (the layout is checked on something)', () => {
		expect(withOperations.map(({ node }) => node.description.name).sort()).toEqual(
			['altinnApp', 'altinnConsent', 'altinnSmsChallenge', 'altinnSystemUser', 'boknettTicket', 'onlyofficeAuth'],
		);
	});

	it.each(withOperations.map(({ source, node }) => [node.description.name, source] as const))(
		'%s: one <op>.operation.ts file per operation, listed by the router its node file uses',
		(_name, source) => {
			const nodeSource = readFileSync(join(ROOT, source), 'utf8');
			const router = /from '\.\/(actions\/[A-Za-z]+)\/router'/.exec(nodeSource);
			expect(router).not.toBeNull();
			const actions = join(ROOT, source, '..', router![1]);
			const operationFiles = filesUnder(actions).filter((file) => file.endsWith('.operation.ts'));
			const byFile = operationFiles.map((file) => {
				const exported = Object.values(require(file) as Record<string, unknown>).filter(isNodeOperation);
				expect(exported).toHaveLength(1);
				return [relative(actions, file), String(exported[0].option.value)] as const;
			});
			const { node } = withOperations.find((entry) => entry.source === source)!;
			const offered = node.description.properties
				.filter((property) => property.name === 'operation')
				.flatMap((property) => (property.options ?? []).map((option) => String((option as { value: unknown }).value)));
			expect(byFile.map(([, value]) => value).sort()).toEqual([...offered].sort());
			// A file sits under its resource's folder, or right in the node's folder when the node has no Resource field.
			const hasResource = node.description.properties.some((property) => property.name === 'resource');
			for (const [file] of byFile) expect(file.split('/')).toHaveLength(hasResource ? 2 : 1);
		},
	);

	it("an operation's fields show only while it is chosen, keeping their own further conditions", () => {
		const operations = new NodeOperations([
			{ option: { name: 'Thing', value: 'thing' }, operations: [operation('make', [field('name'), { ...field('extra'), displayOptions: { show: { mode: ['more'] } } }]), operation('read', [field('id')])] },
			{ option: { name: 'Another', value: 'another' }, operations: [operation('list')] },
		]);
		const properties = operations.properties();
		const shown = (parameters: Record<string, string>) =>
			properties.filter((property) => NodeHelpers.displayParameter(parameters, property, { typeVersion: 1 }, { properties } as never)).map((property) => property.name);
		expect(shown({ resource: 'thing', operation: 'make', mode: 'less' })).toEqual(['resource', 'operation', 'name']);
		expect(shown({ resource: 'thing', operation: 'make', mode: 'more' })).toEqual(['resource', 'operation', 'name', 'extra']);
		expect(shown({ resource: 'thing', operation: 'read' })).toEqual(['resource', 'operation', 'id']);
		expect(shown({ resource: 'another', operation: 'list' })).toEqual(['resource', 'operation']);
		// Options listed by name (as n8n's linter asks), the first resource and its first operation the defaults.
		expect(properties[0]).toMatchObject({ default: 'thing', options: [{ value: 'another' }, { value: 'thing' }] });
		expect(properties[1]).toMatchObject({ default: 'make', options: [{ value: 'make' }, { value: 'read' }] });
	});

	it('an operation named twice, or a resource without one, is refused when the node loads', () => {
		expect(() => new NodeOperations([{ option: { name: 'A', value: 'a' }, operations: [operation('make')] }, { option: { name: 'B', value: 'b' }, operations: [operation('make')] }])).toThrow(
			/make is listed twice/,
		);
		expect(() => new NodeOperations([{ option: { name: 'A', value: 'a' }, operations: [] }])).toThrow(/has no operation/);
	});

	it('a node without a Resource field shows Operation alone, and the subtitle names the chosen operation', () => {
		const operations = NodeOperations.withoutResource([{ ...operation('logIn', [field('code')]), subtitle: 'Log in' }, operation('logOut')]);
		expect(operations.properties().map((property) => property.name)).toEqual(['operation', 'code']);
		expect(operations.properties()[1].displayOptions).toEqual({ show: { operation: ['logIn'] } });
		expect(operations.subtitle()).toBe('={{ {"logIn":"Log in","logOut":"logOut"}[$parameter["operation"]] }}');
	});
});
