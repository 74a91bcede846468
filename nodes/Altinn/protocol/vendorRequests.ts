/**
 * Altinn 3 system users, the vendor's requests: asking a customer to approve a system user (standard
 * or agent), change requests, and listing a system's requests and system users. Built here, sent by
 * vendorApi.ts, read by vendorAnswers.ts.
 *
 * Sources (read for facts): Altinn/altinn-authentication `RequestSystemUserController.cs`,
 * `ChangeRequestSystemUserController.cs`, `SystemUserController.cs`; altinn-studio-docs
 * `content/api/authentication/systemuserrequest/`.
 */
import type { HttpRequestSpec } from '../../shared/protocol/http';
import { joinUrl } from '../../shared/protocol/http';
import type { JsonRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { nextPageUrl } from './paging';
import { quoted } from '../../shared/protocol/nationalIdNumber';
import { checkOrganisationNumber } from './orgNumber';

/** Create and change system-user requests (and look up one system user by its external reference). */
export const SCOPE_SYSTEMUSER_REQUEST_WRITE = 'altinn:authentication/systemuser.request.write';
/** Read system-user requests and change requests. */
export const SCOPE_SYSTEMUSER_REQUEST_READ = 'altinn:authentication/systemuser.request.read';
/** Altinn asks for the system register's scope to list a system's system users. */
export const SCOPE_SYSTEMREGISTER_WRITE = 'altinn:authentication/systemregister.write';

/**
 * The vendor APIs take the vendor's **Maskinporten** token as it is, not an exchanged Altinn token:
 * the docs say "Maskinporten token with scope …", and the controllers find the vendor by the token's
 * `consumer` claim, which only Maskinporten issues.
 */
export const VENDOR_API_TOKEN = 'maskinporten' as const;

const REQUEST_PATH = '/authentication/api/v1/systemuser/request/vendor';
const CHANGE_REQUEST_PATH = '/authentication/api/v1/systemuser/changerequest/vendor';
const SYSTEM_USER_PATH = '/authentication/api/v1/systemuser/vendor';

/** One right: an action on a resource, as the system register describes it. */
export interface SystemUserRight {
	action?: string;
	resource: Array<{ id: string; value: string }>;
}

export interface AccessPackage {
	urn: string;
}

export type SystemUserRequestStatus = 'New' | 'Accepted' | 'Rejected' | 'Denied' | 'Timedout';
export type ChangeRequestStatus = SystemUserRequestStatus | 'NoChangeNeeded';

export const SYSTEM_USER_REQUEST_STATUSES: readonly SystemUserRequestStatus[] = ['New', 'Accepted', 'Rejected', 'Denied', 'Timedout'];
export const CHANGE_REQUEST_STATUSES: readonly ChangeRequestStatus[] = [...SYSTEM_USER_REQUEST_STATUSES, 'NoChangeNeeded'];

export interface CreateSystemUserRequest {
	systemId: string;
	/** The customer who is to approve. */
	partyOrgNo: string;
	/** Altinn uses the organisation number when none is given. */
	externalRef?: string;
	rights?: SystemUserRight[];
	accessPackages?: AccessPackage[];
	/** Must match one of the system's `allowedRedirectUrls` up to the path (the query may differ). */
	redirectUrl?: string;
	/** A name the customer sees; Altinn makes one up when none is given. */
	integrationTitle?: string;
}

export interface SystemUserRequest {
	requestId: string;
	status: SystemUserRequestStatus;
	/** The page a person of the customer opens to approve or reject. */
	confirmUrl: string | null;
	externalRef: string | null;
	systemId: string;
	partyOrgNo: string;
	rights: SystemUserRight[];
	accessPackages: AccessPackage[];
	redirectUrl: string | null;
	/** True when Altinn made a new request (201); false when it returned the existing one (200). */
	created: boolean;
	/** When Altinn made the request (its `created`, ISO 8601), or null where the answer does not say. */
	createdAt: string | null;
}

export interface SystemUserRequestPage {
	requests: SystemUserRequest[];
	/** Altinn's link to the next page, or null on the last one. */
	next: string | null;
}

export interface CreateChangeRequest {
	/** A new UUID chosen by the vendor: asking again with the same one returns the same change request. */
	correlationId: string;
	systemUserId: string;
	requiredRights?: SystemUserRight[];
	unwantedRights?: SystemUserRight[];
	requiredAccessPackages?: AccessPackage[];
	unwantedAccessPackages?: AccessPackage[];
	redirectUrl?: string;
}

export interface ChangeRequest {
	requestId: string;
	status: ChangeRequestStatus;
	systemUserId: string;
	confirmUrl: string | null;
	externalRef: string | null;
	systemId: string;
	partyOrgNo: string;
	requiredRights: SystemUserRight[];
	unwantedRights: SystemUserRight[];
	requiredAccessPackages: AccessPackage[];
	unwantedAccessPackages: AccessPackage[];
	redirectUrl: string | null;
	created: boolean;
}

export interface SystemUser {
	id: string;
	systemId: string;
	/** The customer who owns it. */
	reporteeOrgNo: string;
	externalRef: string | null;
	integrationTitle: string | null;
	created: string | null;
}

export interface SystemUserPage {
	systemUsers: SystemUser[];
	/** Altinn's link to the next page, or null on the last one. */
	next: string | null;
}

/** Altinn's attribute for a resource in the resource registry, as a right's `resource` entry names it. */
const RESOURCE_ATTRIBUTE = 'urn:altinn:resource';
const ACCESS_PACKAGE_PREFIX = 'urn:altinn:accesspackage:';

function commaList(text: string): string[] {
	return String(text ?? '').split(/[,\s]+/).map((entry) => entry.trim()).filter(Boolean);
}

/**
 * Rights from resource IDs as people list them ("ske-mva-melding, app_ttd_example"), in the shape
 * Altinn wants: `{resource: [{id: "urn:altinn:resource", value: <id>}]}` each. A pasted
 * "urn:altinn:resource:<id>" is read as its ID.
 */
export function rightsFromResourceIds(text: string): SystemUserRight[] {
	const ids = commaList(text).map((entry) => (entry.startsWith(`${RESOURCE_ATTRIBUTE}:`) ? entry.slice(RESOURCE_ATTRIBUTE.length + 1) : entry));
	return [...new Set(ids)].map((value) => {
		if (!/^[A-Za-z0-9_.:-]+$/.test(value)) {
			throw new LoginProblem({
				kind: 'badInput',
				message: `The resource ID "${quoted(value, 60)}" is not one Altinn's resource registry could hold`,
				hint: 'Give resource IDs such as ske-mva-melding or app_ttd_example, separated by commas.',
			});
		}
		return { resource: [{ id: RESOURCE_ATTRIBUTE, value }] };
	});
}

/** Access packages from URNs ("urn:altinn:accesspackage:regnskapsforer-lonn"), comma-separated; a bare name gets the prefix. */
export function accessPackagesFromUrns(text: string): AccessPackage[] {
	const urns = commaList(text).map((entry) => (entry.startsWith('urn:') ? entry : `${ACCESS_PACKAGE_PREFIX}${entry}`));
	return [...new Set(urns)].map((urn) => {
		if (!urn.startsWith(ACCESS_PACKAGE_PREFIX) || !/^[a-z0-9:_.-]+$/i.test(urn.slice(ACCESS_PACKAGE_PREFIX.length)) || urn === ACCESS_PACKAGE_PREFIX) {
			throw new LoginProblem({
				kind: 'badInput',
				message: `"${quoted(urn, 80)}" is not an access package URN`,
				hint: 'Give access packages as URNs such as urn:altinn:accesspackage:regnskapsforer-lonn, separated by commas.',
			});
		}
		return { urn };
	});
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function vendorHeaders(token: string, withBody: boolean): Record<string, string> {
	if (!token.trim() || /[\r\n]/.test(token)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'There is no usable Maskinporten token for the Altinn system-user API',
			hint: `Log in to Maskinporten first (with ${SCOPE_SYSTEMUSER_REQUEST_WRITE} or the scope the step needs) and pass its access token.`,
		});
	}
	return {
		Authorization: `Bearer ${token.trim()}`,
		Accept: 'application/json',
		...(withBody ? { 'Content-Type': 'application/json' } : {}),
	};
}

function requireText(value: string | undefined, what: string, hint: string): string {
	const text = value?.trim() ?? '';
	if (!text || /[\s/?#]/.test(text)) {
		throw new LoginProblem({ kind: 'badInput', message: text ? `The ${what} "${quoted(text, 60)}" has spaces or slashes` : `The ${what} is empty`, hint });
	}
	return text;
}

function requireSystemId(systemId: string): string {
	return requireText(systemId, 'system ID', 'Enter the ID of your system in Altinn\'s system register, e.g. 991825827_payroll (vendor org no, underscore, name).');
}

function requireUuid(value: string, what: string): string {
	const text = value.trim();
	if (!UUID.test(text)) {
		throw new LoginProblem({ kind: 'badInput', message: `The ${what} "${quoted(text, 60)}" is not a UUID`, hint: `Use the ${what} as Altinn returned it, e.g. 6f2f9c1e-5a7d-4c8e-9b1a-2d3e4f5a6b7c.` });
	}
	return text;
}

function checkRedirectUrl(redirectUrl: string | undefined): string | undefined {
	const url = redirectUrl?.trim();
	if (!url) return undefined;
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || parsed.protocol !== 'https:') {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The redirect URL is not an https:// address',
			hint: 'Give an https:// address registered among your system\'s allowed redirect URLs, or leave it empty.',
		});
	}
	return url;
}

function segment(value: string): string {
	return encodeURIComponent(value);
}

/** `POST …/systemuser/request/vendor`: ask a customer to approve a system user with these rights or access packages. */
/**
 * The body every system-user request has: the system, the party that approves (`party` names it in
 * errors), what is asked for, and the optional reference, title and redirect address.
 */
function requestBody(request: Omit<CreateSystemUserRequest, 'rights' | 'accessPackages'>, party: string, asked: JsonRecord): JsonRecord {
	const body: JsonRecord = { systemId: requireSystemId(request.systemId), partyOrgNo: checkOrganisationNumber(request.partyOrgNo, party), ...asked };
	const externalRef = request.externalRef?.trim();
	if (externalRef) body.externalRef = externalRef;
	const integrationTitle = request.integrationTitle?.trim();
	if (integrationTitle) body.integrationTitle = integrationTitle;
	const redirectUrl = checkRedirectUrl(request.redirectUrl);
	if (redirectUrl) body.redirectUrl = redirectUrl;
	return body;
}

export function buildCreateSystemUserRequest(platformUrl: string, token: string, request: CreateSystemUserRequest): HttpRequestSpec {
	const rights = request.rights ?? [];
	const accessPackages = request.accessPackages ?? [];
	if (rights.length === 0 && accessPackages.length === 0) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The system-user request asks for no rights and no access packages',
			hint: 'Ask for at least one right or access package that your system is registered with.',
		});
	}
	const body = requestBody(request, "customer's organisation number", {
		...(rights.length > 0 ? { rights } : {}),
		...(accessPackages.length > 0 ? { accessPackages } : {}),
	});
	return { method: 'POST', url: joinUrl(platformUrl, REQUEST_PATH), headers: vendorHeaders(token, true), body: JSON.stringify(body) };
}

/**
 * `POST …/request/vendor/agent`: a client (agent) system user, for an accountant acting for its own
 * clients. Only access packages; the accountant's organisation approves.
 */
export function buildCreateAgentSystemUserRequest(
	platformUrl: string,
	token: string,
	request: Omit<CreateSystemUserRequest, 'rights'>,
): HttpRequestSpec {
	const accessPackages = request.accessPackages ?? [];
	if (accessPackages.length === 0) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The client system-user request asks for no access packages',
			hint: 'A client (agent) system user needs at least one access package meant for client relationships.',
		});
	}
	const body = requestBody(request, "facilitator's organisation number", { accessPackages });
	return { method: 'POST', url: joinUrl(platformUrl, `${REQUEST_PATH}/agent`), headers: vendorHeaders(token, true), body: JSON.stringify(body) };
}

/** `GET …/request/vendor[/agent]/{id}`. */
export function buildGetSystemUserRequest(platformUrl: string, token: string, requestId: string, agent = false): HttpRequestSpec {
	const id = requireUuid(requestId, 'request ID');
	return { method: 'GET', url: joinUrl(platformUrl, `${REQUEST_PATH}${agent ? '/agent' : ''}/${id}`), headers: vendorHeaders(token, false) };
}

/** `GET …/request/vendor[/agent]/byexternalref/{systemId}/{orgNo}/{externalRef}`; the reference defaults to the org no, as in Altinn. */
export function buildGetSystemUserRequestByExternalRef(
	platformUrl: string,
	token: string,
	lookup: { systemId: string; orgNo: string; externalRef?: string; agent?: boolean },
): HttpRequestSpec {
	const orgNo = checkOrganisationNumber(lookup.orgNo, "customer's organisation number");
	const externalRef = lookup.externalRef?.trim() || orgNo;
	const path = `${REQUEST_PATH}${lookup.agent ? '/agent' : ''}/byexternalref/${segment(requireSystemId(lookup.systemId))}/${orgNo}/${segment(externalRef)}`;
	return { method: 'GET', url: joinUrl(platformUrl, path), headers: vendorHeaders(token, false) };
}

/** `POST …/changerequest/vendor?correlation-id=…&system-user-id=…`: ask to add or remove rights on an existing system user. */
export function buildCreateChangeRequest(platformUrl: string, token: string, request: CreateChangeRequest): HttpRequestSpec {
	const correlationId = requireUuid(request.correlationId, 'correlation ID');
	const systemUserId = requireUuid(request.systemUserId, 'system user ID');
	if (correlationId.toLowerCase() === systemUserId.toLowerCase()) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The correlation ID of the change request is the system user\'s own ID',
			hint: 'Generate a new UUID for each change request.',
		});
	}
	const body: JsonRecord = {
		requiredRights: request.requiredRights ?? [],
		unwantedRights: request.unwantedRights ?? [],
		requiredAccessPackages: request.requiredAccessPackages ?? [],
		unwantedAccessPackages: request.unwantedAccessPackages ?? [],
	};
	const redirectUrl = checkRedirectUrl(request.redirectUrl);
	if (redirectUrl) body.redirectUrl = redirectUrl;
	const query = new URLSearchParams({ 'correlation-id': correlationId, 'system-user-id': systemUserId }).toString();
	return { method: 'POST', url: `${joinUrl(platformUrl, CHANGE_REQUEST_PATH)}?${query}`, headers: vendorHeaders(token, true), body: JSON.stringify(body) };
}

/** `GET …/changerequest/vendor/{id}`. */
export function buildGetChangeRequest(platformUrl: string, token: string, requestId: string): HttpRequestSpec {
	const id = requireUuid(requestId, 'change request ID');
	return { method: 'GET', url: joinUrl(platformUrl, `${CHANGE_REQUEST_PATH}/${id}`), headers: vendorHeaders(token, false) };
}

/** `GET …/changerequest/vendor/byexternalref/{systemId}/{orgNo}/{externalRef}`. */
export function buildGetChangeRequestByExternalRef(
	platformUrl: string,
	token: string,
	lookup: { systemId: string; orgNo: string; externalRef?: string },
): HttpRequestSpec {
	const orgNo = checkOrganisationNumber(lookup.orgNo, "customer's organisation number");
	const externalRef = lookup.externalRef?.trim() || orgNo;
	const path = `${CHANGE_REQUEST_PATH}/byexternalref/${segment(requireSystemId(lookup.systemId))}/${orgNo}/${segment(externalRef)}`;
	return { method: 'GET', url: joinUrl(platformUrl, path), headers: vendorHeaders(token, false) };
}

/**
 * `GET …/systemuser/vendor/bysystem/{systemId}`: the system users customers have approved. Give the
 * previous page's `next` to continue; it must point to the same platform, so the token never goes
 * elsewhere.
 */
export function buildListSystemUsersRequest(platformUrl: string, token: string, systemId: string, next?: string | null): HttpRequestSpec {
	const first = joinUrl(platformUrl, `${SYSTEM_USER_PATH}/bysystem/${segment(requireSystemId(systemId))}`);
	return { method: 'GET', url: next ? nextPageUrl(first, next, 'system users') : first, headers: vendorHeaders(token, false) };
}

/**
 * `GET …/systemuser/request/vendor/bysystem/{systemId}` (standard) or `…/vendor/agent/bysystem/{systemId}`
 * (client/agent): every request the vendor made for the system, whatever its status, paged like the
 * system-user list. Give the previous page's `next` to continue (same platform only).
 */
export function buildListSystemUserRequestsRequest(
	platformUrl: string,
	token: string,
	systemId: string,
	options: { agent?: boolean; next?: string | null } = {},
): HttpRequestSpec {
	const first = joinUrl(platformUrl, `${REQUEST_PATH}${options.agent ? '/agent' : ''}/bysystem/${segment(requireSystemId(systemId))}`);
	return {
		method: 'GET',
		url: options.next ? nextPageUrl(first, options.next, 'system-user requests') : first,
		headers: vendorHeaders(token, false),
	};
}

