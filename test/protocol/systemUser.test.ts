import { randomUUID, verify } from 'node:crypto';

import {
	buildExchangeRequest,
	buildMaskinportenGrant,
	buildMaskinportenTokenRequest,
	readExchangeAnswer,
	readMaskinportenTokenAnswer,
} from '../../nodes/Altinn/protocol/maskinporten';
import type { MaskinportenGrantOptions } from '../../nodes/Altinn/protocol/maskinporten';
import { checkOrganisationNumber, organisationNumberCheckDigit } from '../../nodes/Altinn/protocol/orgNumber';
import { readSystemUserFacts, readSystemUserTokenAnswer, systemUserAuthorizationDetails } from '../../nodes/Altinn/protocol/systemUserToken';
import { VENDOR_CALLS, readChangeRequestAnswer, readSystemUserListAnswer, readSystemUserRequestAnswer, readSystemUserRequestListAnswer } from '../../nodes/Altinn/protocol/vendorAnswers';
import { SCOPE_SYSTEMREGISTER_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMUSER_REQUEST_WRITE, accessPackagesFromUrns, buildCreateAgentSystemUserRequest, buildCreateChangeRequest, buildCreateSystemUserRequest, buildGetChangeRequest, buildGetChangeRequestByExternalRef, buildGetSystemUserRequest, buildGetSystemUserRequestByExternalRef, buildListSystemUserRequestsRequest, buildListSystemUsersRequest, rightsFromResourceIds } from '../../nodes/Altinn/protocol/vendorRequests';
import type { CreateSystemUserRequest } from '../../nodes/Altinn/protocol/vendorRequests';
import { DEFAULT_TRANSPORT_SETTINGS, sendRequest } from '../../nodes/shared/transport';
import type { HttpAnswer, HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { LoginProblem } from '../../nodes/shared/protocol/loginProblem';
import { makeKeyClient } from '../fakes/fakeAltinn3';
import { CUSTOMER_ORG_NO, FakeAltinnSystemUser, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { answer, jsonAnswer, problemOf, problemOfAsync } from '../helpers/answers';
import { n8nHttpRequestHelper } from '../helpers/n8nRunner';

const VENDOR_SCOPES = [SCOPE_SYSTEMUSER_REQUEST_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMREGISTER_WRITE].join(' ');
const APP_SCOPE = 'altinn:instances.write';
const SYSTEM_ID = `${VENDOR_ORG_NO}_lonn`;
const RIGHT = { resource: [{ id: 'urn:altinn:resource', value: 'ske-krav-og-betalinger' }] };
const OTHER_RIGHT = { resource: [{ id: 'urn:altinn:resource', value: 'app_ttd_example' }] };
const PACKAGE = { urn: 'urn:altinn:accesspackage:regnskapsforer-lonn' };

/** Independent of the code under test: the check digit by the published rule, or null for remainder 1. */
function checkDigitByHand(firstEight: string): number | null {
	const weights = [3, 2, 7, 6, 5, 4, 3, 2];
	let sum = 0;
	for (let i = 0; i < 8; i++) sum += weights[i] * Number(firstEight[i]);
	const remainder = sum % 11;
	if (remainder === 1) return null;
	return remainder === 0 ? 0 : 11 - remainder;
}

const vendorClient = makeKeyClient();
const readOnlyClient = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-00000000000f' };
const helper = n8nHttpRequestHelper();
let fake: FakeAltinnSystemUser;

async function send(spec: HttpRequestSpec): Promise<HttpAnswer> {
	return await sendRequest(helper, spec, { ...DEFAULT_TRANSPORT_SETTINGS, timeoutMs: 5_000 });
}

async function maskinportenAnswer(scopes: string, options: MaskinportenGrantOptions = {}, client = vendorClient): Promise<HttpAnswer> {
	const grant = buildMaskinportenGrant({ ...client, maskinportenUrl: fake.baseUrl, scopes }, new Date(), randomUUID(), options);
	return await send(buildMaskinportenTokenRequest(fake.baseUrl, grant));
}

async function vendorToken(scopes = VENDOR_SCOPES, client = vendorClient): Promise<string> {
	return readMaskinportenTokenAnswer(await maskinportenAnswer(scopes, {}, client), new Date()).accessToken;
}

function request(overrides: Partial<CreateSystemUserRequest> = {}): CreateSystemUserRequest {
	return { systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO, rights: [RIGHT], redirectUrl: 'https://vendor.example/altinn/back?id=1', ...overrides };
}

beforeEach(async () => {
	fake = await new FakeAltinnSystemUser().start();
	fake.registerVendorClient(vendorClient.clientId, vendorClient.keyId, vendorClient.publicKey, `${VENDOR_SCOPES} ${APP_SCOPE}`);
	fake.registerVendorClient(readOnlyClient.clientId, readOnlyClient.keyId, readOnlyClient.publicKey, SCOPE_SYSTEMUSER_REQUEST_READ);
	fake.addSystem({
		id: SYSTEM_ID,
		clientId: [vendorClient.clientId],
		rights: [RIGHT, OTHER_RIGHT],
		accessPackages: [PACKAGE],
		allowedRedirectUrls: ['https://vendor.example/altinn/back'],
	});
});

afterEach(async () => {
	await fake.stop();
});

describe('organisation numbers', () => {
	it('accepts numbers whose check digit follows modulus 11, with spaces trimmed', () => {
		for (const number of ['974761076', '991825827', '310547891', '313367002', '314112938']) {
			expect(checkDigitByHand(number.slice(0, 8))).toBe(Number(number[8]));
			expect(checkOrganisationNumber(number)).toBe(number);
		}
		expect(checkOrganisationNumber(' 974 761 076 ')).toBe('974761076');
	});

	it('agrees with the rule by hand on many computed numbers, remainder 0 and remainder 1 included', () => {
		let remainderZero = 0;
		let remainderOne = 0;
		for (let n = 0; n < 1000; n++) {
			const firstEight = String(31000000 + n * 3331).padStart(8, '0').slice(0, 8);
			const expected = checkDigitByHand(firstEight);
			expect(organisationNumberCheckDigit(firstEight)).toBe(expected);
			if (expected === null) {
				remainderOne++;
				for (let digit = 0; digit <= 9; digit++) expect(() => checkOrganisationNumber(`${firstEight}${digit}`)).toThrow(LoginProblem);
			} else {
				if (expected === 0) remainderZero++;
				expect(checkOrganisationNumber(`${firstEight}${expected}`)).toBe(`${firstEight}${expected}`);
				expect(problemOf(() => checkOrganisationNumber(`${firstEight}${(expected + 1) % 10}`)).details.kind).toBe('badInput');
			}
		}
		expect(remainderZero).toBeGreaterThan(0);
		expect(remainderOne).toBeGreaterThan(0);
	});

	it('refuses a wrong check digit, a wrong length and letters before any request', () => {
		expect(problemOf(() => checkOrganisationNumber('974761077')).message).toMatch(/check digit/);
		expect(problemOf(() => checkOrganisationNumber('97476107')).message).toMatch(/not 9 digits/);
		expect(problemOf(() => checkOrganisationNumber('9747610760')).message).toMatch(/not 9 digits/);
		expect(problemOf(() => checkOrganisationNumber('NO974761076')).details.kind).toBe('badInput');
		expect(() => buildCreateSystemUserRequest('https://x', 't', request({ partyOrgNo: '974761077' }))).toThrow(/check digit/);
	});
});

describe('the system-user grant and token', () => {
	it('puts the customer, and the external reference inside the entry, in authorization_details', () => {
		expect(systemUserAuthorizationDetails(' 310 547 891 ')).toEqual({
			type: 'urn:altinn:systemuser',
			systemuser_org: { authority: 'iso6523-actorid-upis', ID: '0192:310547891' },
		});
		expect(systemUserAuthorizationDetails(CUSTOMER_ORG_NO, ' kunde-7 ').externalRef).toBe('kunde-7');
		expect(() => systemUserAuthorizationDetails('123')).toThrow(LoginProblem);
	});

	it('signs with RS384 and RS512 when asked and adds the resource claim and nothing else; the fake verifies them', async () => {
		for (const [algorithm, digest] of [['RS384', 'RSA-SHA384'], ['RS512', 'RSA-SHA512']] as const) {
			const grant = buildMaskinportenGrant({ ...vendorClient, scopes: APP_SCOPE, maskinportenUrl: fake.baseUrl }, new Date(), randomUUID(), {
				algorithm,
				resource: 'https://api.example/skatt',
			});
			const [head, body, signature] = grant.split('.');
			expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toMatchObject({ alg: algorithm });
			expect(verify(digest, Buffer.from(`${head}.${body}`), vendorClient.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
			const token = readMaskinportenTokenAnswer(await send(buildMaskinportenTokenRequest(fake.baseUrl, grant)), new Date());
			expect(JSON.parse(Buffer.from(token.accessToken.split('.')[1], 'base64url').toString()).aud).toBe('https://api.example/skatt');
		}
		const claims = fake.grants[fake.grants.length - 1].claims;
		expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'resource', 'scope']);
		const plain = buildMaskinportenGrant({ ...vendorClient, maskinportenUrl: fake.baseUrl }, new Date());
		expect(Object.keys(JSON.parse(Buffer.from(plain.split('.')[1], 'base64url').toString())).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'scope']);
		const client = { ...vendorClient, maskinportenUrl: fake.baseUrl };
		expect(problemOf(() => buildMaskinportenGrant(client, new Date(), 'j', { resource: ' ' })).details.kind).toBe('badInput');
		expect(problemOf(() => buildMaskinportenGrant(client, new Date(), 'j', { algorithm: 'HS256' as never })).message).toMatch(/not one Maskinporten takes/);
	});

	it('is refused as "not approved" for a customer without an accepted system user, with how to ask', async () => {
		const details = [systemUserAuthorizationDetails(CUSTOMER_ORG_NO)];
		const refused = await maskinportenAnswer(APP_SCOPE, { authorizationDetails: details });
		const problem = problemOf(() => readSystemUserTokenAnswer(refused, CUSTOMER_ORG_NO, new Date()));
		expect(problem.details.kind).toBe('rejected');
		expect(problem.message).toBe(`This customer (org no ${CUSTOMER_ORG_NO}) has not approved a system user for your system`);
		expect(problem.details.hint).toMatch(/Create Request.*confirmUrl/);
		expect(problem.details.providerMessage).toMatch(/^invalid_altinn_customer_configuration/);
		expect(fake.grants[fake.grants.length - 1].claims.authorization_details).toEqual(details);
	});

	it('after approval gives a token that says which system user, system and customer it acts for', async () => {
		const created = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, await vendorToken(), request())), VENDOR_CALLS.createRequest);
		fake.approve(created.requestId);
		const systemUserId = [...fake.systemUsers.values()][0].id;
		const { token, systemUser } = readSystemUserTokenAnswer(
			await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [systemUserAuthorizationDetails(CUSTOMER_ORG_NO)] }),
			CUSTOMER_ORG_NO,
			new Date(),
		);
		expect(systemUser).toEqual({ systemUserId, systemUserIds: [systemUserId], systemId: SYSTEM_ID, orgNumber: CUSTOMER_ORG_NO, vendorOrgNumber: VENDOR_ORG_NO });
		expect(token.scope).toBe(APP_SCOPE);
		// Another customer of the same vendor still has none.
		const other = await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [systemUserAuthorizationDetails(OTHER_CUSTOMER_ORG_NO)] });
		expect(problemOf(() => readSystemUserTokenAnswer(other, OTHER_CUSTOMER_ORG_NO, new Date())).message).toMatch(OTHER_CUSTOMER_ORG_NO);
	});

	it('needs the external reference in the grant when the request had one', async () => {
		const created = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, await vendorToken(), request({ externalRef: 'avd-oslo' }))));
		expect(created.externalRef).toBe('avd-oslo');
		fake.approve(created.requestId);
		const without = await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [systemUserAuthorizationDetails(CUSTOMER_ORG_NO)] });
		expect(problemOf(() => readSystemUserTokenAnswer(without, CUSTOMER_ORG_NO, new Date())).details.kind).toBe('rejected');
		const withRef = await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [systemUserAuthorizationDetails(CUSTOMER_ORG_NO, 'avd-oslo')] });
		expect(readSystemUserTokenAnswer(withRef, CUSTOMER_ORG_NO, new Date()).systemUser.orgNumber).toBe(CUSTOMER_ORG_NO);
	});

	it('reads the facts from the answer when the token is opaque, and accepts "id" for "ID" and a single systemuser_id', () => {
		const detail = { type: 'urn:altinn:systemuser', systemuser_id: 'su-1', system_id: 's', systemuser_org: { authority: 'iso6523-actorid-upis', id: '0192:310547891' } };
		expect(readSystemUserFacts('opaque-token', JSON.stringify({ access_token: 'x', authorization_details: [detail] }))).toMatchObject({ systemUserId: 'su-1', orgNumber: CUSTOMER_ORG_NO, systemId: 's' });
		expect(readSystemUserFacts('opaque-token')).toEqual({ systemUserId: null, systemUserIds: [], systemId: null, orgNumber: null, vendorOrgNumber: null });
		const bad = `e30.${Buffer.from(JSON.stringify({ authorization_details: [{ ...detail, systemuser_id: [42] }] })).toString('base64url')}.c2ln`;
		expect(problemOf(() => readSystemUserFacts(bad)).details.kind).toBe('unexpectedAnswer');
	});

	it('refuses a token that says it acts for another customer than the one asked for', () => {
		const answerFor = (orgNo: string) =>
			jsonAnswer(200, {
				access_token: 'opaque-token',
				token_type: 'Bearer',
				expires_in: 120,
				authorization_details: [{ type: 'urn:altinn:systemuser', systemuser_id: ['su-1'], systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${orgNo}` } }],
			});
		const problem = problemOf(() => readSystemUserTokenAnswer(answerFor(OTHER_CUSTOMER_ORG_NO), CUSTOMER_ORG_NO, new Date()));
		expect(problem.details.kind).toBe('unexpectedAnswer');
		expect(problem.message).toBe(`Maskinporten's system-user token acts for org no ${OTHER_CUSTOMER_ORG_NO}, not for org no ${CUSTOMER_ORG_NO} that was asked for`);
		expect(readSystemUserTokenAnswer(answerFor(CUSTOMER_ORG_NO), CUSTOMER_ORG_NO, new Date()).systemUser.orgNumber).toBe(CUSTOMER_ORG_NO);
	});

	it('explains invalid_authorization_details, and leaves other refusals to the Maskinporten reader', async () => {
		const malformed = await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [{ type: 'urn:altinn:systemuser', systemuser_org: { authority: 'x', ID: '1' } }] });
		expect(problemOf(() => readSystemUserTokenAnswer(malformed, CUSTOMER_ORG_NO, new Date())).message).toMatch(/did not accept the system-user details/);
		expect(problemOf(() => readSystemUserTokenAnswer(jsonAnswer(400, { error: 'invalid_scope' }), CUSTOMER_ORG_NO, new Date())).message).toMatch(/did not give this client access/);
	});

	it('carries the system user through the exchange, and the app API accepts only the right customer', async () => {
		fake.approve(readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, await vendorToken(), request()))).requestId);
		const { token } = readSystemUserTokenAnswer(
			await maskinportenAnswer(APP_SCOPE, { authorizationDetails: [systemUserAuthorizationDetails(CUSTOMER_ORG_NO)] }),
			CUSTOMER_ORG_NO,
			new Date(),
		);
		const altinn = readExchangeAnswer(await send(buildExchangeRequest(fake.baseUrl, token.accessToken)), false);
		expect(readSystemUserFacts(altinn.token).orgNumber).toBe(CUSTOMER_ORG_NO);
		const createInstance = async (orgNo: string, bearer: string) =>
			await send({
				method: 'POST',
				url: `${fake.baseUrl}/ttd/example-app/instances`,
				headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ instanceOwner: { organisationNumber: orgNo } }),
			});
		expect((await createInstance(CUSTOMER_ORG_NO, altinn.token)).statusCode).toBe(201);
		expect((await createInstance(OTHER_CUSTOMER_ORG_NO, altinn.token)).statusCode).toBe(403);
		expect((await createInstance(CUSTOMER_ORG_NO, token.accessToken)).statusCode).toBe(401);
	});
});

describe('system-user requests against the fake', () => {
	it('creates a request (201 + Location), answers an identical repeat with 200 and the same id, and reads it by id and by external reference', async () => {
		const token = await vendorToken();
		const first = await send(buildCreateSystemUserRequest(fake.baseUrl, token, request()));
		const created = readSystemUserRequestAnswer(first, VENDOR_CALLS.createRequest);
		expect(created).toMatchObject({ status: 'New', created: true, systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO, externalRef: CUSTOMER_ORG_NO, rights: [RIGHT] });
		expect(first.statusCode).toBe(201);
		expect(created.confirmUrl).toBe(`${fake.baseUrl}/accessmanagement/ui/systemuser/request?id=${created.requestId}&DONTCHOOSEREPORTEE=true`);
		const repeat = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request())));
		expect(repeat).toMatchObject({ requestId: created.requestId, created: false });
		expect(readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, token, created.requestId))).requestId).toBe(created.requestId);
		const byRef = await send(buildGetSystemUserRequestByExternalRef(fake.baseUrl, token, { systemId: SYSTEM_ID, orgNo: CUSTOMER_ORG_NO }));
		expect(readSystemUserRequestAnswer(byRef).requestId).toBe(created.requestId);
		const sent = JSON.parse(fake.requestsTo('/authentication/api/v1/systemuser/request/vendor')[0].body) as Record<string, unknown>;
		expect(sent).toEqual({ systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO, rights: [RIGHT], redirectUrl: 'https://vendor.example/altinn/back?id=1' });
		expect(fake.requestsTo('/authentication/api/v1/systemuser/request/vendor')[0].headers.authorization).toBe(`Bearer ${token}`);
	});

	it('reads every status as the customer decides: Accepted, Rejected, Denied, Timedout', async () => {
		const token = await vendorToken();
		const decide = [
			['Accepted', (id: string) => fake.approve(id)],
			['Rejected', (id: string) => fake.reject(id)],
			['Denied', (id: string) => fake.deny(id)],
			['Timedout', (id: string) => fake.timeOut(id)],
		] as const;
		for (const [status, action] of decide) {
			const created = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request({ externalRef: `ref-${status}` }))));
			action(created.requestId);
			expect(readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, token, created.requestId))).status).toBe(status);
		}
		// After a time-out a new request may be made for the same reference.
		const again = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request({ externalRef: 'ref-Timedout' }))));
		expect(again.created).toBe(true);
	});

	it('lets a browser approve on the confirm page, then sends it to the redirect URL', async () => {
		const created = readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, await vendorToken(), request())));
		const page = await fetch(created.confirmUrl ?? '');
		const html = await page.text();
		expect(page.headers.get('content-type')).toMatch(/text\/html/);
		expect(html).toContain('Godkjenn');
		const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';
		const decided = await fetch(`${fake.baseUrl}${action.replace(/&amp;/g, '&')}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'decision=approve',
			redirect: 'manual',
		});
		expect(decided.status).toBe(302);
		expect(decided.headers.get('location')).toBe('https://vendor.example/altinn/back?id=1');
		expect(fake.decisions).toEqual([{ requestId: created.requestId, status: 'Accepted', by: 'page' }]);
		const token = await vendorToken();
		expect(readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, token, created.requestId))).status).toBe('Accepted');
		// Asking again once approved: the system user exists (AUTH-00004).
		const again = await problemOfAsync(async () => readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request())), VENDOR_CALLS.createRequest));
		expect(again.details.providerMessage).toMatch(/^AUTH-00004/);
		expect(again.details.hint).toMatch(/already has a system user/);
	});

	it('creates and reads an agent (client) request with access packages', async () => {
		const token = await vendorToken();
		const spec = buildCreateAgentSystemUserRequest(fake.baseUrl, token, { systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO, accessPackages: [PACKAGE] });
		expect(spec.url).toBe(`${fake.baseUrl}/authentication/api/v1/systemuser/request/vendor/agent`);
		const created = readSystemUserRequestAnswer(await send(spec), VENDOR_CALLS.createRequest);
		expect(created).toMatchObject({ status: 'New', accessPackages: [PACKAGE], rights: [] });
		expect(created.confirmUrl).toMatch(/\/systemuser\/agentrequest\?id=/);
		expect(readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, token, created.requestId, true))).requestId).toBe(created.requestId);
		const byRef = await send(buildGetSystemUserRequestByExternalRef(fake.baseUrl, token, { systemId: SYSTEM_ID, orgNo: CUSTOMER_ORG_NO, agent: true }));
		expect(readSystemUserRequestAnswer(byRef).requestId).toBe(created.requestId);
		expect(() => buildCreateAgentSystemUserRequest(fake.baseUrl, token, { systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO })).toThrow(/no access packages/);
	});

	it('turns Altinn problem documents into problems with Altinn\'s code and words', async () => {
		const token = await vendorToken();
		const call = async (body: CreateSystemUserRequest) => await problemOfAsync(async () => readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, body)), VENDOR_CALLS.createRequest));
		const unknownSystem = await call(request({ systemId: `${VENDOR_ORG_NO}_ukjent` }));
		expect(unknownSystem.details.providerMessage).toMatch(/^AUTH-00011: The Id does not refer to a Registered System/);
		expect(unknownSystem.details.hint).toMatch(/system register/);
		const badRedirect = await call(request({ redirectUrl: 'https://vendor.example/other' }));
		expect(badRedirect.details).toMatchObject({ kind: 'rejected', httpCode: 400 });
		expect(badRedirect.details.providerMessage).toMatch(/^AUTH-00021/);
		expect(badRedirect.details.hint).toMatch(/allowed redirect URLs/);
		const notRegisteredRight = await call(request({ rights: [{ resource: [{ id: 'urn:altinn:resource', value: 'something-else' }] }] }));
		expect(notRegisteredRight.details.providerMessage).toMatch(/^AUTH-00001/);
		const sameQueryIgnored = await send(buildCreateSystemUserRequest(fake.baseUrl, token, request({ redirectUrl: 'https://vendor.example/altinn/back?other=2', externalRef: 'q' })));
		expect(sameQueryIgnored.statusCode).toBe(201);
	});

	it('says which scope is missing on 403, and what a token without the vendor is on 401', async () => {
		const readOnly = await vendorToken(SCOPE_SYSTEMUSER_REQUEST_READ, readOnlyClient);
		const forbidden = await problemOfAsync(async () => readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, readOnly, request())), VENDOR_CALLS.createRequest));
		expect(forbidden.details).toMatchObject({ kind: 'rejected', httpCode: 403 });
		expect(forbidden.details.hint).toContain(SCOPE_SYSTEMUSER_REQUEST_WRITE);
		const list = await problemOfAsync(async () => readSystemUserListAnswer(await send(buildListSystemUsersRequest(fake.baseUrl, readOnly, SYSTEM_ID))));
		expect(list.details.hint).toContain(SCOPE_SYSTEMREGISTER_WRITE);
		const unauthorized = await problemOfAsync(async () => readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, 'not-a-token', randomUUID()))));
		expect(unauthorized.details.httpCode).toBe(401);
		expect(unauthorized.details.hint).toContain(SCOPE_SYSTEMUSER_REQUEST_READ);
		expect(problemOf(() => readSystemUserRequestAnswer(jsonAnswer(401, { code: 'AUTH-00023', title: "Can't resolve" }), VENDOR_CALLS.createRequest)).details.hint).toMatch(/Maskinporten token itself/);
	});

	it('says "no such request" on 404, and refuses HTML, broken JSON and an unknown status', async () => {
		const token = await vendorToken();
		const missing = await problemOfAsync(async () => readSystemUserRequestAnswer(await send(buildGetSystemUserRequest(fake.baseUrl, token, randomUUID()))));
		expect(missing.message).toMatch(/^There is no such system-user request \(404/);
		expect(problemOf(() => readSystemUserRequestAnswer(answer(200, { 'content-type': 'text/html' }, '<html><body>Logg inn</body></html>'))).message).toMatch(/web page/);
		expect(problemOf(() => readSystemUserRequestAnswer(answer(200, {}, '{"id":'))).message).toMatch(/not valid JSON/);
		const unknown = problemOf(() => readSystemUserRequestAnswer(jsonAnswer(200, { id: 'x', status: 'Escalated' })));
		expect(unknown.details.kind).toBe('unexpectedAnswer');
		expect(unknown.message).toMatch(/status this node does not know \("Escalated"\)/);
		expect(problemOf(() => readSystemUserRequestAnswer(jsonAnswer(200, { status: 'New' }))).message).toMatch(/no request ID/);
		expect(problemOf(() => readSystemUserRequestAnswer(answer(503, {}, '', 'Service Unavailable'))).details.kind).toBe('unavailable');
		expect(readSystemUserRequestAnswer(jsonAnswer(200, { id: 'x', status: 'accepted' })).status).toBe('Accepted');
	});

	it("reads a gateway's error page (502) as Altinn being down, not as a wrong address; a web page with a 4xx still points at the address", () => {
		const page = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>';
		const down = problemOf(() => readSystemUserRequestAnswer(answer(502, { 'content-type': 'text/html' }, page, 'Bad Gateway')));
		expect(down.details.kind).toBe('unavailable');
		expect(down.message).toBe('Altinn failed to read the system-user request (502 Bad Gateway)');
		expect(down.details.hint).toMatch(/Try again later/);
		expect(down.details.providerMessage).toBeUndefined();
		const login = problemOf(() => readSystemUserRequestAnswer(answer(403, { 'content-type': 'text/html' }, page, 'Forbidden')));
		expect(login.details.kind).toBe('unexpectedAnswer');
		expect(login.message).toBe('Altinn answered with a web page when asked to read the system-user request (403 Forbidden)');
		expect(login.details.hint).toMatch(/platform address/);
	});

	it('checks its own input before sending', () => {
		expect(() => buildCreateSystemUserRequest('https://x', 't', request({ rights: [], accessPackages: [] }))).toThrow(/no rights and no access packages/);
		expect(() => buildCreateSystemUserRequest('https://x', 't', request({ redirectUrl: 'http://vendor.example/back' }))).toThrow(/https/);
		expect(() => buildCreateSystemUserRequest('https://x', 't', request({ systemId: 'a b' }))).toThrow(/spaces or slashes/);
		expect(() => buildCreateSystemUserRequest('https://x', ' ', request())).toThrow(/no usable Maskinporten token/);
		expect(() => buildGetSystemUserRequest('https://x', 't', '../../admin')).toThrow(/not a UUID/);
		expect(buildGetSystemUserRequestByExternalRef('https://x/', 't', { systemId: SYSTEM_ID, orgNo: CUSTOMER_ORG_NO, externalRef: 'a/b c' }).url).toBe(
			`https://x/authentication/api/v1/systemuser/request/vendor/byexternalref/${SYSTEM_ID}/${CUSTOMER_ORG_NO}/a%2Fb%20c`,
		);
	});
});

describe('change requests against the fake', () => {
	async function approvedSystemUser(token: string): Promise<string> {
		fake.approve(readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request()))).requestId);
		return [...fake.systemUsers.values()][0].id;
	}

	it('creates a change request (201), repeats it (200), reads it, and the customer approves the new rights', async () => {
		const token = await vendorToken();
		const systemUserId = await approvedSystemUser(token);
		const correlationId = randomUUID();
		const spec = buildCreateChangeRequest(fake.baseUrl, token, { correlationId, systemUserId, requiredRights: [OTHER_RIGHT], redirectUrl: 'https://vendor.example/altinn/back' });
		expect(spec.url).toBe(`${fake.baseUrl}/authentication/api/v1/systemuser/changerequest/vendor?correlation-id=${correlationId}&system-user-id=${systemUserId}`);
		const created = readChangeRequestAnswer(await send(spec), VENDOR_CALLS.createChangeRequest);
		expect(created).toMatchObject({ requestId: correlationId, status: 'New', created: true, systemUserId, requiredRights: [OTHER_RIGHT] });
		expect(created.confirmUrl).toMatch(/\/systemuser\/changerequest\?id=/);
		expect(readChangeRequestAnswer(await send(spec)).created).toBe(false);
		fake.approve(correlationId);
		expect(readChangeRequestAnswer(await send(buildGetChangeRequest(fake.baseUrl, token, correlationId))).status).toBe('Accepted');
		const byRef = await send(buildGetChangeRequestByExternalRef(fake.baseUrl, token, { systemId: SYSTEM_ID, orgNo: CUSTOMER_ORG_NO }));
		expect(readChangeRequestAnswer(byRef).requestId).toBe(correlationId);
		expect(fake.systemUsers.get(systemUserId)?.rights).toEqual([RIGHT, OTHER_RIGHT]);
	});

	it('answers NoChangeNeeded when nothing would change, and "no such system user" for an unknown one', async () => {
		const token = await vendorToken();
		const systemUserId = await approvedSystemUser(token);
		const none = readChangeRequestAnswer(await send(buildCreateChangeRequest(fake.baseUrl, token, { correlationId: randomUUID(), systemUserId })), VENDOR_CALLS.createChangeRequest);
		expect(none.status).toBe('NoChangeNeeded');
		expect(none.confirmUrl).toBeNull();
		const unknown = await problemOfAsync(async () =>
			readChangeRequestAnswer(await send(buildCreateChangeRequest(fake.baseUrl, token, { correlationId: randomUUID(), systemUserId: randomUUID(), requiredRights: [RIGHT] })), VENDOR_CALLS.createChangeRequest),
		);
		expect(unknown.message).toMatch(/^There is no such system user/);
		expect(unknown.details.providerMessage).toMatch(/^AUTH-00015/);
		expect(() => buildCreateChangeRequest(fake.baseUrl, token, { correlationId: systemUserId, systemUserId })).toThrow(/correlation ID/);
	});

	it('reads a plain-text 400 as Altinn\'s words', () => {
		const problem = problemOf(() => readChangeRequestAnswer(answer(400, { 'content-type': 'text/plain' }, 'Missing or invalid QueryParameter: correlation-id.'), VENDOR_CALLS.createChangeRequest));
		expect(problem.details).toMatchObject({ kind: 'rejected', providerMessage: 'Missing or invalid QueryParameter: correlation-id.' });
	});
});

describe('the list of system users', () => {
	it('lists approved system users page by page, following Altinn\'s next link only on the same platform', async () => {
		const token = await vendorToken();
		for (const ref of ['a', 'b', 'c']) fake.approve(readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request({ externalRef: ref })))).requestId);
		const first = readSystemUserListAnswer(await send(buildListSystemUsersRequest(fake.baseUrl, token, SYSTEM_ID)));
		expect(first.systemUsers.map((user) => user.externalRef)).toEqual(['a', 'b']);
		expect(first.next).not.toBeNull();
		const second = readSystemUserListAnswer(await send(buildListSystemUsersRequest(fake.baseUrl, token, SYSTEM_ID, first.next)));
		expect(second).toMatchObject({ next: null, systemUsers: [{ externalRef: 'c', reporteeOrgNo: CUSTOMER_ORG_NO, systemId: SYSTEM_ID }] });
		expect(() => buildListSystemUsersRequest(fake.baseUrl, token, SYSTEM_ID, 'https://evil.example/steal')).toThrow(/another address/);
		expect(readSystemUserListAnswer(jsonAnswer(200, [{ id: 'x' }])).systemUsers).toHaveLength(1);
		expect(problemOf(() => readSystemUserListAnswer(jsonAnswer(200, { items: [] }))).details.kind).toBe('unexpectedAnswer');
	});
});

describe('the requests of a system', () => {
	it('lists standard requests of every status page by page, with the agent requests apart, following next only on the same platform', async () => {
		const token = await vendorToken();
		const made = [];
		for (const ref of ['a', 'b', 'c']) made.push(readSystemUserRequestAnswer(await send(buildCreateSystemUserRequest(fake.baseUrl, token, request({ externalRef: ref })))));
		fake.approve(made[0].requestId);
		fake.reject(made[2].requestId);
		const agent = readSystemUserRequestAnswer(
			await send(buildCreateAgentSystemUserRequest(fake.baseUrl, token, { systemId: SYSTEM_ID, partyOrgNo: OTHER_CUSTOMER_ORG_NO, accessPackages: [PACKAGE] })),
		);
		const firstSpec = buildListSystemUserRequestsRequest(fake.baseUrl, token, SYSTEM_ID);
		expect(firstSpec.url).toBe(`${fake.baseUrl}/authentication/api/v1/systemuser/request/vendor/bysystem/${SYSTEM_ID}`);
		const first = readSystemUserRequestListAnswer(await send(firstSpec));
		expect(first.requests.map((entry) => [entry.externalRef, entry.status])).toEqual([
			['a', 'Accepted'],
			['b', 'New'],
		]);
		expect(first.requests[0]).toMatchObject({ requestId: made[0].requestId, systemId: SYSTEM_ID, partyOrgNo: CUSTOMER_ORG_NO, rights: [RIGHT], created: false });
		expect(typeof first.requests[0].createdAt).toBe('string');
		const second = readSystemUserRequestListAnswer(await send(buildListSystemUserRequestsRequest(fake.baseUrl, token, SYSTEM_ID, { next: first.next })));
		expect(second).toMatchObject({ next: null, requests: [{ externalRef: 'c', status: 'Rejected' }] });
		const agents = readSystemUserRequestListAnswer(await send(buildListSystemUserRequestsRequest(fake.baseUrl, token, SYSTEM_ID, { agent: true })));
		expect(agents.requests.map((entry) => entry.requestId)).toEqual([agent.requestId]);
		expect(fake.requests[fake.requests.length - 1].path).toBe(`/authentication/api/v1/systemuser/request/vendor/agent/bysystem/${SYSTEM_ID}`);
		// The token goes with the link: one to another origin is refused, not followed.
		fake.nextPageBase = 'http://127.0.0.2:9';
		const linked = readSystemUserRequestListAnswer(await send(buildListSystemUserRequestsRequest(fake.baseUrl, token, SYSTEM_ID)));
		expect(() => buildListSystemUserRequestsRequest(fake.baseUrl, token, SYSTEM_ID, { next: linked.next })).toThrow(/another address/);
		expect(() => buildListSystemUserRequestsRequest(fake.baseUrl, token, 'no such/system')).toThrow(/spaces or slashes/);
	});

	it('needs the request read scope, and says which; an unknown system is a 404 with the system ID hint', async () => {
		const writeOnly = await vendorToken(SCOPE_SYSTEMUSER_REQUEST_WRITE);
		const refused = problemOf(() => readSystemUserRequestListAnswer(answerOf403()));
		expect(refused.details.hint).toContain(SCOPE_SYSTEMUSER_REQUEST_READ);
		const live = await problemOfAsync(async () => readSystemUserRequestListAnswer(await send(buildListSystemUserRequestsRequest(fake.baseUrl, writeOnly, SYSTEM_ID))));
		expect(live.details).toMatchObject({ kind: 'rejected', httpCode: 403 });
		expect(live.message).toMatch(/list the system-user requests of the system/);
		expect(live.details.hint).toContain(SCOPE_SYSTEMUSER_REQUEST_READ);
		const unknown = await problemOfAsync(async () =>
			readSystemUserRequestListAnswer(await send(buildListSystemUserRequestsRequest(fake.baseUrl, await vendorToken(), `${VENDOR_ORG_NO}_ukjent`))),
		);
		expect(unknown.details.providerMessage).toMatch(/AUTH-00011/);
		expect(VENDOR_CALLS.listRequests.scope).toBe(SCOPE_SYSTEMUSER_REQUEST_READ);
	});

	it('reads a bare array as one last page, and refuses an entry with a status it does not know', () => {
		expect(readSystemUserRequestListAnswer(jsonAnswer(200, [{ id: 'r1', status: 'Timedout' }])).requests[0]).toMatchObject({ requestId: 'r1', status: 'Timedout', createdAt: null });
		expect(problemOf(() => readSystemUserRequestListAnswer(jsonAnswer(200, { data: [{ id: 'r1', status: 'Escalated' }] }))).message).toMatch(/status this node does not know/);
		expect(problemOf(() => readSystemUserRequestListAnswer(jsonAnswer(200, { requests: [] }))).details.kind).toBe('unexpectedAnswer');
	});
});

describe('rights and access packages as people type them', () => {
	it('turns comma-separated resource IDs into Altinn\'s rights shape, a pasted URN included, without repeats', () => {
		expect(rightsFromResourceIds('ske-mva-melding, app_ttd_example,urn:altinn:resource:ske-mva-melding')).toEqual([
			{ resource: [{ id: 'urn:altinn:resource', value: 'ske-mva-melding' }] },
			{ resource: [{ id: 'urn:altinn:resource', value: 'app_ttd_example' }] },
		]);
		expect(rightsFromResourceIds('  ')).toEqual([]);
		expect(problemOf(() => rightsFromResourceIds('ske/mva')).details.kind).toBe('badInput');
	});

	it('reads access package URNs, and gives a bare name the prefix', () => {
		expect(accessPackagesFromUrns('urn:altinn:accesspackage:regnskapsforer-lonn, skattegrunnlag')).toEqual([
			{ urn: 'urn:altinn:accesspackage:regnskapsforer-lonn' },
			{ urn: 'urn:altinn:accesspackage:skattegrunnlag' },
		]);
		expect(problemOf(() => accessPackagesFromUrns('urn:altinn:resource:x')).message).toMatch(/not an access package URN/);
	});
});

function answerOf403(): HttpAnswer {
	return answer(403, {}, '', 'Forbidden');
}
