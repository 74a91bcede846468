/**
 * `npm start` runs the compiled copy of the sandbox scripts (.sandbox/build), not these sources:
 * compile them as it does and start every sandbox from there, so a path that only works from the
 * sources (such as a test fixture read relative to the file) fails here and not on a user's machine.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { CONSENT_PERSON } from '../fakes/fakeAltinnConsent';
import { BOKBASEN_CLIENT } from '../fakes/fakeBokbasenAuth';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { SANDBOX_SYSTEM_ID, sandboxCredentials, sandboxState, startSandboxes } from '../fakes/sandbox';
import type { SandboxState } from '../fakes/sandbox';

/** The third customer of the examples, who has not approved when the sandbox first starts. */
const CUSTOMER_THAT_APPROVES = '312345676';

const ROOT = join(__dirname, '..', '..');

it('starts every provider sandbox from the compiled scripts npm start uses', async () => {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.sandbox.json')], { cwd: ROOT });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const compiled = require(join(ROOT, '.sandbox', 'build', 'test', 'fakes', 'sandbox.js')) as typeof import('../fakes/sandbox');
	const sandboxes = await compiled.startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
	try {
		const credentials = compiled.sandboxCredentials(sandboxes);
		expect(credentials.map((credential) => credential.type).sort()).toEqual([
			'altinnApi',
			'altinnMaskinportenApi',
			'altinnSmsPinApi',
			'bokbasenOAuth2Api',
			'boknettApi',
			'onlyofficeApi',
			'onlyofficeApi',
			'onlyofficeApi',
		]);
		for (const fake of [sandboxes.boknett, sandboxes.onlyoffice, sandboxes.altinn, sandboxes.altinn3, sandboxes.bokbasen]) {
			expect((await fetch(`${fake.baseUrl}/`)).status).toBe(404);
		}
	} finally {
		await sandboxes.stop();
	}
}, 120_000);

it('keeps what n8n depends on across a restart of the sandboxes: the Altinn 3 client key, a customer\'s approval, a person\'s consent and the tokens it issued', async () => {
	const ports = { boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 };
	const first = await startSandboxes(ports);
	let state: SandboxState | undefined;
	let approvedRequest = '';
	let consentId = '';
	let bokbasenToken = '';
	let boknettTicket = '';
	try {
		// A request as the onboarding example makes it, then the customer's approval on the sandbox's page.
		approvedRequest = randomUUID();
		first.altinn3.systemUserRequests.set(approvedRequest, {
			id: approvedRequest,
			kind: 'request',
			vendorOrgNo: VENDOR_ORG_NO,
			systemId: SANDBOX_SYSTEM_ID,
			partyOrgNo: CUSTOMER_THAT_APPROVES,
			externalRef: CUSTOMER_THAT_APPROVES,
			rights: [{ resource: [{ id: 'urn:altinn:resource', value: 'app_ttd_example-app' }] }],
			accessPackages: [],
			redirectUrl: null,
			status: 'New',
			created: new Date().toISOString(),
		});
		first.altinn3.approve(approvedRequest);
		// A consent request the sandbox person accepted.
		consentId = randomUUID();
		first.altinn3.addConsent({ id: consentId, from: `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`, toOrgNo: VENDOR_ORG_NO, status: 'Created', consented: null });
		first.altinn3.decideConsent(consentId, 'Accepted');
		// A Bokbasen token and a Boknett ticket n8n keeps (sealed in a credential): a real provider would still take them.
		const token = await fetch(`${first.bokbasen.baseUrl}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_id: BOKBASEN_CLIENT.clientId, client_secret: BOKBASEN_CLIENT.clientSecret, audience: BOKBASEN_CLIENT.audience, grant_type: 'client_credentials' }) });
		bokbasenToken = String(((await token.json()) as { access_token: string }).access_token);
		const ticket = await fetch(`${first.boknett.baseUrl}/v1/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(BOKNETT_USER).toString() });
		boknettTicket = String(ticket.headers.get('boknett-tgt'));
		state = JSON.parse(JSON.stringify(sandboxState(first))) as SandboxState;
	} finally {
		await first.stop();
	}
	if (!state) throw new Error('no state was taken');
	const second = await startSandboxes(ports, state);
	try {
		// The credential imported at the first start holds this key: it must still sign grants the sandbox accepts.
		expect(second.altinn3Client.privateKeyPem).toBe(state.altinn3PrivateKeyPem);
		const credential = sandboxCredentials(second).find((candidate) => candidate.type === 'altinnMaskinportenApi');
		expect(credential?.data).toMatchObject({ privateKey: state.altinn3PrivateKeyPem });
		expect(second.altinn3.systemUserRequests.get(approvedRequest)?.status).toBe('Accepted');
		expect([...second.altinn3.systemUsers.values()].some((systemUser) => systemUser.reporteeOrgNo === CUSTOMER_THAT_APPROVES)).toBe(true);
		expect(second.altinn3.consents.get(consentId)?.status).toBe('Accepted');
		// The feed goes on from where it was: the next event gets the next number.
		const eventsBefore = second.altinn3.consentEvents.length;
		expect(second.altinn3.consentEvents.map((event) => [event.consentRequestId, event.eventType])).toContainEqual([consentId, 'Accepted']);
		second.altinn3.decideConsent(consentId, 'Revoked');
		expect(second.altinn3.consentEvents.at(-1)?.eventId).toBe(eventsBefore + 1);
		// The token and the ticket issued before the restart are still taken.
		expect((await fetch(`${second.bokbasen.baseUrl}/metadata/export`, { headers: { Authorization: `Bearer ${bokbasenToken}` } })).status).toBe(200);
		expect((await fetch(`${second.boknett.baseUrl}/metadata/export/onix`, { headers: { Authorization: `Boknett ${boknettTicket}`, Date: new Date().toUTCString() } })).status).toBe(200);
	} finally {
		await second.stop();
	}
});
