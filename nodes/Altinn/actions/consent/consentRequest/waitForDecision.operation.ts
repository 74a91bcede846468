/**
 * Consent Request → Wait for Decision: the execution pauses (n8n stores it, so it survives a restart)
 * until the person's browser comes back to this execution's resume URL, which Create's Redirect URL
 * points at, or until the time limit passes. Nothing the browser sends is trusted: every visit makes
 * the node read each awaited request from Altinn, and only when Altinn has a decision for all of
 * them does the execution go on, with the requests as Altinn has them.
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

import { messagePage } from '../../../../shared/codePage';
import { optionsCollection, waitProperties } from '../../../../shared/descriptions';
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { LoginProblem } from '../../../../shared/protocol/loginProblem';
import { SecretCollector } from '../../../../shared/secrets';
import { tokenStore } from '../../../../shared/tokenStore';
import type { AltinnMaskinportenCredential } from '../../../logins/maskinporten';
import { altinnVendorLogin } from '../../../logins/vendor';
import { CONSENT_CALLS, buildGetConsentRequest, readConsentRequestAnswer } from '../../../protocol/consentRequests';
import { checkConsentId } from '../../../protocol/consentToken';
import type { VendorSession } from '../../../vendorApi';
import { vendorSession } from '../../../vendorApi';
import { eachItem } from '../../itemContext';
import { consentRequestItem } from '../items';
import { CONSENT_REQUEST_ID_PROPERTY, readConsentRequestItem } from './get.operation';

/** The person's browser comes back with a GET (Altinn's redirect); a script may POST. */
export const CONSENT_RETURN_WEBHOOKS: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	path: '',
	restartWebhook: true,
}));

/** A request nobody has decided on yet: Altinn's status until the person accepts or rejects. */
function isUndecided(request: { status?: unknown }): boolean {
	return request.status === 'Created';
}

const DEFAULT_TIME_LIMIT_MINUTES = 24 * 60;

/**
 * After each item's request was read (`checked`, in input order): goes on at once when every
 * request is decided (or failed, with Continue On Fail), else pauses until the person returns or the
 * time limit passes. At the time limit n8n passes the input items on unchanged, so a workflow that
 * loops back here checks Altinn again.
 */
async function waitUnlessDecided(node: IExecuteFunctions, checked: INodeExecutionData[][]): Promise<INodeExecutionData[][]> {
	if (!checked[0].some((item) => isUndecided(item.json))) {
		// The input item's own fields (a case number, an e-mail) go on beside the request, as at the time limit.
		const input = node.getInputData();
		const inputOf = ({ pairedItem }: INodeExecutionData) => input[typeof pairedItem === 'object' && !Array.isArray(pairedItem) ? pairedItem.item : 0]?.json ?? {};
		return [checked[0].map((item) => (item.error || 'error' in item.json ? item : { ...item, json: { ...inputOf(item), ...item.json } }))];
	}
	const minutes = node.getNodeParameter('timeLimitMinutes', 0, DEFAULT_TIME_LIMIT_MINUTES) as number;
	const limit = Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_TIME_LIMIT_MINUTES;
	await node.putExecutionToWait(new Date(Date.now() + limit * 60_000));
	return [node.getInputData()];
}

/** The waiting node's input items: for each, its own fields and the Consent Request ID its parameter names (not yet checked). */
function awaitedItems(context: IWebhookFunctions): Array<{ input: IDataObject; awaited: string }> {
	const raw = context.getNode().parameters.consentRequestId;
	const expression = typeof raw === 'string' ? raw.replace(/^=/, '') : '{{ $json.consentRequestId }}';
	const count = Number(context.evaluateExpression('{{ $input.all().length }}', 0));
	return Array.from({ length: Number.isInteger(count) && count > 0 ? count : 1 }, (_, itemIndex) => {
		const input = context.evaluateExpression('{{ $json }}', itemIndex);
		return {
			input: typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as IDataObject) : {},
			awaited: String(context.evaluateExpression(expression, itemIndex) ?? '').trim(),
		};
	});
}

const TITLE = 'Altinn consent';

/** The most reads of Altinn one waiting execution's visits make in one n8n process. */
const MAX_READS_PER_WAIT = 100;

type Visit = { decided: true; items: IDataObject[] } | { decided: false; status: number; sentence: string };

/**
 * One awaited request as Altinn has it, or as a failed item when Altinn answered for it with a refusal
 * (the first check failed it too, and Continue On Fail let it on; or it went since): settled, so that the
 * others' decisions are not kept waiting for it. Altinn unreachable (or a bug) stops the visit instead.
 */
async function readAwaited(session: VendorSession, awaited: string, secrets: SecretCollector): Promise<{ item: IDataObject } | { stop: unknown }> {
	try {
		const id = checkConsentId(awaited);
		const { from, request } = readConsentRequestAnswer(await session.send((token) => buildGetConsentRequest(session.platformUrl, token, id)), CONSENT_CALLS.get);
		if (from.kind === 'person') secrets.add(from.nationalIdNumber, from.urn);
		return { item: consentRequestItem(request) };
	} catch (error) {
		if (!(error instanceof LoginProblem) || error.details.kind === 'unavailable') return { stop: error };
		return { item: { error: secrets.redactor().redact(error.details.message), description: error.details.hint, consentRequestId: awaited } };
	}
}

/** A visit that cannot tell: Altinn's trouble gets a page asking to come back; a bug fails the request, with no secret in what n8n logs. */
function cannotTell(context: IWebhookFunctions, error: unknown, secrets: SecretCollector): Visit {
	if (!(error instanceof LoginProblem)) {
		throw new NodeOperationError(context.getNode(), secrets.redactor().redact(error instanceof Error ? error.message : String(error)));
	}
	return {
		decided: false,
		status: error.details.kind === 'unavailable' ? 502 : 500,
		sentence: 'This page could not check with Altinn just now. Please reload it in a minute; your decision in Altinn stands either way.',
	};
}

async function checkAwaited(context: IWebhookFunctions, secrets: SecretCollector): Promise<Visit> {
	const credential = (await context.getCredentials(altinnVendorLogin.credentialType)) as unknown as AltinnMaskinportenCredential;
	const session = await vendorSession(context, credential, CONSENT_CALLS.get.scope, secrets);
	const items: IDataObject[] = [];
	let undecided = false;
	for (const { input, awaited } of awaitedItems(context)) {
		const read = await readAwaited(session, awaited, secrets);
		if ('stop' in read) return cannotTell(context, read.stop, secrets);
		// Decided by what Altinn said, not by the input's own (older) status.
		undecided ||= isUndecided(read.item);
		// The input item's own fields go on beside the request, as at the time limit; a failed read goes on as the error alone.
		items.push('error' in read.item ? read.item : { ...input, ...read.item });
	}
	if (undecided) {
		return {
			decided: false,
			status: 200,
			sentence: 'Altinn has no decision on this request yet. Open the link you were sent to decide; Altinn brings you back here afterwards.',
		};
	}
	return { decided: true, items };
}

/**
 * Answers a visit to the waiting execution's resume URL: a page for a browser, JSON for a script.
 * The page says nothing about whose request it is: anyone holding the link may open it.
 */
export async function answerConsentReturn(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const response = context.getResponseObject();
	const wantsJson = context.getRequestObject().method === 'POST';
	const secrets = new SecretCollector();
	// One read of Altinn at a time per waiting execution (visits meanwhile share it), and a page reloaded
	// without end stops reading Altinn at all (the time limit then goes on as usual).
	const checked = await tokenStore().throttledCheck(`consent-wait:${context.getExecutionId()}`, MAX_READS_PER_WAIT, async () => {
		try {
			return await checkAwaited(context, secrets);
		} catch (error) {
			// The credential or the vendor's token (Maskinporten) failed before any request was read.
			return cannotTell(context, error, secrets);
		}
	});
	const visit: Visit =
		'result' in checked
			? checked.result
			: { decided: false, status: 429, sentence: 'This page has checked with Altinn many times already and checks no more. Your decision in Altinn stands either way; the workflow finds it.' };
	const sentence = visit.decided ? 'Thank you: Altinn has the decision. You can close this page.' : visit.sentence;
	if (wantsJson) {
		response.status(visit.decided ? 200 : visit.status).json({ decided: visit.decided, message: sentence });
	} else {
		response.status(visit.decided ? 200 : visit.status).setHeader('Content-Type', 'text/html; charset=utf-8');
		response.send(messagePage(TITLE, sentence));
	}
	if (!visit.decided) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [visit.items.map((json, itemIndex) => ({ json, pairedItem: { item: itemIndex } }))],
	};
}

const readEachRequest = eachItem(readConsentRequestItem);

export const waitForDecision: NodeOperation = {
	option: {
		name: 'Wait for Decision',
		value: 'waitForDecision',
		description: 'Pause the workflow until the person has accepted or rejected in Altinn, then output the request',
		action: 'Wait for the decision on a consent request',
	},
	subtitle: 'Wait for the decision',
	properties: [
		CONSENT_REQUEST_ID_PROPERTY,
		...waitProperties(
			"Checks each request in Altinn first and goes on at once if the person has decided. Otherwise the execution pauses until the person's browser comes back to this execution's resume URL (Create's Redirect URL <code>{{ $execution.resumeUrl }}</code>), and then goes on with the requests as Altinn has them (status Accepted or Rejected). If the time limit passes first, the input items go on unchanged (status Created): to wait again, lead them through an If node back to this node.",
			{ defaultMinutes: DEFAULT_TIME_LIMIT_MINUTES, maxMinutes: 43200, description: 'How long to wait for the person to come back (at most 30 days). The request itself stays open in Altinn until its Valid To.' },
		),
		optionsCollection(),
	],
	// Each request is read as Get reads it; then the execution goes on, or waits for the person.
	execute: async (node) => await waitUnlessDecided(node, await readEachRequest(node)),
};
