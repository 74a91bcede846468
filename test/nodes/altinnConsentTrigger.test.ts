/**
 * The Altinn Consent Trigger through n8n-core's PollContext against the fake Altinn's events feed:
 * the first poll notes the time, later polls fire once per decision, across pages, and never twice.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { AltinnConsentTrigger } from '../../nodes/Altinn/AltinnConsentTrigger.node';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CONSENT_PERSON, FakeAltinnConsent } from '../fakes/fakeAltinnConsent';
import { CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { leakedSecrets } from '../helpers/leaks';
import { pollNode } from '../helpers/n8nRunner';
import type { PollOptions } from '../helpers/n8nRunner';
import { freshTokenStore, useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const consumer = makeKeyClient();
const trigger = new AltinnConsentTrigger();
let fake: FakeAltinnConsent;
const polled: unknown[] = [];

async function poll(options: PollOptions = {}): Promise<IDataObject[] | null> {
	try {
		const output = await pollNode(trigger, { credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, fake.baseUrl, 'altinn:consentrequests.read') }, ...options });
		polled.push(output);
		return output ? output[0].map((item) => item.json) : null;
	} catch (error) {
		polled.push(error);
		throw error;
	}
}

/** A request the fake holds as if created through the API (with its Created event), waiting for the decision. */
function askedConsent(from = `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`): string {
	const consent = fake.addConsent({ id: randomUUID(), from, toOrgNo: VENDOR_ORG_NO, status: 'Created', consented: null, redirectUrl: 'https://bank.example/done' });
	fake.consentEvents.push({ eventId: fake.consentEvents.length + 1, consentRequestId: consent.id, eventType: 'Created', created: new Date().toISOString(), performedBy: '' });
	return consent.id;
}

beforeAll(async () => {
	fake = await new FakeAltinnConsent().start();
	fake.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, 'altinn:consentrequests.read');
});
afterAll(async () => await fake.stop());

describe('Altinn Consent Trigger', () => {
	it('notes the time on its first poll, then fires once per decision, with the request and never a full national ID number', async () => {
		const staticData: IDataObject = {};
		const decidedBefore = askedConsent();
		fake.decideConsent(decidedBefore, 'Accepted');
		expect(await poll({ staticData })).toBeNull();
		// The first poll starts at Altinn's second (its Date header): a decision listed from that second on is noted, not fired.
		expect(staticData).toMatchObject({ watching: expect.stringContaining(consumer.clientId), seen: expect.any(Array) });
		expect((staticData.seen as string[]).every((key) => key.startsWith(`${decidedBefore}|`))).toBe(true);
		expect(await poll({ staticData })).toBeNull();

		const accepted = askedConsent();
		const rejected = askedConsent(`urn:altinn:organization:identifier-no:${CUSTOMER_ORG_NO}`);
		fake.decideConsent(accepted, 'Accepted');
		fake.decideConsent(rejected, 'Rejected');
		const fired = await poll({ staticData });
		expect(fired?.map((item) => [item.consentRequestId, item.eventType])).toEqual([
			[accepted, 'Accepted'],
			[rejected, 'Rejected'],
		]);
		expect(fired?.[0]).toMatchObject({ status: 'Accepted', consentFrom: 'the person with national ID number ending in 04', changedDate: expect.any(String) });
		expect(fired?.[1]).toMatchObject({ status: 'Rejected', fromKind: 'organisation', fromOrgNumber: CUSTOMER_ORG_NO });
		// The same events are never fired again, even though Altinn's createdAfter includes the newest time.
		expect(await poll({ staticData })).toBeNull();
		fake.decideConsent(accepted, 'Revoked');
		expect((await poll({ staticData }))?.map((item) => [item.consentRequestId, item.eventType])).toEqual([[accepted, 'Revoked']]);
	});

	it("takes Altinn's time at its first poll, so a host clock ten minutes ahead of Altinn's misses no decision", async () => {
		// An Altinn of its own: this one's events are dated by this host's clock.
		const behind = await new FakeAltinnConsent().start();
		behind.clockOffsetMs = -10 * 60_000;
		behind.registerVendorClient(consumer.clientId, consumer.keyId, consumer.publicKey, 'altinn:consentrequests.read');
		try {
			const staticData: IDataObject = {};
			const credentials = { altinnMaskinportenApi: altinnMaskinportenCredentialData(consumer, behind.baseUrl, 'altinn:consentrequests.read') };
			expect(await poll({ staticData, credentials })).toBeNull();
			// Altinn's own time (its answer's Date header), not this host's.
			expect(Date.now() - Date.parse(String(staticData.since))).toBeGreaterThan(9 * 60_000);
			const accepted = behind.addConsent({ id: randomUUID(), from: `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`, toOrgNo: VENDOR_ORG_NO, status: 'Created', consented: null }).id;
			behind.decideConsent(accepted, 'Accepted');
			expect((await poll({ staticData, credentials }))?.map((item) => [item.consentRequestId, item.eventType])).toEqual([[accepted, 'Accepted']]);
		} finally {
			await behind.stop();
		}
	});

	it('loses no decision to a read that fails: a request Altinn cannot give now is fired by a later poll, one it no longer has fires without it', async () => {
		const staticData: IDataObject = {};
		expect(await poll({ staticData })).toBeNull();
		const [first, second] = [askedConsent(), askedConsent()];
		fake.decideConsent(first, 'Accepted');
		fake.decideConsent(second, 'Accepted');
		fake.readFailures.set(second, 503);
		try {
			// The first decision fires; the second stays ahead of the position.
			expect((await poll({ staticData }))?.map((item) => [item.consentRequestId, item.status])).toEqual([[first, 'Accepted']]);
			fake.readFailures.set(first, 503);
			fake.decideConsent(first, 'Revoked');
			// Nothing can be read now: the poll fails and moves nothing.
			await expect(poll({ staticData })).rejects.toThrow(/Altinn failed to read the consent request \(503/);
		} finally {
			fake.readFailures.clear();
		}
		expect((await poll({ staticData }))?.map((item) => [item.consentRequestId, item.eventType])).toEqual([
			[second, 'Accepted'],
			[first, 'Revoked'],
		]);
		expect(await poll({ staticData })).toBeNull();
		// A request Altinn no longer has: its decision fires with the reason instead of the request.
		const gone = askedConsent();
		fake.decideConsent(gone, 'Rejected');
		fake.readFailures.set(gone, 404);
		expect(await poll({ staticData })).toEqual([{ consentRequestId: gone, eventType: 'Rejected', changedDate: expect.any(String), error: expect.stringMatching(/^There is no such consent request for your organisation \(404/), description: expect.any(String) }]);
		fake.readFailures.clear();
	});

	it('stays active when Altinn is down as n8n activates it: the first poll finds nothing, the next reports the trouble, and once Altinn is back a decision fires', async () => {
		const staticData: IDataObject = {};
		fake.failure = 'maskinportenDown';
		try {
			// n8n fails the activation when this first poll throws.
			expect(await poll({ staticData })).toBeNull();
			await expect(poll({ staticData })).rejects.toThrow(/Maskinporten failed|503/);
		} finally {
			fake.failure = 'none';
		}
		expect(staticData).toEqual({});
		expect(await poll({ staticData })).toBeNull();
		const accepted = askedConsent();
		fake.decideConsent(accepted, 'Accepted');
		expect((await poll({ staticData }))?.map((item) => item.consentRequestId)).toEqual([accepted]);
		// A wrong set-up is no outage: it fails the activation (the first poll of a new process), so the person sees it at once.
		freshTokenStore();
		await expect(poll({ credentials: { altinnMaskinportenApi: altinnMaskinportenCredentialData({ ...consumer, keyId: 'unknown-key' }, fake.baseUrl, 'altinn:consentrequests.read') } })).rejects.toThrow(/Maskinporten/);
	});

	it('follows the feed across pages, on the same platform only', async () => {
		const staticData: IDataObject = {};
		expect(await poll({ staticData })).toBeNull();
		fake.consentEventsPageSize = 2;
		try {
			const ids = [askedConsent(), askedConsent(), askedConsent()];
			for (const id of ids) fake.decideConsent(id, 'Accepted');
			expect((await poll({ staticData, parameters: { decisions: ['Accepted'], options: { includeRequest: false } } }))?.map((item) => item.consentRequestId)).toEqual(ids);
			const more = askedConsent();
			const last = askedConsent();
			fake.decideConsent(more, 'Accepted');
			fake.decideConsent(last, 'Accepted');
			fake.consentEventsNextBase = 'http://127.0.0.2:9';
			await expect(poll({ staticData, parameters: { decisions: ['Accepted'] } })).rejects.toThrow(/linked its next page to another address/);
		} finally {
			fake.consentEventsPageSize = 100;
			fake.consentEventsNextBase = undefined;
		}
	});

	it('"Fetch test event" shows the latest decision and changes no state; with none it says what to do', async () => {
		const staticData: IDataObject = { watching: 'x', since: 'y', seen: [] };
		const [latest] = (await poll({ mode: 'manual', staticData, parameters: { decisions: ['Revoked'] } })) ?? [];
		expect(latest).toMatchObject({ eventType: 'Revoked' });
		expect(staticData).toEqual({ watching: 'x', since: 'y', seen: [] });
		// Altinn records no Deleted or Used events: a trigger saved with those alone says so.
		await expect(poll({ mode: 'manual', parameters: { decisions: ['Deleted', 'Used'] } })).rejects.toMatchObject({ message: 'No decision is chosen', description: expect.stringMatching(/records no Deleted or Used events/) });
		expect(JSON.stringify(trigger.description.properties)).not.toMatch(/"Used"|"Deleted"/);
	});

	it('leak check: no national ID number or private key in any output or error', () => {
		expect(leakedSecrets(polled, { nationalIdNumber: CONSENT_PERSON.nationalIdNumber, privateKey: consumer.privateKeyPem, privateKeyBody: consumer.privateKeyPem.split('\n')[1] })).toEqual([]);
	});
});
