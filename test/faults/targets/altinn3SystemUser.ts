/**
 * Fault matrix rows: Altinn 3 system users. Altinn Authenticate (Altinn 3 System User): the
 * Maskinporten grant with `authorization_details` for a customer, then the exchange. And the Altinn
 * System User node's Get Request: the vendor's Maskinporten token for the read scope, then the
 * vendor API call, where the scripted faults hit the call (the token answer is served first).
 */
import { AltinnAuthenticate } from '../../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnSystemUser } from '../../../nodes/Altinn/AltinnSystemUser.node';
import { SCOPE_SYSTEMREGISTER_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMUSER_REQUEST_WRITE } from '../../../nodes/Altinn/protocol/vendorRequests';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../../fakes/fakeAltinn3';
import { CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../../fakes/fakeAltinnSystemUser';
import type { RecordedRequest, Reply } from '../../fakes/fakeServer';
import { HTML_ERROR_PAGE, json } from '../../fakes/fakeServer';
import type { Expected, GenericCaseId, ProviderCaseId } from '../cases';
import { GENERIC_CASES } from '../cases';
import { api, grantAndExchangeOverrides, retried, oauth2Expectations, retriedThenOk } from './shared';
import type { Fakes, NodeTarget, Overrides } from './shared';

const vendor = makeKeyClient();
/** A second client of the same vendor that Maskinporten gives only the organisation's own scope. */
const LIMITED_CLIENT_ID = 'a1b2c3d4-0000-4000-8000-0000000000aa';
const APP_SCOPE = 'altinn:instances.write';
const SYSTEM_ID = `${VENDOR_ORG_NO}_regnskap`;
const RIGHT = { resource: [{ id: 'urn:altinn:resource', value: 'ske-mva-melding' }] };
const SYSTEM_USER_ID = '0c1a5b8e-1f7e-4d3a-9a57-6c0e2b9d4f11';
const UTF8_SYSTEM_USER_ID = '0c1a5b8e-1f7e-4d3a-9a57-6c0e2b9d4f12';
const REQUEST_ID = '7d3f2a10-8b4c-4e5f-a6b7-c8d9e0f1a2b3';
const UTF8_REQUEST_ID = '7d3f2a10-8b4c-4e5f-a6b7-c8d9e0f1a2b4';
const UTF8_REFERENCE = 'avdeling-æøå-Ærlig';

/** The vendor's client, its system, a customer's approved system users and a request: the state both rows log in against. */
function prepareSystemUsers(fakes: Fakes): void {
	const fake = fakes.altinnSystemUser;
	fake.registerVendorClient(
		vendor.clientId,
		vendor.keyId,
		vendor.publicKey,
		`${APP_SCOPE} ${SCOPE_SYSTEMUSER_REQUEST_WRITE} ${SCOPE_SYSTEMUSER_REQUEST_READ} ${SCOPE_SYSTEMREGISTER_WRITE}`,
	);
	fake.registerVendorClient(LIMITED_CLIENT_ID, vendor.keyId, vendor.publicKey, APP_SCOPE);
	fake.addSystem({ id: SYSTEM_ID, clientId: [vendor.clientId, LIMITED_CLIENT_ID], rights: [RIGHT] });
	const created = '2026-11-23T10:00:00Z';
	const systemUser = (id: string, externalRef: string) => ({
		id,
		systemId: SYSTEM_ID,
		reporteeOrgNo: CUSTOMER_ORG_NO,
		supplierOrgNo: VENDOR_ORG_NO,
		externalRef,
		integrationTitle: 'Regnskap',
		rights: [RIGHT],
		accessPackages: [],
		agent: false,
		created,
	});
	// Without an external reference Altinn uses the organisation number as the reference.
	fake.systemUsers.set(SYSTEM_USER_ID, systemUser(SYSTEM_USER_ID, CUSTOMER_ORG_NO));
	fake.systemUsers.set(UTF8_SYSTEM_USER_ID, systemUser(UTF8_SYSTEM_USER_ID, UTF8_REFERENCE));
	const request = (id: string, externalRef: string) => ({
		id,
		kind: 'request' as const,
		vendorOrgNo: VENDOR_ORG_NO,
		systemId: SYSTEM_ID,
		partyOrgNo: CUSTOMER_ORG_NO,
		externalRef,
		rights: [RIGHT],
		accessPackages: [],
		redirectUrl: null,
		status: 'Accepted' as const,
		created,
	});
	fake.systemUserRequests.set(REQUEST_ID, request(REQUEST_ID, CUSTOMER_ORG_NO));
	fake.systemUserRequests.set(UTF8_REQUEST_ID, request(UTF8_REQUEST_ID, UTF8_REFERENCE));
}

function resetSystemUsers(fakes: Fakes): void {
	fakes.altinnSystemUser.failure = 'none';
	fakes.altinnSystemUser.clearScript();
}

/** Overrides of node parameters; every other override is a credential field. */
const PARAMETER_OVERRIDES = new Set(['customerOrgNumber', 'externalRef', 'requestId']);

function split(overrides: Overrides): { parameters: Overrides; credential: Overrides } {
	const parameters: Overrides = {};
	const credential: Overrides = {};
	for (const [name, value] of Object.entries(overrides)) (PARAMETER_OVERRIDES.has(name) ? parameters : credential)[name] = value;
	return { parameters, credential };
}

/** The claims of the grant a Maskinporten request carries. */
function grantClaims(request: RecordedRequest | undefined): Record<string, unknown> {
	const grant = new URLSearchParams(request?.body ?? '').get('assertion') ?? '';
	return JSON.parse(Buffer.from(grant.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function grantIssuer(request: RecordedRequest): string | undefined {
	const issuer = grantClaims(request).iss;
	return typeof issuer === 'string' ? issuer : undefined;
}

const TOKEN_ANSWER = (accessToken: string): Reply => json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 120 });

// ---------------------------------------------------------------- Altinn Authenticate → system user

/** Both rows: a grant signed with a key Maskinporten does not know. */
const WRONG_KEY_CASE: NodeTarget['own'][number] = {
	id: 'wrongKey',
	description: 'a key that is not the registered one (invalid_client)',
	retryAllowed: false,
	script: () => [],
	overrides: { privateKey: makeKeyClient().privateKeyPem },
	expected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /Check the client ID, the Key ID/),
};

/** Both rows sign a Maskinporten grant first: the client ID is the credential value that reaches it. */
const CLIENT_ID_FIELD: NodeTarget['fields'][number] = {
	name: 'client ID',
	set: (value) => ({ clientId: value }),
	readBack: grantIssuer,
	injected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /Check the client ID/),
};

export const altinn3SystemUserAuthenticate: NodeTarget = {
	name: 'Altinn Authenticate (Altinn 3 System User)',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinnSystemUser,
	// Maskinporten's /token and the platform's exchange are both counted.
	path: '/',
	options: (baseUrl, overrides) => {
		const { parameters, credential } = split(overrides);
		return {
			typeVersion: 2,
			parameters: { authentication: 'systemUser', customerOrgNumber: CUSTOMER_ORG_NO, externalRef: '', ...parameters },
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(vendor, baseUrl, APP_SCOPE, credential) },
		};
	},
	prepare: prepareSystemUsers,
	reset: resetSystemUsers,
	secrets: { privateKey: vendor.privateKeyPem, privateKeyLine: vendor.privateKeyPem.split('\n')[1] },
	succeeded: (item) =>
		item.provider === 'altinn3' && typeof item.token === 'string' && item.orgNumber === CUSTOMER_ORG_NO && item.systemId === SYSTEM_ID && typeof item.systemUserId === 'string',
	token: (item) => String(item.token),
	// The grant's answer is read by the system-user reader first, then as any Maskinporten token answer.
	provider: oauth2Expectations('Maskinporten'),
	overrides: grantAndExchangeOverrides(),
	own: [
		{
			id: 'notApproved',
			description: 'the customer has no approved system user (invalid_altinn_customer_configuration, MP-303)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => void fakes.altinnSystemUser.systemUsers.delete(SYSTEM_USER_ID),
			expected: api(/^This customer \(org no 310547891\) has not approved a system user for your system$/, /run "Create Request" in the Altinn System User node/),
		},
		{
			id: 'notApprovedMp303Only',
			description: 'MP-303 in the description of another error code',
			retryAllowed: false,
			script: () => [json(400, { error: 'invalid_grant', error_description: 'MP-303: Missing or invalid system user configuration for the customer' })],
			expected: api(/^This customer \(org no 310547891\) has not approved a system user for your system$/, /system register lists this Maskinporten client ID/),
		},
		{
			id: 'invalidAuthorizationDetails',
			description: 'Maskinporten refuses the authorization_details (invalid_authorization_details)',
			retryAllowed: false,
			script: () => [json(400, { error: 'invalid_authorization_details', error_description: 'Unknown authorization_details type' })],
			expected: api(/^Maskinporten did not accept the system-user details in the login for org no 310547891$/, /external reference.*does not retry a refused login/),
		},
		WRONG_KEY_CASE,
		{
			id: 'scopeNotGranted',
			description: 'a scope the client does not have (invalid_scope)',
			retryAllowed: false,
			script: () => [],
			overrides: { scopes: `${APP_SCOPE} altinn:admin` },
			expected: api(/^Maskinporten did not give this client access \(400 Bad Request\)$/, /Scope\(s\) not allowed/),
		},
		{
			id: 'unreadableSystemUser',
			description: 'a token whose authorization_details name the customer in a form no one can read',
			retryAllowed: false,
			script: () => [
				json(200, {
					access_token: 'opaque-system-user-token',
					token_type: 'Bearer',
					expires_in: 120,
					authorization_details: [{ type: 'urn:altinn:systemuser', systemuser_id: ['x'], systemuser_org: { authority: 'iso6523-actorid-upis', ID: 'not-an-org' } }],
				}),
			],
			expected: api(/^Maskinporten's system-user token has a "systemuser_org" claim this node cannot read$/, /changed the token format/),
		},
		{
			id: 'tokenForAnotherCustomer',
			description: 'a token whose authorization_details say it acts for another customer',
			retryAllowed: false,
			script: () => [
				json(200, {
					access_token: 'opaque-system-user-token',
					token_type: 'Bearer',
					expires_in: 120,
					authorization_details: [
						{ type: 'urn:altinn:systemuser', systemuser_id: [SYSTEM_USER_ID], systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${OTHER_CUSTOMER_ORG_NO}` } },
					],
				}),
			],
			// One request: the token is never exchanged.
			expected: api(/^Maskinporten's system-user token acts for org no 313367002, not for org no 310547891 that was asked for$/, /The token was not used/),
		},
		{
			id: 'exchangeUnauthorized',
			description: 'the exchange refuses the system-user token (401)',
			retryAllowed: false,
			script: () => [TOKEN_ANSWER('scripted-system-user-token'), { status: 401, reason: 'Unauthorized' }],
			expected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /scopes in the credential/, 2),
		},
		{
			id: 'exchangeUnavailable',
			description: 'the exchange answers 503 three times',
			retryAllowed: true,
			script: () => [TOKEN_ANSWER('scripted-system-user-token'), { status: 503 }, { status: 503 }, { status: 503 }],
			waits: [1000, 2000],
			expected: api(retried('^Altinn failed to exchange the Maskinporten token \\(503 Service Unavailable'), /Try again later/, 4),
		},
		{
			id: 'exchangeHtml',
			description: 'the exchange answers 200 with a web page',
			retryAllowed: false,
			script: () => [TOKEN_ANSWER('scripted-system-user-token'), { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE }],
			expected: api(/^Altinn answered the token exchange with a web page instead of a token \(200 OK\)$/, /a proxy or a login page/, 2),
		},
	],
	fields: [CLIENT_ID_FIELD],
	utf8: {
		// The customer's system user was asked for with an external reference in æøå: the grant carries it.
		overrides: { externalRef: UTF8_REFERENCE },
		requests: 2,
		check: (request, requests) => {
			const grant = new URLSearchParams(request.body).get('assertion') ?? '';
			const payload = Buffer.from(grant.split('.')[1] ?? '', 'base64url');
			expect(payload.includes(Buffer.from(`"externalRef":"${UTF8_REFERENCE}"`, 'utf8'))).toBe(true);
			expect(grantClaims(request).authorization_details).toEqual([
				{ type: 'urn:altinn:systemuser', systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${CUSTOMER_ORG_NO}` }, externalRef: UTF8_REFERENCE },
			]);
			expect(requests.map((each) => each.path)).toEqual(['/token', '/authentication/api/v1/exchange/maskinporten']);
		},
	},
};

// ---------------------------------------------------------------- Altinn System User → Get Request

const VENDOR_CALL = 'read the system-user request';

/** The generic expectations, one request later: each fault hits the vendor call after the token answer. */
export function afterTokenAnswer(): Partial<Record<GenericCaseId, Expected>> {
	const shifted: Partial<Record<GenericCaseId, Expected>> = {};
	for (const faultCase of GENERIC_CASES) {
		// A refused connection refuses the first request: nothing reaches the vendor call.
		if (faultCase.id === 'connectionRefused') continue;
		shifted[faultCase.id] = { ...faultCase.generic, requests: faultCase.generic.requests + 1 };
	}
	return shifted;
}

const notJson = api(new RegExp(`^Altinn's answer when asked to ${VENDOR_CALL} is not valid JSON \\(200 OK\\)$`), /Check the platform address/, 2);

export const altinn3SystemUserGetRequest: NodeTarget = {
	name: 'Altinn System User (Get Request)',
	node: new AltinnSystemUser(),
	fake: (fakes) => fakes.altinnSystemUser,
	// Maskinporten's /token and the vendor API are both counted.
	path: '/',
	options: (baseUrl, overrides) => {
		const { parameters, credential } = split(overrides);
		const lookup =
			parameters.externalRef === undefined
				? { lookupBy: 'requestId', requestId: parameters.requestId ?? REQUEST_ID }
				: { lookupBy: 'externalRef', systemId: SYSTEM_ID, customerOrgNumber: CUSTOMER_ORG_NO, externalRef: parameters.externalRef };
		return {
			parameters: { resource: 'request', operation: 'getRequest', requestType: 'standard', ...lookup },
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(vendor, baseUrl, APP_SCOPE, credential) },
		};
	},
	prepare: prepareSystemUsers,
	reset: resetSystemUsers,
	secrets: { privateKey: vendor.privateKeyPem, privateKeyLine: vendor.privateKeyPem.split('\n')[1] },
	succeeded: (item) => typeof item.requestId === 'string' && item.status === 'Accepted' && item.requestType === 'standard' && item.partyOrgNo === CUSTOMER_ORG_NO,
	// A token the fake issued for the read scope, so the call after a scripted fault is answered for real.
	scriptPrefix: (fakes) => [TOKEN_ANSWER(fakes.altinnSystemUser.issueVendorToken(vendor.clientId, SCOPE_SYSTEMUSER_REQUEST_READ))],
	provider: {
		unavailable: api(retried(`^Altinn failed to ${VENDOR_CALL} \\(503 Service Unavailable`), /Try again later/, 4),
		badGatewayPage: api(retried(`^Altinn failed to ${VENDOR_CALL} \\(502 Bad Gateway`), /Try again later/, 4),
		gatewayTimeout: api(retried(`^Altinn failed to ${VENDOR_CALL} \\(504 Gateway Timeout`), /Try again later/, 4),
		serverError: api(new RegExp(`^Altinn failed to ${VENDOR_CALL} \\(500 Internal Server Error\\)$`), /Try again later/, 2),
		htmlPage: api(new RegExp(`^Altinn answered with a web page when asked to ${VENDOR_CALL} \\(200 OK\\)$`), /a proxy or login page/, 2),
		truncatedJson: notJson,
		malformedJson: notJson,
		truncatedXml: notJson,
		malformedXml: notJson,
		xmlBomb: notJson,
		externalEntity: notJson,
		teapot: api(new RegExp(`^Altinn refused to ${VENDOR_CALL} \\(418 I'm a teapot\\)$`), /Read Altinn's message/, 2),
		oddSuccess: api(new RegExp(`^Altinn answered with an unexpected status when asked to ${VENDOR_CALL} \\(299 unknown\\)$`), /Check the platform address/, 2),
	} satisfies Record<ProviderCaseId, Expected>,
	overrides: { ...afterTokenAnswer(), ...retriedThenOk(2) },
	own: [
		{
			id: 'unknownRequest',
			description: 'a request ID Altinn does not know (404, AUTH-00010)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => void fakes.altinnSystemUser.systemUserRequests.delete(REQUEST_ID),
			expected: api(/^There is no such system-user request \(404 Not Found\)$/, /^The service said: "AUTH-00010: The Id does not refer to a Request in our system\." — Check the request ID\.$/, 2),
		},
		{
			id: 'missingScope',
			description: 'the vendor API refuses the token for lack of the read scope (403)',
			retryAllowed: false,
			script: () => [{ status: 403, reason: 'Forbidden', body: '' }],
			expected: api(new RegExp(`^Altinn did not let this token ${VENDOR_CALL} \\(403 Forbidden\\)$`), /must carry the scope altinn:authentication\/systemuser\.request\.read/, 2),
		},
		{
			id: 'vendorNotInToken',
			description: 'Altinn finds no vendor in the token (401, AUTH-00023)',
			retryAllowed: false,
			script: () => [
				json(401, { title: "Can't resolve the Organisation Number for the Vendor from the Token.", status: 401, code: 'AUTH-00023' }),
			],
			expected: api(new RegExp(`^Altinn did not let this token ${VENDOR_CALL} \\(401 Unauthorized\\)$`), /send the Maskinporten token itself/, 2),
		},
		{
			id: 'readScopeNotGranted',
			description: 'a client Maskinporten does not give the read scope (invalid_scope)',
			retryAllowed: false,
			script: () => [],
			overrides: { clientId: LIMITED_CLIENT_ID },
			expected: api(/^Maskinporten did not give this client access \(400 Bad Request\)$/, /systemuser\.request\.read/, 1),
		},
		WRONG_KEY_CASE,
		{
			id: 'unknownStatus',
			description: 'a request in a status the node does not know',
			retryAllowed: false,
			script: () => [json(200, { id: REQUEST_ID, status: 'Pending', systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO })],
			expected: api(new RegExp(`^Altinn reported a status this node does not know \\("Pending"\\) when asked to ${VENDOR_CALL}$`), /The known statuses are New, /, 2),
		},
		{
			id: 'noRequestId',
			description: 'a 200 answer without the request ID',
			retryAllowed: false,
			script: () => [json(200, { status: 'Accepted' })],
			expected: api(new RegExp(`^Altinn's answer when asked to ${VENDOR_CALL} has no request ID$`), /changed its API/, 2),
		},
	],
	fields: [CLIENT_ID_FIELD],
	utf8: {
		// Looked up by an external reference in æøå: percent-encoded UTF-8 in the path.
		overrides: { externalRef: UTF8_REFERENCE },
		requests: 2,
		check: (_request, requests) => {
			const call = requests[1];
			const encoded = call.path.split('/').pop() ?? '';
			expect(encoded).toBe('avdeling-%C3%A6%C3%B8%C3%A5-%C3%86rlig');
			expect(call.path).toBe(`/authentication/api/v1/systemuser/request/vendor/byexternalref/${SYSTEM_ID}/${CUSTOMER_ORG_NO}/${encoded}`);
			expect(grantClaims(requests[0]).scope).toBe(SCOPE_SYSTEMUSER_REQUEST_READ);
		},
	},
};
