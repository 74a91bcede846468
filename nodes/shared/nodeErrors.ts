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

/** Runs a trigger's poll with a collector for the secrets it touches; what it throws reaches n8n scrubbed of them. */
export async function pollScrubbed<T>(context: IPollFunctions, poll: (secrets: SecretCollector) => Promise<T>): Promise<T> {
	const secrets = new SecretCollector();
	try {
		return await poll(secrets);
	} catch (error) {
		throw toNodeError(context.getNode(), error, 0, secrets.redactor());
	}
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
