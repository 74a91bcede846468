import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AltinnSystemUser } from '../../nodes/Altinn/AltinnSystemUser.node';
import { AltinnSystemUserTrigger } from '../../nodes/Altinn/AltinnSystemUserTrigger.node';
import { SCOPE_SYSTEMREGISTER_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMUSER_REQUEST_WRITE } from '../../nodes/Altinn/protocol/vendorRequests';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../fakes/fakeAltinn3';
import { CUSTOMER_ORG_NO, FakeAltinnSystemUser, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { json } from '../fakes/fakeServer';
import { leakedSecrets } from '../helpers/leaks';
import { pollNode } from '../helpers/n8nRunner';
import type { PollOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const SYSTEM_ID = `${VENDOR_ORG_NO}_regnskap`;
const RESOURCE = 'ske-mva-melding';
const RIGHT = { resource: [{ id: 'urn:altinn:resource', value: RESOURCE }] };
const PACKAGE = 'urn:altinn:accesspackage:regnskapsforer-lonn';
/** A third customer with a valid organisation number. */
const THIRD_CUSTOMER = '312345676';

const node = new AltinnSystemUser();
const trigger = new AltinnSystemUserTrigger();
const vendor = makeKeyClient();
let fake: FakeAltinnSystemUser;

function credential() {
	// The organisation's own scope: each vendor call asks for its own.
	return altinnMaskinportenCredentialData(vendor, fake.baseUrl, 'altinn:instances.write');
}

const runner = new RecordingRunner(() => ({ credentials: { altinnMaskinportenApi: credential() } }));
/** Everything the trigger produced, for the leak test. */
const polled: unknown[] = [];

const createParameters: INodeParameters = {
	resource: 'request',
	operation: 'createRequest',
	systemId: SYSTEM_ID,
	customerOrgNumber: '={{ $json.orgNumber }}',
	rights: RESOURCE,
};
const customers = (...orgNumbers: string[]) => orgNumbers.map((orgNumber) => ({ json: { orgNumber } }));

async function createRequest(orgNumber: string, parameters: INodeParameters = {}): Promise<IDataObject> {
	const [item] = await runner.items(node, { parameters: { ...createParameters, ...parameters }, input: customers(orgNumber) });
	return item.json;
}

/** The Maskinporten grants the node made, by scope. */
function grantScopes(): string[] {
	return fake.grants.map((grant) => String(grant.claims.scope));
}

beforeEach(async () => {
	fake = await new FakeAltinnSystemUser().start();
	fake.registerVendorClient(
		vendor.clientId,
		vendor.keyId,
		vendor.publicKey,
		`altinn:instances.write ${SCOPE_SYSTEMUSER_REQUEST_WRITE} ${SCOPE_SYSTEMUSER_REQUEST_READ} ${SCOPE_SYSTEMREGISTER_WRITE}`,
	);
	fake.addSystem({
		id: SYSTEM_ID,
		clientId: [vendor.clientId],
		rights: [RIGHT],
		accessPackages: [{ urn: PACKAGE }],
		allowedRedirectUrls: ['https://vendor.example/altinn/done'],
	});
});
afterEach(async () => {
	await fake.stop();
});

describe('Altinn System User node', () => {
	it('Create Request: asks the customer with the write scope and the Maskinporten token itself, and outputs the confirmUrl', async () => {
		const item = await createRequest(CUSTOMER_ORG_NO, { externalRef: 'avd-oslo', redirectUrl: 'https://vendor.example/altinn/done?customer=1' });
		const stored = [...fake.systemUserRequests.values()][0];
		expect(item).toMatchObject({
			requestId: stored.id,
			status: 'New',
			confirmUrl: fake.confirmUrl(stored),
			externalRef: 'avd-oslo',
			systemId: SYSTEM_ID,
			partyOrgNo: CUSTOMER_ORG_NO,
			// The customer under the name every Altinn token item uses too.
			orgNumber: CUSTOMER_ORG_NO,
			newRequest: true,
			requestType: 'standard',
			rights: [RIGHT],
			redirectUrl: 'https://vendor.example/altinn/done?customer=1',
		});
		expect(typeof item.createdAt).toBe('string');
		expect(grantScopes()).toEqual([SCOPE_SYSTEMUSER_REQUEST_WRITE]);
		// The vendor API got the Maskinporten token, not an exchanged Altinn token.
		expect(fake.requestsTo('/authentication/api/v1/exchange')).toHaveLength(0);
		// Asking again gives the same request, and the stored token (per scope) is reused.
		const again = await createRequest(CUSTOMER_ORG_NO, { externalRef: 'avd-oslo' });
		expect(again).toMatchObject({ requestId: stored.id, newRequest: false });
		expect(again).not.toHaveProperty('created');
		expect(fake.requestsTo('/token')).toHaveLength(1);
	});

	it('Create Request: a client (agent) request with access packages', async () => {
		const item = await createRequest(OTHER_CUSTOMER_ORG_NO, { requestType: 'agent', accessPackages: 'regnskapsforer-lonn' });
		expect(item).toMatchObject({ status: 'New', requestType: 'agent', partyOrgNo: OTHER_CUSTOMER_ORG_NO, accessPackages: [{ urn: PACKAGE }] });
		expect(String(item.confirmUrl)).toContain('/agentrequest?id=');
		expect(fake.requestsTo('/authentication/api/v1/systemuser/request/vendor/agent')).toHaveLength(1);
	});

	it('an operation this version does not have (a workflow saved elsewhere, or edited) is named, and nothing is sent', async () => {
		fake.clearRequests();
		for (const operation of ['deleteRequest', 'toString']) {
			const error = await runner.failure(node, { parameters: { resource: 'request', operation } });
			expect(error.message).toBe(`Unknown operation "${operation}"`);
			expect(error.description).toMatch(/choose one of its operations/);
		}
		expect(fake.requests).toHaveLength(0);
	});

	it('refuses a wrong organisation number before any request, and asks for nothing without rights', async () => {
		const error = await runner.failure(node, { parameters: createParameters, input: customers('310547892') });
		expect(error.message).toMatch(/not a valid organisation number/);
		const empty = await runner.failure(node, { parameters: { ...createParameters, rights: '' }, input: customers(CUSTOMER_ORG_NO) });
		expect(empty.message).toMatch(/no rights and no access packages/);
		expect(fake.requests).toHaveLength(0);
	});

	it('Get Request: by ID (from the item) and by system, organisation and external reference, with the read scope; the status is Altinn\'s', async () => {
		const created = await createRequest(CUSTOMER_ORG_NO);
		fake.approve(String(created.requestId));
		const [byId] = await runner.items(node, { parameters: { resource: 'request', operation: 'getRequest' }, input: [{ json: created }] });
		expect(byId.json).toMatchObject({ requestId: created.requestId, status: 'Accepted', orgNumber: CUSTOMER_ORG_NO });
		// Reading a request makes none: no newRequest to misread.
		expect(byId.json).not.toHaveProperty('newRequest');
		const [byRef] = await runner.items(node, {
			parameters: { resource: 'request', operation: 'getRequest', lookupBy: 'externalRef', systemId: SYSTEM_ID, customerOrgNumber: CUSTOMER_ORG_NO },
		});
		expect(byRef.json).toMatchObject({ requestId: created.requestId, status: 'Accepted', externalRef: CUSTOMER_ORG_NO });
		expect(grantScopes()).toEqual([SCOPE_SYSTEMUSER_REQUEST_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ]);
		const missing = await runner.failure(node, { parameters: { resource: 'request', operation: 'getRequest', requestId: randomUUID() } });
		expect(missing.message).toMatch(/There is no such system-user request/);
	});

	it('List Requests and List System Users: one item each, all pages; the system-user list asks for systemregister.write', async () => {
		for (const orgNumber of [CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, THIRD_CUSTOMER]) await createRequest(orgNumber);
		const ids = [...fake.systemUserRequests.keys()];
		fake.approve(ids[0]);
		fake.approve(ids[2]);
		const requests = await runner.items(node, { parameters: { resource: 'request', operation: 'listRequests', systemId: SYSTEM_ID } });
		expect(requests.map((item) => [item.json.partyOrgNo, item.json.status])).toEqual([
			[CUSTOMER_ORG_NO, 'Accepted'],
			[OTHER_CUSTOMER_ORG_NO, 'New'],
			[THIRD_CUSTOMER, 'Accepted'],
		]);
		expect(requests.every((item) => item.pairedItem !== undefined)).toBe(true);
		expect(fake.requestsTo('/authentication/api/v1/systemuser/request/vendor/bysystem')).toHaveLength(2);
		const agents = await runner.items(node, { parameters: { resource: 'request', operation: 'listRequests', systemId: SYSTEM_ID, requestType: 'agent' } });
		expect(agents).toEqual([]);
		const systemUsers = await runner.items(node, { parameters: { resource: 'systemUser', operation: 'listSystemUsers', systemId: SYSTEM_ID } });
		expect(systemUsers.map((item) => item.json.reporteeOrgNo)).toEqual([CUSTOMER_ORG_NO, THIRD_CUSTOMER]);
		expect(systemUsers[0].json).toMatchObject({ systemUserId: [...fake.systemUsers.keys()][0], systemId: SYSTEM_ID, externalRef: CUSTOMER_ORG_NO });
		expect(grantScopes()).toContain(SCOPE_SYSTEMREGISTER_WRITE);
	});

	it('Create Change Request and Get Change Request', async () => {
		const created = await createRequest(CUSTOMER_ORG_NO);
		fake.approve(String(created.requestId));
		const systemUserId = [...fake.systemUsers.keys()][0];
		const correlationId = randomUUID();
		const [change] = await runner.items(node, {
			parameters: { resource: 'changeRequest', operation: 'createChangeRequest', systemUserId, requiredAccessPackages: PACKAGE, correlationId },
		});
		expect(change.json).toMatchObject({ requestId: correlationId, status: 'New', systemUserId, requiredAccessPackages: [{ urn: PACKAGE }], created: true });
		expect(String(change.json.confirmUrl)).toContain('/changerequest?id=');
		fake.approve(correlationId);
		const [read] = await runner.items(node, { parameters: { resource: 'changeRequest', operation: 'getChangeRequest' }, input: [{ json: change.json }] });
		expect(read.json).toMatchObject({ requestId: correlationId, status: 'Accepted' });
		expect(fake.systemUsers.get(systemUserId)?.accessPackages).toEqual([{ urn: PACKAGE }]);
		const [nothing] = await runner.items(node, { parameters: { resource: 'changeRequest', operation: 'createChangeRequest', systemUserId } });
		expect(nothing.json.status).toBe('NoChangeNeeded');
	});

	it('says which scope is missing when Altinn answers 403, and does not retry it', async () => {
		await runner.items(node, { parameters: { resource: 'request', operation: 'listRequests', systemId: SYSTEM_ID } });
		fake.clearRequests();
		// The read-scope token is reused, so Altinn's answer is the next one.
		fake.serveNext({ status: 403, reason: 'Forbidden', body: '' });
		const error = await runner.failure(node, { parameters: { resource: 'request', operation: 'listRequests', systemId: SYSTEM_ID } });
		expect(error.message).toBe('Altinn did not let this token list the system-user requests of the system (403 Forbidden)');
		expect(error.description).toContain(SCOPE_SYSTEMUSER_REQUEST_READ);
		expect(fake.requestsTo('/authentication/api/v1/systemuser/request/vendor/bysystem')).toHaveLength(1);
	});

	it('with Continue On Fail, a request Altinn does not know fails with the ID it was looked up by', async () => {
		const unknown = '0d4f6a1e-0000-4000-8000-00000000dead';
		const [failed] = await runner.items(node, { parameters: { resource: 'request', operation: 'getRequest' }, input: [{ json: { requestId: unknown } }], continueOnFail: true });
		expect(failed.json).toEqual({ error: expect.stringMatching(/no such system-user request/i), description: expect.any(String), requestId: unknown });
	});

	it('with Continue On Fail, a bad item fails alone with a clear message and the others go on', async () => {
		const items = await runner.items(node, { parameters: createParameters, input: customers(CUSTOMER_ORG_NO, '12345', OTHER_CUSTOMER_ORG_NO), continueOnFail: true });
		expect(items.map((item) => item.json.partyOrgNo ?? null)).toEqual([CUSTOMER_ORG_NO, null, OTHER_CUSTOMER_ORG_NO]);
		expect(items[1].json.error).toMatch(/"12345" is not 9 digits/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(fake.requestsTo('/token')).toHaveLength(1);
	});
});

describe('Altinn System User Trigger', () => {
	const watch = (extra: INodeParameters = {}): INodeParameters => ({ systemId: SYSTEM_ID, requestTypes: ['standard', 'agent'], ...extra });

	async function poll(options: PollOptions): Promise<IDataObject[] | null> {
		try {
			const output = await pollNode(trigger, { credentials: { altinnMaskinportenApi: credential() }, ...options });
			polled.push(output);
			return output ? output[0].map((item) => item.json) : null;
		} catch (error) {
			polled.push(error);
			throw error;
		}
	}

	/** A person at the customer decides on Altinn's confirm page, as a browser posts the form. */
	async function decideOnPage(confirmUrl: unknown, decision: 'approve' | 'reject'): Promise<void> {
		const url = new URL(String(confirmUrl));
		const response = await fetch(`${url.origin}${url.pathname}?id=${url.searchParams.get('id')}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `decision=${decision}`,
			redirect: 'manual',
		});
		expect([200, 302]).toContain(response.status);
	}

	it('records what is already decided on the first poll, then fires exactly once per new decision, surviving serialisation', async () => {
		const old = await createRequest(THIRD_CUSTOMER);
		fake.approve(String(old.requestId));
		const waiting = await createRequest(CUSTOMER_ORG_NO);
		const agent = await createRequest(OTHER_CUSTOMER_ORG_NO, { requestType: 'agent', accessPackages: PACKAGE });

		let state: IDataObject = {};
		expect(await poll({ parameters: watch(), staticData: state })).toBeNull();
		expect(state).toEqual({ watching: `${fake.baseUrl}|${vendor.clientId}|${SYSTEM_ID}|standard,agent`, reported: { [String(old.requestId)]: 'Accepted' } });

		await decideOnPage(waiting.confirmUrl, 'approve');
		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		const fired = await poll({ parameters: watch(), staticData: state });
		expect(fired).toHaveLength(1);
		expect(fired?.[0]).toMatchObject({ requestId: waiting.requestId, status: 'Accepted', partyOrgNo: CUSTOMER_ORG_NO, requestType: 'standard' });

		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		expect(await poll({ parameters: watch(), staticData: state })).toBeNull();

		await decideOnPage(agent.confirmUrl, 'reject');
		state = JSON.parse(JSON.stringify(state)) as IDataObject;
		const rejected = await poll({ parameters: watch(), staticData: state });
		expect(rejected).toEqual([expect.objectContaining({ requestId: agent.requestId, status: 'Rejected', requestType: 'agent' })]);
		expect(await poll({ parameters: watch(), staticData: state })).toBeNull();

		// The state holds request IDs and statuses only.
		expect(Object.keys(state).sort()).toEqual(['reported', 'watching']);
		expect(Object.values(state.reported as IDataObject).sort()).toEqual(['Accepted', 'Accepted', 'Rejected']);
		expect(grantScopes().filter((scope) => scope === SCOPE_SYSTEMUSER_REQUEST_READ).length).toBeGreaterThan(0);
		expect(JSON.stringify(state)).not.toContain('Bearer');
		const bearers = fake.requests.map((request) => String(request.headers.authorization ?? '').replace('Bearer ', '')).filter(Boolean);
		expect(bearers.length).toBeGreaterThan(0);
		for (const token of bearers) expect(JSON.stringify(state)).not.toContain(token);
	});

	it('fires Denied and Timedout too, only for the chosen statuses and customer; a new request stays quiet until decided', async () => {
		const a = await createRequest(CUSTOMER_ORG_NO);
		const b = await createRequest(OTHER_CUSTOMER_ORG_NO);
		const c = await createRequest(THIRD_CUSTOMER);
		const state: IDataObject = {};
		const parameters = watch({ options: { statuses: ['Accepted', 'Denied'], customerOrgNumber: '' } });
		expect(await poll({ parameters, staticData: state })).toBeNull();
		fake.deny(String(a.requestId));
		fake.timeOut(String(b.requestId));
		expect(await poll({ parameters, staticData: state })).toEqual([expect.objectContaining({ requestId: a.requestId, status: 'Denied' })]);
		// Timedout was noted though not wanted: it does not fire later either.
		expect((state.reported as IDataObject)[String(b.requestId)]).toBe('Timedout');
		const onlyThird = watch({ options: { customerOrgNumber: THIRD_CUSTOMER } });
		fake.approve(String(c.requestId));
		expect(await poll({ parameters: onlyThird, staticData: state })).toEqual([expect.objectContaining({ requestId: c.requestId, status: 'Accepted' })]);
	});

	it('takes a new baseline when the watched system or request types change', async () => {
		const a = await createRequest(CUSTOMER_ORG_NO);
		const state: IDataObject = {};
		expect(await poll({ parameters: watch({ requestTypes: ['agent'] }), staticData: state })).toBeNull();
		fake.approve(String(a.requestId));
		// Now watching standard requests too: the first poll for them is a baseline, not a flood.
		expect(await poll({ parameters: watch(), staticData: state })).toBeNull();
		expect(state.watching).toBe(`${fake.baseUrl}|${vendor.clientId}|${SYSTEM_ID}|standard,agent`);
	});

	it('takes a new baseline when the credential points at another Altinn (platform or client), so decisions made there do not fire at once', async () => {
		const a = await createRequest(CUSTOMER_ORG_NO);
		fake.approve(String(a.requestId));
		// State kept from the same system ID at another Altinn (e.g. TT02 before the credential was switched to production).
		const state: IDataObject = { watching: `https://platform.tt02.altinn.no|${vendor.clientId}|${SYSTEM_ID}|standard`, reported: {} };
		expect(await poll({ parameters: watch({ requestTypes: ['standard'] }), staticData: state })).toBeNull();
		expect(state.watching).toBe(`${fake.baseUrl}|${vendor.clientId}|${SYSTEM_ID}|standard`);
		expect(state.reported).toEqual(expect.objectContaining({ [String(a.requestId)]: 'Accepted' }));
	});

	it('in manual mode returns the most recent decided request and leaves the state alone; before any decision, the newest waiting request and that the workflow must be published; with none, says what to do', async () => {
		const none = await poll({ parameters: watch(), mode: 'manual' }).catch((error: Error) => error);
		expect(none).toBeInstanceOf(Error);
		expect((none as Error).message).toMatch(/No system-user request for .* matches the trigger's settings yet/);
		expect((none as Error & { description?: string }).description).toMatch(/Publish \(activate\) the workflow/);
		const first = await createRequest(CUSTOMER_ORG_NO);
		const undecided = await poll({ parameters: watch(), mode: 'manual' });
		expect(undecided).toEqual([expect.objectContaining({ requestId: first.requestId, status: 'New', testEvent: expect.stringMatching(/No customer has decided yet.*Publish/) })]);
		const second = await createRequest(OTHER_CUSTOMER_ORG_NO);
		fake.approve(String(first.requestId));
		fake.reject(String(second.requestId));
		[...fake.systemUserRequests.values()][1].created = new Date(Date.now() + 60_000).toISOString();
		const state: IDataObject = { watching: 'x', reported: {} };
		const shown = await poll({ parameters: watch(), mode: 'manual', staticData: state });
		expect(shown).toEqual([expect.objectContaining({ requestId: second.requestId, status: 'Rejected' })]);
		expect(state).toEqual({ watching: 'x', reported: {} });
	});

	it('refuses a wrong customer number before any request, and reports Altinn\'s refusal with the scope', async () => {
		await expect(poll({ parameters: watch({ options: { customerOrgNumber: '310547892' } }) })).rejects.toThrow(/not a valid organisation number/);
		expect(fake.requests).toHaveLength(0);
		fake.serveNext(json(200, { access_token: 'opaque-token', token_type: 'Bearer', expires_in: 120, scope: SCOPE_SYSTEMUSER_REQUEST_READ }), { status: 403, reason: 'Forbidden', body: '' });
		const error = (await poll({ parameters: watch(), staticData: {} }).catch((caught: Error) => caught)) as Error & { description?: string };
		expect(error.message).toMatch(/list the system-user requests of the system \(403 Forbidden\)/);
		expect(error.description).toContain(SCOPE_SYSTEMUSER_REQUEST_READ);
	});
});

describe('secrets', () => {
	it('leaks no private key in any output or error of the node or the trigger', () => {
		const secrets = { privateKey: vendor.privateKeyPem, privateKeyBody: vendor.privateKeyPem.split('\n')[1] };
		expect(leakedSecrets(runner.produced, secrets)).toEqual([]);
		expect(leakedSecrets(polled, secrets)).toEqual([]);
		expect(runner.produced.length).toBeGreaterThan(10);
		expect(polled.length).toBeGreaterThan(5);
	});
});
