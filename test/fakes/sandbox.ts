/**
 * The local provider sandboxes for `npm start`: the test fakes on fixed local ports, with the test
 * accounts, and the n8n credentials that point at them. A PIN or code the fakes "send by SMS" is
 * printed by `npm start`; Altinn's are also listed at http://127.0.0.1:5703/__sandbox/sms.
 */
import { ALTINN_PERSON, ALTINN_REST_USER, FakeAltinn, altinnSmsPinCredentialData } from './fakeAltinn';
import type { MaskinportenTokenRecord } from './fakeAltinn3';
import { makeKeyClient } from './fakeAltinn3';
import type { FakeSystemUser, FakeSystemUserRequest } from './fakeAltinnSystemUser';
import type { FakeInstance } from './fakeAltinnApp';
import { FakeAltinnApps, monthlyReportApp } from './fakeAltinnApp';
import { DATA_PROVIDER_SCOPE } from './fakeAltinnConsent';
import type { FakeConsent, FakeConsentEvent } from './fakeAltinnConsent';
import { CUSTOMER_ORG_NO, FakeAltinnSystemUser, OTHER_CUSTOMER_ORG_NO, VENDOR_ORG_NO } from './fakeAltinnSystemUser';
import { BOKBASEN_CLIENT, FakeBokbasenAuth } from './fakeBokbasenAuth';
import { BOKNETT_USER, FakeBoknett } from './fakeBoknett';
import {
	FakeOnlyoffice,
	ONLYOFFICE_APP_2FA_USER,
	ONLYOFFICE_SMS_2FA_USER,
	ONLYOFFICE_TOTP_SECRET,
	ONLYOFFICE_USER,
} from './fakeOnlyoffice';

export const SANDBOX_PORTS = { boknett: 5701, onlyoffice: 5702, altinn: 5703, altinn3: 5704, bokbasen: 5705 } as const;

export type SandboxPorts = Record<keyof typeof SANDBOX_PORTS, number>;

export interface Sandboxes {
	boknett: FakeBoknett;
	onlyoffice: FakeOnlyoffice;
	altinn: FakeAltinn;
	/** Altinn 3 and Maskinporten, with Altinn's system-user vendor API, consent and an app (a superset of FakeAltinn3). */
	altinn3: FakeAltinnApps;
	bokbasen: FakeBokbasenAuth;
	/** The Maskinporten client registered with the Altinn 3 sandbox; its key is made fresh, unless kept from an earlier start. */
	altinn3Client: ReturnType<typeof makeKeyClient>;
	stop(): Promise<void>;
}

/** The system the examples/altinn3-*system-user* workflows use: registered for the sandbox client. */
export const SANDBOX_SYSTEM_ID = `${VENDOR_ORG_NO}_sandbox`;

const SANDBOX_VENDOR_SCOPES = [
	'altinn:authentication/systemuser.request.write',
	'altinn:authentication/systemuser.request.read',
	'altinn:authentication/systemregister.write',
	'altinn:instances.read',
	'altinn:instances.write',
	// Altinn 3 consent: asking, reading the decisions, and the sandbox data provider's scope.
	'altinn:consentrequests.write',
	'altinn:consentrequests.read',
	DATA_PROVIDER_SCOPE,
].join(' ');

/** A fourth customer of the sandbox's vendor, which has approved its system user (for the monthly-report example). */
export const FOURTH_CUSTOMER_ORG_NO = '315544327';

/** The app of examples/altinn3-monthly-report.json: a data task, then a confirmation. */
export const SANDBOX_APP_ID = monthlyReportApp().appId;

/**
 * The sandbox client is also a system vendor: its system asks for the right to the example apps. Two of the
 * three customers in examples/altinn3-system-user-submission.json have approved it already (the third is the
 * one examples/altinn3-onboard-customer.json asks); so have a fourth customer and the vendor's own
 * organisation (an organisation files for itself through a system user it approved for itself).
 */
function addSandboxSystem(altinn3: FakeAltinnSystemUser, clientId: string): void {
	const rights = ['app_ttd_example-app', 'app_ttd_monthly-report'].map((value) => ({ resource: [{ id: 'urn:altinn:resource', value }] }));
	altinn3.addSystem({ id: SANDBOX_SYSTEM_ID, clientId: [clientId], rights, allowedRedirectUrls: ['https://vendor.example/altinn/done'] });
	for (const [index, orgNo] of [CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, FOURTH_CUSTOMER_ORG_NO, VENDOR_ORG_NO].entries()) {
		const id = `5a9d0c1e-0000-4000-8000-00000000000${index + 1}`;
		altinn3.systemUsers.set(id, {
			id,
			systemId: SANDBOX_SYSTEM_ID,
			reporteeOrgNo: orgNo,
			supplierOrgNo: VENDOR_ORG_NO,
			externalRef: orgNo,
			integrationTitle: 'Sandbox',
			rights,
			accessPackages: [],
			agent: false,
			created: new Date().toISOString(),
		});
	}
}

/** The monthly report app (examples/altinn3-monthly-report.json), and the register's parties of the sandbox's organisations. */
function addSandboxApp(altinn3: FakeAltinnApps): void {
	altinn3.addApp(monthlyReportApp());
	for (const orgNo of [CUSTOMER_ORG_NO, OTHER_CUSTOMER_ORG_NO, '312345676', FOURTH_CUSTOMER_ORG_NO, VENDOR_ORG_NO]) altinn3.addParty(orgNo);
}

/**
 * What `npm start` keeps of the sandboxes between starts, so that the credentials and the person's work in
 * n8n stay valid: the Altinn 3 client's key (a local sandbox key, kept in the git-ignored .sandbox/) and the
 * system-user requests and system users (a customer's approval stays given), and the consent requests with their
 * events (a person's consent stays given; a waiting execution or a trigger finds it). A state file from before
 * consent has none.
 */
export interface SandboxState {
	altinn3PrivateKeyPem: string;
	/**
	 * The tickets and tokens the sandboxes issued and still take, so a token n8n keeps (sealed in a
	 * credential, or as a session) still works after the sandboxes restart, as a real provider's would.
	 */
	liveTokens?: {
		boknett: string[];
		onlyoffice: Array<[string, string]>;
		bokbasen: string[];
		maskinporten: Array<[string, MaskinportenTokenRecord]>;
		altinn: string[];
	};
	systemUserRequests: FakeSystemUserRequest[];
	systemUsers: FakeSystemUser[];
	consents?: FakeConsent[];
	consentEvents?: FakeConsentEvent[];
	/** The app's instances (a filing made stays made), their data as base64. */
	appInstances?: Array<Omit<FakeInstance, 'data'> & { data: Array<Omit<FakeInstance['data'][number], 'bytes'> & { bytes: string }> }>;
}

export function sandboxState(sandboxes: Sandboxes): SandboxState {
	return {
		altinn3PrivateKeyPem: sandboxes.altinn3Client.privateKeyPem,
		systemUserRequests: [...sandboxes.altinn3.systemUserRequests.values()],
		systemUsers: [...sandboxes.altinn3.systemUsers.values()],
		consents: [...sandboxes.altinn3.consents.values()],
		consentEvents: [...sandboxes.altinn3.consentEvents],
		appInstances: [...sandboxes.altinn3.instances.values()].map((instance) => ({ ...instance, data: instance.data.map((element) => ({ ...element, bytes: element.bytes.toString('base64') })) })),
		liveTokens: {
			boknett: [...sandboxes.boknett.liveTickets],
			onlyoffice: [...sandboxes.onlyoffice.liveTokens].map((token) => [token, sandboxes.onlyoffice.tokenUsers.get(token) ?? '']),
			bokbasen: [...sandboxes.bokbasen.liveTokens],
			maskinporten: [...sandboxes.altinn3.maskinportenTokens.entries()],
			altinn: [...sandboxes.altinn3.altinnTokens],
		},
	};
}

export async function startSandboxes(ports: SandboxPorts = SANDBOX_PORTS, kept?: SandboxState): Promise<Sandboxes> {
	const boknett = await new FakeBoknett().start(ports.boknett);
	const onlyoffice = await new FakeOnlyoffice().start(ports.onlyoffice);
	const altinn = await new FakeAltinn().start(ports.altinn);
	const altinn3 = await new FakeAltinnApps().start(ports.altinn3);
	const bokbasen = await new FakeBokbasenAuth().start(ports.bokbasen);
	const altinn3Client = makeKeyClient(kept?.altinn3PrivateKeyPem);
	altinn3.registerVendorClient(altinn3Client.clientId, altinn3Client.keyId, altinn3Client.publicKey, `${altinn3Client.scopes} ${SANDBOX_VENDOR_SCOPES}`);
	addSandboxSystem(altinn3, altinn3Client.clientId);
	addSandboxApp(altinn3);
	for (const instance of kept?.appInstances ?? []) {
		altinn3.instances.set(`${instance.partyId}/${instance.guid}`, { ...instance, data: instance.data.map((element) => ({ ...element, bytes: Buffer.from(element.bytes, 'base64') })) });
	}
	for (const request of kept?.systemUserRequests ?? []) altinn3.systemUserRequests.set(request.id, request);
	for (const systemUser of kept?.systemUsers ?? []) altinn3.systemUsers.set(systemUser.id, systemUser);
	for (const consent of kept?.consents ?? []) altinn3.consents.set(consent.id, consent);
	altinn3.consentEvents.push(...(kept?.consentEvents ?? []));
	const live = kept?.liveTokens;
	for (const ticket of live?.boknett ?? []) boknett.liveTickets.add(ticket);
	for (const [token, user] of live?.onlyoffice ?? []) {
		onlyoffice.liveTokens.add(token);
		onlyoffice.tokenUsers.set(token, user);
	}
	for (const token of live?.bokbasen ?? []) bokbasen.liveTokens.add(token);
	for (const [token, record] of live?.maskinporten ?? []) altinn3.maskinportenTokens.set(token, record);
	for (const token of live?.altinn ?? []) altinn3.altinnTokens.add(token);
	return {
		boknett,
		onlyoffice,
		altinn,
		altinn3,
		bokbasen,
		altinn3Client,
		async stop() {
			await Promise.all([boknett.stop(), onlyoffice.stop(), altinn.stop(), altinn3.stop(), bokbasen.stop()]);
		},
	};
}

/** n8n credentials (for `n8n import:credentials`, which encrypts them) matching the example workflows' ids. */
/** Every secret the sandbox credentials hold, by name, for the leak searches of the end-to-end tests. */
export function sandboxSecrets(sandboxes: Omit<Sandboxes, 'stop'>): Record<string, string> {
	return {
		ssn: ALTINN_PERSON.ssn,
		altinnUserPassword: ALTINN_PERSON.password,
		altinnSystemPassword: ALTINN_PERSON.systemPassword ?? '',
		altinnRestPassword: ALTINN_REST_USER.password,
		boknettPassword: BOKNETT_USER.password,
		onlyofficePassword: ONLYOFFICE_USER.password,
		altinn3PrivateKey: sandboxes.altinn3Client.privateKeyPem,
		altinn3PrivateKeyLine: sandboxes.altinn3Client.privateKeyPem.split('\n')[1],
		bokbasenClientSecret: BOKBASEN_CLIENT.clientSecret,
		onlyofficeTotpSecret: ONLYOFFICE_TOTP_SECRET,
		onlyofficeAppUserPassword: ONLYOFFICE_APP_2FA_USER.password,
		onlyofficeSmsUserPassword: ONLYOFFICE_SMS_2FA_USER.password,
	};
}

export function sandboxCredentials(sandboxes: Omit<Sandboxes, 'stop'>) {
	return [
		{
			id: 'sandboxBoknett01',
			name: 'Boknett sandbox',
			type: 'boknettApi',
			data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, ...BOKNETT_USER },
		},
		{
			id: 'sandboxOnlyoff01',
			name: 'ONLYOFFICE sandbox',
			type: 'onlyofficeApi',
			data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_USER },
		},
		{
			id: 'sandboxOnlyTotp1',
			name: 'ONLYOFFICE sandbox (authenticator app)',
			type: 'onlyofficeApi',
			data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_APP_2FA_USER, totpSecret: ONLYOFFICE_TOTP_SECRET },
		},
		{
			id: 'sandboxOnlySms01',
			name: 'ONLYOFFICE sandbox (SMS code)',
			type: 'onlyofficeApi',
			data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER },
		},
		{
			id: 'sandboxAltinn001',
			name: 'Altinn sandbox',
			type: 'altinnApi',
			data: { environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER },
		},
		{
			id: 'sandboxAltinnSms1',
			name: 'Altinn SMS PIN sandbox',
			type: 'altinnSmsPinApi',
			data: altinnSmsPinCredentialData(sandboxes.altinn.baseUrl),
		},
		{
			id: 'sandboxAltinn3001',
			name: 'Altinn 3 (Maskinporten) sandbox',
			type: 'altinnMaskinportenApi',
			data: {
				environment: 'custom',
				maskinportenUrl: sandboxes.altinn3.baseUrl,
				platformUrl: sandboxes.altinn3.baseUrl,
				clientId: sandboxes.altinn3Client.clientId,
				privateKey: sandboxes.altinn3Client.privateKeyPem,
				keyId: sandboxes.altinn3Client.keyId,
				// The service owner's read (examples/altinn3-maskinporten-applications.json), and what a system user files with.
				scopes: 'altinn:serviceowner/instances.read altinn:instances.read altinn:instances.write',
			},
		},
		{
			id: 'sandboxBokbasen01',
			name: 'Bokbasen OAuth2 sandbox',
			type: 'bokbasenOAuth2Api',
			data: { environment: 'custom', baseUrl: sandboxes.bokbasen.baseUrl, ...BOKBASEN_CLIENT },
		},
	];
}

// Run directly (`node .sandbox/build/test/fakes/sandbox.js`): start the sandboxes until Ctrl-C.
if (require.main === module) {
	void (async () => {
		const sandboxes = await startSandboxes();
		sandboxes.altinn.onPinSent = (pin) => console.log(`[sandbox] Altinn "sent" the SMS PIN ${pin}`);
		sandboxes.onlyoffice.onSmsCode = (code) => console.log(`[sandbox] ONLYOFFICE "sent" the SMS code ${code}`);
		console.log(
			`[sandbox] Boknett ${sandboxes.boknett.baseUrl}, ONLYOFFICE ${sandboxes.onlyoffice.baseUrl}, Altinn ${sandboxes.altinn.baseUrl}, Altinn 3 ${sandboxes.altinn3.baseUrl}, Bokbasen ${sandboxes.bokbasen.baseUrl}`,
		);
		const stop = () => void sandboxes.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	})();
}
