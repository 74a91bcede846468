import { randomUUID } from 'node:crypto';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { buildMaskinportenGrant, buildMaskinportenTokenRequest, readMaskinportenTokenAnswer } from '../../nodes/Altinn/protocol/maskinporten';
import { readSystemUserFacts } from '../../nodes/Altinn/protocol/systemUserToken';
import { readSystemUserRequestAnswer } from '../../nodes/Altinn/protocol/vendorAnswers';
import { SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMUSER_REQUEST_WRITE, buildCreateSystemUserRequest } from '../../nodes/Altinn/protocol/vendorRequests';
import type { HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { DEFAULT_TRANSPORT_SETTINGS, sendRequest } from '../../nodes/shared/transport';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CUSTOMER_ORG_NO, FakeAltinnSystemUser, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
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

/** Version 3: the credential's login (Altinn 3) and whom it acts for are two fields. */
const FOR_CUSTOMER = { authentication: 'maskinporten', actFor: 'customer', customerOrgNumber: '={{ $json.orgNumber }}' };
const runner = new RecordingRunner(() => ({
	credentials: { altinnMaskinportenApi: credential() },
	typeVersion: 3,
	parameters: FOR_CUSTOMER,
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
			actsFor: 'customer',
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
		expect(items.map((item) => item.json.orgNumber)).toEqual([CUSTOMER_ORG_NO, THIRD_CUSTOMER, CUSTOMER_ORG_NO]);
		// The failed item says which customer failed and what to do, for the workflow to act on (e.g. ask that customer).
		expect(items[1].json).toEqual({
			error: `This customer (org no ${THIRD_CUSTOMER}) has not approved a system user for your system`,
			description: expect.stringMatching(/Create Request/),
			actsFor: 'customer',
			orgNumber: THIRD_CUSTOMER,
		});
		// No error object rides on the item: n8n would replace its JSON with the error's message alone.
		expect(items[1].error).toBeUndefined();
		// Token reuse is per customer: the third item reused the first one's token.
		expect(items[2].json.reused).toBe(true);
		expect(fake.requestsTo('/token')).toHaveLength(2);
	});

	it('with "Continue (using error output)": the failed item holds only error and message (what to do), the keys both n8n lines move to the error output', async () => {
		const items = await runner.items(node, { ...customers(CUSTOMER_ORG_NO, THIRD_CUSTOMER), continueOnFail: true, errorOutput: true });
		expect(items[1].json).toEqual({
			error: `This customer (org no ${THIRD_CUSTOMER}) has not approved a system user for your system`,
			message: expect.stringMatching(/Create Request/),
		});
		expect(items[1].error).toBeUndefined();
	});

	it('refuses a wrong organisation number before any request', async () => {
		const error = await runner.failure(node, customers('310547892'));
		expect(error.message).toMatch(/organisation number/);
		expect(fake.requests).toHaveLength(0);
	});

	it('sends the external reference inside the grant when the request had one', async () => {
		const refused = await runner.failure(node, customers(OTHER_CUSTOMER_ORG_NO));
		expect(refused.message).toMatch(/has not approved/);
		const [item] = await runner.items(node, { ...customers(OTHER_CUSTOMER_ORG_NO), parameters: { ...FOR_CUSTOMER, externalRef: 'avd-bergen' } });
		expect(item.json.orgNumber).toBe(OTHER_CUSTOMER_ORG_NO);
	});

	it('runs version 2 workflows as they were saved: Authentication "Altinn 3 System User" acts for the customer', async () => {
		const [item] = await runner.items(node, { ...customers(CUSTOMER_ORG_NO), typeVersion: 2, parameters: { authentication: 'systemUser', customerOrgNumber: '={{ $json.orgNumber }}' } });
		expect(item.json).toMatchObject({ actsFor: 'customer', orgNumber: CUSTOMER_ORG_NO });
		expect(fake.grants.at(-1)?.claims.authorization_details).toEqual([
			{ type: 'urn:altinn:systemuser', systemuser_org: { authority: 'iso6523-actorid-upis', ID: `0192:${CUSTOMER_ORG_NO}` } },
		]);
	});

	it('acting for your organisation never acts for a customer, even with a customer number left in the parameters, and says whom it acts for', async () => {
		for (const [typeVersion, parameters] of [
			[3, { authentication: 'maskinporten', actFor: 'organisation', customerOrgNumber: CUSTOMER_ORG_NO }],
			[3, { authentication: 'maskinporten', customerOrgNumber: CUSTOMER_ORG_NO }],
			[2, { authentication: 'maskinporten', customerOrgNumber: CUSTOMER_ORG_NO }],
		] as const) {
			const [item] = await runner.items(node, { ...customers(CUSTOMER_ORG_NO), typeVersion, parameters });
			expect(item.json).toMatchObject({ actsFor: 'organisation', orgNumber: VENDOR_ORG_NO });
			expect(item.json).not.toHaveProperty('systemUserId');
			expect(fake.grants.at(-1)?.claims).not.toHaveProperty('authorization_details');
		}
	});

	it('acting for a customer with no customer number fails that item with what to fill in, and never falls back to your organisation', async () => {
		const error = await runner.failure(node, { ...customers(''), parameters: FOR_CUSTOMER });
		expect(error.message).toMatch(/organisation number/);
		expect(fake.requests).toHaveLength(0);
	});

	it('leaks no private key in any output or error', () => {
		expect(leakedSecrets(runner.produced, { privateKey: vendor.privateKeyPem, privateKeyBody: vendor.privateKeyPem.split('\n')[1] })).toEqual([]);
		expect(runner.produced.length).toBeGreaterThan(0);
	});
});
