/**
 * Altinn 3 consent (samtykke), the token: once a person or an organisation has accepted a consent
 * request, the consumer asks Maskinporten for a token carrying that consent, with an
 * `authorization_details` entry of type `urn:altinn:consent` (the consent's id and who gave it) and the
 * data provider's scope. Maskinporten asks Altinn whether the consent holds and echoes what was
 * consented to. The token goes to the data provider as it is: no exchange at Altinn.
 *
 * Sources (read for facts): Altinn/altinn-authorization-tmp `ConsentPartyUrn.cs`, `PersonIdentifier.cs`,
 * the Maskinporten consent lookup (`Api.Maskinporten/Controllers/ConsentController.cs`,
 * `ConsentInfoMaskinportenDto.cs`); altinn-studio-docs, consent `retrieve-token`; Digdir's
 * `maskinporten_func_samtykke`.
 */
import type { HttpAnswer } from '../../shared/protocol/http';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import type { OAuth2Token } from '../../shared/protocol/oauth2';
import { oauthErrorOf } from '../../shared/protocol/oauth2';
import { isNationalIdNumber, quoted } from '../../shared/protocol/nationalIdNumber';
import type { AuthorizationDetail } from './maskinporten';
import { jwtClaims, readMaskinportenTokenAnswer } from './maskinporten';
import { checkOrganisationNumber } from './orgNumber';

/** The `type` of the `authorization_details` entry that asks Maskinporten for a consent token. */
export const CONSENT_DETAIL_TYPE = 'urn:altinn:consent';

const PERSON_URN = 'urn:altinn:person:identifier-no:';
const ORGANISATION_URN = 'urn:altinn:organization:identifier-no:';

/** Who gave (or is asked for) a consent: a person by national ID number, or an organisation. */
export type ConsentParty = { kind: 'person'; nationalIdNumber: string; urn: string } | { kind: 'organisation'; orgNumber: string; urn: string };

/**
 * The party of a consent from what a user typed: an 11-digit national ID number, a 9-digit
 * organisation number, or either as Altinn's URN. Checked before anything is sent; a national ID
 * number is never repeated in the message.
 */
export function consentParty(value: string, what = 'consent giver'): ConsentParty {
	const typed = String(value ?? '').trim();
	const bare = typed.startsWith(PERSON_URN) ? typed.slice(PERSON_URN.length) : typed.startsWith(ORGANISATION_URN) ? typed.slice(ORGANISATION_URN.length) : typed;
	const digits = bare.replace(/\s+/g, '');
	if (/^\d{11}$/.test(digits) && !typed.startsWith(ORGANISATION_URN)) {
		if (!isNationalIdNumber(digits)) {
			throw new LoginProblem({
				kind: 'badInput',
				message: `The ${what}'s national ID number is not valid (its check digits do not match)`,
				hint: 'Check the 11 digits for a typing error. A person is given by national ID number (fødselsnummer or D-number), an organisation by its 9-digit organisation number.',
			});
		}
		return { kind: 'person', nationalIdNumber: digits, urn: `${PERSON_URN}${digits}` };
	}
	if (/^\d{9}$/.test(digits) && !typed.startsWith(PERSON_URN)) {
		const orgNumber = checkOrganisationNumber(digits, `${what}'s organisation number`);
		return { kind: 'organisation', orgNumber, urn: `${ORGANISATION_URN}${orgNumber}` };
	}
	throw new LoginProblem({
		kind: 'badInput',
		message: `The ${what} is neither a national ID number (11 digits) nor an organisation number (9 digits)`,
		hint: 'Give a person\'s national ID number or an organisation\'s number, digits only (spaces are fine), or Altinn\'s form urn:altinn:person:identifier-no:… / urn:altinn:organization:identifier-no:….',
	});
}

/** Whose consent, as a token item or an error may say it: an organisation by number, a person never by full number. */
export function consentPartyLabel(party: ConsentParty): string {
	return party.kind === 'organisation' ? `org no ${party.orgNumber}` : `the person with national ID number ending in ${party.nationalIdNumber.slice(-2)}`;
}

export type ConsentAuthorizationDetail = AuthorizationDetail & { readonly type: typeof CONSENT_DETAIL_TYPE; readonly id: string; readonly from: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The consent id as Altinn writes it (a GUID, lower case), or a `badInput` problem. */
export function checkConsentId(value: string): string {
	const id = String(value ?? '').trim().toLowerCase();
	if (!GUID.test(id)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The consent ID "${quoted(id, 40)}" is not a GUID`,
			hint: 'Use the id of the consent request (e.g. 77ed8698-e619-4066-9eb4-5c1eb3f165a1): the output of Create Consent Request, or the Altinn Consent Trigger\'s item.',
		});
	}
	return id;
}

/** The `authorization_details` entry for one consent: its id and who gave it, as in the request. */
export function consentAuthorizationDetails(consentId: string, from: ConsentParty): ConsentAuthorizationDetail {
	return { type: CONSENT_DETAIL_TYPE, id: checkConsentId(consentId), from: from.urn };
}

/** One right of a consent: actions on a resource, with the resource's metadata (e.g. the income year). */
export interface ConsentRight {
	action: string[];
	resource: Array<{ type: string; value: string }>;
	metadata: Record<string, string> | null;
}

/** What Maskinporten echoes of the consent a token carries. Null where it does not say. */
export interface ConsentFacts {
	consentId: string;
	/** When the consent was given (ISO 8601). */
	consented: string | null;
	/** Until when it holds (ISO 8601). */
	validTo: string | null;
	consentRights: ConsentRight[];
	/** The consumer the consent was given to: its organisation number. */
	toOrgNumber: string | null;
}

function unreadable(what: string): LoginProblem {
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Maskinporten's consent token has ${what} this node cannot read`,
		hint: 'Maskinporten may have changed the token format. Report it to the maintainers of this node, with the environment (test or production).',
	});
}

/** Reads `consentRights`, accepting `metaData` as the docs print it; anything else unreadable fails. */
export function readConsentRights(value: unknown, unreadableAs: (what: string) => Error): ConsentRight[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw unreadableAs('"consentRights"');
	return value.map((right) => {
		if (!isJsonRecord(right)) throw unreadableAs('a consent right');
		const action = Array.isArray(right.action) ? right.action.filter((entry): entry is string => typeof entry === 'string') : [];
		const resource = Array.isArray(right.resource)
			? right.resource.map((entry) => {
					if (!isJsonRecord(entry) || typeof entry.value !== 'string') throw unreadableAs('a consent right\'s resource');
					return { type: typeof entry.type === 'string' ? entry.type : 'urn:altinn:resource', value: entry.value };
				})
			: [];
		const rawMetadata = right.metadata ?? right.metaData;
		const metadata = isJsonRecord(rawMetadata) ? Object.fromEntries(Object.entries(rawMetadata).map(([key, entry]) => [key, String(entry)])) : null;
		return { action, resource, metadata };
	});
}

function orgFromIso6523(value: unknown): string | null {
	if (typeof value === 'string') return /(\d{9})$/.exec(value)?.[1] ?? null;
	if (!isJsonRecord(value)) return null;
	const id = value.ID ?? value.id;
	return typeof id === 'string' ? (/^(?:\d{4}:)?(\d{9})$/.exec(id.trim())?.[1] ?? null) : null;
}

/** The consent entry of a token's (or a token answer's) `authorization_details`, if any. */
function consentEntry(details: unknown): JsonRecord | undefined {
	const entries = Array.isArray(details) ? details : details === undefined || details === null ? [] : [details];
	const entry = entries.find((candidate) => isJsonRecord(candidate) && candidate.type === CONSENT_DETAIL_TYPE);
	if (entry !== undefined && !isJsonRecord(entry)) throw unreadable('an "authorization_details" entry');
	return entry;
}

/** What the token says of its consent: from the token itself when it is a JWT, else from the answer beside it. */
export function readConsentFacts(accessToken: string, tokenAnswerBody: string, consentId: string): ConsentFacts {
	let entry = consentEntry(jwtClaims(accessToken)?.authorization_details);
	if (!entry) {
		try {
			const answer: unknown = JSON.parse(tokenAnswerBody);
			entry = isJsonRecord(answer) ? consentEntry(answer.authorization_details) : undefined;
		} catch {
			entry = undefined;
		}
	}
	if (!entry) return { consentId, consented: null, validTo: null, consentRights: [], toOrgNumber: null };
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	return {
		consentId: text(entry.id)?.toLowerCase() ?? consentId,
		consented: text(entry.consented),
		validTo: text(entry.validTo),
		consentRights: readConsentRights(entry.consentRights, unreadable),
		toOrgNumber: orgFromIso6523(entry.to),
	};
}

/** The hint for a consent that does not (or no longer) hold. */
export const ASK_CONSENT_AGAIN_HINT =
	'Run Get Consent Request in the Altinn Consent node to see its status. A consent that was rejected, revoked or has expired cannot be used again: ask for a new one with Create Consent Request. One that is still waiting for the decision can be used once it is accepted.';

/** Why Altinn's lookup refused a consent, from Maskinporten's description (Altinn's problem codes or words), if it says. */
function refusalReason(description: string): string {
	if (/AM-00011|revoked/i.test(description)) return 'it was revoked';
	if (/AM-00013|expired/i.test(description)) return 'it has expired';
	if (/AM-00014|not accepted/i.test(description)) return 'it has not been accepted (it is still waiting for the decision, or was rejected or deleted)';
	if (/AM-00012|does not match|consented party/i.test(description)) return 'it was not given by this person or organisation';
	if (/AM-00001|not found/i.test(description)) return 'Altinn does not know it for your organisation';
	return 'Altinn says it does not hold';
}

/**
 * Maskinporten's answer to a grant for a consent: the token and what it consents to. A refusal
 * (Maskinporten's code for it is not documented; `invalid_authorization_details` and `invalid_grant`
 * with a consent detail are read as one) says which consent and why, in plain words.
 */
export function readConsentTokenAnswer(answer: HttpAnswer, consentId: string, from: ConsentParty, now: Date, onBehalfOf?: string): { token: OAuth2Token; consent: ConsentFacts } {
	const { error, description } = oauthErrorOf(answer);
	if (error === 'invalid_authorization_details' || (error === 'invalid_grant' && /consent|AM-000/i.test(description ?? ''))) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Maskinporten gave no token for consent ${consentId} from ${consentPartyLabel(from)}: ${refusalReason(description ?? '')}`,
			hint: ASK_CONSENT_AGAIN_HINT,
			httpCode: answer.statusCode,
			providerMessage: [error, description].filter(Boolean).join(': '),
		});
	}
	const token = readMaskinportenTokenAnswer(answer, now, onBehalfOf);
	const consent = readConsentFacts(token.accessToken, answer.body, consentId);
	// A token that carries another consent is never handed on as this one's.
	if (consent.consentId !== consentId) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Maskinporten's token carries consent ${consent.consentId}, not consent ${consentId} that was asked for`,
			hint: 'The token was not used. Check the Maskinporten address in the credential (a proxy may be in the way), and report it to the maintainers of this node if it persists.',
			httpCode: answer.statusCode,
		});
	}
	return { token, consent };
}
