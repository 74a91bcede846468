/**
 * A fake of Altinn 3 system users on top of FakeAltinn3 (Maskinporten, the token exchange): the
 * vendor's system register, system-user requests (standard and agent) and change requests as
 * Altinn's controllers answer them, the customer's confirm page at `confirmUrl`, the list of a
 * system's system users, Maskinporten's system-user grants and an Altinn app API that only lets a
 * token act for its own customer.
 *
 * Behaviour follows Altinn/altinn-authentication (RequestSystemUserController.cs,
 * ChangeRequestSystemUserController.cs, SystemUserController.cs, SystemRegisterController.cs,
 * Problem.cs, AuthenticationHelper.ValidateRedirectUrl); wording of Maskinporten's MP-303 refusal and
 * of the confirm page is the fake's own.
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { GrantExtras } from './fakeAltinn3';
import { FakeAltinn3 } from './fakeAltinn3';
import type { RecordedRequest, Reply } from './fakeServer';
import { header, json } from './fakeServer';

const API = '/authentication/api/v1';
const CONFIRM_PATH = '/accessmanagement/ui/systemuser';

/** The sandbox's confirm page: plain and readable on a phone, with no assets loaded from elsewhere. */
const CONFIRM_PAGE_STYLE = [
	'body{margin:0;padding:24px 16px;background:#f4f5f6;color:#1e2b3c;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}',
	'main{max-width:560px;margin:0 auto;padding:24px;background:#fff;border-radius:8px}',
	'h1{font-size:22px;margin:0 0 16px}.sandbox{margin:0 0 16px;padding:8px 12px;background:#fff4d6;border-left:4px solid #e0a100}',
	'button{margin:16px 12px 0 0;padding:12px 24px;border:0;border-radius:6px;background:#0062ba;color:#fff;font:inherit;cursor:pointer}',
	'button.secondary{background:#fff;color:#0062ba;border:2px solid #0062ba}',
].join('');

/** The request statuses as the page says them. */
const STATUS_WORDS: Record<FakeRequestStatus, string> = { New: 'Venter på svar', Accepted: 'Godkjent', Rejected: 'Avvist', Denied: 'Avslått', Timedout: 'Utløpt', NoChangeNeeded: 'Ingen endring trengs' };

type JsonRecord = Record<string, unknown>;

export type FakeRequestStatus = 'New' | 'Accepted' | 'Rejected' | 'Denied' | 'Timedout' | 'NoChangeNeeded';

export interface FakeRight {
	action?: string;
	resource: Array<{ id: string; value: string }>;
}

export interface FakeSystem {
	id: string;
	vendorOrgNo: string;
	internalId: string;
	name: Record<string, string>;
	description: Record<string, string>;
	rights: FakeRight[];
	accessPackages: Array<{ urn: string }>;
	clientId: string[];
	allowedRedirectUrls: string[];
	isVisible: boolean;
}

export interface FakeSystemUserRequest {
	id: string;
	kind: 'request' | 'agentrequest' | 'changerequest';
	vendorOrgNo: string;
	systemId: string;
	partyOrgNo: string;
	externalRef: string;
	rights: FakeRight[];
	accessPackages: Array<{ urn: string }>;
	redirectUrl: string | null;
	status: FakeRequestStatus;
	created: string;
	/** Change requests only. */
	systemUserId?: string;
	unwantedRights?: FakeRight[];
	unwantedAccessPackages?: Array<{ urn: string }>;
}

export interface FakeSystemUser {
	id: string;
	systemId: string;
	reporteeOrgNo: string;
	supplierOrgNo: string;
	externalRef: string;
	integrationTitle: string;
	rights: FakeRight[];
	accessPackages: Array<{ urn: string }>;
	agent: boolean;
	created: string;
}

/** Organisation numbers with valid check digits (computed), for tests and the sandbox. */
export const VENDOR_ORG_NO = '991825827';
export const CUSTOMER_ORG_NO = '310547891';
export const OTHER_CUSTOMER_ORG_NO = '313367002';

/** Altinn's problem codes (Problem.cs): AUTH- and the number, five digits. */
const PROBLEMS = {
	reporteeOrgNoNotFound: { code: 'AUTH-00000', status: 400, title: "Can't resolve the Organisation Number from the logged in Reportee PartyId." },
	rightsNotDelegable: { code: 'AUTH-00001', status: 400, title: 'One or more Right not found or not delegable.' },
	systemUserExists: { code: 'AUTH-00004', status: 400, title: 'Failed to create new SystemUser, existing SystemUser tied to the given System-Id.' },
	requestNotFound: { code: 'AUTH-00010', status: 404, title: 'The Id does not refer to a Request in our system.' },
	systemIdNotFound: { code: 'AUTH-00011', status: 404, title: 'The Id does not refer to a Registered System.' },
	requestStatusNotNew: { code: 'AUTH-00013', status: 409, title: 'The Status of the Request is not New.' },
	systemUserNotFound: { code: 'AUTH-00015', status: 404, title: 'The SystemUser was not found.' },
	redirectUriNotFound: { code: 'AUTH-00021', status: 400, title: 'The RedirectUri was not found or not valid.' },
	vendorOrgNoNotFound: { code: 'AUTH-00023', status: 401, title: "Can't resolve the Organisation Number for the Vendor from the Token." },
	noRedirectUris: { code: 'AUTH-00026', status: 400, title: 'No redirect uris are set for the system' },
	noRightsOrPackages: { code: 'AUTH-00059', status: 400, title: 'No AccessPackages or Single Rights found, a SystemUser must have at least one' },
} as const;

type ProblemName = keyof typeof PROBLEMS;

function problem(name: ProblemName, detail?: string): Reply {
	const { code, status, title } = PROBLEMS[name];
	return {
		status,
		headers: { 'Content-Type': 'application/problem+json; charset=utf-8' },
		body: JSON.stringify({ type: 'https://tools.ietf.org/html/rfc9110', title, status, code, ...(detail ? { detail } : {}), traceId: randomUUID() }),
	};
}

function validationProblem(errors: Array<{ code: string; detail: string; path: string }>): Reply {
	return {
		status: 400,
		headers: { 'Content-Type': 'application/problem+json; charset=utf-8' },
		body: JSON.stringify({
			type: 'https://tools.ietf.org/html/rfc9110',
			title: 'One or more validation errors occurred.',
			status: 400,
			validationErrors: errors.map((error) => ({ code: error.code, detail: error.detail, paths: [error.path] })),
		}),
	};
}

const EMPTY_401: Reply = { status: 401, reason: 'Unauthorized', body: '' };
const EMPTY_403: Reply = { status: 403, reason: 'Forbidden', body: '' };

function validOrgNo(value: unknown): value is string {
	if (typeof value !== 'string' || !/^\d{9}$/.test(value)) return false;
	const weights = [3, 2, 7, 6, 5, 4, 3, 2];
	const remainder = weights.reduce((sum, weight, index) => sum + weight * Number(value[index]), 0) % 11;
	const check = remainder === 0 ? 0 : 11 - remainder;
	return remainder !== 1 && check === Number(value[8]);
}

function sameRight(a: FakeRight, b: FakeRight): boolean {
	return a.resource.length === b.resource.length && a.resource.every((pair) => b.resource.some((other) => other.id === pair.id && other.value === pair.value));
}

function readRights(value: unknown): FakeRight[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter((right): right is JsonRecord => typeof right === 'object' && right !== null)
		.map((right) => {
			const resource = (right.resource ?? right.Resource) as unknown;
			return {
				...(typeof right.action === 'string' ? { action: right.action } : {}),
				resource: Array.isArray(resource)
					? resource.filter((pair): pair is JsonRecord => typeof pair === 'object' && pair !== null).map((pair) => ({ id: String(pair.id), value: String(pair.value) }))
					: [],
			};
		});
}

function readPackages(value: unknown): Array<{ urn: string }> {
	if (!Array.isArray(value)) return [];
	return value.filter((entry): entry is JsonRecord => typeof entry === 'object' && entry !== null && typeof entry.urn === 'string').map((entry) => ({ urn: String(entry.urn) }));
}

/** AuthenticationHelper.ValidateRedirectUrl: equal up to the path; the query string and fragment are ignored. */
function redirectMatches(chosen: string, allowed: string): boolean {
	try {
		const left = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;
		return left(new URL(chosen)) === left(new URL(allowed));
	} catch {
		return false;
	}
}

function parseBody(request: RecordedRequest): JsonRecord | undefined {
	try {
		const body: unknown = JSON.parse(request.body);
		return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as JsonRecord) : undefined;
	} catch {
		return undefined;
	}
}

function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The claims of a JWT, without checking its signature (the fakes issued it). */
export function jwtPayload(token: string): JsonRecord | undefined {
	try {
		const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
		return typeof claims === 'object' && claims !== null ? (claims as JsonRecord) : undefined;
	} catch {
		return undefined;
	}
}

const GRANT_CLAIMS = new Set(['aud', 'iss', 'scope', 'iat', 'exp', 'jti', 'resource', 'authorization_details', 'consumer_org']);
const iso6523 = (orgNo: string) => ({ authority: 'iso6523-actorid-upis', ID: `0192:${orgNo}` });

export class FakeAltinnSystemUser extends FakeAltinn3 {
	readonly systems = new Map<string, FakeSystem>();

	/** System-user requests, agent requests and change requests, by id. */
	readonly systemUserRequests = new Map<string, FakeSystemUserRequest>();

	readonly systemUsers = new Map<string, FakeSystemUser>();

	/** Decisions taken on the confirm page or through approve/reject/deny/timeOut, in order. */
	readonly decisions: Array<{ requestId: string; status: FakeRequestStatus; by: 'page' | 'test' }> = [];

	/** System users per page of `vendor/bysystem`, small so paging is exercised. */
	pageSize = 2;

	/** Where the request lists' `links.next` point (default: this fake); a test sets another origin to see it refused. */
	nextPageBase: string | undefined;

	/** Also put `authorization_details` beside the token in Maskinporten's answer (RFC 9396 allows it). */
	authorizationDetailsInAnswer = false;

	/** The organisation behind each Maskinporten client: Maskinporten's `consumer` claim. */
	protected readonly vendorOfClient = new Map<string, string>();

	/** API delegations in Altinn: which scopes a consumer organisation delegated to a supplier, by `consumer>supplier`. */
	private readonly delegations = new Map<string, Set<string>>();

	/** The consumer organisation delegates these scopes to the supplier (Altinn's API delegation), so the supplier's client may act for it with `consumer_org`. */
	delegateScopes(consumerOrgNo: string, supplierOrgNo: string, scopes: string): void {
		this.delegations.set(`${consumerOrgNo}>${supplierOrgNo}`, new Set(scopes.split(' ').filter(Boolean)));
	}

	/**
	 * The `consumer` (and, acting for another, `supplier`) claims of a grant's token: the client's own
	 * organisation, or the one in `consumer_org` when it delegated every scope asked for. Maskinporten's
	 * refusal of an undelegated `consumer_org` is not documented: invalid_scope here is a guess.
	 */
	protected partiesOfGrant(claims: Record<string, unknown>, clientId: string): Reply | { consumer?: object; supplier?: object; consumerOrgNo?: string } {
		const clientOrgNo = this.vendorOfClient.get(clientId);
		if (claims.consumer_org === undefined) return clientOrgNo ? { consumer: iso6523(clientOrgNo), consumerOrgNo: clientOrgNo } : {};
		const consumerOrgNo = typeof claims.consumer_org === 'string' && /^\d{9}$/.test(claims.consumer_org) ? claims.consumer_org : undefined;
		if (!consumerOrgNo) return json(400, { error: 'invalid_request', error_description: 'consumer_org must be an organisation number.' });
		const delegated = clientOrgNo ? this.delegations.get(`${consumerOrgNo}>${clientOrgNo}`) : undefined;
		const undelegated = String(claims.scope ?? '').split(' ').filter((scope) => scope && !delegated?.has(scope));
		if (undelegated.length > 0) {
			return json(400, { error: 'invalid_scope', error_description: `Consumer ${consumerOrgNo} has not delegated scope(s) ${undelegated.join(' ')} to the client's organisation.` });
		}
		return { consumer: iso6523(consumerOrgNo), supplier: iso6523(String(clientOrgNo)), consumerOrgNo };
	}

	/** A Maskinporten client of a vendor organisation (the `consumer` of its tokens). */
	registerVendorClient(clientId: string, keyId: string, publicKey: KeyObject, scopes: string, vendorOrgNo: string = VENDOR_ORG_NO): void {
		this.registerKeyClient(clientId, keyId, publicKey, scopes);
		this.vendorOfClient.set(clientId, vendorOrgNo);
	}

	/**
	 * A Maskinporten token for a vendor client, as if Maskinporten had issued it for `scope`: for a
	 * test that scripts the token answer and wants the vendor API to accept the token that follows.
	 */
	issueVendorToken(clientId: string, scope: string, seconds: number = this.maskinportenTokenSeconds): string {
		const token = randomUUID();
		this.maskinportenTokens.set(token, { clientId, scope, expiresAt: Date.now() + seconds * 1000 });
		return token;
	}

	/** Puts a system in the register directly, as if registered earlier. */
	addSystem(system: Partial<FakeSystem> & Pick<FakeSystem, 'id' | 'clientId'>): FakeSystem {
		const stored: FakeSystem = {
			vendorOrgNo: VENDOR_ORG_NO,
			internalId: randomUUID(),
			name: { nb: system.id },
			description: { nb: system.id },
			rights: [],
			accessPackages: [],
			allowedRedirectUrls: [],
			isVisible: true,
			...system,
		};
		this.systems.set(stored.id, stored);
		return stored;
	}

	confirmUrl(request: FakeSystemUserRequest): string {
		return `${this.baseUrl}${CONFIRM_PATH}/${request.kind}?id=${request.id}&DONTCHOOSEREPORTEE=true`;
	}

	approve(requestId: string): FakeSystemUserRequest {
		return this.decide(requestId, 'Accepted', 'test');
	}

	reject(requestId: string): FakeSystemUserRequest {
		return this.decide(requestId, 'Rejected', 'test');
	}

	/** What Altinn records when the person who opened the page may not approve for the customer. */
	deny(requestId: string): FakeSystemUserRequest {
		return this.decide(requestId, 'Denied', 'test');
	}

	timeOut(requestId: string): FakeSystemUserRequest {
		return this.decide(requestId, 'Timedout', 'test');
	}

	private decide(requestId: string, status: FakeRequestStatus, by: 'page' | 'test'): FakeSystemUserRequest {
		const request = this.systemUserRequests.get(requestId);
		if (!request) throw new Error(`fake: no request ${requestId}`);
		if (request.status !== 'New') throw new Error(`fake: request ${requestId} is ${request.status}, not New`);
		request.status = status;
		this.decisions.push({ requestId, status, by });
		if (status !== 'Accepted') return request;
		if (request.kind === 'changerequest') {
			const systemUser = this.systemUsers.get(request.systemUserId ?? '');
			if (systemUser) {
				systemUser.rights = [...systemUser.rights.filter((right) => !(request.unwantedRights ?? []).some((unwanted) => sameRight(unwanted, right))), ...request.rights];
				systemUser.accessPackages = [
					...systemUser.accessPackages.filter((entry) => !(request.unwantedAccessPackages ?? []).some((unwanted) => unwanted.urn === entry.urn)),
					...request.accessPackages,
				];
			}
			return request;
		}
		const id = randomUUID();
		this.systemUsers.set(id, {
			id,
			systemId: request.systemId,
			reporteeOrgNo: request.partyOrgNo,
			supplierOrgNo: request.vendorOrgNo,
			externalRef: request.externalRef,
			integrationTitle: this.systems.get(request.systemId)?.name.nb ?? request.systemId,
			rights: request.rights,
			accessPackages: request.accessPackages,
			agent: request.kind === 'agentrequest',
			created: new Date().toISOString(),
		});
		return request;
	}

	// --- Maskinporten: grants with a system user ------------------------------------------------

	protected acceptGrant(claims: Record<string, unknown>, clientId: string): Reply | GrantExtras | undefined {
		const unknown = Object.keys(claims).filter((claim) => !GRANT_CLAIMS.has(claim));
		if (unknown.length > 0) return json(400, { error: 'invalid_grant', error_description: `Invalid assertion. Unknown claim(s): ${unknown.join(', ')}` });
		const parties = this.partiesOfGrant(claims, clientId);
		if ('status' in parties) return parties;
		const tokenClaims: Record<string, unknown> = {};
		if (parties.consumer) tokenClaims.consumer = parties.consumer;
		if (parties.supplier) tokenClaims.supplier = parties.supplier;
		if (claims.resource !== undefined) {
			if (typeof claims.resource !== 'string' || !claims.resource) return json(400, { error: 'invalid_target', error_description: 'Invalid resource.' });
			tokenClaims.aud = claims.resource;
		}
		const details = claims.authorization_details;
		if (details === undefined) return { claims: tokenClaims };
		const entry = Array.isArray(details) && details.length === 1 ? (details[0] as unknown) : undefined;
		const record = typeof entry === 'object' && entry !== null ? (entry as JsonRecord) : undefined;
		const org = record?.systemuser_org as JsonRecord | undefined;
		const orgMatch = typeof org?.ID === 'string' ? /^0192:(\d{9})$/.exec(org.ID) : null;
		if (!record || record.type !== 'urn:altinn:systemuser' || org?.authority !== 'iso6523-actorid-upis' || !orgMatch) {
			return json(400, { error: 'invalid_authorization_details', error_description: 'authorization_details must hold one urn:altinn:systemuser entry with an ISO 6523 systemuser_org.' });
		}
		const customer = orgMatch[1];
		const externalRef = typeof record.externalRef === 'string' && record.externalRef ? record.externalRef : customer;
		const systemIds = [...this.systems.values()].filter((system) => system.clientId.includes(clientId)).map((system) => system.id);
		const systemUser = [...this.systemUsers.values()].find(
			(candidate) => systemIds.includes(candidate.systemId) && candidate.reporteeOrgNo === customer && candidate.externalRef === externalRef,
		);
		if (!systemUser) {
			return json(400, {
				error: 'invalid_altinn_customer_configuration',
				error_description: `MP-303: no system user for ${customer} is tied to this client's system`,
			});
		}
		const detail = {
			type: 'urn:altinn:systemuser',
			systemuser_id: [systemUser.id],
			systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${customer}` },
			system_id: systemUser.systemId,
		};
		tokenClaims.authorization_details = [detail];
		return { claims: tokenClaims, ...(this.authorizationDetailsInAnswer ? { answer: { authorization_details: [detail] } } : {}) };
	}

	// --- Routing --------------------------------------------------------------------------------

	protected handle(request: RecordedRequest): Reply {
		const path = request.path;
		if (path.startsWith(`${API}/systemregister/vendor`)) return this.systemRegister(request);
		if (path.startsWith(`${API}/systemuser/request/vendor`)) return this.requestRoutes(request);
		if (path.startsWith(`${API}/systemuser/changerequest/vendor`)) return this.changeRequestRoutes(request);
		if (path.startsWith(`${API}/systemuser/vendor/bysystem/`)) return this.listSystemUsers(request);
		if (path.startsWith(`${CONFIRM_PATH}/`)) return this.confirmPage(request);
		const app = /^\/([a-z0-9-]+)\/([a-z0-9-]+)\/instances$/.exec(path);
		if (app && request.method === 'POST') return this.createInstance(request, `${app[1]}/${app[2]}`);
		return super.handle(request);
	}

	/** The vendor behind a Maskinporten token with this scope, or the reply Altinn gives instead. */
	private vendor(request: RecordedRequest, scope: string): string | Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		const token = this.maskinportenTokens.get(bearer);
		if (!token || token.expiresAt < Date.now()) return EMPTY_401;
		if (!token.scope.split(' ').includes(scope)) return EMPTY_403;
		const vendorOrgNo = this.vendorOfClient.get(token.clientId);
		return vendorOrgNo ?? problem('vendorOrgNoNotFound');
	}

	private systemRegister(request: RecordedRequest): Reply {
		const vendor = this.vendor(request, 'altinn:authentication/systemregister.write');
		if (typeof vendor !== 'string') return vendor;
		const id = decodeURIComponent(request.path.slice(`${API}/systemregister/vendor`.length).replace(/^\//, ''));
		if (request.method === 'GET' && id) {
			const system = this.systems.get(id);
			if (!system) return { status: 404, reason: 'Not Found', body: '' };
			if (system.vendorOrgNo !== vendor) return EMPTY_403;
			return json(200, this.systemJson(system));
		}
		if (request.method !== 'POST' && !(request.method === 'PUT' && id)) return { status: 405, body: '' };
		const body = parseBody(request);
		if (!body) return validationProblem([{ code: 'AUTH.VLD-00001', detail: 'The body is not a JSON object', path: '/' }]);
		const vendorInfo = body.vendor as JsonRecord | undefined;
		const vendorId = typeof vendorInfo?.ID === 'string' ? vendorInfo.ID : '';
		const vendorOrgNo = /^0192:(\d{9})$/.exec(vendorId)?.[1];
		if (!vendorOrgNo) return validationProblem([{ code: 'AUTH.VLD-00000', detail: 'the org number identifier is not valid ISO6523 identifier', path: '/vendor/ID' }]);
		const systemId = String(body.id ?? '');
		const errors: Array<{ code: string; detail: string; path: string }> = [];
		if (!systemId.startsWith(`${vendorOrgNo}_`)) errors.push({ code: 'AUTH.VLD-00001', detail: 'The system id does not match the format orgnumber_xxxx...', path: '/id' });
		const redirects = Array.isArray(body.allowedRedirectUrls) ? body.allowedRedirectUrls.map(String) : [];
		if (redirects.some((url) => !url.startsWith('https://'))) errors.push({ code: 'AUTH.VLD-00005', detail: 'One or more of the redirect urls format is not valid. The valid format is https://xxx.xx', path: '/allowedRedirectUrls' });
		if (vendorOrgNo !== vendor) return EMPTY_403;
		if (request.method === 'POST' && this.systems.has(systemId)) errors.push({ code: 'AUTH.VLD-00002', detail: 'The system id already exists', path: '/id' });
		if (request.method === 'PUT' && systemId !== id) errors.push({ code: 'AUTH.VLD-00012', detail: 'The system ID in the request body does not match the system ID in the URL', path: '/id' });
		if (request.method === 'PUT' && !this.systems.has(id)) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: `System with ID '${id}' not found.` };
		if (errors.length > 0) return validationProblem(errors);
		const stored = this.addSystem({
			id: systemId,
			vendorOrgNo,
			internalId: this.systems.get(systemId)?.internalId ?? randomUUID(),
			name: (body.name as Record<string, string>) ?? {},
			description: (body.description as Record<string, string>) ?? {},
			rights: readRights(body.rights),
			accessPackages: readPackages(body.accessPackages),
			clientId: Array.isArray(body.clientId) ? body.clientId.map(String) : [],
			allowedRedirectUrls: redirects,
			isVisible: body.isVisible !== false,
		});
		return request.method === 'POST' ? json(200, stored.internalId) : json(200, { succeeded: true });
	}

	private systemJson(system: FakeSystem): JsonRecord {
		return {
			id: system.id,
			vendor: { authority: 'iso6523-actorid-upis', ID: `0192:${system.vendorOrgNo}` },
			name: system.name,
			description: system.description,
			rights: system.rights,
			accessPackages: system.accessPackages,
			clientId: system.clientId,
			allowedRedirectUrls: system.allowedRedirectUrls,
			isVisible: system.isVisible,
		};
	}

	private requestJson(request: FakeSystemUserRequest): JsonRecord {
		const base = {
			id: request.id,
			externalRef: request.externalRef,
			systemId: request.systemId,
			partyOrgNo: request.partyOrgNo,
			status: request.status,
			redirectUrl: request.redirectUrl,
			confirmUrl: request.status === 'NoChangeNeeded' ? '' : this.confirmUrl(request),
			created: request.created,
		};
		if (request.kind === 'changerequest') {
			return {
				...base,
				systemUserId: request.systemUserId,
				requiredRights: request.rights,
				unwantedRights: request.unwantedRights ?? [],
				requiredAccessPackages: request.accessPackages,
				unwantedAccessPackages: request.unwantedAccessPackages ?? [],
			};
		}
		return request.kind === 'agentrequest' ? { ...base, accessPackages: request.accessPackages } : { ...base, rights: request.rights, accessPackages: request.accessPackages };
	}

	private requestRoutes(request: RecordedRequest): Reply {
		const rest = request.path.slice(`${API}/systemuser/request/vendor`.length);
		const agent = rest.startsWith('/agent');
		const tail = agent ? rest.slice('/agent'.length) : rest;
		if (request.method === 'POST' && tail === '') return this.createRequest(request, agent ? 'agentrequest' : 'request');
		const vendor = this.vendor(request, 'altinn:authentication/systemuser.request.read');
		if (typeof vendor !== 'string') return vendor;
		if (request.method !== 'GET') return { status: 405, body: '' };
		const kind = agent ? 'agentrequest' : 'request';
		if (tail.startsWith('/bysystem/')) return this.listRequests(request, vendor, kind, tail.slice('/bysystem/'.length));
		const byRef = /^\/byexternalref\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(tail);
		let found: FakeSystemUserRequest | undefined;
		if (byRef) {
			const [systemId, orgNo, externalRef] = byRef.slice(1).map(decodeURIComponent);
			found = [...this.systemUserRequests.values()].find(
				(candidate) => candidate.kind === kind && candidate.systemId === systemId && candidate.partyOrgNo === orgNo && candidate.externalRef === externalRef && candidate.vendorOrgNo === vendor,
			);
		} else {
			found = this.systemUserRequests.get(tail.replace(/^\//, ''));
			if (found && (found.kind !== kind || found.vendorOrgNo !== vendor)) found = undefined;
		}
		return found ? json(200, this.requestJson(found)) : problem('requestNotFound');
	}

	private createRequest(request: RecordedRequest, kind: 'request' | 'agentrequest'): Reply {
		const vendor = this.vendor(request, 'altinn:authentication/systemuser.request.write');
		if (typeof vendor !== 'string') return vendor;
		const body = parseBody(request);
		if (!body || typeof body.systemId !== 'string' || typeof body.partyOrgNo !== 'string') {
			return validationProblem([{ code: 'STD-00000', detail: 'systemId and partyOrgNo are required', path: '/' }]);
		}
		const system = this.systems.get(body.systemId.trim());
		if (!system || system.vendorOrgNo !== vendor) return problem('systemIdNotFound');
		const partyOrgNo = body.partyOrgNo.trim();
		if (!validOrgNo(partyOrgNo)) return problem('reporteeOrgNoNotFound');
		const rights = kind === 'request' ? readRights(body.rights) : [];
		const accessPackages = readPackages(body.accessPackages);
		if (rights.length === 0 && accessPackages.length === 0) return problem('noRightsOrPackages');
		if (!rights.every((right) => system.rights.some((registered) => sameRight(registered, right)))) return problem('rightsNotDelegable');
		if (!accessPackages.every((entry) => system.accessPackages.some((registered) => registered.urn === entry.urn))) return problem('rightsNotDelegable');
		const redirectUrl = typeof body.redirectUrl === 'string' && body.redirectUrl.trim() ? body.redirectUrl.trim() : null;
		if (redirectUrl) {
			if (system.allowedRedirectUrls.length === 0) return problem('noRedirectUris');
			if (!system.allowedRedirectUrls.some((allowed) => redirectMatches(redirectUrl, allowed))) return problem('redirectUriNotFound');
		}
		// As the controller: no externalRef means the organisation number.
		const externalRef = typeof body.externalRef === 'string' && body.externalRef.trim() ? body.externalRef.trim() : partyOrgNo;
		const existingUser = [...this.systemUsers.values()].find(
			(user) => user.systemId === system.id && user.reporteeOrgNo === partyOrgNo && user.externalRef === externalRef,
		);
		if (existingUser) return problem('systemUserExists');
		const existing = [...this.systemUserRequests.values()].find(
			(candidate) =>
				candidate.kind === kind && candidate.systemId === system.id && candidate.partyOrgNo === partyOrgNo && candidate.externalRef === externalRef && candidate.status !== 'Timedout',
		);
		if (existing) return json(200, this.requestJson(existing));
		const created: FakeSystemUserRequest = {
			id: randomUUID(),
			kind,
			vendorOrgNo: vendor,
			systemId: system.id,
			partyOrgNo,
			externalRef,
			rights,
			accessPackages,
			redirectUrl,
			status: 'New',
			created: new Date().toISOString(),
		};
		this.systemUserRequests.set(created.id, created);
		return json(201, this.requestJson(created), { Location: `${this.baseUrl}${API}/systemuser/request/${created.id}` });
	}

	private changeRequestRoutes(request: RecordedRequest): Reply {
		const tail = request.path.slice(`${API}/systemuser/changerequest/vendor`.length);
		if (request.method === 'POST' && tail === '') return this.createChangeRequest(request);
		const vendor = this.vendor(request, 'altinn:authentication/systemuser.request.read');
		if (typeof vendor !== 'string') return vendor;
		const byRef = /^\/byexternalref\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(tail);
		let found: FakeSystemUserRequest | undefined;
		if (byRef) {
			const [systemId, orgNo, externalRef] = byRef.slice(1).map(decodeURIComponent);
			found = [...this.systemUserRequests.values()].find(
				(candidate) => candidate.kind === 'changerequest' && candidate.systemId === systemId && candidate.partyOrgNo === orgNo && candidate.externalRef === externalRef && candidate.vendorOrgNo === vendor,
			);
		} else {
			found = this.systemUserRequests.get(tail.replace(/^\//, ''));
			if (found && (found.kind !== 'changerequest' || found.vendorOrgNo !== vendor)) found = undefined;
		}
		return found ? json(200, this.requestJson(found)) : problem('requestNotFound');
	}

	private createChangeRequest(request: RecordedRequest): Reply {
		const query = new URLSearchParams(request.url.split('?')[1] ?? '');
		const correlationId = query.get('correlation-id') ?? '';
		if (!/^[0-9a-f-]{36}$/i.test(correlationId)) {
			return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Missing or invalid QueryParameter: correlation-id. Generate a unique UUID (RFC 4122) for this Change Request, and add as a Query Parameter.' };
		}
		const vendor = this.vendor(request, 'altinn:authentication/systemuser.request.write');
		if (typeof vendor !== 'string') return vendor;
		const systemUser = this.systemUsers.get(query.get('system-user-id') ?? '');
		if (!systemUser) return problem('systemUserNotFound');
		if (systemUser.supplierOrgNo !== vendor) return EMPTY_401;
		const body = parseBody(request) ?? {};
		const required = readRights(body.requiredRights);
		const unwanted = readRights(body.unwantedRights);
		const requiredPackages = readPackages(body.requiredAccessPackages);
		const unwantedPackages = readPackages(body.unwantedAccessPackages);
		const redirectUrl = typeof body.redirectUrl === 'string' && body.redirectUrl ? body.redirectUrl : null;
		const base = {
			kind: 'changerequest' as const,
			vendorOrgNo: vendor,
			systemId: systemUser.systemId,
			partyOrgNo: systemUser.reporteeOrgNo,
			externalRef: systemUser.externalRef,
			systemUserId: systemUser.id,
			redirectUrl,
			created: new Date().toISOString(),
		};
		if (required.length + unwanted.length + requiredPackages.length + unwantedPackages.length === 0) {
			return json(200, this.requestJson({ ...base, id: correlationId, rights: [], accessPackages: [], status: 'NoChangeNeeded' }));
		}
		const existing = this.systemUserRequests.get(correlationId);
		if (existing) return json(200, this.requestJson(existing));
		const created: FakeSystemUserRequest = {
			...base,
			id: correlationId,
			rights: required,
			accessPackages: requiredPackages,
			unwantedRights: unwanted,
			unwantedAccessPackages: unwantedPackages,
			status: 'New',
		};
		this.systemUserRequests.set(created.id, created);
		return json(201, this.requestJson(created), { Location: `${this.baseUrl}${API}/systemuser/changerequest/${created.id}` });
	}

	/**
	 * RequestSystemUserController.GetAllRequestsForVendor / GetAllAgentRequestsForVendor: every request
	 * of the vendor's system, any status, paged with `?token=` and `links.next` as Altinn's Paginated<T>.
	 */
	private listRequests(request: RecordedRequest, vendor: string, kind: 'request' | 'agentrequest', rawSystemId: string): Reply {
		const systemId = decodeURIComponent(rawSystemId);
		const system = this.systems.get(systemId);
		if (!system || system.vendorOrgNo !== vendor) return problem('systemIdNotFound');
		const all = [...this.systemUserRequests.values()].filter((candidate) => candidate.kind === kind && candidate.systemId === systemId);
		const start = Number(new URLSearchParams(request.url.split('?')[1] ?? '').get('token') ?? '0') || 0;
		const page = all.slice(start, start + this.pageSize);
		const path = `${API}/systemuser/request/vendor${kind === 'agentrequest' ? '/agent' : ''}/bysystem/${encodeURIComponent(systemId)}`;
		const next = start + this.pageSize < all.length ? `${this.nextPageBase ?? this.baseUrl}${path}?token=${start + this.pageSize}` : null;
		return json(200, { links: { next }, data: page.map((entry) => this.requestJson(entry)) });
	}

	private listSystemUsers(request: RecordedRequest): Reply {
		// SystemUserController asks for the system register scope here, not the request scopes.
		const vendor = this.vendor(request, 'altinn:authentication/systemregister.write');
		if (typeof vendor !== 'string') return vendor;
		const systemId = decodeURIComponent(request.path.slice(`${API}/systemuser/vendor/bysystem/`.length));
		const system = this.systems.get(systemId);
		if (!system || system.vendorOrgNo !== vendor) return problem('systemIdNotFound');
		const all = [...this.systemUsers.values()].filter((user) => user.systemId === systemId);
		const start = Number(new URLSearchParams(request.url.split('?')[1] ?? '').get('token') ?? '0') || 0;
		const page = all.slice(start, start + this.pageSize);
		const next = start + this.pageSize < all.length ? `${this.baseUrl}${API}/systemuser/vendor/bysystem/${encodeURIComponent(systemId)}?token=${start + this.pageSize}` : null;
		return json(200, {
			links: { next },
			data: page.map((user) => ({
				id: user.id,
				integrationTitle: user.integrationTitle,
				systemId: user.systemId,
				productName: user.systemId,
				reporteeOrgNo: user.reporteeOrgNo,
				created: user.created,
				isDeleted: false,
				supplierName: 'Fake leverandør AS',
				supplierOrgno: user.supplierOrgNo,
				externalRef: user.externalRef,
				userType: user.agent ? 'agent' : 'standard',
			})),
		});
	}

	/**
	 * The customer's page: GET shows the request, POST (form `decision=approve|reject`) decides it. In
	 * Norwegian throughout, as Altinn's own page is, and saying at the top that it stands in for Altinn.
	 */
	private confirmPage(request: RecordedRequest): Reply {
		const kind = request.path.slice(`${CONFIRM_PATH}/`.length);
		const id = new URLSearchParams(request.url.split('?')[1] ?? '').get('id') ?? '';
		const found = this.systemUserRequests.get(id);
		const html = (status: number, content: string): Reply => ({
			status,
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
			body:
				'<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
				`<title>Systemtilgang (sandkasse)</title><style>${CONFIRM_PAGE_STYLE}</style></head><body><main>` +
				'<p class="sandbox">Sandkasse: denne siden står i stedet for Altinns side for systemtilgang. Ingen ekte tilgang gis.</p>' +
				`${content}</main></body></html>`,
		});
		if (!found || found.kind !== kind) return html(404, '<h1>Fant ikke forespørselen</h1>');
		if (request.method === 'GET') {
			const rights = [...found.rights.map((right) => right.resource.map((pair) => pair.value).join(' ')), ...found.accessPackages.map((entry) => entry.urn)];
			return html(
				200,
				`<h1>${escapeHtml(found.systemId)} ber om tilgang for organisasjonsnummer ${escapeHtml(found.partyOrgNo)}</h1>` +
					`<p>Status: <span id="status" data-status="${found.status}">${STATUS_WORDS[found.status]}</span></p>` +
					`<p>Systemet får disse rettighetene:</p><ul>${rights.map((right) => `<li>${escapeHtml(right)}</li>`).join('')}</ul>` +
					(found.status === 'New'
						? `<form method="post" action="${CONFIRM_PATH}/${kind}?id=${found.id}"><button name="decision" value="approve">Godkjenn</button><button name="decision" value="reject" class="secondary">Avvis</button></form>`
						: ''),
			);
		}
		if (request.method !== 'POST') return { status: 405, body: '' };
		if (found.status !== 'New') return html(409, `<p>Status: <span id="status" data-status="${found.status}">${STATUS_WORDS[found.status]}</span></p><p>Forespørselen er allerede behandlet.</p>`);
		const decision = new URLSearchParams(request.body).get('decision');
		if (decision !== 'approve' && decision !== 'reject') return html(400, '<p>Velg Godkjenn eller Avvis.</p>');
		this.decide(found.id, decision === 'approve' ? 'Accepted' : 'Rejected', 'page');
		// The browser goes back to the vendor; the vendor must still ask Altinn for the status.
		if (found.redirectUrl) return { status: 302, headers: { Location: found.redirectUrl }, body: '' };
		return html(200, `<p>Status: <span id="status" data-status="${found.status}">${STATUS_WORDS[found.status]}</span></p>`);
	}

	/** An Altinn app's `POST /{org}/{app}/instances`: only for the customer the token's system user belongs to. */
	private createInstance(request: RecordedRequest, appId: string): Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.altinnTokens.has(bearer)) return EMPTY_401;
		const claims = jwtPayload(bearer) ?? {};
		const details = Array.isArray(claims.authorization_details) ? (claims.authorization_details as JsonRecord[]) : [];
		const systemUserOrg = details.find((detail) => detail.type === 'urn:altinn:systemuser')?.systemuser_org as JsonRecord | undefined;
		const tokenCustomer = typeof systemUserOrg?.ID === 'string' ? systemUserOrg.ID.replace(/^0192:/, '') : undefined;
		const body = parseBody(request);
		const owner = body?.instanceOwner as JsonRecord | undefined;
		const customer = typeof owner?.organisationNumber === 'string' ? owner.organisationNumber : undefined;
		if (!customer) return json(400, { title: 'instanceOwner.organisationNumber is required', status: 400 });
		if (!tokenCustomer || tokenCustomer !== customer) return json(403, { title: 'Forbidden', status: 403, detail: 'The system user may not act for this party' });
		return json(201, { id: `50000000/${randomUUID()}`, appId, instanceOwner: { organisationNumber: customer } });
	}
}
