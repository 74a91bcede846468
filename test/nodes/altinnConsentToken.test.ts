/**
 * Altinn Authenticate, Act For: A Consent. Real HTTP to the fake Maskinporten, which checks each
 * consent as Altinn's lookup for Maskinporten does, and to a fake data provider that takes only a
 * token carrying the consent.
 */
import { randomUUID } from 'node:crypto';

import { AltinnAuthenticate } from '../../nodes/Altinn/AltinnAuthenticate.node';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CONSENT_PERSON, CONSENT_RESOURCE, DATA_PROVIDER_PATH, DATA_PROVIDER_SCOPE, FakeAltinnConsent } from '../fakes/fakeAltinnConsent';
import { CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { executeNode } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const PERSON_URN = `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`;
const node = new AltinnAuthenticate();
const consumer = makeKeyClient();
let fake: FakeAltinnConsent;

const FOR_CONSENT = { authentication: 'maskinporten', actFor: 'consent', consentId: '={{ $json.consentId }}', consentFrom: '={{ $json.from }}', consentScope: DATA_PROVIDER_SCOPE };
const runner = new RecordingRunner(() => ({
	credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, fake.baseUrl, 'altinn:instances.read') },
	typeVersion: 3,
	parameters: FOR_CONSENT,
}));
const consents = (...entries: Array<{ consentId: string; from: string }>): RunOptions => ({ input: entries.map((json) => ({ json })) });
const grantsForConsent = () => fake.grants.filter((grant) => JSON.stringify(grant.claims.authorization_details ?? '').includes('urn:altinn:consent'));

/** A consent the person gave the consumer, as the fake's Altinn keeps it. */
const personConsent = (overrides: Partial<Parameters<FakeAltinnConsent['addConsent']>[0]> = {}) =>
	fake.addConsent({ id: randomUUID(), from: PERSON_URN, toOrgNo: VENDOR_ORG_NO, ...overrides });

beforeAll(async () => {
	fake = await new FakeAltinnConsent().start();
	fake.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, `altinn:instances.read ${DATA_PROVIDER_SCOPE}`);
});
afterAll(async () => await fake.stop());
beforeEach(() => fake.clearRequests());

describe('Altinn Authenticate: a consent token', () => {
	it("Output: Token hands on a token that carries the person's whole national ID number, as the node warns: whoever reads the item can decode it", async () => {
		const consent = personConsent();
		// Not recorded: this test shows the leak that Output: Response avoids.
		const { output } = await executeNode(node, { ...runner.options(), ...consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }) });
		const [item] = output?.[0] ?? [];
		expect(item.json).toMatchObject({ consentId: consent.id, consentFrom: 'the person with national ID number ending in 04' });
		expect(leakedSecrets([item.json.token], { nationalIdNumber: CONSENT_PERSON.nationalIdNumber })).toEqual(['nationalIdNumber']);
		expect(JSON.stringify(node.description.properties)).toMatch(/a consent token carries the full national ID number of the person who gave the consent/);
	});

	it("gets a Maskinporten token for an accepted consent that says which consent, whose and until when, and the data provider takes it", async () => {
		const consent = personConsent();
		const [item] = await runner.items(node, consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }));
		expect(item.json).toMatchObject({
			provider: 'altinn3',
			actsFor: 'consent',
			tokenKind: 'maskinporten consent',
			consentId: consent.id,
			consentFrom: 'the person with national ID number ending in 04',
			validTo: consent.validTo,
			consented: consent.consented,
			consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: CONSENT_RESOURCE }], metadata: { inntektsaar: '2025' } }],
			scope: DATA_PROVIDER_SCOPE,
			reused: false,
		});
		// The grant asked for this consent from this person, with the data provider's scope; nothing went to Altinn's exchange.
		expect(grantsForConsent().at(-1)?.claims).toMatchObject({ scope: DATA_PROVIDER_SCOPE, authorization_details: [{ type: 'urn:altinn:consent', id: consent.id, from: PERSON_URN }] });
		expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /token']);
		const data = await fetch(`${fake.baseUrl}${DATA_PROVIDER_PATH}`, { headers: item.json.headers as Record<string, string> });
		expect({ status: data.status, body: await data.json() }).toEqual({ status: 200, body: { consentId: consent.id, incomeYears: [{ year: '2025', income: 612000 }] } });
	});

	it('reuses the token per consent: a second item of the same consent sends nothing, another consent logs in for itself', async () => {
		const first = personConsent();
		const second = fake.addConsent({ id: randomUUID(), from: `urn:altinn:organization:identifier-no:${CUSTOMER_ORG_NO}`, toOrgNo: VENDOR_ORG_NO });
		const before = grantsForConsent().length;
		const items = await runner.items(
			node,
			consents({ consentId: first.id, from: CONSENT_PERSON.nationalIdNumber }, { consentId: first.id, from: CONSENT_PERSON.nationalIdNumber }, { consentId: second.id, from: CUSTOMER_ORG_NO }),
		);
		expect(items.map((item) => [item.json.consentId, item.json.reused])).toEqual([
			[first.id, false],
			[first.id, true],
			[second.id, false],
		]);
		expect(items[2].json.consentFrom).toBe(`org no ${CUSTOMER_ORG_NO}`);
		expect(grantsForConsent().length - before).toBe(2);
	});

	it.each([
		['waits for the decision', { status: 'Created' as const }, /has not been accepted/],
		['was rejected', { status: 'Rejected' as const }, /has not been accepted/],
		['was revoked', { status: 'Revoked' as const }, /it was revoked/],
		['has expired', { validTo: new Date(Date.now() - 60_000).toISOString() }, /it has expired/],
	])('a consent that %s fails its own item only, saying which consent and what to do, asked once', async (_case, overrides, reason) => {
		const held = personConsent();
		const failing = personConsent(overrides);
		const before = grantsForConsent().length;
		const items = await runner.items(node, {
			...consents({ consentId: failing.id, from: CONSENT_PERSON.nationalIdNumber }, { consentId: held.id, from: CONSENT_PERSON.nationalIdNumber }),
			continueOnFail: true,
		});
		expect(items[0].json).toEqual({
			error: expect.stringMatching(new RegExp(`^Maskinporten gave no token for consent ${failing.id} from the person with national ID number ending in 04: `)),
			description: expect.stringMatching(/Create Consent Request/),
			actsFor: 'consent',
			consentId: failing.id,
		});
		expect(String(items[0].json.error)).toMatch(reason);
		expect(items[1].json).toMatchObject({ consentId: held.id, reused: false });
		// A refused consent is not asked again.
		expect(grantsForConsent().length - before).toBe(2);
	});

	it("a consent of another person fails (Altinn's AM-00012), and a consent Altinn does not know for you too", async () => {
		const consent = personConsent();
		const other = await runner.failure(node, consents({ consentId: consent.id, from: '01010100050' }));
		expect(other.message).toMatch(/it was not given by this person or organisation/);
		const unknown = await runner.failure(node, consents({ consentId: randomUUID(), from: CONSENT_PERSON.nationalIdNumber }));
		expect(unknown.message).toMatch(/Altinn does not know it for your organisation/);
	});

	it('refuses a consent ID that is not a GUID and a national ID number whose check digits fail, before sending anything', async () => {
		const consent = personConsent();
		expect((await runner.failure(node, consents({ consentId: 'not-a-guid', from: CONSENT_PERSON.nationalIdNumber }))).message).toMatch(/is not a GUID/);
		const mistyped = await runner.failure(node, consents({ consentId: consent.id, from: '21818297805' }));
		expect(mistyped.message).toMatch(/national ID number is not valid/);
		expect(mistyped.message).not.toContain('21818297805');
		expect((await runner.failure(node, consents({ consentId: consent.id, from: 'Kari' }))).message).toMatch(/neither a national ID number/);
		expect(fake.requests).toHaveLength(0);
	});

	it('leak check: no national ID number, private key or Maskinporten grant in any output or error, but in the token items\' tokens (Output: Token)', () => {
		// The tokens themselves carry the number (the test above); everything else must not.
		const withoutTokens = runner.produced.map((produced) =>
			produced instanceof Error ? produced : (JSON.parse(JSON.stringify(produced ?? null, (key, value: unknown) => (key === 'token' || key === 'Authorization' ? '[token]' : value))) as unknown),
		);
		expect(
			leakedSecrets(withoutTokens, {
				nationalIdNumber: CONSENT_PERSON.nationalIdNumber,
				mistypedNationalIdNumber: '21818297805',
				otherNationalIdNumber: '01010100050',
				privateKey: consumer.privateKeyPem,
				privateKeyBody: consumer.privateKeyPem.split('\n')[1],
			}),
		).toEqual([]);
	});
});

describe('Altinn Authenticate: a consent, Output: Response', () => {
	const responses = new RecordingRunner(() => ({
		credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, fake.baseUrl, 'altinn:instances.read') },
		typeVersion: 3,
		parameters: { ...FOR_CONSENT, output: 'response', requestUrl: `${fake.baseUrl}${DATA_PROVIDER_PATH}` },
	}));

	it("fetches the data with the consent token and passes on only the data provider's answer: the token never leaves the node", async () => {
		const consent = personConsent();
		const items = await responses.items(node, consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }, { consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }));
		expect(items.map((item) => item.json)).toEqual([
			{ consentId: consent.id, incomeYears: [{ year: '2025', income: 612000 }] },
			{ consentId: consent.id, incomeYears: [{ year: '2025', income: 612000 }] },
		]);
		// One consent token for both items, sent to the data provider twice.
		expect(fake.requests.filter((request) => request.path === DATA_PROVIDER_PATH)).toHaveLength(2);
		expect(grantsForConsent().filter((grant) => (grant.claims.authorization_details as Array<{ id?: string }>)[0]?.id === consent.id)).toHaveLength(1);
	});

	it('a consent revoked after its token was stored: the data provider refuses it, the node drops it, asks Maskinporten once more and says why it does not hold', async () => {
		const consent = personConsent();
		await responses.items(node, consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }));
		fake.decideConsent(consent.id, 'Revoked');
		const [failed] = await responses.items(node, { ...consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }), continueOnFail: true });
		expect(failed.json).toMatchObject({ error: expect.stringMatching(/it was revoked/), consentId: consent.id });
	});

	it('refuses a URL that is not an address before anything is sent', async () => {
		const consent = personConsent();
		fake.clearRequests();
		const error = await responses.failure(node, { ...consents({ consentId: consent.id, from: CONSENT_PERSON.nationalIdNumber }), parameters: { ...responses.options().parameters, requestUrl: 'javascript:alert(1)' } });
		expect(error.message).toBe('The URL is neither a full http(s) address nor a path');
		expect(fake.requests).toHaveLength(0);
	});

	it('leak check: no national ID number, private key, grant or token in any output or error', () => {
		expect(
			leakedSecrets(responses.produced, {
				nationalIdNumber: CONSENT_PERSON.nationalIdNumber,
				privateKey: consumer.privateKeyPem,
				privateKeyBody: consumer.privateKeyPem.split('\n')[1],
			}),
		).toEqual([]);
		expect(JSON.stringify(responses.produced)).not.toMatch(/eyJ/);
	});
});
