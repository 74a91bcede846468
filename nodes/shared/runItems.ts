/**
 * Runs a node once per input item: one output item each (or one per entry of a list), paired with its input, and with
 * "Continue On Fail" a failed item becomes `{ error, description, …what identifies it }` while the others go on.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './nodeErrors';
import { SecretCollector } from './secrets';
import { DEFAULT_TIMEOUT_MS } from './transport';

/**
 * Names what identifies an item (the customer, the request) as soon as it is known, so that a failed
 * item says which one failed and a workflow can act on it (e.g. mail that customer). Never secrets.
 */
export type IdentifyItem = (fields: IDataObject) => void;

/** One output item for the input item, or a list of them (e.g. one per entry Altinn listed; none for an empty list). */
export type ItemHandler = (itemIndex: number, secrets: SecretCollector, identify: IdentifyItem) => Promise<IDataObject | IDataObject[]>;

/** An item for one of a node's outputs (0 is the first). */
export interface RoutedItem {
	json: IDataObject;
	/** Files the item carries (an API's answer that is one). */
	binary?: IBinaryKeyData;
	output: number;
}

export type RoutedItemHandler = (itemIndex: number, secrets: SecretCollector, identify: IdentifyItem) => Promise<RoutedItem | RoutedItem[]>;

/**
 * Runs `handleItem` for every input item, one output item each, paired with its input. With
 * "Continue On Fail" a failed item becomes `{ error, description }` with what identifies it, and the others go on.
 */
export async function runForEachItem(
	context: IExecuteFunctions,
	handleItem: ItemHandler,
): Promise<INodeExecutionData[][]> {
	return await runForEachItemRouted(context, 1, async (itemIndex, secrets, identify) => {
		const result = await handleItem(itemIndex, secrets, identify);
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
		const identity: IDataObject = {};
		try {
			const result = await handleItem(itemIndex, secrets, (fields) => Object.assign(identity, fields));
			for (const { json, binary, output } of Array.isArray(result) ? result : [result]) {
				outputs[Math.min(Math.max(0, output), outputCount - 1)].push({ json, ...(binary ? { binary } : {}), pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = toNodeError(context.getNode(), error, itemIndex, secrets.redactor());
			if (!context.continueOnFail()) throw nodeError;
			outputs[0].push({ json: failedItemJson(context, nodeError, identity), pairedItem: { item: itemIndex } });
		}
	}
	return outputs;
}

/**
 * What a failed item holds. n8n replaces the JSON of an item that carries an `error` object with the
 * error's message alone (n8n 1.123 and 2.41, `normalizeNodeErrors`), so the error is told in the JSON
 * only. On the error output ("Continue (using error output)") n8n moves an item only if its JSON holds
 * nothing but `error` and `message` (1.123: exactly those; 2.41: also `details`), and adds the fields of
 * the input item it came from, which identify it there; the advice goes in `message`. On the regular
 * output the item also names what identifies it, with the advice in `description`.
 */
function failedItemJson(context: IExecuteFunctions, nodeError: { message: string; description?: string | null }, identity: IDataObject): IDataObject {
	const advice = nodeError.description ?? undefined;
	if (context.getNode().onError === 'continueErrorOutput') return { error: nodeError.message, ...(advice ? { message: advice } : {}) };
	return { error: nodeError.message, ...(advice ? { description: advice } : {}), ...identity };
}

/** Reads the node's Timeout option (milliseconds), falling back to the default for nonsense values. */
export function timeoutOption(context: IExecuteFunctions, itemIndex: number): number {
	return timeoutMsOf(context.getNodeParameter('options.timeout', itemIndex, DEFAULT_TIMEOUT_MS));
}

/** A Timeout option's value in milliseconds; the default for anything that is not a positive number. */
export function timeoutMsOf(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}
