/**
 * Starts a workflow when a customer decides on a system-user request: each poll lists the system's
 * requests from Altinn's vendor API and fires once for every request that is decided (Accepted,
 * Rejected, Denied, Timedout) and not yet reported. The decision is read from Altinn, never taken
 * from a browser coming back to a redirect URL (anyone can open that address).
 *
 * State (the workflow's static data for this node) holds request IDs and their statuses only, never
 * a token: `{ watching, reported: { <request id>: <status> } }`. `watching` names the Altinn (platform
 * address and Maskinporten client), the system and the request types the list was taken for; when it
 * is missing or different (the first poll after activation, the parameters changed, or the credential
 * now points at another Altinn, e.g. production instead of TT02) the poll records what is already decided without firing,
 * so old decisions do not flood the workflow. Entries Altinn no longer lists are dropped, so the
 * state stays as small as the system's list.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { optionsCollection } from '../shared/descriptions';
import { pollScrubbed } from '../shared/nodeErrors';
import { readPollState, writePollState } from '../shared/pollState';
import { SecretCollector } from '../shared/secrets';
import { timeoutMsOf } from '../shared/runItems';
import { DEFAULT_TIMEOUT_MS } from '../shared/transport';
import { SYSTEM_ID_PROPERTY } from './descriptions';
import type { AltinnMaskinportenCredential } from './logins/maskinporten';
import { altinn3Endpoints } from './logins/maskinporten';
import type { SystemUserRequest, SystemUserRequestStatus } from './protocol/vendorRequests';
import { checkOrganisationNumber } from './protocol/orgNumber';
import { VENDOR_CALLS } from './protocol/vendorAnswers';
import { buildListSystemUserRequestsRequest } from './protocol/vendorRequests';
import type { RequestType } from './vendorApi';
import { checkVendorRequest, listAllSystemUserRequests, systemUserRequestItem, vendorSession } from './vendorApi';

const PUBLISH_HINT =
	'Publish (activate) the workflow: the trigger then checks Altinn at its poll times and starts the workflow once for each decision.';

/** What a test event without any decision says, on the newest request still waiting. */
const NO_DECISION_YET = `No customer has decided yet: this is the newest request still waiting (status New). ${PUBLISH_HINT}`;

/** The statuses a person (or Altinn's time limit) has put an end to; `New` is still waiting. */
export const DECIDED_STATUSES: readonly SystemUserRequestStatus[] = ['Accepted', 'Rejected', 'Denied', 'Timedout'];

interface DecisionState {
	/** The system and request types the recorded list belongs to, e.g. "991825827_payroll|standard,agent". */
	watching: string;
	/** Decided requests already seen: request ID → status. */
	reported: Record<string, string>;
}

/** The stored state, or undefined when there is none for what is watched now (a baseline is then taken). */
function readState(staticData: IDataObject, watching: string): DecisionState | undefined {
	return readPollState(staticData, watching, ({ reported }) => {
		if (typeof reported !== 'object' || reported === null || Array.isArray(reported)) return undefined;
		const entries = Object.entries(reported).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
		return { watching, reported: Object.fromEntries(entries) };
	});
}

/** Newest first by Altinn's `created`; requests without one keep their place after those with one. */
function newestFirst(a: SystemUserRequest, b: SystemUserRequest): number {
	return (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0);
}

export class AltinnSystemUserTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn System User Trigger',
		name: 'altinnSystemUserTrigger',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Decisions on " + $parameter["systemId"] }}',
		description: 'Starts a workflow when a customer accepts or rejects a system-user request for your system (read from Altinn)',
		defaults: { name: 'Altinn System User Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		properties: [
			{
				displayName:
					'Fires once per request that is decided (Accepted, Rejected, Denied, Timedout), read from Altinn, once the workflow is published (active): it checks at the Poll Times below. The first check after publishing only notes what is already decided. Fetching a test event shows the latest decision, or the newest request still waiting. Needs the scope altinn:authentication/systemuser.request.read.',
				name: 'triggerNotice',
				type: 'notice',
				default: '',
			},
			SYSTEM_ID_PROPERTY,
			{
				displayName: 'Request Types',
				name: 'requestTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Standard', value: 'standard' },
					{ name: 'Client (Agent)', value: 'agent' },
				],
				default: ['standard'],
				description: 'Which requests to watch',
			},
			optionsCollection([
				{
					displayName: 'Only These Statuses',
					name: 'statuses',
					type: 'multiOptions',
					options: [
						{ name: 'Accepted', value: 'Accepted' },
						{ name: 'Denied', value: 'Denied' },
						{ name: 'Rejected', value: 'Rejected' },
						{ name: 'Timed Out', value: 'Timedout' },
					],
					default: [],
					description: 'Fire only for these decisions (all when none is chosen); the others are still noted, and do not fire later',
				},
				{
					displayName: 'Only This Customer',
					name: 'customerOrgNumber',
					type: 'string',
					default: '',
					placeholder: '310547891',
					description: 'Fire only for requests to this organisation number (9 digits)',
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollScrubbed(this, async (secrets) => await pollDecisions(this, secrets));
	}
}

async function pollDecisions(context: IPollFunctions, secrets: SecretCollector): Promise<INodeExecutionData[][] | null> {
	const systemId = String(context.getNodeParameter('systemId', '') ?? '').trim();
	const chosenTypes = context.getNodeParameter('requestTypes', ['standard']) as RequestType[];
	const requestTypes = (['standard', 'agent'] as const).filter((type) => chosenTypes.includes(type));
	if (requestTypes.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No request type is chosen', { description: 'Choose Standard, Client (Agent) or both under Request Types.' });
	}
	const chosenStatuses = context.getNodeParameter('options.statuses', []) as string[];
	const statuses = chosenStatuses.length > 0 ? DECIDED_STATUSES.filter((status) => chosenStatuses.includes(status)) : DECIDED_STATUSES;
	const customerText = String(context.getNodeParameter('options.customerOrgNumber', '') ?? '').trim();
	// Input is checked before anything is asked of Maskinporten or Altinn (reading the credential sends nothing).
	const customer = customerText ? checkOrganisationNumber(customerText, 'customer organisation number to watch') : undefined;
	const credential = (await context.getCredentials('altinnMaskinportenApi')) as unknown as AltinnMaskinportenCredential;
	const { platformUrl } = altinn3Endpoints(credential);
	for (const type of requestTypes) checkVendorRequest((token) => buildListSystemUserRequestsRequest(platformUrl, token, systemId, { agent: type === 'agent' }));
	const vendor = await vendorSession(context, credential, VENDOR_CALLS.listRequests.scope, secrets, {
		timeoutMs: timeoutMsOf(context.getNodeParameter('options.timeout', DEFAULT_TIMEOUT_MS)),
	});
	const listed: Array<{ request: SystemUserRequest; requestType: RequestType }> = [];
	for (const requestType of requestTypes) {
		for (const request of await listAllSystemUserRequests(vendor, systemId, requestType === 'agent')) listed.push({ request, requestType });
	}
	const decided = listed.filter(({ request }) => DECIDED_STATUSES.includes(request.status));
	const wanted = ({ request }: { request: SystemUserRequest }) => statuses.includes(request.status) && (!customer || request.partyOrgNo === customer);

	if (context.getMode() === 'manual') {
		// A person testing the trigger sees the latest decision, or else the newest request still waiting
		// (marked so), never an error for a customer who has simply not decided yet. The state is neither read nor changed.
		const latest = decided.filter(wanted).sort((a, b) => newestFirst(a.request, b.request))[0];
		if (latest) return [[{ json: systemUserRequestItem(latest.request, latest.requestType) }]];
		const newest = listed
			.filter(({ request }) => request.status === 'New' && (!customer || request.partyOrgNo === customer))
			.sort((a, b) => newestFirst(a.request, b.request))[0];
		if (newest) {
			return [[{ json: { ...systemUserRequestItem(newest.request, newest.requestType), testEvent: NO_DECISION_YET } }]];
		}
		throw new NodeOperationError(context.getNode(), `No system-user request for ${systemId} matches the trigger's settings yet`, {
			description: `Create a request with the Altinn System User node and send its confirmUrl to the customer. ${PUBLISH_HINT}`,
		});
	}

	const staticData = context.getWorkflowStaticData('node');
	// Another Altinn (platform or client) is another list: its decisions so far are a new baseline, not news.
	const watching = `${platformUrl}|${credential.clientId.trim()}|${systemId}|${requestTypes.join(',')}`;
	const previous = readState(staticData, watching);
	writePollState(staticData, watching, { reported: Object.fromEntries(decided.map(({ request }) => [request.requestId, request.status])) });
	// First poll for what is watched now: the decisions so far are the baseline, not news.
	if (!previous) return null;
	const news = decided.filter((entry) => !(entry.request.requestId in previous.reported) && wanted(entry));
	if (news.length === 0) return null;
	return [news.map(({ request, requestType }) => ({ json: systemUserRequestItem(request, requestType) }))];
}
