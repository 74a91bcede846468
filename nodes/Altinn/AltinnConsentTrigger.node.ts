/**
 * Starts a workflow when a person or an organisation decides on one of your consent requests: each
 * poll reads Altinn's feed of consent events (`…/consentrequests/events`, oldest first, following its
 * `next` links on the same platform only) from where the last poll ended, and fires once per decision.
 * The decision is read from Altinn, never taken from a browser coming back to the redirect URL.
 *
 * State (the workflow's static data for this node) holds no token and no person's number:
 * `{ watching, since, seen }`. `watching` names the Altinn (platform address and Maskinporten client);
 * `since` is the time of the newest event read (Altinn's `createdAfter`, which includes that time),
 * and `seen` the events at that time already fired, so none fires twice. When `watching` is missing or
 * different (the first poll after publishing, or the credential now points at another Altinn) the
 * poll notes the moment without firing: Altinn's moment (its answer's Date), since the feed compares
 * Altinn's times and this host's clock may be ahead. Altinn shows an event about five minutes after
 * it happened, and never records that a consent expired (see the README).
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { optionsCollection } from '../shared/descriptions';
import { LoginProblem } from '../shared/protocol/loginProblem';
import { pollScrubbed } from '../shared/nodeErrors';
import { readPollState, writePollState } from '../shared/pollState';
import { timeoutMsOf } from '../shared/runItems';
import type { SecretCollector } from '../shared/secrets';
import { DEFAULT_TIMEOUT_MS } from '../shared/transport';
import { consentRequestItem } from './actions/consent/items';
import type { AltinnMaskinportenCredential } from './logins/maskinporten';
import { altinn3Endpoints } from './logins/maskinporten';
import type { ConsentEvent } from './protocol/consentRequests';
import { CONSENT_CALLS, CONSENT_DECISIONS, buildConsentEventsRequest, buildGetConsentRequest, readConsentEventsPage, readConsentRequestAnswer } from './protocol/consentRequests';
import type { VendorSession } from './vendorApi';
import { allPages } from './protocol/paging';
import { vendorSession } from './vendorApi';

const PUBLISH_HINT = 'Publish (activate) the workflow: the trigger then reads Altinn at its poll times and starts the workflow once for each decision.';

/** How far back a test event looks for the latest decision. */
const TEST_EVENT_DAYS = 30;

interface FeedState {
	watching: string;
	since: string;
	seen: string[];
}

const eventKey = (event: ConsentEvent) => `${event.consentRequestId}|${event.eventType}|${event.changedDate}`;

function readState(staticData: IDataObject, watching: string): FeedState | undefined {
	return readPollState(staticData, watching, ({ since, seen }) =>
		typeof since === 'string' && Array.isArray(seen) ? { watching, since, seen: seen.filter((key): key is string => typeof key === 'string') } : undefined,
	);
}

export class AltinnConsentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Consent Trigger',
		name: 'altinnConsentTrigger',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Consent decisions" }}',
		description: 'Starts a workflow when a person or an organisation accepts, rejects or revokes one of your consent requests (read from Altinn)',
		defaults: { name: 'Altinn Consent Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		properties: [
			{
				displayName:
					"Fires once per decision on your consent requests, read from Altinn's feed, once the workflow is published (active): it checks at the Poll Times below. The first check after publishing only notes the time. Altinn lists an event about five minutes after it happened, and records no event when a consent expires (its validTo says when) or is deleted. Needs the scope altinn:consentrequests.read.",
				name: 'triggerNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Decisions',
				name: 'decisions',
				type: 'multiOptions',
				options: [
					{ name: 'Accepted', value: 'Accepted' },
					{ name: 'Rejected', value: 'Rejected' },
					{ name: 'Revoked', value: 'Revoked' },
				],
				default: ['Accepted', 'Rejected', 'Revoked'],
				description: 'Which events start the workflow',
			},
			optionsCollection([
				{
					displayName: 'Include the Request',
					name: 'includeRequest',
					type: 'boolean',
					default: true,
					description: "Whether to read each request from Altinn too (its status, rights, validTo and viewUri; a person's national ID number is never included): one call per event",
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollScrubbed(this, async (secrets) => await pollConsentEvents(this, secrets));
	}
}

/** Every event from `createdAfter` on, all pages, of the chosen types. */
async function eventsSince(session: VendorSession, createdAfter: string, eventTypes: readonly string[]): Promise<ConsentEvent[]> {
	return await allPages('consent events', async (next) => {
		const page = readConsentEventsPage(await session.send((token) => buildConsentEventsRequest(session.platformUrl, token, next ? { next } : { createdAfter, eventTypes })));
		return { items: page.events, next: page.next };
	});
}

async function eventItem(session: VendorSession, event: ConsentEvent, includeRequest: boolean, secrets: SecretCollector): Promise<INodeExecutionData> {
	const fields = { consentRequestId: event.consentRequestId, eventType: event.eventType, changedDate: event.changedDate };
	if (!includeRequest) return { json: fields };
	const { from, request } = readConsentRequestAnswer(await session.send((token) => buildGetConsentRequest(session.platformUrl, token, event.consentRequestId)), CONSENT_CALLS.get);
	if (from.kind === 'person') secrets.add(from.nationalIdNumber, from.urn);
	return { json: { ...consentRequestItem(request), ...fields } };
}

/**
 * Altinn's clock, from the Date of a feed answer (whose events are not needed); this host's when the
 * answer has none. To the second only: what Altinn lists from that second on is noted by the caller.
 */
async function altinnNow(session: VendorSession, eventTypes: readonly string[]): Promise<Date> {
	const answer = await session.send((token) => buildConsentEventsRequest(session.platformUrl, token, { createdAfter: new Date().toISOString(), eventTypes }));
	readConsentEventsPage(answer);
	const dated = Date.parse(String([answer.headers.date].flat()[0] ?? ''));
	return Number.isFinite(dated) ? new Date(dated) : new Date();
}

async function pollConsentEvents(context: IPollFunctions, secrets: SecretCollector): Promise<INodeExecutionData[][] | null> {
	const decisions = (context.getNodeParameter('decisions', []) as string[]).filter((decision) => CONSENT_DECISIONS.includes(decision as never));
	if (decisions.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No decision is chosen', {
			description: 'Choose at least one event under Decisions, e.g. Accepted. (Altinn records no Deleted or Used events: a trigger set to those alone never fired.)',
		});
	}
	const includeRequest = context.getNodeParameter('options.includeRequest', true) as boolean;
	const credential = (await context.getCredentials('altinnMaskinportenApi')) as unknown as AltinnMaskinportenCredential;
	const { platformUrl } = altinn3Endpoints(credential);
	const session = await vendorSession(context, credential, CONSENT_CALLS.events.scope, secrets, {
		timeoutMs: timeoutMsOf(context.getNodeParameter('options.timeout', DEFAULT_TIMEOUT_MS)),
	});

	if (context.getMode() === 'manual') {
		// A person testing the trigger sees the latest decision of the last days; the state is neither read nor changed.
		const since = new Date(Date.now() - TEST_EVENT_DAYS * 24 * 3600_000).toISOString();
		const latest = (await eventsSince(session, since, decisions)).at(-1);
		if (latest) return [[await eventItem(session, latest, includeRequest, secrets)]];
		throw new NodeOperationError(context.getNode(), `No consent request of yours has had such a decision in the last ${TEST_EVENT_DAYS} days`, {
			description: `Ask for consent with the Altinn Consent node and send its viewUri to the person. ${PUBLISH_HINT}`,
		});
	}

	const staticData = context.getWorkflowStaticData('node');
	// Another Altinn (platform or client) is another feed: it starts from now, not from the other's place.
	const watching = `${platformUrl}|${credential.clientId.trim()}`;
	const previous = readState(staticData, watching);
	// The first poll starts at Altinn's moment and fires nothing: what Altinn already lists then is only noted.
	const start = previous ?? { watching, since: (await altinnNow(session, decisions)).toISOString(), seen: [] };
	const events = await eventsSince(session, start.since, decisions);
	const seen = new Set(start.seen);
	// The items first, the position after: a decision whose request Altinn cannot give now stays ahead of
	// the position, for the next poll; nothing is lost to a failed read.
	const items: INodeExecutionData[] = [];
	let handled = events.length;
	let unavailable: unknown;
	if (previous) {
		for (const [index, event] of events.entries()) {
			if (seen.has(eventKey(event))) continue;
			const built = await settledEventItem(session, event, includeRequest, secrets);
			if ('unavailable' in built) {
				handled = index;
				unavailable = built.unavailable;
				break;
			}
			items.push(built.item);
		}
	}
	const done = events.slice(0, handled);
	const newest = done.reduce((latest, event) => (Date.parse(event.changedDate) > Date.parse(latest) ? event.changedDate : latest), start.since);
	const atNewest = done.filter((event) => Date.parse(event.changedDate) === Date.parse(newest)).map(eventKey);
	writePollState(staticData, watching, { since: newest, seen: newest === start.since ? [...new Set([...start.seen, ...atNewest])] : atNewest });
	if (unavailable !== undefined && items.length === 0) throw unavailable;
	if (unavailable !== undefined) {
		context.logger.warn(`Altinn Consent Trigger: ${secrets.redactor().redact(unavailable instanceof Error ? unavailable.message : String(unavailable))}; the decisions after it fire at the next poll`);
	}
	return items.length > 0 ? [items] : null;
}

/**
 * An event's item, settled: with the request when it could be read, with the reason when Altinn
 * refused to give it (the request is gone, or an answer this node cannot read) so that the decision
 * still fires; or Altinn unavailable, for the caller to try again at the next poll.
 */
async function settledEventItem(session: VendorSession, event: ConsentEvent, includeRequest: boolean, secrets: SecretCollector): Promise<{ item: INodeExecutionData } | { unavailable: unknown }> {
	try {
		return { item: await eventItem(session, event, includeRequest, secrets) };
	} catch (error) {
		if (!(error instanceof LoginProblem) || error.details.kind === 'unavailable') return { unavailable: error };
		const fields = { consentRequestId: event.consentRequestId, eventType: event.eventType, changedDate: event.changedDate };
		return { item: { json: { ...fields, error: secrets.redactor().redact(error.details.message), description: error.details.hint } } };
	}
}
