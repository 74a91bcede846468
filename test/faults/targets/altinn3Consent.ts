/**
 * Fault matrix rows: Altinn 3 consent. Altinn Authenticate (Act For: A Consent): one Maskinporten
 * grant with `authorization_details` of type `urn:altinn:consent`, whose answer is the token (no
 * exchange). The giver is given, so no request reads it from Altinn first.
 */
import { AltinnAuthenticate } from '../../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnConsent } from '../../../nodes/Altinn/AltinnConsent.node';
import { SCOPE_CONSENT_REQUESTS_WRITE } from '../../../nodes/Altinn/protocol/consentRequests';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../../fakes/fakeAltinn3';
import { CONSENT_PERSON, CONSENT_RESOURCE, DATA_PROVIDER_SCOPE } from '../../fakes/fakeAltinnConsent';
import { VENDOR_ORG_NO } from '../../fakes/fakeAltinnSystemUser';
import type { RecordedRequest } from '../../fakes/fakeServer';
import { json } from '../../fakes/fakeServer';
import type { Expected, ProviderCaseId } from '../cases';
import { afterTokenAnswer } from './altinn3SystemUser';
import { api, oauth2Expectations, retried, retriedThenOk } from './shared';
import type { Fakes, NodeTarget, Overrides } from './shared';

const consumer = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-0000000000c0' };
const CONSENT_ID = '5f0c2a1e-7b3d-4c8e-9f6a-1b2c3d4e5f60';
const PERSON_URN = `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`;
const PARAMETERS = new Set(['consentId', 'consentFrom']);

function grantClaims(request: RecordedRequest | undefined): Record<string, unknown> {
	const grant = new URLSearchParams(request?.body ?? '').get('assertion') ?? '';
	return JSON.parse(Buffer.from(grant.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Both rows sign a Maskinporten grant first: the client ID is the credential value that reaches it. */
const CLIENT_ID_FIELD: NodeTarget['fields'][number] = {
	name: 'client ID',
	set: (value) => ({ clientId: value }),
	readBack: (request) => {
		const issuer = grantClaims(request).iss;
		return typeof issuer === 'string' ? issuer : undefined;
	},
	injected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /Check the client ID/),
};

function prepare(fakes: Fakes): void {
	fakes.altinnSystemUser.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, DATA_PROVIDER_SCOPE);
	fakes.altinnSystemUser.addConsent({ id: CONSENT_ID, from: PERSON_URN, toOrgNo: VENDOR_ORG_NO });
}

const refused = (reason: RegExp): ReturnType<typeof api> =>
	api(new RegExp(`^Maskinporten gave no token for consent ${CONSENT_ID} from the person with national ID number ending in 04: ${reason.source}$`), /Create Consent Request/);

export const altinn3ConsentToken: NodeTarget = {
	name: 'Altinn Authenticate (Altinn 3 consent)',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinnSystemUser,
	path: '/token',
	options: (baseUrl, overrides) => {
		const parameters: Overrides = {};
		const credential: Overrides = {};
		for (const [name, value] of Object.entries(overrides)) (PARAMETERS.has(name) ? parameters : credential)[name] = value;
		return {
			typeVersion: 3,
			parameters: { authentication: 'maskinporten', actFor: 'consent', consentId: CONSENT_ID, consentFrom: CONSENT_PERSON.nationalIdNumber, consentScope: DATA_PROVIDER_SCOPE, ...parameters },
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, baseUrl, DATA_PROVIDER_SCOPE, credential) },
		};
	},
	prepare,
	reset: (fakes) => {
		fakes.altinnSystemUser.failure = 'none';
		fakes.altinnSystemUser.clearScript();
		prepare(fakes);
	},
	secrets: { privateKey: consumer.privateKeyPem, privateKeyLine: consumer.privateKeyPem.split('\n')[1], nationalIdNumber: CONSENT_PERSON.nationalIdNumber },
	// Maskinporten's consent token names the person (Output: Token; Output: Response keeps it in the node).
	tokenCarries: ['nationalIdNumber'],
	succeeded: (item) => item.actsFor === 'consent' && item.consentId === CONSENT_ID && typeof item.token === 'string' && item.consentFrom === 'the person with national ID number ending in 04',
	token: (item) => String(item.token),
	provider: oauth2Expectations('Maskinporten'),
	own: [
		{
			id: 'consentRevoked',
			description: 'the person revoked the consent (Altinn AM-00011)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => void ((fakes.altinnSystemUser.consents.get(CONSENT_ID) ?? { status: '' }).status = 'Revoked'),
			expected: refused(/it was revoked/),
		},
		{
			id: 'consentNotDecided',
			description: 'the consent waits for the decision (Altinn AM-00014)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => void ((fakes.altinnSystemUser.consents.get(CONSENT_ID) ?? { status: '' }).status = 'Created'),
			expected: refused(/it has not been accepted \(it is still waiting for the decision, or was rejected or deleted\)/),
		},
		{
			id: 'consentExpired',
			description: 'the consent has expired (Altinn AM-00013)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => void ((fakes.altinnSystemUser.consents.get(CONSENT_ID) ?? { validTo: '' }).validTo = '2020-01-01T00:00:00Z'),
			expected: refused(/it has expired/),
		},
		{
			id: 'consentOfAnother',
			description: 'the consent was given by another person (Altinn AM-00012)',
			retryAllowed: false,
			script: () => [],
			overrides: { consentFrom: '01010100050' },
			expected: api(/^Maskinporten gave no token for consent .+ from the person with national ID number ending in 50: it was not given by this person or organisation$/, /Create Consent Request/),
		},
		{
			id: 'refusalWithoutReason',
			description: 'Maskinporten refuses the consent without saying why',
			retryAllowed: false,
			script: () => [json(400, { error: 'invalid_authorization_details', error_description: 'Consent lookup failed' })],
			expected: refused(/Altinn says it does not hold/),
		},
		{
			id: 'tokenForAnotherConsent',
			description: 'a token that carries another consent',
			retryAllowed: false,
			script: () => [json(200, { access_token: 'opaque', token_type: 'Bearer', expires_in: 120, authorization_details: [{ type: 'urn:altinn:consent', id: '00000000-0000-4000-8000-000000000000' }] })],
			expected: api(new RegExp(`^Maskinporten's token carries consent 00000000-0000-4000-8000-000000000000, not consent ${CONSENT_ID} that was asked for$`), /The token was not used/),
		},
	],
	fields: [CLIENT_ID_FIELD],
	utf8: {
		overrides: {},
		check: (request) =>
			expect(grantClaims(request)).toMatchObject({ scope: DATA_PROVIDER_SCOPE, authorization_details: [{ type: 'urn:altinn:consent', id: CONSENT_ID, from: PERSON_URN }] }),
	},
};

// ---------------------------------------------------------------- Altinn Consent → Create Consent Request

const CREATE_CALL = 'create the consent request';
const createNotJson = api(new RegExp(`^Altinn's answer when asked to ${CREATE_CALL} is not valid JSON \\(200 OK\\)$`), /Check the platform address/, 2);
/** A fixed Valid To, so that every case sends the same request (and so the same ID). */
const VALID_TO = '2030-06-30T12:00:00.000Z';

/**
 * The consumer asks the person: the consumer's Maskinporten token for the write scope (served first
 * in scripted cases), then the request. Its ID comes from its contents, so a retry after a gateway
 * failure gets the request Altinn may already have made instead of a second one.
 */
export const altinn3ConsentCreate: NodeTarget = {
	name: 'Altinn Consent (Create Consent Request)',
	node: new AltinnConsent(),
	fake: (fakes) => fakes.altinnSystemUser,
	path: '/',
	options: (baseUrl, overrides) => {
		const { consentFrom, ...credential } = overrides;
		return {
			parameters: {
				resource: 'consentRequest',
				operation: 'createConsentRequest',
				consentFrom: consentFrom ?? CONSENT_PERSON.nationalIdNumber,
				consentResource: CONSENT_RESOURCE,
				metadata: 'inntektsaar=2025',
				validTo: VALID_TO,
				redirectUrl: 'https://bank.example/consent-done',
				// A scripted token is opaque: it cannot say whose it is.
				options: { consumerOrgNumber: VENDOR_ORG_NO },
			},
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, baseUrl, SCOPE_CONSENT_REQUESTS_WRITE, credential) },
		};
	},
	prepare: (fakes) => fakes.altinnSystemUser.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, `${DATA_PROVIDER_SCOPE} ${SCOPE_CONSENT_REQUESTS_WRITE}`),
	reset: (fakes) => {
		fakes.altinnSystemUser.failure = 'none';
		fakes.altinnSystemUser.clearScript();
	},
	secrets: { privateKey: consumer.privateKeyPem, privateKeyLine: consumer.privateKeyPem.split('\n')[1], nationalIdNumber: CONSENT_PERSON.nationalIdNumber },
	succeeded: (item) => item.status === 'Created' && typeof item.consentRequestId === 'string' && typeof item.viewUri === 'string',
	scriptPrefix: (fakes) => [json(200, { access_token: fakes.altinnSystemUser.issueVendorToken(consumer.clientId, SCOPE_CONSENT_REQUESTS_WRITE), token_type: 'Bearer', expires_in: 120 })],
	provider: {
		unavailable: api(retried(`^Altinn failed to ${CREATE_CALL} \\(503 Service Unavailable`), /Try again later/, 4),
		badGatewayPage: api(retried(`^Altinn failed to ${CREATE_CALL} \\(502 Bad Gateway`), /Try again later/, 4),
		gatewayTimeout: api(retried(`^Altinn failed to ${CREATE_CALL} \\(504 Gateway Timeout`), /Try again later/, 4),
		serverError: api(new RegExp(`^Altinn failed to ${CREATE_CALL} \\(500 Internal Server Error\\)$`), /Try again later/, 2),
		htmlPage: api(new RegExp(`^Altinn answered with a web page when asked to ${CREATE_CALL} \\(200 OK\\)$`), /a proxy or login page/, 2),
		truncatedJson: createNotJson,
		malformedJson: createNotJson,
		truncatedXml: createNotJson,
		malformedXml: createNotJson,
		xmlBomb: createNotJson,
		externalEntity: createNotJson,
		teapot: api(new RegExp(`^Altinn refused to ${CREATE_CALL} \\(418 I'm a teapot\\)$`), /Read Altinn's message/, 2),
		oddSuccess: api(new RegExp(`^Altinn answered with an unexpected status when asked to ${CREATE_CALL} \\(299 unknown\\)$`), /Check the platform address/, 2),
	} satisfies Record<ProviderCaseId, Expected>,
	overrides: { ...afterTokenAnswer(), ...retriedThenOk(2) },
	own: [
		{
			id: 'unknownPerson',
			description: 'a person Altinn does not know (AM-00004, which names the person in its answer)',
			retryAllowed: false,
			script: () => [],
			overrides: { consentFrom: '01010100050' },
			expected: api(new RegExp(`^Altinn refused to ${CREATE_CALL} \\(400 Bad Request\\)$`), /does not know this person/, 2),
		},
		{
			id: 'notAllowedForResource',
			description: 'the consumer may not ask consent for the resource (403, no body)',
			retryAllowed: false,
			script: () => [{ status: 403, reason: 'Forbidden', body: '' }],
			expected: api(new RegExp(`^Altinn did not let this token ${CREATE_CALL} \\(403 Forbidden\\)$`), /allowed to ask consent for the resource/, 2),
		},
		{
			id: 'anotherFrom',
			description: 'an answer for another person than the one asked',
			retryAllowed: false,
			script: () => [json(201, { id: CONSENT_ID, from: 'urn:altinn:organization:identifier-no:310547891', status: 'Created' })],
			expected: api(new RegExp(`^Altinn's answer when asked to ${CREATE_CALL} has another "from" than the one asked for$`), /changed its API/, 2),
		},
	],
	fields: [CLIENT_ID_FIELD],
	utf8: {
		overrides: {},
		requests: 2,
		check: (_request, requests) => expect(JSON.parse(requests[1].body)).toMatchObject({ from: PERSON_URN, consentRights: [{ metadata: { inntektsaar: '2025' } }] }),
	},
};
