/**
 * Altinn 3 consent (samtykke), asking: a consumer asks a person or an organisation for consent to
 * named data until a date, reads the request's status, and follows the feed of decisions. The calls
 * take the consumer's Maskinporten token itself (Altinn reads its `consumer` claim).
 *
 * Sources (read for facts): Altinn/altinn-authorization-tmp, `Api.Enterprise/Controllers/ConsentController.cs`,
 * `ConsentRequestDto.cs`, `ConsentRequestDetailsDto.cs`, `ConsentStatusChangeDto.cs`, `Problems.cs`.
 * Where Altinn's docs and its code differ, this follows the code: the feed of decisions is
 * `GET …/consentrequests/events` (the docs' `latestchanges` was removed in May 2026); event types are
 * written capitalised ("Accepted") and filtered in lower case; the rights' metadata is `metadata`.
 */
import { createHmac } from 'node:crypto';

import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { joinUrl } from '../../shared/protocol/http';
import { isJsonRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { quoted } from '../../shared/protocol/nationalIdNumber';
import type { ConsentParty, ConsentRight } from './consentToken';
import { ASK_CONSENT_AGAIN_HINT, checkConsentId, consentParty, consentPartyLabel, readConsentRights } from './consentToken';
import type { VendorCall } from './vendorAnswers';
import { malformed, nullableText as text, successJson } from './vendorAnswers';

export const SCOPE_CONSENT_REQUESTS_WRITE = 'altinn:consentrequests.write';
export const SCOPE_CONSENT_REQUESTS_READ = 'altinn:consentrequests.read';

const CONSENT_REQUESTS_PATH = '/accessmanagement/api/v1/enterprise/consentrequests';

const REFUSED_HINT = `Your Maskinporten client needs the scopes ${SCOPE_CONSENT_REQUESTS_WRITE} and ${SCOPE_CONSENT_REQUESTS_READ} (Digdir delegates them), and your organisation must be allowed to ask consent for the resource (the resource owner decides). The consent is always given to the organisation of the Maskinporten client.`;

export const CONSENT_CALLS = {
	create: { action: 'create the consent request', scope: SCOPE_CONSENT_REQUESTS_WRITE, notFound: 'Altinn does not know the address', refusedHint: REFUSED_HINT },
	get: { action: 'read the consent request', scope: SCOPE_CONSENT_REQUESTS_READ, notFound: 'There is no such consent request for your organisation', refusedHint: REFUSED_HINT },
	events: { action: 'read the consent decisions', scope: SCOPE_CONSENT_REQUESTS_READ, notFound: 'Altinn does not offer the consent feed at this address', refusedHint: REFUSED_HINT },
} as const satisfies Record<string, VendorCall>;

/** What a person or organisation did with a request, as Altinn records it. */
export type ConsentEventType = 'Created' | 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted' | 'Expired' | 'Used';
export const CONSENT_EVENT_TYPES: readonly ConsentEventType[] = ['Created', 'Accepted', 'Rejected', 'Revoked', 'Deleted', 'Expired', 'Used'];
/**
 * The decisions a trigger can wait for: what Altinn records as events. Its feed also takes `deleted`
 * and `used` as filters, but nothing in Altinn writes such events (read in altinn-authorization-tmp,
 * December 2026), so they would never fire.
 */
export const CONSENT_DECISIONS: readonly ConsentEventType[] = ['Accepted', 'Rejected', 'Revoked'];

export interface CreateConsentRequest {
	/**
	 * The consumer chooses the id. When not given it is made from the request's contents under
	 * `idKey`, so that the same request sent again (a retry after a lost answer, a rerun) gets the one
	 * Altinn has (200) instead of asking the person twice.
	 */
	id?: string;
	/**
	 * The key the id is made under (keyOfClient): the contents name a person, and an id that anyone
	 * could recompute from them would let a guess of the person's number be checked against it.
	 */
	idKey: Buffer;
	from: ConsentParty;
	/** The consumer: the organisation of the Maskinporten client. */
	toOrgNumber: string;
	validTo: string;
	rights: Array<{ resource: string; metadata: Record<string, string> }>;
	redirectUrl: string;
	/** By language code ("nb", "en"). */
	requestMessage?: Record<string, string>;
	/** Show the request in the person's Altinn inbox too (Altinn's default: hide). */
	showInInbox?: boolean;
}

export interface ConsentRequest {
	consentRequestId: string;
	status: string;
	/** Whose consent: an organisation's number, or a person by the last two digits of the national ID number. */
	consentFrom: string;
	fromKind: ConsentParty['kind'];
	/** The organisation number of a consent from an organisation; null for a person. */
	fromOrgNumber: string | null;
	toOrgNumber: string | null;
	/** The operator that handles the request for the consumer, if any. */
	handledByOrgNumber: string | null;
	validTo: string | null;
	consented: string | null;
	consentRights: ConsentRight[];
	redirectUrl: string | null;
	/** The page the person opens to decide. */
	viewUri: string | null;
	events: Array<{ eventType: string; created: string | null }>;
}

function badInput(message: string, hint: string): LoginProblem {
	return new LoginProblem({ kind: 'badInput', message, hint });
}

const headers = (token: string, json: boolean): Record<string, string> => ({
	Authorization: `Bearer ${token}`,
	Accept: 'application/json',
	...(json ? { 'Content-Type': 'application/json' } : {}),
});

/** "inntektsaar=2025, …" or JSON → the metadata of a right. */
export function metadataFromText(value: string): Record<string, string> {
	const trimmed = value.trim();
	if (!trimmed) return {};
	if (trimmed.startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			parsed = undefined;
		}
		if (!isJsonRecord(parsed)) throw badInput('The metadata is not a JSON object', 'Give it as key=value pairs separated by commas (inntektsaar=2025) or as a JSON object ({"inntektsaar": "2025"}).');
		return Object.fromEntries(Object.entries(parsed).map(([key, entry]) => [key, String(entry)]));
	}
	return Object.fromEntries(
		trimmed.split(',').map((pair) => {
			const [key, ...rest] = pair.split('=');
			if (!key.trim() || rest.length === 0) throw badInput(`The metadata "${quoted(pair.trim(), 40)}" is not key=value`, 'Give it as key=value pairs separated by commas, e.g. inntektsaar=2025.');
			return [key.trim(), rest.join('=').trim()];
		}),
	);
}

/**
 * A GUID (variant 8: made by the consumer) from a request's contents under a key only the credential
 * gives: the same request, the same id; without the key, the id tells nothing of the contents.
 */
function idFromContents(contents: object, key: Buffer): string {
	const hex = createHmac('sha256', key).update(JSON.stringify(contents)).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `POST …/enterprise/consentrequests`: the request, checked before anything is sent. */
export function buildCreateConsentRequest(platformUrl: string, token: string, request: CreateConsentRequest, now: Date): HttpRequestSpec {
	const validTo = Date.parse(request.validTo);
	if (!Number.isFinite(validTo) || validTo <= now.getTime()) {
		throw badInput('Valid To is not a date and time in the future', 'Give the last moment the consent may be used, e.g. 2027-12-31T23:59:59Z (Altinn refuses a time in the past).');
	}
	let redirect: URL | undefined;
	try {
		redirect = new URL(request.redirectUrl.trim());
	} catch {
		redirect = undefined;
	}
	if (!redirect) throw badInput('The redirect URL is not a full address', 'Give where Altinn sends the person after the decision, e.g. https://example.no/consent-done (put your own reference in it: Altinn adds nothing).');
	if (request.rights.length === 0 || request.rights.some((right) => !right.resource.trim())) {
		throw badInput('A consent request needs at least one resource', 'Give the ID of the consent resource in Altinn\'s resource register, e.g. standard-samtykke-for-dele-data.');
	}
	const contents = {
		from: request.from.urn,
		to: `urn:altinn:organization:identifier-no:${request.toOrgNumber}`,
		validTo: new Date(validTo).toISOString(),
		consentRights: request.rights.map((right) => ({
			action: ['consent'],
			resource: [{ type: 'urn:altinn:resource', value: right.resource.trim() }],
			...(Object.keys(right.metadata).length > 0 ? { metadata: right.metadata } : {}),
		})),
		...(request.requestMessage && Object.keys(request.requestMessage).length > 0 ? { requestMessage: request.requestMessage } : {}),
		redirectUrl: redirect.toString(),
		portalViewMode: request.showInInbox ? 'show' : 'hide',
	};
	const id = request.id?.trim() ? checkConsentId(request.id) : idFromContents(contents, request.idKey);
	return { method: 'POST', url: joinUrl(platformUrl, CONSENT_REQUESTS_PATH), headers: headers(token, true), body: JSON.stringify({ id, ...contents }) };
}

/** `GET …/enterprise/consentrequests/{id}`. */
export function buildGetConsentRequest(platformUrl: string, token: string, consentRequestId: string): HttpRequestSpec {
	return { method: 'GET', url: joinUrl(platformUrl, `${CONSENT_REQUESTS_PATH}/${checkConsentId(consentRequestId)}`), headers: headers(token, false) };
}

const orgOfUrn = (value: unknown): string | null => /^urn:altinn:organization:identifier-no:(\d{9})$/.exec(String(value ?? ''))?.[1] ?? null;

/**
 * A consent request from Altinn's answer (201 on create, 200 on a read or a repeated create). A
 * person's national ID number in `from` is read, checked against `expectedFrom` when given, and left out.
 */
export function readConsentRequestAnswer(answer: HttpAnswer, call: VendorCall, expectedFrom?: ConsentParty): { request: ConsentRequest; from: ConsentParty } {
	const json = successJson(answer, call);
	if (!isJsonRecord(json) || typeof json.id !== 'string') throw malformed(call, 'no consent request', answer);
	let from: ConsentParty;
	try {
		from = consentParty(String(json.from ?? ''));
	} catch {
		throw malformed(call, 'a "from" this node cannot read', answer);
	}
	if (expectedFrom && from.urn !== expectedFrom.urn) throw malformed(call, 'another "from" than the one asked for', answer);
	// A repeated create answers Altinn's internal model, whose status is `consentRequestStatus`.
	const status = text(json.status) ?? text(json.consentRequestStatus) ?? 'Unknown';
	const events = Array.isArray(json.consentRequestEvents) ? json.consentRequestEvents.filter(isJsonRecord) : [];
	return {
		from,
		request: {
			consentRequestId: json.id.toLowerCase(),
			status: CONSENT_EVENT_TYPES.find((known) => known.toLowerCase() === status.toLowerCase()) ?? status,
			consentFrom: consentPartyLabel(from),
			fromKind: from.kind,
			fromOrgNumber: from.kind === 'organisation' ? from.orgNumber : null,
			toOrgNumber: orgOfUrn(json.to),
			handledByOrgNumber: orgOfUrn(json.handledBy),
			validTo: text(json.validTo),
			consented: text(json.consented),
			consentRights: readConsentRights(json.consentRights, (what) => malformed(call, what, answer)),
			redirectUrl: text(json.redirectUrl),
			viewUri: text(json.viewUri),
			events: events.map((event) => ({ eventType: text(event.eventType) ?? 'Unknown', created: text(event.created) })),
		},
	};
}

/** A request's statuses after which nobody can accept it any more. */
const CLOSED_STATUSES: ReadonlySet<string> = new Set(['Rejected', 'Revoked', 'Deleted', 'Expired']);

/**
 * A Create that Altinn answered with a request it already had (the same ID: the same contents, or an
 * ID given again) that is closed: nobody was asked, and the item must not pass for a new request.
 */
export function checkRepeatedRequestOpen(request: ConsentRequest): void {
	if (!CLOSED_STATUSES.has(request.status)) return;
	throw badInput(
		`Altinn already has this consent request (${request.consentRequestId}), ${request.status.toLowerCase()}: nobody was asked again`,
		'A request with the same contents gets the one Altinn has. To ask again, change something in it (e.g. Valid To), or give a new Consent Request ID under Options.',
	);
}

/**
 * A consent request read just before its token is asked for: one Altinn has as rejected, revoked or
 * deleted, or whose Valid To has passed, cannot give a token, so none is asked for; the error says the
 * status read. One still waiting (Created) is left to Maskinporten, which says so in its own words.
 */
export function checkConsentUsable(request: ConsentRequest, now: Date): void {
	const validTo = request.validTo ? Date.parse(request.validTo) : Number.NaN;
	const status = Number.isFinite(validTo) && validTo <= now.getTime() && request.status !== 'Revoked' ? 'Expired' : request.status;
	if (!CLOSED_STATUSES.has(status)) return;
	throw new LoginProblem({
		kind: 'rejected',
		message: `Consent ${request.consentRequestId} from ${request.consentFrom} was ${status.toLowerCase()}${status === 'Expired' && request.validTo ? ` (its Valid To, ${request.validTo}, has passed)` : ''}: no token was asked for`,
		hint: ASK_CONSENT_AGAIN_HINT,
	});
}

/** One entry of the feed: a request and what happened to it, when. */
export interface ConsentEvent {
	consentRequestId: string;
	eventType: string;
	changedDate: string;
}

/**
 * `GET …/consentrequests/events`: the first page from `createdAfter` (oldest first), or the page Altinn's
 * `next` link names. A link is followed only on the platform and path it came from: the feed's token
 * is sent with it.
 */
export function buildConsentEventsRequest(
	platformUrl: string,
	token: string,
	page: { next: string } | { createdAfter?: string; eventTypes: readonly string[] },
): HttpRequestSpec {
	const feed = new URL(joinUrl(platformUrl, `${CONSENT_REQUESTS_PATH}/events`));
	if ('next' in page) {
		let next: URL | undefined;
		try {
			next = new URL(page.next);
		} catch {
			next = undefined;
		}
		if (!next || next.origin !== feed.origin || next.pathname !== feed.pathname) {
			throw new LoginProblem({
				kind: 'unexpectedAnswer',
				message: 'Altinn\'s consent feed linked its next page to another address than the platform\'s feed',
				hint: 'The link was not followed (it would have carried your token elsewhere). Check the platform address in the credential; report it to the maintainers of this node if it persists.',
			});
		}
		return { method: 'GET', url: next.toString(), headers: headers(token, false) };
	}
	for (const type of page.eventTypes) feed.searchParams.append('eventType', type.toLowerCase());
	if (page.createdAfter) feed.searchParams.set('createdAfter', page.createdAfter);
	return { method: 'GET', url: feed.toString(), headers: headers(token, false) };
}

/** One page of the feed: its events and the link to the next page (null on the last). */
export function readConsentEventsPage(answer: HttpAnswer): { events: ConsentEvent[]; next: string | null } {
	const call = CONSENT_CALLS.events;
	const json = successJson(answer, call);
	if (!isJsonRecord(json) || !Array.isArray(json.data)) throw malformed(call, 'no list of events', answer);
	const events = json.data.map((entry) => {
		if (!isJsonRecord(entry) || typeof entry.consentRequestId !== 'string' || typeof entry.eventType !== 'string' || typeof entry.changedDate !== 'string') {
			throw malformed(call, 'an event this node cannot read', answer);
		}
		const known = CONSENT_EVENT_TYPES.find((type) => type.toLowerCase() === String(entry.eventType).toLowerCase());
		return { consentRequestId: entry.consentRequestId.toLowerCase(), eventType: known ?? entry.eventType, changedDate: entry.changedDate };
	});
	const links = isJsonRecord(json.links) ? json.links : {};
	return { events, next: typeof links.next === 'string' && links.next ? links.next : null };
}
