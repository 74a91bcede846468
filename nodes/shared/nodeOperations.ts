/**
 * The one layout of a node with several operations (n8n's Airtable V2 is the model): each operation is a
 * file `nodes/<Provider>/actions/<node>/<resource>/<op>.operation.ts` (without `<resource>/` for a node
 * that has no Resource field) that exports its entry in the Operation list, its own fields and its
 * `execute`; the node's `router.ts` lists its resources and their operations; the node file takes the
 * fields and the router from there. An operation is added with its file and one line in the router.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import { LoginProblem } from './protocol/loginProblem';
import { SecretRedactor } from './secrets';

/** One operation: what the Operation list shows for it, the fields it alone shows, and what it does with all items. */
export interface NodeOperation {
	/** `value` is stored in saved workflows: never change it. `action` is what n8n's node panel lists. */
	option: INodePropertyOptions & { action: string };
	/** The node's subtitle on the canvas while this operation is chosen (a node may also write its own subtitle). */
	subtitle?: string;
	/** Shown only while this operation is chosen: the router adds the resource and the operation to each one's displayOptions. */
	properties: INodeProperties[];
	execute(node: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

export interface NodeResource {
	/** `value` is stored in saved workflows: never change it. */
	option: INodePropertyOptions;
	/** The first is the default operation. */
	operations: NodeOperation[];
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** A field shown only for one resource's operation, keeping any further condition of its own (e.g. a Look Up By choice). */
function shownOnlyFor(property: INodeProperties, resource: string | undefined, operation: string): INodeProperties {
	const own = property.displayOptions ?? {};
	const show = { ...own.show, ...(resource === undefined ? {} : { resource: [resource] }), operation: [operation] };
	return { ...property, displayOptions: { ...own, show } };
}

/**
 * A node's operations, checked once: no operation value twice (a saved workflow names only its
 * operation, so each must say one thing), and every resource with an operation.
 */
export class NodeOperations {
	private readonly byValue = new Map<string, NodeOperation>();

	/** Operations under a Resource field (the first resource is its default), or, with `withResourceField` false, one resource's operations alone. */
	constructor(
		private readonly resources: NodeResource[],
		private readonly withResourceField = true,
	) {
		if (!withResourceField && resources.length !== 1) throw new Error('A node without a Resource field has one resource');
		for (const resource of resources) {
			if (resource.operations.length === 0) throw new Error(`Resource ${String(resource.option.value)} has no operation`);
			for (const operation of resource.operations) {
				const value = String(operation.option.value);
				if (this.byValue.has(value)) throw new Error(`Operation ${value} is listed twice`);
				this.byValue.set(value, operation);
			}
		}
	}

	/** A node with operations and no Resource field (its saved workflows name none). */
	static withoutResource(operations: NodeOperation[]): NodeOperations {
		return new NodeOperations([{ option: { name: '', value: '' }, operations }], false);
	}

	/** Resource, then an Operation list per resource, then each operation's fields: the start of the node's properties. */
	properties(): INodeProperties[] {
		if (!this.withResourceField) {
			const [{ operations }] = this.resources;
			const defaultOperation = operations[0].option.value;
			return [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					options: operations.map((operation) => operation.option).sort(byName),
					default: defaultOperation,
				},
				...operations.flatMap((operation) => operation.properties.map((property) => shownOnlyFor(property, undefined, String(operation.option.value)))),
			];
		}
		const defaultResource = this.resources[0].option.value;
		return [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: this.resources.map((resource) => resource.option).sort(byName),
				default: defaultResource,
			},
			...this.resources.map((resource): INodeProperties => {
				const defaultOperation = resource.operations[0].option.value;
				return {
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					options: resource.operations.map((operation) => operation.option).sort(byName),
					default: defaultOperation,
					displayOptions: { show: { resource: [resource.option.value] } },
				};
			}),
			...this.resources.flatMap((resource) =>
				resource.operations.flatMap((operation) =>
					operation.properties.map((property) => shownOnlyFor(property, String(resource.option.value), String(operation.option.value))),
				),
			),
		];
	}

	/** The node's subtitle: the chosen operation's. */
	subtitle(): string {
		const subtitles = Object.fromEntries([...this.byValue].map(([value, operation]) => [value, operation.subtitle ?? operation.option.name]));
		return `={{ ${JSON.stringify(subtitles)}[$parameter["operation"]] }}`;
	}

	/** Runs the operation the node names; one the package does not have (a workflow saved by another version) is said plainly. */
	async execute(node: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const value = String(node.getNodeParameter('operation', 0));
		const operation = this.byValue.get(value);
		if (!operation) {
			const problem = new LoginProblem({ kind: 'badInput', message: `Unknown operation "${value}"`, hint: 'Open the node and choose one of its operations.' });
			throw toNodeError(node.getNode(), problem, 0, new SecretRedactor([]));
		}
		return await operation.execute(node);
	}
}
