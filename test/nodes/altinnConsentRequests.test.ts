/**
 * The Altinn Consent node (Create and Get Consent Request) against the fake Altinn, and the whole
 * round: ask, a person accepts on Altinn's page, then a consent token without the person's number.
 */
import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { AltinnConsent } from '../../nodes/Altinn/AltinnConsent.node';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CONSENT_PERSON, CONSENT_RESOURCE, DATA_PROVIDER_PATH, DATA_PROVIDER_SCOPE, FakeAltinnConsent } from '../fakes/fakeAltinnConsent';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const SCOPES = `altinn:consentrequests.write altinn:consentrequests.read ${DATA_PROVIDER_SCOPE}`;
const consumer = makeKeyClient();
const unscoped = { ...makeKeyClient(), clientId: 'a1b2c3d4-0000-4000-8000-0000000000c2' };
let fake: FakeAltinnConsent;
const nextYear = () => new Date(Date.now() + 365 * 24 * 3600_000).toISOString();

const CREATE = {
	resource: 'consentRequest',
	operation: 'createConsentRequest',
	consentFrom: '={{ $json.nationalIdNumber }}',
	consentResource: CONSENT_RESOURCE,
	metadata: 'inntektsaar=2025',
	redirectUrl: 'https://bank.example/consent-done?case=42',
	requestMessage: 'Vi trenger inntekten din for lånesøknaden.',
};
const runner = new RecordingRunner(() => ({
	credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, fake.baseUrl, SCOPES) },
	parameters: { ...CREATE, validTo: nextYear() },
	input: [{ json: { nationalIdNumber: CONSENT_PERSON.nationalIdNumber } }],
}));
const consentNode = new AltinnConsent();
const authenticate = new AltinnAuthenticate();
const create = async (options: RunOptions = {}) => (await runner.items(consentNode, options))[0].json;

beforeAll(async () => {
	fake = await new FakeAltinnConsent().start();
	fake.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, SCOPES);
	fake.registerVendorClient(unscoped.clientId, unscoped.keyId, unscoped.publicKey, DATA_PROVIDER_SCOPE);
});
afterAll(async () => await fake.stop());
beforeEach(() => fake.clearRequests());

describe('Altinn Consent: Create and Get Consent Request', () => {
	it('asks the person: the request is Created, with the page to decide on, and the output names the person only by the last two digits', async () => {
		const request = await create();
		expect(request).toMatchObject({
			status: 'Created',
			newRequest: true,
			fromKind: 'person',
			consentFrom: 'the person with national ID number ending in 04',
			fromOrgNumber: null,
			toOrgNumber: VENDOR_ORG_NO,
			viewUri: fake.viewUri(String(request.consentRequestId)),
			redirectUrl: 'https://bank.example/consent-done?case=42',
			consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: CONSENT_RESOURCE }], metadata: { inntektsaar: '2025' } }],
			events: [{ eventType: 'Created', created: expect.any(String) }],
		});
		const [post] = fake.requestsTo('/accessmanagement/api/v1/enterprise/consentrequests');
		expect(JSON.parse(post.body)).toMatchObject({ from: `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`, to: `urn:altinn:organization:identifier-no:${VENDOR_ORG_NO}`, portalViewMode: 'hide', requestMessage: { nb: CREATE.requestMessage } });
	});

	it('the same request sent again gets the one Altinn has (the ID comes from the contents), not a second one', async () => {
		const validTo = nextYear();
		const first = await create({ parameters: { ...CREATE, validTo } });
		const again = await create({ parameters: { ...CREATE, validTo } });
		expect(again).toMatchObject({ consentRequestId: first.consentRequestId, newRequest: false, status: 'Created' });
	});

	it('the person accepts on the page, is sent to the redirect URL as it is, and Get says Accepted', async () => {
		const request = await create();
		const page = await fetch(String(request.viewUri));
		expect(await page.text()).toMatch(/Godta/);
		const decided = await fetch(String(request.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
		expect({ status: decided.status, location: decided.headers.get('location') }).toEqual({ status: 302, location: CREATE.redirectUrl });
		const [read] = await runner.items(consentNode, { parameters: { resource: 'consentRequest', operation: 'getConsentRequest', consentRequestId: String(request.consentRequestId) } });
		expect(read.json).toMatchObject({ consentRequestId: request.consentRequestId, status: 'Accepted', consented: expect.any(String) });
		expect(read.json).not.toHaveProperty('newRequest');
		expect((read.json.events as Array<{ eventType: string }>).map((event) => event.eventType)).toEqual(['Created', 'Accepted']);
	});

	it('then Altinn Authenticate gets the consent token from the consent ID alone (the giver is read from Altinn), and the data provider takes it', async () => {
		const request = await create();
		fake.decideConsent(String(request.consentRequestId), 'Accepted');
		const [token] = await runner.items(authenticate, {
			typeVersion: 3,
			parameters: { authentication: 'maskinporten', actFor: 'consent', consentId: '={{ $json.consentRequestId }}', consentFrom: '', consentScope: DATA_PROVIDER_SCOPE },
			input: [{ json: request }],
		});
		expect(token.json).toMatchObject({ actsFor: 'consent', consentId: request.consentRequestId, consentFrom: 'the person with national ID number ending in 04' });
		const data = await fetch(`${fake.baseUrl}${DATA_PROVIDER_PATH}`, { headers: token.json.headers as Record<string, string> });
		expect(data.status).toBe(200);
		// Revoked: a new token is refused (the one given keeps working until it expires, as Maskinporten's do).
		fake.decideConsent(String(request.consentRequestId), 'Revoked');
		const refused = await runner.failure(authenticate, {
			typeVersion: 3,
			parameters: { authentication: 'maskinporten', actFor: 'consent', consentId: String(request.consentRequestId), consentFrom: '', consentScope: DATA_PROVIDER_SCOPE, options: { forceNewLogin: true } },
		});
		expect(refused.message).toMatch(/it was revoked/);
		expect(refused.description).toMatch(/Create Consent Request/);
	});

	it.each([
		['a time in the past', { validTo: '2020-01-01T00:00:00Z' }, /Valid To is not a date and time in the future/],
		['a redirect that is not an address', { redirectUrl: 'consent-done' }, /redirect URL is not a full address/],
		['a national ID number with wrong check digits', { consentFrom: '21818297805' }, /national ID number is not valid/],
		['no resource', { consentResource: '' }, /at least one resource/],
		['metadata that is not key=value', { metadata: 'inntektsaar' }, /is not key=value/],
	])('refuses %s before anything is sent', async (_case, overrides, message) => {
		const error = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear(), ...overrides } });
		expect(error.message).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	it("passes on Altinn's refusals with what to do: missing metadata (AM-00008), an unknown person (AM-00004), a client without the scope (403)", async () => {
		const missing = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear(), metadata: '' } });
		expect(missing.message).toMatch(/Altinn refused to create the consent request \(400/);
		expect(missing.description).toMatch(/inntektsaar/);
		const unknown = await runner.failure(consentNode, { parameters: { ...CREATE, validTo: nextYear() }, input: [{ json: { nationalIdNumber: '01010100050' } }] });
		expect(unknown.description).toMatch(/does not know this person/);
		expect(JSON.stringify(unknown)).not.toContain('01010100050');
		const forbidden = await runner.failure(consentNode, {
			credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(unscoped, fake.baseUrl, DATA_PROVIDER_SCOPE) },
			parameters: { ...CREATE, validTo: nextYear() },
		});
		// The client lacks the scope: Maskinporten already refuses the token for it, and says so.
		expect(forbidden.message).toMatch(/Maskinporten did not give this client access/);
	});

	it('leak check: no national ID number or private key in any output or error', () => {
		expect(
			leakedSecrets(runner.produced, {
				nationalIdNumber: CONSENT_PERSON.nationalIdNumber,
				unknownNationalIdNumber: '01010100050',
				mistypedNationalIdNumber: '21818297805',
				privateKey: consumer.privateKeyPem,
				privateKeyBody: consumer.privateKeyPem.split('\n')[1],
			}),
		).toEqual([]);
	});
});
