/**
 * Altinn 3 system users (systembruker), the login: the vendor logs in to Maskinporten *as a customer's
 * system user* by adding an `authorization_details` entry to the usual JWT grant; this reads who the
 * token acts as, and why Maskinporten refused one.
 *
 * Sources (read for facts): Altinn/altinn-authentication, the SystemIntegrationTests'
 * `MaskinPortenTokenGenerator.cs`; altinn-studio-docs, the system-user guides.
 */
import type { HttpAnswer } from '../../shared/protocol/http';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord as isRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import type { OAuth2Token } from '../../shared/protocol/oauth2';
import { oauthErrorOf } from '../../shared/protocol/oauth2';
import type { AuthorizationDetail } from './maskinporten';
import { jwtClaims, readMaskinportenTokenAnswer } from './maskinporten';
import { checkOrganisationNumber } from './orgNumber';

/** The `type` of the `authorization_details` entry that asks Maskinporten for a system-user token. */
export const SYSTEM_USER_DETAIL_TYPE = 'urn:altinn:systemuser';

/** How Maskinporten names an organisation: ISO 6523, the Norwegian business register's ICD (0192), the number. */
export const ORG_ID_SCHEME = 'iso6523-actorid-upis';
export const NORWEGIAN_ORG_ICD = '0192';

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
	const { error, description } = oauthErrorOf(answer);
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
