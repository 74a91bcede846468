/**
 * Runs a node once per input item: one output item each (or one per entry of a list), paired with its input, and with
 * "Continue On Fail" a failed item becomes `{ error, description }` while the others go on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import { SecretCollector } from './secrets';
import { DEFAULT_TIMEOUT_MS } from './transport';

/** One output item for the input item, or a list of them (e.g. one per entry Altinn listed; none for an empty list). */
export type ItemHandler = (itemIndex: number, secrets: SecretCollector) => Promise<IDataObject | IDataObject[]>;

/** An item for one of a node's outputs (0 is the first). */
export interface RoutedItem {
	json: IDataObject;
	output: number;
}

export type RoutedItemHandler = (itemIndex: number, secrets: SecretCollector) => Promise<RoutedItem | RoutedItem[]>;

/**
 * Runs `handleItem` for every input item, one output item each, paired with its input. With
 * "Continue On Fail" a failed item becomes `{ error, description }` and the others go on.
 */
export async function runForEachItem(
	context: IExecuteFunctions,
	handleItem: ItemHandler,
): Promise<INodeExecutionData[][]> {
	return await runForEachItemRouted(context, 1, async (itemIndex, secrets) => {
		const result = await handleItem(itemIndex, secrets);
		return (Array.isArray(result) ? result : [result]).map((json) => ({ json, output: 0 }));
	});
}

/**
 * As `runForEachItem`, for a node with `outputCount` outputs: each item goes to the output its
 * handler names; a failed item (with "Continue On Fail") goes to the first, from where n8n moves it
 * to the error output when the node has one.
 */
export async function runForEachItemRouted(
	context: IExecuteFunctions,
	outputCount: number,
	handleItem: RoutedItemHandler,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const secrets = new SecretCollector();
		try {
			const result = await handleItem(itemIndex, secrets);
			for (const { json, output } of Array.isArray(result) ? result : [result]) {
				outputs[Math.min(Math.max(0, output), outputCount - 1)].push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = toNodeError(context.getNode(), error, itemIndex, secrets.redactor());
			if (!context.continueOnFail()) throw nodeError;
			const json: IDataObject = { error: nodeError.message };
			if (nodeError.description) json.description = nodeError.description;
			// The error itself rides on the item too: it is what sends the item to the node's error output
			// when the node is set to "Continue (using error output)". It holds no secret (see toNodeError).
			outputs[0].push({ json, error: nodeError, pairedItem: { item: itemIndex } });
		}
	}
	return outputs;
}

/** Reads the node's Timeout option (milliseconds), falling back to the default for nonsense values. */
export function timeoutOption(context: IExecuteFunctions, itemIndex: number): number {
	const value = context.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS) as number;
	return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}
