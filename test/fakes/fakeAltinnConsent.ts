/**
 * A fake of Altinn 3 consent on top of FakeAltinnSystemUser (Maskinporten, system users): the consents
 * a person or an organisation gave, and Maskinporten's consent grants (`authorization_details` of type
 * `urn:altinn:consent`), checked as Altinn's lookup for Maskinporten checks them, and a data provider's
 * API that takes only a token carrying an accepted consent for its resource.
 *
 * Also the consumer's side (`POST/GET …/enterprise/consentrequests`, the `events` feed) and the page
 * a person opens to decide (`viewUri`), which redirects to the request's `redirectUrl` as it is.
 *
 * Behaviour follows Altinn/altinn-authorization-tmp (the enterprise and Maskinporten `ConsentController`s,
 * `ConsentService.ValidateGetConsentRequest`, `Problems.cs`: AM-00001, AM-00011 to AM-00014) and the
 * token Altinn's docs show. What Maskinporten answers when Altinn's lookup fails is not documented: the
 * fake answers 400 `invalid_authorization_details` with Altinn's code and title in the description.
 */
import { randomUUID } from 'node:crypto';

import type { GrantExtras } from './fakeAltinn3';
import type { RecordedRequest, Reply } from './fakeServer';
import { header, json } from './fakeServer';
import { FakeAltinnSystemUser } from './fakeAltinnSystemUser';

type JsonRecord = Record<string, unknown>;

export type FakeConsentStatus = 'Created' | 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted';

export interface FakeConsent {
	id: string;
	redirectUrl?: string;
	requestMessage?: Record<string, string> | null;
	/** `urn:altinn:person:identifier-no:…` or `urn:altinn:organization:identifier-no:…`. */
	from: string;
	/** The consumer's organisation number. */
	toOrgNo: string;
	/** The operator that made the request for the consumer (the token's `supplier`), if any. */
	handledByOrgNo?: string | null;
	status: FakeConsentStatus;
	validTo: string;
	consented: string | null;
	consentRights: Array<{ action: string[]; resource: Array<{ type: string; value: string }>; metadata?: Record<string, string> }>;
}

/** A person of the sandbox who gives consents (a synthetic national ID number with valid check digits). */
export const CONSENT_PERSON = { nationalIdNumber: '21818297804', name: 'Kari Samtykke' };
/** The resource the sandbox's consents are for, its metadata, and the data provider's scope. */
export const CONSENT_RESOURCE = 'standard-samtykke-for-dele-data';
export const DATA_PROVIDER_SCOPE = 'skatteetaten:inntekt';
export const DATA_PROVIDER_PATH = '/dataprovider/api/v1/income';

const LOOKUP_PROBLEMS = {
	notFound: ['AM-00001', 'Consent not found'],
	revoked: ['AM-00011', 'Consent is revoked'],
	wrongParty: ['AM-00012', 'The consented party does not match the party requested'],
	expired: ['AM-00013', 'Consent is expired'],
	notAccepted: ['AM-00014', 'Consent is not accepted'],
} as const;

const REQUESTS = '/accessmanagement/api/v1/enterprise/consentrequests';
const VIEW_PATH = '/accessmanagement/ui/consent/request';
const SCOPE_WRITE = 'altinn:consentrequests.write';
const SCOPE_READ = 'altinn:consentrequests.read';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY = (status: 401 | 403): Reply => ({ status, reason: status === 401 ? 'Unauthorized' : 'Forbidden', body: '' });

/** Altinn's problem details (Altinn.Authorization.ProblemDetails): `code` and extensions at the top level. */
function amProblem(status: number, code: string, title: string, extensions: Record<string, unknown> = {}): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/problem+json; charset=utf-8' },
		body: JSON.stringify({ type: `urn:altinn:error:${code}`, title, status, code, traceId: randomUUID(), ...extensions }),
	};
}

function validation(code: string, title: string, path: string): Reply {
	return amProblem(400, 'STD-00000', 'One or more validation errors occurred.', { validationErrors: [{ code, title, paths: [path] }] });
}

export interface FakeConsentEvent {
	eventId: number;
	consentRequestId: string;
	eventType: 'Created' | 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted' | 'Used';
	created: string;
	performedBy: string;
}

function refuse(problem: keyof typeof LOOKUP_PROBLEMS): Reply {
	const [code, title] = LOOKUP_PROBLEMS[problem];
	return json(400, { error: 'invalid_authorization_details', error_description: `Altinn refused the consent: ${code} ${title}` });
}

export class FakeAltinnConsent extends FakeAltinnSystemUser {
	readonly consents = new Map<string, FakeConsent>();

	/** Requests whose reads Altinn answers with this status for now: 503 (a failing database shard, say) or 404 (gone). */
	readonly readFailures = new Map<string, 404 | 503>();

	/** Every event of every consent request, in order: the `events` feed reads these. */
	readonly consentEvents: FakeConsentEvent[] = [];

	/** How far Altinn's clock is from this machine's: its events' times and its answers' Date header follow it. */
	clockOffsetMs = 0;

	private altinnNow(): Date {
		return new Date(Date.now() + this.clockOffsetMs);
	}

	/** Events per page of the feed (Altinn: 100), small so that paging is exercised. */
	consentEventsPageSize = 100;

	/** Where the feed's `links.next` points (default: this fake); a test sets another origin to see it refused. */
	consentEventsNextBase: string | undefined;

	/** People and organisations Altinn's register knows, besides the sandbox's. */
	readonly knownParties = new Set<string>([`urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`]);

	viewUri(id: string): string {
		return `${this.baseUrl}${VIEW_PATH}?id=${id}`;
	}

	private record(consent: FakeConsent, eventType: FakeConsentEvent['eventType']): void {
		this.consentEvents.push({
			eventId: this.consentEvents.length + 1,
			consentRequestId: consent.id,
			eventType,
			created: this.altinnNow().toISOString(),
			performedBy: eventType === 'Created' ? `urn:altinn:organization:identifier-no:${consent.toOrgNo}` : consent.from,
		});
	}

	/** What a person does on the page (or a test does for them): accept, reject; later revoke. */
	decideConsent(id: string, decision: 'Accepted' | 'Rejected' | 'Revoked' | 'Deleted'): FakeConsent {
		const consent = this.consents.get(id);
		if (!consent) throw new Error(`fake: no consent ${id}`);
		const allowed = decision === 'Revoked' ? consent.status === 'Accepted' : consent.status === 'Created';
		if (!allowed) throw new Error(`fake: consent ${id} is ${consent.status}; it cannot become ${decision}`);
		consent.status = decision;
		if (decision === 'Accepted') consent.consented = this.altinnNow().toISOString();
		this.record(consent, decision);
		return consent;
	}

	/** Puts a consent in the fake directly, as if asked for and decided earlier. */
	addConsent(consent: Partial<FakeConsent> & Pick<FakeConsent, 'id' | 'from' | 'toOrgNo'>): FakeConsent {
		const stored: FakeConsent = {
			status: 'Accepted',
			validTo: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
			consented: consent.status === undefined || consent.status === 'Accepted' ? new Date().toISOString() : null,
			consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: CONSENT_RESOURCE }], metadata: { inntektsaar: '2025' } }],
			...consent,
		};
		this.consents.set(stored.id, stored);
		return stored;
	}

	protected acceptGrant(claims: Record<string, unknown>, clientId: string): Reply | GrantExtras | undefined {
		const details = claims.authorization_details;
		const entry = Array.isArray(details) && details.length === 1 ? (details[0] as unknown) : undefined;
		const record = typeof entry === 'object' && entry !== null ? (entry as JsonRecord) : undefined;
		if (record?.type !== 'urn:altinn:consent') return super.acceptGrant(claims, clientId);
		if (typeof record.id !== 'string' || typeof record.from !== 'string') {
			return json(400, { error: 'invalid_authorization_details', error_description: 'A urn:altinn:consent entry needs an id and a from.' });
		}
		const parties = this.partiesOfGrant(claims, clientId);
		if ('status' in parties) return parties;
		const consumer = parties.consumerOrgNo;
		// Altinn's lookup: the consent must be the consumer's (or handled by it), from this party, in time and accepted.
		const consent = this.consents.get(record.id.toLowerCase());
		if (!consent || (consent.toOrgNo !== consumer && consent.handledByOrgNo !== consumer)) return refuse('notFound');
		if (consent.from !== record.from) return refuse('wrongParty');
		if (Date.parse(consent.validTo) < Date.now()) return refuse('expired');
		if (consent.status === 'Revoked') return refuse('revoked');
		if (consent.status !== 'Accepted') return refuse('notAccepted');
		const to = { authority: 'iso6523-actorid-upis', ID: `0192:${consent.toOrgNo}` };
		return {
			claims: {
				consumer: parties.consumer,
				...(parties.supplier ? { supplier: parties.supplier } : {}),
				authorization_details: [
					{ type: 'urn:altinn:consent', id: consent.id, from: consent.from, to, consented: consent.consented, validTo: consent.validTo, consentRights: consent.consentRights },
				],
			},
		};
	}

	protected handle(request: RecordedRequest): Reply {
		const path = request.path;
		if (path === DATA_PROVIDER_PATH) return this.dataProvider(request);
		if (path === REQUESTS && request.method === 'POST') return this.createConsentRequest(request);
		if (path === `${REQUESTS}/events` && request.method === 'GET') return this.consentEventsFeed(request);
		if (path.startsWith(`${REQUESTS}/`) && request.method === 'GET') return this.getConsentRequest(request, path.slice(REQUESTS.length + 1));
		if (path === VIEW_PATH) return this.decisionPage(request);
		return super.handle(request);
	}

	/** The consumer behind a Maskinporten token with one of the scopes (its `consumer` claim, as Altinn reads it), or the empty 401/403 Altinn gives. */
	private consumer(request: RecordedRequest, scopes: string[]): string | Reply {
		return this.partiesOfToken(request, scopes, (parties) => parties.consumer);
	}

	/** The token's consumer and its supplier (an operator acting for the consumer), as `ConsentController` reads them. */
	private partiesOfToken<T>(request: RecordedRequest, scopes: string[], pick: (parties: { consumer: string; supplier: string | null }) => T): T | Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		const token = this.maskinportenTokens.get(bearer);
		if (!token || token.expiresAt < Date.now()) return EMPTY(401);
		if (!token.scope.split(' ').some((scope) => scopes.includes(scope))) return EMPTY(403);
		const orgOf = (claim: unknown) => /^0192:(\d{9})$/.exec(String((claim as JsonRecord | undefined)?.ID ?? ''))?.[1] ?? null;
		// A token a test put in place without claims is its client's organisation's.
		const consumer = orgOf(token.claims?.consumer) ?? this.vendorOfClient.get(token.clientId) ?? null;
		return consumer ? pick({ consumer, supplier: orgOf(token.claims?.supplier) }) : EMPTY(401);
	}

	private dto(consent: FakeConsent): JsonRecord {
		return {
			id: consent.id,
			from: consent.from,
			to: `urn:altinn:organization:identifier-no:${consent.toOrgNo}`,
			requiredDelegator: null,
			handledBy: consent.handledByOrgNo ? `urn:altinn:organization:identifier-no:${consent.handledByOrgNo}` : null,
			validTo: consent.validTo,
			consentRights: consent.consentRights,
			requestMessage: consent.requestMessage ?? null,
			status: consent.status,
			consented: consent.consented,
			redirectUrl: consent.redirectUrl ?? null,
			consentRequestEvents: this.consentEvents
				.filter((event) => event.consentRequestId === consent.id)
				.map((event) => ({ consentEventID: randomUUID(), created: event.created, performedBy: event.performedBy, eventType: event.eventType, consentRequestID: consent.id })),
			viewUri: this.viewUri(consent.id),
			portalViewMode: 'Hide',
		};
	}

	private createConsentRequest(request: RecordedRequest): Reply {
		const consumer = this.consumer(request, [SCOPE_WRITE]);
		if (typeof consumer !== 'string') return consumer;
		let body: JsonRecord;
		try {
			body = JSON.parse(request.body) as JsonRecord;
		} catch {
			return amProblem(400, 'STD-00000', 'One or more validation errors occurred.');
		}
		const id = String(body.id ?? '').toLowerCase();
		const from = String(body.from ?? '');
		if (!GUID.test(id) || !/^urn:altinn:(person:identifier-no:\d{11}|organization:identifier-no:\d{9})$/.test(from)) {
			return amProblem(400, 'STD-00000', 'One or more validation errors occurred.', { errors: { '$.id': ['The JSON value could not be converted.'] } });
		}
		if (body.to !== `urn:altinn:organization:identifier-no:${consumer}`) return EMPTY(403);
		const existing = this.consents.get(id);
		if (existing) {
			if (existing.from !== from) return amProblem(400, 'AM-00016', 'Consent with id already exist', { requestId: id });
			// Altinn answers a repeated request with its internal model, whose status is consentRequestStatus.
			const { status, ...rest } = this.dto(existing);
			return json(200, { ...rest, consentRequestStatus: status, templateId: 'default' });
		}
		if (from.startsWith('urn:altinn:person:') && !this.knownParties.has(from)) return amProblem(400, 'AM-00004', 'Unknown person. Could not be found', { fnumber: from });
		if (Number.isNaN(Date.parse(String(body.validTo))) || Date.parse(String(body.validTo)) < Date.now()) return validation('AM.VLD-00022', 'The time need to be in the future', 'ValidTo');
		const rights = Array.isArray(body.consentRights) ? (body.consentRights as JsonRecord[]) : [];
		if (rights.length === 0) return validation('AM.VLD-00023', 'The list cant be empty', 'Resource');
		for (const right of rights) {
			const resources = Array.isArray(right.resource) ? (right.resource as JsonRecord[]) : [];
			if (resources.length !== 1 || resources[0].value !== CONSENT_RESOURCE) return amProblem(400, 'AM-00005', 'Invalid consent resource');
			const metadata = (right.metadata ?? right.metaData ?? {}) as Record<string, string>;
			const unknown = Object.keys(metadata).find((key) => key.toLowerCase() !== 'inntektsaar');
			if (unknown) return amProblem(400, 'AM-00006', 'Invalid consent metadata', { key: unknown.toLowerCase() });
			if (!Object.keys(metadata).some((key) => key.toLowerCase() === 'inntektsaar')) return amProblem(400, 'AM-00008', 'Missing metadata', { key: 'inntektsaar' });
		}
		try {
			new URL(String(body.redirectUrl));
		} catch {
			return validation('AM.VLD-00027', 'Redirect URL is not a valid URL', 'RedirectUrl');
		}
		const supplier = this.partiesOfToken(request, [SCOPE_WRITE], (parties) => parties.supplier);
		const consent = this.addConsent({
			id,
			from,
			toOrgNo: consumer,
			handledByOrgNo: typeof supplier === 'string' ? supplier : null,
			status: 'Created',
			consented: null,
			validTo: new Date(String(body.validTo)).toISOString(),
			redirectUrl: String(body.redirectUrl),
			requestMessage: (body.requestMessage as Record<string, string> | undefined) ?? null,
			consentRights: rights.map((right) => ({
				action: (right.action as string[]) ?? ['consent'],
				resource: right.resource as Array<{ type: string; value: string }>,
				metadata: (right.metadata ?? right.metaData) as Record<string, string>,
			})),
		});
		this.record(consent, 'Created');
		return json(201, this.dto(consent), { Location: `${this.baseUrl}${REQUESTS}/${id}` });
	}

	private getConsentRequest(request: RecordedRequest, id: string): Reply {
		if (!GUID.test(id)) return { status: 404, reason: 'Not Found', body: '' };
		const failure = this.readFailures.get(id.toLowerCase());
		if (failure === 503) return { status: 503, reason: 'Service Unavailable', body: '' };
		if (failure === 404) return amProblem(404, 'AM-00001', 'Consent not found');
		const consumer = this.consumer(request, [SCOPE_READ, SCOPE_WRITE]);
		if (typeof consumer !== 'string') return consumer;
		const consent = this.consents.get(id.toLowerCase());
		if (!consent) return amProblem(404, 'AM-00001', 'Consent not found');
		if (consent.toOrgNo !== consumer) return amProblem(403, 'AM-00000', 'Not authorized for consent');
		return json(200, this.dto(consent));
	}

	/** `GET …/events`: the consumer's events, oldest first, a page at a time; `continuationToken` is the last event's number here. */
	private consentEventsFeed(request: RecordedRequest): Reply {
		const consumer = this.consumer(request, [SCOPE_READ, SCOPE_WRITE]);
		if (typeof consumer !== 'string') return consumer;
		const query = new URL(request.url, this.baseUrl).searchParams;
		const types = query.getAll('eventType');
		const valid = ['rejected', 'accepted', 'revoked', 'deleted', 'used'];
		if (types.some((type) => !valid.includes(type.toLowerCase()))) return validation('AM.VLD-00052', `One or more event types are invalid. Valid values are: ${valid.join(', ')}.`, 'eventType');
		const after = query.get('createdAfter');
		const continuation = query.get('continuationToken');
		const lastSeen = continuation === null ? 0 : Number(Buffer.from(continuation, 'base64').toString());
		if (!Number.isInteger(lastSeen)) return validation('AM.VLD-00053', 'The continuation token is invalid.', 'continuationToken');
		const mine = this.consentEvents.filter(
			(event) =>
				this.consents.get(event.consentRequestId)?.toOrgNo === consumer &&
				event.eventId > lastSeen &&
				(after === null || Date.parse(event.created) >= Date.parse(after)) &&
				(types.length === 0 || types.some((type) => type.toLowerCase() === event.eventType.toLowerCase())),
		);
		const page = mine.slice(0, this.consentEventsPageSize);
		const full = page.length === this.consentEventsPageSize;
		const next = new URL(`${REQUESTS}/events`, this.consentEventsNextBase ?? this.baseUrl);
		for (const type of types) next.searchParams.append('eventType', type);
		if (after !== null) next.searchParams.set('createdAfter', after);
		next.searchParams.set('continuationToken', Buffer.from(String(page.at(-1)?.eventId ?? lastSeen)).toString('base64'));
		// Node's server dates its answers by this machine's clock; an Altinn whose clock differs says its own.
		return json(200, {
			links: { next: full ? next.toString() : null },
			data: page.map((event) => ({ consentRequestId: event.consentRequestId, eventType: event.eventType, changedDate: event.created })),
		}, this.clockOffsetMs === 0 ? {} : { Date: this.altinnNow().toUTCString() });
	}

	/** The page a person opens (`viewUri`): accept or reject, then Altinn sends the browser to `redirectUrl` as it is. */
	private decisionPage(request: RecordedRequest): Reply {
		const url = new URL(request.url, this.baseUrl);
		const consent = this.consents.get(String(url.searchParams.get('id')).toLowerCase());
		const page = (status: number, content: string): Reply => ({
			status,
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
			body: `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Samtykke</title></head><body><main>${content}</main></body></html>`,
		});
		if (!consent) return page(404, '<h1>Fant ikke samtykkeforespørselen</h1>');
		if (request.method === 'POST') {
			const decision = new URLSearchParams(request.body).get('decision');
			if (consent.status !== 'Created' || (decision !== 'accept' && decision !== 'reject')) return page(409, '<h1>Forespørselen er allerede besvart</h1>');
			this.decideConsent(consent.id, decision === 'accept' ? 'Accepted' : 'Rejected');
			return { status: 302, headers: { Location: consent.redirectUrl ?? '/' }, body: '' };
		}
		const resources = consent.consentRights.map((right) => right.resource.map((resource) => resource.value).join(', ')).join('; ');
		return page(
			200,
			`<h1>Samtykke til deling av data</h1><p>Org. nr. ${consent.toOrgNo} ber om samtykke til: ${resources}.</p><p>Status: ${consent.status}</p>` +
				`<form method="post"><button name="decision" value="accept">Godta</button><button name="decision" value="reject">Avvis</button></form>`,
		);
	}

	/**
	 * The data provider: income data, only with a token that carries a consent to its resource and its
	 * scope, and while Altinn still has that consent accepted (a provider looks it up: a token issued
	 * before a revocation is refused with 401, as a token that no longer holds).
	 */
	private dataProvider(request: RecordedRequest): Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		const token = this.maskinportenTokens.get(bearer);
		if (!token || token.expiresAt < Date.now()) return { status: 401, reason: 'Unauthorized', body: '' };
		const details = (token.claims?.authorization_details as JsonRecord[] | undefined) ?? [];
		const consent = details.find((detail) => detail.type === 'urn:altinn:consent');
		const rights = (consent?.consentRights as FakeConsent['consentRights'] | undefined) ?? [];
		const allowed = token.scope.split(' ').includes(DATA_PROVIDER_SCOPE) && rights.some((right) => right.resource.some((resource) => resource.value === CONSENT_RESOURCE));
		if (!consent || !allowed) return { status: 403, reason: 'Forbidden', body: '' };
		if (this.consents.get(String(consent.id))?.status !== 'Accepted') {
			return { status: 401, reason: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The consent no longer holds"' }, body: '' };
		}
		const years = rights.map((right) => right.metadata?.inntektsaar).filter(Boolean);
		return json(200, { consentId: consent.id, incomeYears: years.map((year) => ({ year, income: 612_000 })) });
	}
}
