/**
 * Altinn 3 system users (systembruker): the vendor of an end-user system asks a customer to approve a
 * system user, and then logs in to Maskinporten *as that customer's system user* by adding an
 * `authorization_details` entry to the usual JWT grant.
 *
 * Sources (read for facts): Altinn/altinn-authentication `RequestSystemUserController.cs`,
 * `ChangeRequestSystemUserController.cs`, `SystemUserController.cs`, `SystemRegisterController.cs`,
 * `src/Core/Problems/Problem.cs`, the SystemIntegrationTests' `MaskinPortenTokenGenerator.cs`; and
 * altinn-studio-docs `content/api/authentication/systemuserrequest/` and the system-user guides.
 */
import type { OAuth2Token } from '../../shared/protocol/oauth2';
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { headerValue, joinUrl, looksLikeHtml, statusLine, textExcerpt } from '../../shared/protocol/http';
import type { AuthorizationDetail } from './maskinporten';
import { readMaskinportenTokenAnswer } from './maskinporten';

/** Create and change system-user requests (and look up one system user by its external reference). */
export const SCOPE_SYSTEMUSER_REQUEST_WRITE = 'altinn:authentication/systemuser.request.write';
/** Read system-user requests and change requests. */
export const SCOPE_SYSTEMUSER_REQUEST_READ = 'altinn:authentication/systemuser.request.read';
/** Register and update the vendor's system; Altinn also asks for it to list a system's system users. */
export const SCOPE_SYSTEMREGISTER_WRITE = 'altinn:authentication/systemregister.write';

/**
 * The vendor APIs below take the vendor's **Maskinporten** token as it is, not an exchanged Altinn
 * token: the docs say "Maskinporten token with scope …", and the controllers find the vendor by the
 * token's `consumer` claim, which only Maskinporten issues.
 */
export const VENDOR_API_TOKEN = 'maskinporten' as const;

/** The `type` of the `authorization_details` entry that asks Maskinporten for a system-user token. */
export const SYSTEM_USER_DETAIL_TYPE = 'urn:altinn:systemuser';

const ORG_ID_SCHEME = 'iso6523-actorid-upis';
/** ISO 6523 ICD of the Norwegian business register (Enhetsregisteret). */
const NORWEGIAN_ORG_ICD = '0192';

const REQUEST_PATH = '/authentication/api/v1/systemuser/request/vendor';
const CHANGE_REQUEST_PATH = '/authentication/api/v1/systemuser/changerequest/vendor';
const SYSTEM_USER_PATH = '/authentication/api/v1/systemuser/vendor';
const SYSTEM_REGISTER_PATH = '/authentication/api/v1/systemregister/vendor';

const ORG_NUMBER_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

type JsonRecord = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Organisation numbers

/** The check digit for the first eight digits, or null when modulus 11 leaves remainder 1 (no valid number). */
export function organisationNumberCheckDigit(firstEight: string): number | null {
	if (!/^\d{8}$/.test(firstEight)) return null;
	const sum = ORG_NUMBER_WEIGHTS.reduce((total, weight, index) => total + weight * Number(firstEight[index]), 0);
	const remainder = sum % 11;
	if (remainder === 0) return 0;
	if (remainder === 1) return null;
	return 11 - remainder;
}

/**
 * A Norwegian organisation number, spaces removed, or a `badInput` problem before anything is sent:
 * Altinn would otherwise answer with an error that does not say which number was wrong.
 */
export function checkOrganisationNumber(value: string, what = 'organisation number'): string {
	const digits = String(value ?? '').replace(/\s+/g, '');
	if (!/^\d{9}$/.test(digits)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${what} "${digits.slice(0, 20)}" is not 9 digits`,
			hint: 'A Norwegian organisation number has 9 digits, e.g. 974 761 076. Spaces are fine; other characters are not.',
		});
	}
	if (organisationNumberCheckDigit(digits.slice(0, 8)) !== Number(digits[8])) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${what} ${digits} is not a valid organisation number (its check digit does not match)`,
			hint: 'Check the number for a typing error; you can look it up in Brønnøysundregistrene (brreg.no).',
		});
	}
	return digits;
}

// ---------------------------------------------------------------------------------------------
// The Maskinporten grant and token for one customer

export type SystemUserAuthorizationDetail = AuthorizationDetail & {
	readonly type: typeof SYSTEM_USER_DETAIL_TYPE;
	readonly systemuser_org: { readonly authority: string; readonly ID: string };
	readonly externalRef?: string;
};

/**
 * The `authorization_details` entry that makes a Maskinporten token act as the customer's system
 * user. One customer per grant. When the request was made with an `externalRef`, the grant must carry
 * it too, inside this entry (as Altinn's own integration tests put it).
 */
export function systemUserAuthorizationDetails(orgNo: string, externalRef?: string): SystemUserAuthorizationDetail {
	const customer = checkOrganisationNumber(orgNo, "customer's organisation number");
	const reference = externalRef?.trim();
	return {
		type: SYSTEM_USER_DETAIL_TYPE,
		systemuser_org: { authority: ORG_ID_SCHEME, ID: `${NORWEGIAN_ORG_ICD}:${customer}` },
		...(reference ? { externalRef: reference } : {}),
	};
}

/** Who a system-user token acts as. Null where the token or answer does not say. */
export interface SystemUserFacts {
	/** The system user's id; Maskinporten sends a list, this is its first entry. */
	systemUserId: string | null;
	systemUserIds: string[];
	/** The vendor's system in Altinn's system register. */
	systemId: string | null;
	/** The customer: the organisation that owns the system user. */
	orgNumber: string | null;
	/** The vendor, from the token's `consumer` claim. */
	vendorOrgNumber: string | null;
}

const NO_FACTS: SystemUserFacts = { systemUserId: null, systemUserIds: [], systemId: null, orgNumber: null, vendorOrgNumber: null };

function isRecord(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreadableFacts(what: string): LoginProblem {
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Maskinporten's system-user token has ${what} this node cannot read`,
		hint: 'Maskinporten may have changed the token format. Report it to the maintainers of this node, with the environment (test or production).',
	});
}

/** `{authority, ID}` (the docs also print `id`) → the organisation number after "0192:". */
function orgFromIso6523(value: unknown, claim: string): string | null {
	if (value === undefined || value === null) return null;
	if (!isRecord(value)) throw unreadableFacts(`a "${claim}" claim`);
	const id = value.ID ?? value.id;
	if (typeof id !== 'string') throw unreadableFacts(`a "${claim}" claim`);
	const match = /^(?:\d{4}:)?(\d{9})$/.exec(id.trim());
	if (!match) throw unreadableFacts(`a "${claim}" claim`);
	return match[1];
}

function factsFromClaims(claims: JsonRecord): SystemUserFacts {
	const vendorOrgNumber = orgFromIso6523(claims.consumer, 'consumer');
	const details = claims.authorization_details;
	if (details === undefined || details === null) return { ...NO_FACTS, vendorOrgNumber };
	// RFC 9396 says an array; a single object is read too rather than failing on a formality.
	const entries = Array.isArray(details) ? details : [details];
	const entry = entries.find((candidate) => isRecord(candidate) && candidate.type === SYSTEM_USER_DETAIL_TYPE);
	if (entry === undefined) return { ...NO_FACTS, vendorOrgNumber };
	if (!isRecord(entry)) throw unreadableFacts('an "authorization_details" entry');
	// The docs show a list of ids; a single string is read too.
	const rawIds = entry.systemuser_id;
	let systemUserIds: string[];
	if (rawIds === undefined || rawIds === null) systemUserIds = [];
	else if (typeof rawIds === 'string') systemUserIds = [rawIds];
	else if (Array.isArray(rawIds) && rawIds.every((id): id is string => typeof id === 'string')) systemUserIds = rawIds;
	else throw unreadableFacts('a "systemuser_id"');
	const systemId = entry.system_id;
	if (systemId !== undefined && systemId !== null && typeof systemId !== 'string') throw unreadableFacts('a "system_id"');
	return {
		systemUserId: systemUserIds[0] ?? null,
		systemUserIds,
		systemId: typeof systemId === 'string' ? systemId : null,
		orgNumber: orgFromIso6523(entry.systemuser_org, 'systemuser_org'),
		vendorOrgNumber,
	};
}

function jwtClaims(token: string): JsonRecord | null {
	const parts = token.split('.');
	if (parts.length !== 3) return null;
	try {
		const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		return isRecord(claims) ? claims : null;
	} catch {
		return null;
	}
}

/**
 * The organisation a Maskinporten token was issued to (its `consumer` claim), or null when the token
 * does not say (an opaque token, or a claim of another shape): a fact to show, never a reason to fail.
 */
export function consumerOrgNumber(accessToken: string): string | null {
	const claims = jwtClaims(accessToken);
	try {
		return claims ? orgFromIso6523(claims.consumer, 'consumer') : null;
	} catch {
		return null;
	}
}

/**
 * Who a system-user token acts as, read from the token itself when it is a JWT (signature not checked:
 * the API that receives it checks it), else from the token answer's own `authorization_details`, if any.
 * Maskinporten may hand out opaque tokens, so all facts may be null.
 */
export function readSystemUserFacts(accessToken: string, tokenAnswerBody?: string): SystemUserFacts {
	const claims = jwtClaims(accessToken);
	if (claims) {
		const facts = factsFromClaims(claims);
		if (facts.systemUserId !== null || facts.orgNumber !== null) return facts;
	}
	if (tokenAnswerBody) {
		let answer: unknown;
		try {
			answer = JSON.parse(tokenAnswerBody);
		} catch {
			answer = undefined;
		}
		if (isRecord(answer) && answer.authorization_details !== undefined) {
			return factsFromClaims({ authorization_details: answer.authorization_details, consumer: claims?.consumer });
		}
	}
	return claims ? factsFromClaims(claims) : { ...NO_FACTS };
}

/** The hint for a customer who has not approved: what the vendor does next. */
export const ASK_CUSTOMER_HINT =
	'Ask the customer to approve a system user for your system: run "Create Request" in the Altinn System User node for this organisation number and send the confirmUrl it returns to someone at the customer who may approve it in Altinn. Once it is approved (status Accepted), run this again. If the request was made with an external reference, give the same reference here.';

/** Maskinporten's codes when the grant's customer has no approved system user for this client's system. */
const NOT_APPROVED_ERRORS = new Set(['invalid_altinn_customer_configuration']);

function oauthError(answer: HttpAnswer): { error?: string; description?: string } {
	try {
		const json: unknown = JSON.parse(answer.body);
		if (!isRecord(json)) return {};
		return {
			error: typeof json.error === 'string' ? json.error : undefined,
			description: typeof json.error_description === 'string' ? json.error_description : undefined,
		};
	} catch {
		return {};
	}
}

/**
 * Maskinporten's answer to a grant with a system-user `authorization_details`: the token and who it
 * acts as. A refusal because the customer has not approved (`invalid_altinn_customer_configuration`,
 * "MP-303" in Altinn's troubleshooting guide) says so in plain words.
 */
export function readSystemUserTokenAnswer(
	answer: HttpAnswer,
	customerOrgNo: string,
	now: Date,
): { token: OAuth2Token; systemUser: SystemUserFacts } {
	const { error, description } = oauthError(answer);
	const providerMessage = [error, description].filter(Boolean).join(': ') || undefined;
	if (error !== undefined && (NOT_APPROVED_ERRORS.has(error) || /\bMP-303\b/.test(description ?? ''))) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `This customer (org no ${customerOrgNo}) has not approved a system user for your system`,
			hint: `${ASK_CUSTOMER_HINT} Also check that the system in Altinn's system register lists this Maskinporten client ID.`,
			httpCode: answer.statusCode,
			providerMessage,
		});
	}
	if (error === 'invalid_authorization_details') {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Maskinporten did not accept the system-user details in the login for org no ${customerOrgNo}`,
			hint: 'Check the customer\'s organisation number and the external reference (leave it empty unless the request was made with one). The node does not retry a refused login.',
			httpCode: answer.statusCode,
			providerMessage,
		});
	}
	const token = readMaskinportenTokenAnswer(answer, now);
	const systemUser = readSystemUserFacts(token.accessToken, answer.body);
	// A token that says it acts for another organisation is never exchanged or handed on as this customer's.
	if (systemUser.orgNumber !== null && systemUser.orgNumber !== customerOrgNo) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Maskinporten's system-user token acts for org no ${systemUser.orgNumber}, not for org no ${customerOrgNo} that was asked for`,
			hint: 'The token was not used. Check the Maskinporten address in the credential (a proxy may be in the way), and report it to the maintainers of this node if it persists.',
			httpCode: answer.statusCode,
		});
	}
	return { token, systemUser };
}

// ---------------------------------------------------------------------------------------------
// Vendor requests: the rights asked for, the requests, their answers

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

export interface RegisteredSystem {
	/** `<vendor org no>_<name>`, no spaces. */
	id: string;
	vendorOrgNo: string;
	name: Record<string, string>;
	description: Record<string, string>;
	rights?: SystemUserRight[];
	accessPackages?: AccessPackage[];
	/** The Maskinporten client IDs that may log in as this system's system users. */
	clientId: string[];
	allowedRedirectUrls?: string[];
	isVisible?: boolean;
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
				message: `The resource ID "${value.slice(0, 60)}" is not one Altinn's resource registry could hold`,
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
				message: `"${urn.slice(0, 80)}" is not an access package URN`,
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
		throw new LoginProblem({ kind: 'badInput', message: text ? `The ${what} "${text.slice(0, 60)}" has spaces or slashes` : `The ${what} is empty`, hint });
	}
	return text;
}

function requireSystemId(systemId: string): string {
	return requireText(systemId, 'system ID', 'Enter the ID of your system in Altinn\'s system register, e.g. 991825827_payroll (vendor org no, underscore, name).');
}

function requireUuid(value: string, what: string): string {
	const text = value.trim();
	if (!UUID.test(text)) {
		throw new LoginProblem({ kind: 'badInput', message: `The ${what} "${text.slice(0, 60)}" is not a UUID`, hint: `Use the ${what} as Altinn returned it, e.g. 6f2f9c1e-5a7d-4c8e-9b1a-2d3e4f5a6b7c.` });
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
	const body: JsonRecord = {
		systemId: requireSystemId(request.systemId),
		partyOrgNo: checkOrganisationNumber(request.partyOrgNo, "customer's organisation number"),
	};
	const externalRef = request.externalRef?.trim();
	if (externalRef) body.externalRef = externalRef;
	if (request.integrationTitle?.trim()) body.integrationTitle = request.integrationTitle.trim();
	if (rights.length > 0) body.rights = rights;
	if (accessPackages.length > 0) body.accessPackages = accessPackages;
	const redirectUrl = checkRedirectUrl(request.redirectUrl);
	if (redirectUrl) body.redirectUrl = redirectUrl;
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
	const body: JsonRecord = {
		systemId: requireSystemId(request.systemId),
		partyOrgNo: checkOrganisationNumber(request.partyOrgNo, "facilitator's organisation number"),
		accessPackages,
	};
	const externalRef = request.externalRef?.trim();
	if (externalRef) body.externalRef = externalRef;
	if (request.integrationTitle?.trim()) body.integrationTitle = request.integrationTitle.trim();
	const redirectUrl = checkRedirectUrl(request.redirectUrl);
	if (redirectUrl) body.redirectUrl = redirectUrl;
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
 * The address of the next page Altinn linked to, if it is on the same platform (origin) as the first
 * page: the vendor's token goes with it, so a link elsewhere is refused rather than followed.
 */
function nextPageUrl(first: string, next: string, what: string): string {
	let url: URL | undefined;
	try {
		url = new URL(next, first);
	} catch {
		url = undefined;
	}
	if (!url || url.origin !== new URL(first).origin) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's link to the next page of ${what} points to another address, so it was not followed`,
			hint: 'Check the platform address; the token is only sent to the Altinn platform it came for.',
		});
	}
	return url.toString();
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

function registerBody(system: RegisteredSystem): JsonRecord {
	const id = requireSystemId(system.id);
	const vendorOrgNo = checkOrganisationNumber(system.vendorOrgNo, "vendor's organisation number");
	if (!id.startsWith(`${vendorOrgNo}_`)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The system ID "${id}" does not start with the vendor's organisation number and an underscore`,
			hint: `Altinn wants system IDs like ${vendorOrgNo}_payroll.`,
		});
	}
	for (const url of system.allowedRedirectUrls ?? []) checkRedirectUrl(url);
	return {
		id,
		vendor: { authority: ORG_ID_SCHEME, ID: `${NORWEGIAN_ORG_ICD}:${vendorOrgNo}` },
		name: system.name,
		description: system.description,
		rights: system.rights ?? [],
		accessPackages: system.accessPackages ?? [],
		clientId: system.clientId,
		allowedRedirectUrls: system.allowedRedirectUrls ?? [],
		isVisible: system.isVisible ?? true,
	};
}

/** `POST …/systemregister/vendor`: register the vendor's system (once). */
export function buildRegisterSystemRequest(platformUrl: string, token: string, system: RegisteredSystem): HttpRequestSpec {
	return { method: 'POST', url: joinUrl(platformUrl, SYSTEM_REGISTER_PATH), headers: vendorHeaders(token, true), body: JSON.stringify(registerBody(system)) };
}

/** `PUT …/systemregister/vendor/{systemId}`: replace the whole registration. */
export function buildUpdateSystemRequest(platformUrl: string, token: string, system: RegisteredSystem): HttpRequestSpec {
	const body = registerBody(system);
	return { method: 'PUT', url: joinUrl(platformUrl, `${SYSTEM_REGISTER_PATH}/${segment(String(body.id))}`), headers: vendorHeaders(token, true), body: JSON.stringify(body) };
}

/** `GET …/systemregister/vendor/{systemId}`. */
export function buildGetRegisteredSystemRequest(platformUrl: string, token: string, systemId: string): HttpRequestSpec {
	return { method: 'GET', url: joinUrl(platformUrl, `${SYSTEM_REGISTER_PATH}/${segment(requireSystemId(systemId))}`), headers: vendorHeaders(token, false) };
}

// ---------------------------------------------------------------------------------------------
// Reading Altinn's answers

/** What the step was, for messages, and which scope it needs. */
interface VendorCall {
	action: string;
	scope: string;
	/** The message when Altinn answers 404 (e.g. "no such request"). */
	notFound: string;
}

export const VENDOR_CALLS = {
	createRequest: { action: 'create the system-user request', scope: SCOPE_SYSTEMUSER_REQUEST_WRITE, notFound: 'Altinn does not know the system or the address' },
	getRequest: { action: 'read the system-user request', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'There is no such system-user request' },
	createChangeRequest: { action: 'create the change request', scope: SCOPE_SYSTEMUSER_REQUEST_WRITE, notFound: 'There is no such system user' },
	getChangeRequest: { action: 'read the change request', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'There is no such change request' },
	listRequests: { action: 'list the system-user requests of the system', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'Altinn does not know this system' },
	listSystemUsers: { action: 'list the system users of the system', scope: SCOPE_SYSTEMREGISTER_WRITE, notFound: 'Altinn does not know this system' },
	registerSystem: { action: 'register the system', scope: SCOPE_SYSTEMREGISTER_WRITE, notFound: 'There is no such system in the system register' },
} as const satisfies Record<string, VendorCall>;

/** Hints for the problem codes of Problem.cs that a vendor can act on. */
const PROBLEM_HINTS: Readonly<Record<string, string>> = {
	'AUTH-00001': 'Ask only for rights your system is registered with, on resources that may be delegated.',
	'AUTH-00004': 'The customer already has a system user for this system and reference: use it (log in with the customer\'s org no), or ask with another external reference.',
	'AUTH-00006': 'The customer already approved this: log in with the customer\'s org no (and the same external reference).',
	'AUTH-00007': 'A request for this customer and reference is waiting: look it up by external reference and send its confirmUrl again.',
	'AUTH-00008': 'The earlier request was denied: delete it in Altinn or ask with another external reference.',
	'AUTH-00009': 'The customer rejected the earlier request: delete it in Altinn or ask with another external reference.',
	'AUTH-00010': 'Check the request ID.',
	'AUTH-00011': 'Check the system ID: it must be registered in Altinn\'s system register for this environment (test or production).',
	'AUTH-00015': 'Check the system user ID.',
	'AUTH-00021': 'The redirect URL must match one of your system\'s allowed redirect URLs (the query string may differ). Register it with the system, or leave it empty.',
	'AUTH-00023': `Altinn could not find your organisation in the token: send the Maskinporten token itself (not an exchanged Altinn token), with scope ${SCOPE_SYSTEMUSER_REQUEST_WRITE}.`,
	'AUTH-00026': 'Your system has no allowed redirect URLs: register one with the system, or leave the redirect URL empty.',
	'AUTH-00059': 'Ask for at least one right or access package.',
};

interface ProblemDocument {
	code?: string;
	title?: string;
	detail?: string;
	errors: string[];
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** An RFC 9457 problem document (ASP.NET's ProblemDetails, with Altinn's `code`), or undefined. */
function readProblemDocument(answer: HttpAnswer): ProblemDocument | undefined {
	let json: unknown;
	try {
		json = JSON.parse(answer.body);
	} catch {
		return undefined;
	}
	if (!isRecord(json)) return undefined;
	const code = text(json.code) ?? text(json.errorCode);
	const title = text(json.title);
	if (!code && !title) return undefined;
	// Validation problems list their errors as `validationErrors` or `errors` (array of {code, detail} or ASP.NET's {field: [messages]}).
	const errors: string[] = [];
	for (const list of [json.validationErrors, json.errors]) {
		if (Array.isArray(list)) {
			for (const entry of list) {
				if (!isRecord(entry)) continue;
				const words = [text(entry.code) ?? text(entry.errorCode), text(entry.detail) ?? text(entry.title)].filter(Boolean).join(': ');
				if (words) errors.push(words);
			}
		} else if (isRecord(list)) {
			for (const [field, messages] of Object.entries(list)) {
				if (Array.isArray(messages)) errors.push(`${field}: ${messages.filter((m) => typeof m === 'string').join(' ')}`);
			}
		}
	}
	return { code, title, detail: text(json.detail), errors };
}

function problemWords(problem: ProblemDocument): string {
	const head = [problem.code, problem.title].filter(Boolean).join(': ');
	const detail = problem.detail && problem.detail !== problem.title ? ` (${problem.detail})` : '';
	const errors = problem.errors.length > 0 ? ` [${problem.errors.join('; ')}]` : '';
	return `${head}${detail}${errors}`.slice(0, 600);
}

/** Any answer that is not a success: a problem that says what Altinn said and what to do. */
function vendorProblem(answer: HttpAnswer, call: VendorCall): LoginProblem {
	const code = answer.statusCode;
	const problem = readProblemDocument(answer);
	const providerMessage = problem ? problemWords(problem) : textExcerpt(answer);
	const knownHint = problem?.code ? PROBLEM_HINTS[problem.code] : undefined;
	// A gateway's error page (502, 504) is Altinn being down, not a wrong address: it falls to the 5xx answer below.
	if (looksLikeHtml(answer) && code < 500) {
		return new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn answered with a web page when asked to ${call.action} (${statusLine(answer)})`,
			hint: 'Check the platform address (e.g. https://platform.tt02.altinn.no for test); a proxy or login page may be in the way.',
			httpCode: code,
		});
	}
	if (code === 401 || code === 403) {
		return new LoginProblem({
			kind: 'rejected',
			message: `Altinn did not let this token ${call.action} (${statusLine(answer)})`,
			hint:
				knownHint ??
				`The Maskinporten token must carry the scope ${call.scope}, and the system must belong to the organisation of the Maskinporten client. Ask Digdir for the scope if the client lacks it. Send the Maskinporten token itself, not an exchanged Altinn token.`,
			httpCode: code,
			providerMessage,
		});
	}
	if (code === 404) {
		return new LoginProblem({
			kind: 'rejected',
			message: `${call.notFound} (${statusLine(answer)})`,
			hint: knownHint ?? 'Check the IDs, and that the environment (test or production) is the one the request was made in.',
			httpCode: code,
			providerMessage,
		});
	}
	if (code >= 500) {
		return new LoginProblem({
			kind: 'unavailable',
			message: `Altinn failed to ${call.action} (${statusLine(answer)})`,
			hint: 'Altinn has a problem. Try again later.',
			httpCode: code,
			providerMessage,
		});
	}
	if (code >= 400) {
		return new LoginProblem({
			kind: 'rejected',
			message: `Altinn refused to ${call.action} (${statusLine(answer)})`,
			hint: knownHint ?? 'Read Altinn\'s message beside this one; check the system ID, the organisation number, the rights and the redirect URL.',
			httpCode: code,
			providerMessage,
		});
	}
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn answered with an unexpected status when asked to ${call.action} (${statusLine(answer)})`,
		hint: 'Check the platform address in the credential.',
		httpCode: code,
		providerMessage,
	});
}

function successJson(answer: HttpAnswer, call: VendorCall): unknown {
	if (answer.statusCode !== 200 && answer.statusCode !== 201) throw vendorProblem(answer, call);
	if (looksLikeHtml(answer)) throw vendorProblem(answer, call);
	const parsed = parseJson(answer.body);
	if (!parsed.ok) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's answer when asked to ${call.action} is not valid JSON (${statusLine(answer)})`,
			hint: 'Check the platform address in the credential; a proxy may be in the way.',
			httpCode: answer.statusCode,
		});
	}
	return parsed.value;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(body) as unknown };
	} catch {
		return { ok: false };
	}
}

function malformed(call: VendorCall, what: string, answer: HttpAnswer): LoginProblem {
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn's answer when asked to ${call.action} has ${what}`,
		hint: 'Altinn may have changed its API. Report it to the maintainers of this node.',
		httpCode: answer.statusCode,
		providerMessage: textExcerpt(answer),
	});
}

function nullableText(value: unknown): string | null {
	return typeof value === 'string' && value.trim() ? value : null;
}

function readRights(value: unknown): SystemUserRight[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).map((right) => {
		// .NET serialises `Resource` as `resource`; older examples print it capitalised.
		const resource = (right.resource ?? right.Resource) as unknown;
		const pairs = Array.isArray(resource) ? resource.filter(isRecord) : [];
		return {
			...(typeof right.action === 'string' ? { action: right.action } : {}),
			resource: pairs.map((pair) => ({ id: String(pair.id ?? ''), value: String(pair.value ?? '') })),
		};
	});
}

function readAccessPackages(value: unknown): AccessPackage[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).flatMap((entry) => (typeof entry.urn === 'string' ? [{ urn: entry.urn }] : []));
}

function readStatus<T extends string>(value: unknown, known: readonly T[], call: VendorCall, answer: HttpAnswer): T {
	const status = typeof value === 'string' ? known.find((candidate) => candidate.toLowerCase() === value.toLowerCase()) : undefined;
	if (status === undefined) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn reported a status this node does not know ("${String(value).slice(0, 40)}") when asked to ${call.action}`,
			hint: `The known statuses are ${known.join(', ')}. Altinn may have added one: report it to the maintainers of this node, and check the request in Altinn meanwhile.`,
			httpCode: answer.statusCode,
		});
	}
	return status;
}

/** One request as Altinn describes it, in an answer of its own or as an entry of a list. */
function systemUserRequestFrom(json: unknown, created: boolean, call: VendorCall, answer: HttpAnswer): SystemUserRequest {
	if (!isRecord(json) || typeof json.id !== 'string' || !json.id) throw malformed(call, 'no request ID', answer);
	const status = readStatus(json.status, SYSTEM_USER_REQUEST_STATUSES, call, answer);
	return {
		requestId: json.id,
		status,
		confirmUrl: nullableText(json.confirmUrl),
		externalRef: nullableText(json.externalRef),
		systemId: String(json.systemId ?? ''),
		partyOrgNo: String(json.partyOrgNo ?? ''),
		rights: readRights(json.rights),
		accessPackages: readAccessPackages(json.accessPackages),
		redirectUrl: nullableText(json.redirectUrl),
		created,
		createdAt: nullableText(json.created),
	};
}

/** The answer to creating or reading a system-user request (standard or agent). */
export function readSystemUserRequestAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.getRequest): SystemUserRequest {
	return systemUserRequestFrom(successJson(answer, call), answer.statusCode === 201, call, answer);
}

/** One page of a system's requests: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
export function readSystemUserRequestListAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.listRequests): SystemUserRequestPage {
	const { items, next } = readPage(successJson(answer, call), call, answer, 'no list of system-user requests');
	return { requests: items.map((item) => systemUserRequestFrom(item, false, call, answer)), next };
}

/** Altinn's `Paginated<T>`: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
function readPage(json: unknown, call: VendorCall, answer: HttpAnswer, what: string): { items: unknown[]; next: string | null } {
	if (Array.isArray(json)) return { items: json, next: null };
	if (isRecord(json) && Array.isArray(json.data)) return { items: json.data, next: isRecord(json.links) ? nullableText(json.links.next) : null };
	throw malformed(call, what, answer);
}

/** The answer to creating or reading a change request; `NoChangeNeeded` when nothing would change. */
export function readChangeRequestAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.getChangeRequest): ChangeRequest {
	const json = successJson(answer, call);
	if (!isRecord(json) || typeof json.id !== 'string' || !json.id) throw malformed(call, 'no change request ID', answer);
	const status = readStatus(json.status, CHANGE_REQUEST_STATUSES, call, answer);
	return {
		requestId: json.id,
		status,
		systemUserId: String(json.systemUserId ?? ''),
		confirmUrl: nullableText(json.confirmUrl),
		externalRef: nullableText(json.externalRef),
		systemId: String(json.systemId ?? ''),
		partyOrgNo: String(json.partyOrgNo ?? ''),
		requiredRights: readRights(json.requiredRights),
		unwantedRights: readRights(json.unwantedRights),
		requiredAccessPackages: readAccessPackages(json.requiredAccessPackages),
		unwantedAccessPackages: readAccessPackages(json.unwantedAccessPackages),
		redirectUrl: nullableText(json.redirectUrl),
		created: answer.statusCode === 201,
	};
}

/** One page of a system's system users: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
export function readSystemUserListAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.listSystemUsers): SystemUserPage {
	const { items, next } = readPage(successJson(answer, call), call, answer, 'no list of system users');
	const systemUsers = items.map((item) => {
		if (!isRecord(item) || typeof item.id !== 'string') throw malformed(call, 'a system user without an ID', answer);
		return {
			id: item.id,
			systemId: String(item.systemId ?? ''),
			reporteeOrgNo: String(item.reporteeOrgNo ?? ''),
			externalRef: nullableText(item.externalRef),
			integrationTitle: nullableText(item.integrationTitle),
			created: nullableText(item.created),
		};
	});
	return { systemUsers, next };
}

/** Registering answers with the system's internal GUID (a JSON string); updating with `{succeeded: true}`. */
export function readRegisterSystemAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.registerSystem): { internalId: string | null } {
	if (answer.statusCode === 409) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `The system is already registered (${statusLine(answer)})`,
			hint: 'Update it instead of registering it again, or choose another system ID.',
			httpCode: 409,
			providerMessage: textExcerpt(answer),
		});
	}
	const json = successJson(answer, call);
	if (typeof json === 'string') return { internalId: json };
	if (isRecord(json) && (json.succeeded === true || json.Succeeded === true)) return { internalId: null };
	if (isRecord(json) && (json.succeeded === false || json.Succeeded === false)) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Altinn did not ${call.action}`,
			hint: 'Check the registration against the one in Altinn.',
			httpCode: answer.statusCode,
		});
	}
	throw malformed(call, 'neither the system\'s ID nor a result', answer);
}

/** The `Location` of a newly created request (201), for logs and links. */
export function createdLocation(answer: HttpAnswer): string | undefined {
	return answer.statusCode === 201 ? headerValue(answer, 'location') : undefined;
}
