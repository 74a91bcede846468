/**
 * Turns what went wrong while handling an item into the n8n error a person sees: a `LoginProblem`
 * becomes a `NodeApiError` (the provider's answer) or a `NodeOperationError` (input or a second
 * factor), always scrubbed of every secret; anything else keeps only its message, never the
 * object, which may hold a request dump.
 */
import type { INode, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { LoginProblem, providerWordsShown } from './protocol/loginProblem';
import type { SecretRedactor } from './secrets';
import { SecretCollector } from './secrets';
import { tokenStore } from './tokenStore';

/**
 * Runs a trigger's poll with a collector for the secrets it touches; what it throws reaches n8n
 * scrubbed of them. n8n runs a poll once when it activates the workflow (publishing, or its own
 * start) and fails the activation when that poll throws: an unattended workflow would stay stopped
 * because the provider did not answer at that moment. So the first poll of a published trigger in a
 * process, when the provider is unavailable, says why in n8n's log and finds nothing; the trigger
 * stays active and tries again at its next poll, whose failures n8n reports as usual.
 */
export async function pollScrubbed<T>(context: IPollFunctions, poll: (secrets: SecretCollector) => Promise<T>): Promise<T | null> {
	const secrets = new SecretCollector();
	const first = tokenStore().firstTime(`poll:${context.getWorkflow().id ?? ''}:${context.getNode().name}`);
	const settled = await poll(secrets).then(
		(result) => ({ result }),
		(error: unknown) => ({ error }),
	);
	if (!('error' in settled)) return settled.result;
	const nodeError = toNodeError(context.getNode(), settled.error, 0, secrets.redactor());
	const unavailable = settled.error instanceof LoginProblem && settled.error.details.kind === 'unavailable';
	if (first && unavailable && context.getMode() !== 'manual') {
		context.logger.warn(`${context.getNode().name}: ${nodeError.message}. The trigger stays active and tries again at its next poll.`);
		return null;
	}
	throw nodeError;
}

/** Turns anything thrown while handling an item into an n8n error that holds no secret. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	redactor: SecretRedactor,
): NodeApiError | NodeOperationError {
	if (error instanceof LoginProblem) {
		const { kind, hint, httpCode, providerMessage } = error.details;
		const message = redactor.redact(error.details.message);
		const description = redactor.redact(
			[providerMessage ? `The service said: "${providerWordsShown(providerMessage, (text) => redactor.redact(text))}"` : '', hint].filter(Boolean).join(' — '),
		);
		if (kind === 'badInput' || kind === 'secondFactorRequired') {
			return new NodeOperationError(node, message, { description, itemIndex });
		}
		const response: JsonObject = { message };
		if (httpCode !== undefined) response.httpCode = String(httpCode);
		return new NodeApiError(node, response, {
			message,
			description,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = redactor.redact(error.message);
		if (typeof error.description === 'string') error.description = redactor.redact(error.description);
		return error;
	}
	// A bug or an n8n failure: keep its message (redacted), never the object, which may hold a request dump.
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, redactor.redact(message), {
		itemIndex,
		description: 'An unexpected error happened while logging in. If it persists, report it to the package maintainers.',
	});
}
