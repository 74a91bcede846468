import { randomUUID } from 'node:crypto';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { buildMaskinportenGrant, buildMaskinportenTokenRequest, readMaskinportenTokenAnswer } from '../../nodes/Altinn/protocol/maskinporten';
import {
	SCOPE_SYSTEMUSER_REQUEST_READ,
	SCOPE_SYSTEMUSER_REQUEST_WRITE,
	buildCreateSystemUserRequest,
	readSystemUserFacts,
	readSystemUserRequestAnswer,
} from '../../nodes/Altinn/protocol/systemUser';
import type { HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { DEFAULT_TRANSPORT_SETTINGS, sendRequest } from '../../nodes/shared/transport';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CUSTOMER_ORG_NO, FakeAltinnSystemUser, OTHER_CUSTOMER_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import { n8nHttpRequestHelper } from '../helpers/n8nRunner';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const SYSTEM_ID = '991825827_regnskap';
const APP_SCOPE = 'altinn:instances.write';
const RIGHT = { resource: [{ id: 'urn:altinn:resource', value: 'ske-mva-melding' }] };
/** A third customer, with a valid organisation number, who never approves. */
const THIRD_CUSTOMER = '312345676';

const node = new AltinnAuthenticate();
const vendor = makeKeyClient();
let fake: FakeAltinnSystemUser;

function credential() {
	return altinnMaskinportenCredentialData(vendor, fake.baseUrl, APP_SCOPE);
}

const runner = new RecordingRunner(() => ({
	credentials: { altinnMaskinportenApi: credential() },
	typeVersion: 2,
	parameters: { authentication: 'systemUser', customerOrgNumber: '={{ $json.orgNumber }}' },
}));
const customers = (...orgNumbers: string[]): RunOptions => ({ input: orgNumbers.map((orgNumber) => ({ json: { orgNumber } })) });

async function send(request: HttpRequestSpec) {
	return await sendRequest(n8nHttpRequestHelper(), request, { ...DEFAULT_TRANSPORT_SETTINGS, timeoutMs: 5_000 });
}

/** The vendor asks the customer (as the Altinn System User node will) and a person at the customer approves. */
async function approvedSystemUser(orgNo: string, externalRef?: string): Promise<void> {
	const grant = buildMaskinportenGrant({ ...vendor, maskinportenUrl: fake.baseUrl, scopes: SCOPE_SYSTEMUSER_REQUEST_WRITE }, new Date(), randomUUID());
	const vendorToken = readMaskinportenTokenAnswer(await send(buildMaskinportenTokenRequest(fake.baseUrl, grant)), new Date()).accessToken;
	const created = readSystemUserRequestAnswer(
		await send(buildCreateSystemUserRequest(fake.baseUrl, vendorToken, { systemId: SYSTEM_ID, partyOrgNo: orgNo, rights: [RIGHT], externalRef })),
	);
	fake.approve(created.requestId);
}

beforeAll(async () => {
	fake = await new FakeAltinnSystemUser().start();
	fake.registerVendorClient(vendor.clientId, vendor.keyId, vendor.publicKey, `${APP_SCOPE} ${SCOPE_SYSTEMUSER_REQUEST_WRITE} ${SCOPE_SYSTEMUSER_REQUEST_READ}`);
	fake.addSystem({ id: SYSTEM_ID, clientId: [vendor.clientId], rights: [RIGHT] });
	await approvedSystemUser(CUSTOMER_ORG_NO);
	await approvedSystemUser(OTHER_CUSTOMER_ORG_NO, 'avd-bergen');
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => fake.clearRequests());

describe('Altinn Authenticate: Altinn 3 System User', () => {
	it('gets a token for an approved customer that says who it acts for, and the app accepts it for that customer only', async () => {
		const [item] = await runner.items(node, customers(CUSTOMER_ORG_NO));
		const json = item.json as Record<string, unknown>;
		const systemUser = [...fake.systemUsers.values()].find((candidate) => candidate.reporteeOrgNo === CUSTOMER_ORG_NO);
		expect(json).toMatchObject({
			provider: 'altinn3',
			environment: 'custom',
			orgNumber: CUSTOMER_ORG_NO,
			systemUserId: systemUser?.id,
			systemId: SYSTEM_ID,
			reused: false,
		});
		expect(typeof json.expiresAt).toBe('string');
		expect(readSystemUserFacts(String(json.token)).orgNumber).toBe(CUSTOMER_ORG_NO);
		// The grant carried the customer in authorization_details.
		expect(fake.grants[fake.grants.length - 1].claims.authorization_details).toEqual([
			{ type: 'urn:altinn:systemuser', systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${CUSTOMER_ORG_NO}` } },
		]);
		const createInstance = async (orgNo: string) =>
			await fetch(`${fake.baseUrl}/ttd/example-app/instances`, {
				method: 'POST',
				headers: { ...(json.headers as Record<string, string>), 'Content-Type': 'application/json' },
				body: JSON.stringify({ instanceOwner: { organisationNumber: orgNo } }),
			});
		expect((await createInstance(CUSTOMER_ORG_NO)).status).toBe(201);
		expect((await createInstance(OTHER_CUSTOMER_ORG_NO)).status).toBe(403);
	});

	it('serves a list of customers item by item: the one who has not approved fails alone with how to ask (Continue On Fail)', async () => {
		const items = await runner.items(node, { ...customers(CUSTOMER_ORG_NO, THIRD_CUSTOMER, CUSTOMER_ORG_NO), continueOnFail: true });
		expect(items.map((item) => item.json.orgNumber ?? null)).toEqual([CUSTOMER_ORG_NO, null, CUSTOMER_ORG_NO]);
		expect(items[1].json.error).toBe(`This customer (org no ${THIRD_CUSTOMER}) has not approved a system user for your system`);
		expect(String(items[1].json.description)).toMatch(/Create Request/);
		// The error rides on the item, so "Continue (using error output)" sends it to the error output.
		expect(items[1].error?.message).toBe(items[1].json.error);
		// Token reuse is per customer: the third item reused the first one's token.
		expect(items[2].json.reused).toBe(true);
		expect(fake.requestsTo('/token')).toHaveLength(2);
	});

	it('refuses a wrong organisation number before any request', async () => {
		const error = await runner.failure(node, customers('310547892'));
		expect(error.message).toMatch(/organisation number/);
		expect(fake.requests).toHaveLength(0);
	});

	it('sends the external reference inside the grant when the request had one', async () => {
		const refused = await runner.failure(node, customers(OTHER_CUSTOMER_ORG_NO));
		expect(refused.message).toMatch(/has not approved/);
		const [item] = await runner.items(node, { ...customers(OTHER_CUSTOMER_ORG_NO), parameters: { authentication: 'systemUser', customerOrgNumber: '={{ $json.orgNumber }}', externalRef: 'avd-bergen' } });
		expect(item.json.orgNumber).toBe(OTHER_CUSTOMER_ORG_NO);
	});

	it('leaks no private key in any output or error', () => {
		expect(leakedSecrets(runner.produced, { privateKey: vendor.privateKeyPem, privateKeyBody: vendor.privateKeyPem.split('\n')[1] })).toEqual([]);
		expect(runner.produced.length).toBeGreaterThan(0);
	});
});
