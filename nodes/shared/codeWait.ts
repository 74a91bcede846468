/**
 * The wait-for-code step: a node pauses its execution (n8n stores it, so it survives a restart)
 * until a person or an SMS gateway hands in a one-time code at the execution's resume URL, either
 * through a small form (GET shows it, POST takes it) or as JSON `{ "pin": "…" }`. A malformed
 * code is refused and the execution keeps waiting. Shared by every node that needs a code.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import type { LoginModule } from './loginModule';
import { completeLoginWithCode } from './loginRunner';
import { SecretCollector } from './secrets';
import { LoginProblem, problemSentence } from './protocol/loginProblem';
import type { PinFormText } from './codePage';
import { pinFormPage } from './codePage';

/**
 * The resume URL (`/webhook-waiting/…`) takes JSON and form posts; the form URL
 * (`/form-waiting/…`) shows the page. n8n routes each to the entries of its own kind.
 */
export const CODE_WAIT_WEBHOOKS: IWebhookDescription[] = (['GET', 'POST'] as const).flatMap((httpMethod) => [
	{ name: 'default', httpMethod, responseMode: 'onReceived', path: '', restartWebhook: true },
	{ name: 'default', httpMethod, responseMode: 'onReceived', path: '', restartWebhook: true, nodeType: 'form' },
]);

export interface PinRule {
	/** What the code looks like, after spaces are removed. */
	pattern: RegExp;
	/** Said to the person when the code does not match, e.g. "4 to 12 letters or digits". */
	description: string;
}

/** The code with spaces and dashes people type removed, or undefined when it does not match the rule. */
export function normalizePin(raw: unknown, rule: PinRule): string | undefined {
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const pin = String(raw).replace(/[\s-]+/g, '');
	return rule.pattern.test(pin) ? pin : undefined;
}

/** Pauses the execution until the code arrives or `timeoutMinutes` pass; the input items go on meanwhile. */
export async function waitForCode(context: IExecuteFunctions, timeoutMinutes: number): Promise<INodeExecutionData[][]> {
	const minutes = Number.isFinite(timeoutMinutes) && timeoutMinutes > 0 ? timeoutMinutes : 30;
	await context.putExecutionToWait(new Date(Date.now() + minutes * 60_000));
	return [context.getInputData()];
}

function wantsJson(context: IWebhookFunctions): boolean {
	const contentType = String(context.getHeaderData()['content-type'] ?? '').toLowerCase();
	return contentType.includes('application/json');
}

export interface CodeHandling {
	rule: PinRule;
	/** The word of every message, the page's and JSON answers alike: "PIN", "code". */
	word: string;
	/**
	 * What the page says. Built only when a page is sent (a GET, or a form post): it reads the
	 * credential and the waiting execution, which a JSON post of a right code never needs.
	 */
	page: () => Promise<PinFormText>;
	/**
	 * Builds the node's output item from a well-formed code. It may use the code at once (e.g. to
	 * complete a login); a `LoginProblem` it throws is shown to the person and the execution keeps
	 * waiting, with every secret added to `secrets` removed from what is shown.
	 */
	onCode: (code: string, secrets: SecretCollector) => Promise<IDataObject>;
}

/**
 * Answers a request at the resume URL. Only a well-formed code resumes the execution; anything
 * else gets a message and leaves it waiting.
 */
export async function handleCodeWebhook(context: IWebhookFunctions, handling: CodeHandling): Promise<IWebhookResponseData> {
	const request = context.getRequestObject();
	const response = context.getResponseObject();
	const json = wantsJson(context);
	if (request.method !== 'POST') {
		response.status(200).setHeader('Content-Type', 'text/html; charset=utf-8');
		response.send(pinFormPage(await handling.page()));
		return { noWebhookResponse: true };
	}
	const body = context.getBodyData();
	const code = normalizePin(body.pin ?? body.code, handling.rule);
	if (!code) {
		const error = `That is not a valid ${handling.word}: it must be ${handling.rule.description}. The workflow is still waiting; please try again.`;
		if (json) {
			response.status(400).json({ accepted: false, error });
		} else {
			response.status(400).setHeader('Content-Type', 'text/html; charset=utf-8');
			response.send(pinFormPage(await handling.page(), { error }));
		}
		return { noWebhookResponse: true };
	}
	const secrets = new SecretCollector();
	let item: IDataObject;
	try {
		item = await handling.onCode(code, secrets);
	} catch (error) {
		const redactor = secrets.redactor();
		if (!(error instanceof LoginProblem)) {
			// A bug, not the provider's answer: fail the request, with no secret in what n8n logs.
			throw new NodeOperationError(context.getNode(), redactor.redact(error instanceof Error ? error.message : String(error)));
		}
		const said = redactor.redact(problemSentence(error));
		const message = `${said} This page still takes the ${handling.word} until the wait ends.`;
		const status = error.details.kind === 'unavailable' ? 502 : 400;
		if (json) {
			response.status(status).json({ accepted: false, error: message });
		} else {
			response.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
			response.send(pinFormPage(await handling.page(), { error: message }));
		}
		return { noWebhookResponse: true };
	}
	if (json) {
		response.status(200).json({ accepted: true });
	} else {
		response.status(200).setHeader('Content-Type', 'text/html; charset=utf-8');
		response.send(pinFormPage(await handling.page(), { done: true }));
	}
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}

/**
 * The webhook of a node that waits for the code completing `module`'s login: the page (its text from
 * `pageText`, given the credential when it can be read), and a code handed in completes the login
 * with the node's credential; the token item is the node's output.
 */
export async function completeLoginAtWebhook<C, S extends Record<string, unknown>>(
	context: IWebhookFunctions,
	module: LoginModule<C, S>,
	handling: { rule: PinRule; word: string; pageText: (credential: C | undefined) => PinFormText },
): Promise<IWebhookResponseData> {
	const credential = async () => (await context.getCredentials(module.credentialType)) as unknown as C;
	return await handleCodeWebhook(context, {
		rule: handling.rule,
		word: handling.word,
		page: async () => handling.pageText(await credential().catch(() => undefined)),
		onCode: async (code, secrets) => await completeLoginWithCode(context, module, await credential(), {} as S, code, secrets),
	});
}
