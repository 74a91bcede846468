/**
 * The package inside a real n8n (realN8n.n8n2.test.ts: 2.41.1; realN8n.n8n1.test.ts: 1.123.81): installed
 * from its tarball as a community package, the example workflows run against the fake providers,
 * and Altinn's two-phase PIN flow driven through n8n's own webhooks, across a restart of n8n.
 * Afterwards n8n's database and logs are searched for the national ID number and the passwords.
 *
 * Every workflow and credential is imported once, before the server starts (each n8n CLI run boots
 * n8n, seconds each); workflows run in that one server as the editor runs them, and in an n8n
 * process of their own (the CLI) only where another process is the point of the test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StoredExecution } from '../support/n8n';
import { N8nInstance, freePort, installPackage } from '../support/n8n';
import { N8N_RUNTIMES, isInstalled, runtimePaths } from '../support/runtime';
import { sandboxCredentials, sandboxSecrets, startSandboxes } from '../fakes/sandbox';
import { importExamples } from '../support/examples';
import type { Sandboxes } from '../fakes/sandbox';
import { ALTINN_PERSON, ALTINN_REST_USER } from '../fakes/fakeAltinn';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { FakeInbox } from '../fakes/fakeInbox';
import { BOKBASEN_CLIENT } from '../fakes/fakeBokbasenAuth';
import { ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_SMS_2FA_USER, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { CONSENT_PERSON, CONSENT_RESOURCE, DATA_PROVIDER_PATH, DATA_PROVIDER_SCOPE } from '../fakes/fakeAltinnConsent';
import * as shared from '../helpers/e2eWorkflows';
import type { WebhookFlow, Workflow } from '../helpers/e2eWorkflows';
import { examplesFor, nodeOutput, onSandboxes, outcome, subWorkflow, waitFor } from '../helpers/e2eWorkflows';
import { leakedSecrets } from '../helpers/leaks';

/** The suite against one n8n version: one file per n8n line runs it, so that jest runs the two lines side by side. */
export function realN8nSuite(version: string): void {
	jest.setTimeout(10 * 60_000);

	let sandboxes: Sandboxes;
	let inbox: FakeInbox;
	let n8n: N8nInstance;
	let userFolder: string;
	const cliOutputs: string[] = [];
	// When the PIN wait with a time limit began (its end is checked near the end of the file).
	let timeLimitStartedAt = 0;
	let consentPollStartedAt = 0;

	const examples = () => examplesFor(sandboxes);

	const webhookStartedFlow = (example: Workflow, flow: WebhookFlow) => shared.webhookStartedFlow(example, inbox.baseUrl, flow);

	/** The credential shapes released versions saved: by type and version, the declared fields and their defaults (test/fixtures/saved-credential-shapes.json). */
	const SAVED_SHAPES = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'saved-credential-shapes.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

	/** Example workflows as released versions saved them, where our nodes' saved parameters differ from today's (test/fixtures/saved-workflows.json). */
	const SAVED_WORKFLOWS = (
		JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'saved-workflows.json'), 'utf8')) as { workflows: Array<{ savedBy: string[]; file: string; workflow: Workflow }> }
	).workflows;

	/**
	 * A saved workflow of `file` under an id of its own (only `nodeNames`, when given), its Schedule
	 * Trigger made a manual one, and its nodes using `credentials` where given (a credential no earlier
	 * test shared a token through).
	 */
	function savedWorkflow(file: string, savedBy: string, options: { nodeNames?: string[]; credentials?: Record<string, { id: string; name: string }> } = {}): Workflow {
		const found = SAVED_WORKFLOWS.find((saved) => saved.file === file && saved.savedBy.join(', ') === savedBy);
		if (!found) throw new Error(`no workflow ${file} saved by ${savedBy} in the fixture`);
		const id = `sv${found.workflow.id.slice(2, 10)}${savedBy.replace(/\D/g, '')}`.slice(0, 16);
		const saved = onSandboxes({ ...found.workflow, id, name: `${String(found.workflow.name)} (as saved by ${savedBy})` }, sandboxes);
		const workflow = {
			...saved,
			nodes: saved.nodes.map((node) => {
				const manual = node.type === 'n8n-nodes-base.scheduleTrigger' ? { ...node, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} } : node;
				return manual.credentials && options.credentials ? { ...manual, credentials: options.credentials } : manual;
			}),
		};
		return options.nodeNames ? subWorkflow(workflow, id, String(workflow.name), options.nodeNames) : workflow;
	}

	/** Each distinct saved shape of a credential type once, with the versions that saved it ("0.1.0, 0.2.0"). */
	function savedShapesOf(type: string): Array<[string, Record<string, unknown>]> {
		const byShape = new Map<string, { versions: string[]; fields: Record<string, unknown> }>();
		for (const [savedBy, fields] of Object.entries(SAVED_SHAPES[type] ?? {})) {
			const key = JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
			const shape = byShape.get(key) ?? { versions: [], fields };
			shape.versions.push(savedBy);
			byShape.set(key, shape);
		}
		return [...byShape.values()].map(({ versions, fields }) => [versions.join(', '), fields]);
	}

	/** A credential as a version saved it: its fields, holding the sandbox's values (under the names that version used) or that version's defaults. */
	function savedCredentialData(fields: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
		// 0.1.0 to 0.3.0 called the national ID number `userSsn`.
		const valueOf: Record<string, unknown> = { ...current, userSsn: current.secretNationalIdNumber };
		return Object.fromEntries(Object.entries(fields).map(([field, fallback]) => [field, valueOf[field] ?? fallback]));
	}

	const REUSE_WORKFLOW_ID = 'e2eBoknettReuse';
	const REUSE_PATH = 'boknett-reuse';

	/** Boknett login (Reuse Token on by default) and a metadata call, started by a webhook so the server's one process runs every execution. */
	function reuseWorkflow(): Workflow {
		const example = examples().get('exBoknettLogin01') as Workflow;
		return webhookStartedFlow(
			{ ...example, nodes: example.nodes.filter((node) => node.name !== 'Log Out') },
			{ id: REUSE_WORKFLOW_ID, name: 'E2E Boknett token reuse', path: REUSE_PATH, webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e04', notifyNode: 'Notify', notifyBody: '={{ { "done": true } }}' },
		);
	}

	/**
	 * The HTTP Request example with its request node calling `url` with a credential of `type` (n8n's
	 * Predefined Credential Type), which logs in by itself; under `id`.
	 */
	function httpRequestWorkflow(id: string, name: string, type: string, credential: { id: string; name: string }, url: string): Workflow {
		const example = examples().get('exBoknettHttpCred1') as Workflow;
		return {
			...example,
			id,
			name,
			nodes: example.nodes.map((node) =>
				node.name === 'Get Metadata'
					? {
							...node,
							parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: type, options: { response: { response: { responseFormat: 'json' } } } },
							credentials: { [type]: credential },
						}
					: node,
			),
		};
	}

	/** Runs a workflow in the running server, as the editor's Execute button does, and waits for its end. */
	async function runInServer(workflowId: string): Promise<StoredExecution> {
		const executionId = await n8n.runInServer(workflowId);
		return await n8n.waitForExecution(workflowId, ['success', 'error', 'crashed'], executionId - 1, 60_000);
	}

	/** Runs a workflow in an n8n process of its own (the CLI, with an empty memory) and waits for its end. */
	async function runInOwnProcess(workflowId: string): Promise<StoredExecution> {
		const [before] = await n8n.executions(workflowId);
		const { output } = await n8n.executeWithCli(workflowId);
		cliOutputs.push(output);
		return await n8n.waitForExecution(workflowId, ['success', 'error', 'crashed'], before?.id ?? 0, 30_000);
	}

	// Also searched for by the leak check at the end.
	const WRONG_PASSWORD = 'Wrong&Password+1';
	const WRONG_BOKNETT = { id: 'wrongBoknettPass', name: 'Boknett with a wrong password' };
	/** Credentials that nodes and the HTTP Request node use first, and that then get a wrong value saved over a right one. */
	const EDITED = {
		boknettApi: { id: 'e2eBoknettEdit01', name: 'Boknett, used, then a wrong password saved', wrong: { password: 'Wrong&Password+1' } },
		altinnMaskinportenApi: { id: 'e2eAltinn3Edit01', name: 'Altinn 3, used, then a key that is no PEM saved', wrong: { privateKey: 'this is not a PEM private key' } },
	} as const;
	const ONLYOFFICE_SMS_FOR_HTTP = { id: 'e2eOnlySmsHttp01', name: 'ONLYOFFICE SMS account for HTTP Request' };
	const ONLYOFFICE_SMS_FOR_TEST = { id: 'e2eOnlySmsTest01', name: 'ONLYOFFICE SMS account (Test button)' };
	/** The SMS account for the node's own login (Stop With an Error): its address written with a trailing slash, so no other test's hold is on its values. */
	const ONLYOFFICE_SMS_FOR_NODE = { id: 'e2eOnlySmsNode01', name: 'ONLYOFFICE SMS account (node)' };
	const ONLYOFFICE_SMS_FOR_SAVED = { id: 'svOnlySms010020', name: 'ONLYOFFICE SMS account (saved workflow)' };
	const onlyofficeSmsData = () => ({ portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER });
	const sandboxData = (type: string) => sandboxCredentials(sandboxes).find((candidate) => candidate.type === type)?.data ?? {};

	/** The HTTP Request node with a credential of each type that logs in by itself: type, sandbox credential, URL, answer, workflow. */
	const HTTP_CREDENTIAL_CASES = (
		[
			['onlyofficeApi', 'sandboxOnlyTotp1', () => `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`, { response: { displayName: 'Tore Example' } }],
			['altinnApi', 'sandboxAltinn001', () => `${sandboxes.altinn.baseUrl}/api/my/messages`, { _embedded: { messages: [{ MessageId: 'a1' }] } }],
			// New in 0.4.0: the Altinn 3 and Bokbasen credentials log in by themselves too (Bearer tokens).
			['altinnMaskinportenApi', 'sandboxAltinn3001', () => `${sandboxes.altinn3.baseUrl}/storage/api/v1/applications`, { applications: [{ id: 'ttd/example-app' }] }],
			['bokbasenOAuth2Api', 'sandboxBokbasen01', () => `${sandboxes.bokbasen.baseUrl}/metadata/export`, { records: [{ isbn: '9788202000000' }] }],
		] as const
	).map(([type, credentialId, url, expected], index) => [type, credentialId, url, expected, `e2eHttpCredType${index}`] as const);

	/** A provider failing the login: the example, its login node, how the fake fails, the message the workflow gets. */
	const PROVIDER_FAILURES = [
		['exOnlyofficeLog1', 'ONLYOFFICE Auth', () => (sandboxes.onlyoffice.failure = 'twoFactorSms'), 'This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code'],
		['exAltinnPwMsgs01', 'Altinn Authenticate', () => (sandboxes.altinn.restFailure = 'okWithoutCookie'), 'Altinn answered 200 OK but did not log in (no auth cookie was set)'],
		['exBoknettLogin01', 'Boknett Ticket', () => (sandboxes.boknett.failure = 'htmlPage'), 'Boknett failed the login (502 Bad Gateway) but may already have counted a failed login, so it was not sent again'],
	] as const;
	const forcedLoginId = (workflowId: string) => `forced${workflowId.slice(2, 12)}`;
	/**
	 * Credentials for the provider failures above: the sandbox's accounts, with addresses written with
	 * a trailing slash, so that their values differ. A failure that may have reached a person holds
	 * the login's values (no process sends them again until the hold is lifted): the sandbox's own
	 * credentials, which later tests use, stay free of it.
	 */
	const FAILING = {
		exOnlyofficeLog1: { id: 'e2eOnlyFailing01', name: 'ONLYOFFICE (provider failure)', type: 'onlyofficeApi', url: 'portalUrl' },
		exAltinnPwMsgs01: { id: 'e2eAltinnFailin1', name: 'Altinn 2 (provider failure)', type: 'altinnApi', url: 'baseUrl' },
		exBoknettLogin01: { id: 'e2eBoknettFail01', name: 'Boknett (provider failure)', type: 'boknettApi', url: 'baseUrl' },
	} as const;

	/** Each saved shape of the Altinn SMS PIN credential, with a credential and a Request PIN workflow of its own. */
	const SMS_PIN_SHAPES = () =>
		savedShapesOf('altinnSmsPinApi').map(([versions, fields]) => {
			const id = `savedSmsPin${versions.replace(/\W/g, '')}`.slice(0, 16);
			return { versions, fields, id, workflowId: `${id}W`.slice(0, 16) };
		});

	/** Each saved shape of each credential the HTTP Request node can log in with, with its sandbox credential, the fake, its login path and a URL to call. */
	const SAVED_SHAPE_CASES = () =>
		(
			[
				['boknettApi', 'sandboxBoknett01', () => sandboxes.boknett, '/v1/tickets', () => `${sandboxes.boknett.baseUrl}/metadata/export/onix`],
				['onlyofficeApi', 'sandboxOnlyoff01', () => sandboxes.onlyoffice, '/api/2.0/authentication', () => `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`],
				['altinnApi', 'sandboxAltinn001', () => sandboxes.altinn, '/api/authentication', () => `${sandboxes.altinn.baseUrl}/api/my/messages`],
				['altinnMaskinportenApi', 'sandboxAltinn3001', () => sandboxes.altinn3, '/token', () => `${sandboxes.altinn3.baseUrl}/storage/api/v1/applications`],
				['bokbasenOAuth2Api', 'sandboxBokbasen01', () => sandboxes.bokbasen, '/oauth/token', () => `${sandboxes.bokbasen.baseUrl}/metadata/export`],
			] as const
		).flatMap(([type, sandboxId, fake, loginPath, url]) =>
			savedShapesOf(type).map(([versions, fields]) => {
				const id = `sv${type.slice(0, 8)}${versions.replace(/\W/g, '')}`.slice(0, 16);
				return [type, versions, { sandboxId, fake, loginPath, url, fields, id, workflowId: `${id}W`.slice(0, 16) }] as const;
			}),
		);

	const ALTINN_SMS_FLOW_ID = 'e2eAltinnSmsFlow';
	const ALTINN_SMS_TIME_LIMIT_ID = 'e2eAltinnSmsTimeLimit';
	const ONLYOFFICE_SMS_FLOW_ID = 'e2eOnlyofficeSms';
	const SYSTEM_USER_CREATE_ID = 'e2eSuCreateReq1';
	const SYSTEM_USER_TRIGGER_ID = 'e2eSuTrigger001';
	const CONSENT_ASK_ID = 'e2eConsentAsk001';
	const CONSENT_DECISION_ID = 'e2eConsentDecide';
	const CONSENT_WAIT_ID = 'e2eConsentWait01';
	const CONSENT_POLL_ID = 'e2eConsentPoll01';
	const ALTINN3_CREDENTIAL = { altinnMaskinportenApi: { id: 'sandboxAltinn3001', name: 'Altinn 3 (Maskinporten) sandbox' } };
	const node = (name: string, type: string, position: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: `${name.replace(/\W/g, '-').toLowerCase()}-${position}`,
		name,
		type,
		typeVersion: 1,
		position: [position * 220, 0],
		parameters,
		...extra,
	});
	const chain = (...names: string[]) => Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
	/**
	 * Altinn Authenticate acting for the consent of the item (its giver read from Altinn), calling the
	 * data provider's API with the token itself (Output: Response): the token, which carries the
	 * person's national ID number, never leaves the node.
	 */
	const consentDataCall = (position: number, consentId: string) =>
		node(
			'Get Income',
			'n8n-nodes-login-tokens.altinnAuthenticate',
			position,
			{ authentication: 'maskinporten', actFor: 'consent', consentId, consentFrom: '', consentScope: DATA_PROVIDER_SCOPE, output: 'response', requestUrl: `${sandboxes.altinn3.baseUrl}${DATA_PROVIDER_PATH}`, options: { forceNewLogin: true } },
			{ typeVersion: 3, credentials: ALTINN3_CREDENTIAL },
		);
	/** Ask the sandbox person for consent; decide (trigger) → consent token → the data provider. */
	const consentWorkflows = (): Workflow[] => [
		{
			id: CONSENT_ASK_ID,
			name: 'E2E consent: ask',
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
				node(
					'Ask for Consent',
					'n8n-nodes-login-tokens.altinnConsent',
					1,
					{
						resource: 'consentRequest',
						operation: 'createConsentRequest',
						consentFrom: CONSENT_PERSON.nationalIdNumber,
						consentResource: CONSENT_RESOURCE,
						metadata: 'inntektsaar=2025',
						validTo: '={{ $now.plus({ days: 30 }).toISO() }}',
						redirectUrl: 'https://bank.example/consent-done?case=e2e',
					},
					{ credentials: ALTINN3_CREDENTIAL },
				),
			],
			connections: chain('Start', 'Ask for Consent'),
		},
		{
			id: CONSENT_DECISION_ID,
			name: 'E2E consent: decided',
			nodes: [
				node('Consent Decided', 'n8n-nodes-login-tokens.altinnConsentTrigger', 0, { pollTimes: { item: [{ mode: 'everyMinute' }] }, decisions: ['Accepted'], options: {} }, { credentials: ALTINN3_CREDENTIAL }),
				consentDataCall(1, '={{ $json.consentRequestId }}'),
			],
			connections: chain('Consent Decided', 'Get Income'),
		},
	];

	/** Every credential the tests use beyond the sandbox's own. */
	function testCredentials(): Array<{ id: string; name: string; type: string; data: Record<string, unknown> }> {
		return [
			...sandboxCredentials(sandboxes),
			{ ...WRONG_BOKNETT, type: 'boknettApi', data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: WRONG_PASSWORD } },
			...Object.entries(EDITED).map(([type, { id, name }]) => ({ id, name, type, data: sandboxData(type) })),
			...Object.values(FAILING).map(({ id, name, type, url }) => {
				const data: Record<string, unknown> = sandboxData(type);
				return { id, name, type, data: { ...data, [url]: `${String(data[url])}/` } };
			}),
			{ ...ONLYOFFICE_SMS_FOR_HTTP, type: 'onlyofficeApi', data: onlyofficeSmsData() },
			{ ...ONLYOFFICE_SMS_FOR_TEST, type: 'onlyofficeApi', data: onlyofficeSmsData() },
			{ ...ONLYOFFICE_SMS_FOR_NODE, type: 'onlyofficeApi', data: { ...onlyofficeSmsData(), portalUrl: `${sandboxes.onlyoffice.baseUrl}/` } },
			// Values of its own (two trailing slashes): no other test's hold (an SMS code sent) is on them.
			{ ...ONLYOFFICE_SMS_FOR_SAVED, type: 'onlyofficeApi', data: { ...onlyofficeSmsData(), portalUrl: `${sandboxes.onlyoffice.baseUrl}//` } },
			...SMS_PIN_SHAPES().map(({ versions, fields, id }) => ({ id, name: `Altinn SMS PIN as saved by ${versions}`, type: 'altinnSmsPinApi', data: savedCredentialData(fields, sandboxData('altinnSmsPinApi')) })),
			...SAVED_SHAPE_CASES().map(([type, versions, { sandboxId, fields, id }]) => ({
				id,
				name: `${type} as saved by ${versions}`,
				type,
				data: savedCredentialData(fields, sandboxCredentials(sandboxes).find((candidate) => candidate.id === sandboxId)?.data ?? {}),
			})),
		];
	}

	/** Every workflow the tests run: the examples, and the variants and webhook-started flows below. */
	function testWorkflows(): Workflow[] {
		const example = (id: string) => examples().get(id) as Workflow;
		const withCredential = (workflow: Workflow, nodeName: string, credentials: Record<string, { id: string; name: string }>) =>
			workflow.nodes.map((node) => (node.name === nodeName ? { ...node, credentials } : node));
		const smsPin = example('exAltinnSmsSoap1');
		const pinLinks = { notifyNode: 'Send PIN Link', notifyBody: '={{ { "pinFormUrl": $json.pinFormUrl, "pinWebhookUrl": $json.pinWebhookUrl } }}' };
		const onboarding = example('exAltinn3Onbrd01');
		const trigger = onboarding.nodes.find((node) => node.type === 'n8n-nodes-login-tokens.altinnSystemUserTrigger');
		const decisionNodes = onboarding.nodes.filter((node) => /^(Customer approved|Rejected)/.test(String(node.name))).map((node) => String(node.name));
		const [pinTrigger, requestPin] = smsPin.nodes;
		return [
			...examples().values(),
			{ ...example('exBoknettHttpCred1'), id: 'e2eHttpCredWrong', name: 'HTTP Request with a wrong Boknett password', nodes: withCredential(example('exBoknettHttpCred1'), 'Get Metadata', { boknettApi: WRONG_BOKNETT }) },
			httpRequestWorkflow('e2eHttpCredSms01', 'HTTP Request with an ONLYOFFICE SMS account', 'onlyofficeApi', ONLYOFFICE_SMS_FOR_HTTP, `${sandboxes.onlyoffice.baseUrl}/api/2.0/people/@self`),
			...HTTP_CREDENTIAL_CASES.map(([type, credentialId, url, , workflowId]) => httpRequestWorkflow(workflowId, `HTTP Request with ${type}`, type, { id: credentialId, name: credentialId }, url())),
			{
				id: 'e2eOnlyStopSms01',
				name: 'ONLYOFFICE Auth, SMS account, Stop With an Error, two items',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
					node('Two Items', 'n8n-nodes-base.code', 1, { jsCode: 'return [{ json: { n: 1 } }, { json: { n: 2 } }];' }, { typeVersion: 2 }),
					node('Log In', 'n8n-nodes-login-tokens.onlyofficeAuth', 2, { operation: 'logIn' }, { typeVersion: 2, onError: 'continueRegularOutput', credentials: { onlyofficeApi: ONLYOFFICE_SMS_FOR_NODE } }),
				],
				connections: chain('Start', 'Two Items', 'Log In'),
			},
			// The edited credentials' first use: a login node (sharing its token) and the HTTP Request node (a session).
			{
				id: 'e2eEditedUseBok',
				name: 'Use the Boknett credential that is edited later',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
					node('Boknett Ticket', 'n8n-nodes-login-tokens.boknettTicket', 1, { operation: 'create' }, { credentials: { boknettApi: { id: EDITED.boknettApi.id, name: EDITED.boknettApi.name } } }),
				],
				connections: chain('Start', 'Boknett Ticket'),
			},
			{
				id: 'e2eEditedUseAlt',
				name: 'Use the Altinn 3 credential that is edited later',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
					node('Altinn Authenticate', 'n8n-nodes-login-tokens.altinnAuthenticate', 1, { authentication: 'maskinporten', actFor: 'organisation' }, { typeVersion: 3, credentials: { altinnMaskinportenApi: { id: EDITED.altinnMaskinportenApi.id, name: EDITED.altinnMaskinportenApi.name } } }),
				],
				connections: chain('Start', 'Altinn Authenticate'),
			},
			httpRequestWorkflow('e2eEditedHttp01', 'HTTP Request with the Boknett credential edited later', 'boknettApi', { id: EDITED.boknettApi.id, name: EDITED.boknettApi.name }, `${sandboxes.boknett.baseUrl}/metadata/export`),
			httpRequestWorkflow('e2eEditedHttp02', 'HTTP Request with the Altinn 3 credential edited later', 'altinnMaskinportenApi', { id: EDITED.altinnMaskinportenApi.id, name: EDITED.altinnMaskinportenApi.name }, `${sandboxes.altinn3.baseUrl}/storage/api/v1/applications`),
			{ ...example('exBoknettLogin01'), id: 'e2eWrongPassword', name: 'Boknett with a wrong password', nodes: withCredential(example('exBoknettLogin01'), 'Boknett Ticket', { boknettApi: WRONG_BOKNETT }) },
			// Force New Login: a token an earlier run shared through the credential would otherwise be reused.
			...PROVIDER_FAILURES.map(([workflowId, nodeName]) => ({
				...example(workflowId),
				id: forcedLoginId(workflowId),
				nodes: example(workflowId).nodes.map((node) =>
					node.name === nodeName
						? { ...node, parameters: { ...(node.parameters as object), options: { forceNewLogin: true } }, credentials: { [FAILING[workflowId].type]: { id: FAILING[workflowId].id, name: FAILING[workflowId].name } } }
						: node,
				),
			})),
			webhookStartedFlow(smsPin, { ...pinLinks, id: ALTINN_SMS_FLOW_ID, name: 'E2E Altinn SMS flow', path: 'start-altinn-sms', webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e01' }),
			// The same flow whose Wait for PIN gives up after one minute.
			webhookStartedFlow(smsPin, {
				...pinLinks,
				id: ALTINN_SMS_TIME_LIMIT_ID,
				name: 'E2E Altinn SMS time limit',
				path: 'start-altinn-sms-time-limit',
				webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e02',
				replace: (node) => (node.name === 'Wait for PIN' ? { ...node, parameters: { operation: 'waitForPin', timeLimitMinutes: 1 } } : node),
			}),
			webhookStartedFlow(example('exOnlyofficeSms01'), {
				id: ONLYOFFICE_SMS_FLOW_ID,
				name: 'E2E ONLYOFFICE SMS code',
				path: 'start-onlyoffice-sms',
				webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e03',
				notifyNode: 'Send Code Link',
				notifyBody: '={{ { "codeFormUrl": $json.codeFormUrl, "codeWebhookUrl": $json.codeWebhookUrl } }}',
				keepConnections: true,
			}),
			reuseWorkflow(),
			subWorkflow(
				onboarding,
				SYSTEM_USER_CREATE_ID,
				'E2E system user request',
				onboarding.nodes.filter((node) => node !== trigger && node.name !== 'Accepted?' && !decisionNodes.includes(String(node.name))).map((node) => String(node.name)),
			),
			subWorkflow(onboarding, SYSTEM_USER_TRIGGER_ID, 'E2E system user decision', [String(trigger?.name), 'Accepted?', ...decisionNodes]),
			...consentWorkflows(),
			...[
				{ id: CONSENT_WAIT_ID, path: 'start-consent-wait', webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e05', timeLimitMinutes: 1440 },
				// The same flow whose wait ends after a minute: the loop back checks Altinn again.
				{ id: CONSENT_POLL_ID, path: 'start-consent-poll', webhookId: '7f1c1f0e-3d57-4a53-9c51-6a1f3a1f0e06', timeLimitMinutes: 1 },
			].map(({ id, path, webhookId, timeLimitMinutes }) =>
				webhookStartedFlow(example('exAltinn3CnsWait'), {
					id,
					name: `E2E consent: ask and wait (${timeLimitMinutes} min)`,
					path,
					webhookId,
					notifyNode: 'Send viewUri to the person',
					notifyBody: '={{ { "viewUri": $json.viewUri, "redirectUrl": $json.redirectUrl, "consentRequestId": $json.consentRequestId } }}',
					keepConnections: true,
					replace: (node) => (node.name === 'Wait for Decision' ? { ...node, parameters: { ...(node.parameters as object), timeLimitMinutes } } : node),
				}),
			),
			...SMS_PIN_SHAPES().map(({ versions, id, workflowId }) => ({
				...smsPin,
				id: workflowId,
				name: `Request PIN with a credential saved by ${versions}`,
				nodes: [pinTrigger, { ...requestPin, credentials: { altinnSmsPinApi: { id, name: id } } }],
				connections: { [String(pinTrigger.name)]: { main: [[{ node: String(requestPin.name), type: 'main', index: 0 }]] } },
			})),
			savedWorkflow('altinn3-maskinporten-applications.json', '0.1.0, 0.2.0, 0.3.0, 0.4.0'),
			savedWorkflow('onlyoffice-sms-code.json', '0.1.0, 0.2.0', { nodeNames: ['When clicking ‘Execute workflow’', 'Log In'], credentials: { onlyofficeApi: ONLYOFFICE_SMS_FOR_SAVED } }),
			savedWorkflow('altinn3-system-user-submission.json', '0.3.0, 0.4.0'),
			...SAVED_SHAPE_CASES().map(([type, versions, { id, workflowId, url }]) => httpRequestWorkflow(workflowId, `HTTP Request with ${type} as saved by ${versions}`, type, { id, name: `${type} as saved by ${versions}` }, url())),
		];
	}

	beforeAll(async () => {
		if (!isInstalled(version)) {
			throw new Error(`n8n ${version} is not installed: run "node .sandbox/build/test/support/runtime.js ${version}" (npm test does it first)`);
		}
		sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
		inbox = await new FakeInbox().start();
		userFolder = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-e2e-'));
		n8n = new N8nInstance({ runtime: runtimePaths(version), userFolder, port: await freePort() });
		await installPackage(userFolder);
		await n8n.importCredentials(testCredentials());
		const workflows = testWorkflows();
		expect(new Set(workflows.map((workflow) => workflow.id)).size).toBe(workflows.length);
		await n8n.importWorkflows(workflows);
		await n8n.start();
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandboxes?.stop();
		await inbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	describe(`in a real n8n ${version}`, () => {
		it('is the version the README\'s compatibility table reports on', () => {
			const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
			const nodeMajor = N8N_RUNTIMES[version]?.nodeMajor;
			expect(readme).toMatch(new RegExp(`\\| ${version.replace(/\./g, '\\.')} \\| ${nodeMajor} \\|.*\\| all pass \\|`));
		});

		it('Boknett: logs in, the HTTP Request node sends the ticket and a Date header, then logs out', async () => {
			const execution = await runInServer('exBoknettLogin01');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const [token] = nodeOutput(execution, 'Boknett Ticket');
			expect(token).toMatchObject({ provider: 'boknett', environment: 'custom', headers: { Authorization: `Boknett ${String(token.token)}` } });
			expect(nodeOutput(execution, 'Get Metadata')[0]).toEqual({ products: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
			const [downstream] = sandboxes.boknett.requestsTo('/metadata/');
			expect(downstream.headers.authorization).toBe(`Boknett ${String(token.token)}`);
			expect(Math.abs(Date.parse(String(downstream.headers.date)) - Date.now())).toBeLessThan(5 * 60_000);
			expect(nodeOutput(execution, 'Log Out')).toEqual([{ deleted: true }]);
			expect(sandboxes.boknett.liveTickets.has(String(token.token))).toBe(false);
		});

		it('ONLYOFFICE: logs in and the HTTP Request node reads the profile with the token; the next run, another n8n process, reuses that token from the credential', async () => {
			const logins = () => sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length;
			const before = logins();
			const execution = await runInServer('exOnlyofficeLog1');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const [token] = nodeOutput(execution, 'ONLYOFFICE Auth');
			expect(token).toMatchObject({ provider: 'onlyoffice', expiresAt: '2030-07-07T14:06:03.584Z', reused: false });
			expect(nodeOutput(execution, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Anne Example' } });
			// The CLI's run is a process of its own, with an empty memory: the token comes sealed in the credential (n8n 2.34
			// and later; n8n 1.x would save the whole credential for a node, so there each process logs in for itself).
			const again = await runInOwnProcess('exOnlyofficeLog1');
			const shared = !version.startsWith('1.');
			expect(nodeOutput(again, 'ONLYOFFICE Auth')[0]).toMatchObject(shared ? { token: token.token, reused: true } : { reused: false });
			expect(logins() - before).toBe(shared ? 1 : 2);
		});

		it('Altinn: password login, and the HTTP Request node lists messages with the cookie and API key', async () => {
			const execution = await runInServer('exAltinnPwMsgs01');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const [token] = nodeOutput(execution, 'Altinn Authenticate');
			expect(token).toMatchObject({ provider: 'altinn', cookieName: '.AspxAuthProd' });
			const [downstream] = sandboxes.altinn.requestsTo('/api/my/messages');
			expect(downstream.headers.cookie).toBe(`.AspxAuthProd=${String(token.token)}`);
			expect(downstream.headers.apikey).toBe(ALTINN_REST_USER.apiKey);
			expect(nodeOutput(execution, 'Get My Messages')[0]).toHaveProperty('_embedded');
		});

		it('Altinn 3: Maskinporten login, and the HTTP Request node lists applications with the Bearer token', async () => {
			const execution = await runInServer('exAltinn3Login01');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const [token] = nodeOutput(execution, 'Altinn Authenticate');
			expect(token).toMatchObject({ provider: 'altinn3', actsFor: 'organisation', orgNumber: VENDOR_ORG_NO, headers: { Authorization: `Bearer ${String(token.token)}` } });
			expect(sandboxes.altinn3.grants.at(-1)?.header.kid).toBe(sandboxes.altinn3Client.keyId);
			expect(nodeOutput(execution, 'List Applications')[0]).toMatchObject({ applications: [{ id: 'ttd/example-app' }] });
		});

		it('Bokbasen OAuth2: the node calls the API at a path under its API address with a client-credentials token, and a token the API refuses is dropped', async () => {
			const execution = await runInServer('exBokbasenOAuth1');
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(nodeOutput(execution, 'Get Metadata')[0]).toMatchObject({ records: [{ isbn: '9788202000000' }] });
			// The provider ends its tokens early (as after a restart that lost them): the next run logs in again by itself.
			const logins = () => sandboxes.bokbasen.requestsTo('/oauth/token').length;
			const before = logins();
			sandboxes.bokbasen.liveTokens.clear();
			const again = await runInServer('exBokbasenOAuth1');
			expect(outcome(again)).toEqual({ status: 'success' });
			expect(nodeOutput(again, 'Get Metadata')[0]).toMatchObject({ records: [{ isbn: '9788202000000' }] });
			expect(logins() - before).toBe(1);
		});

		it('Altinn 3 system users: a scheduled submission for three customers; the two who approved get an instance, the third a clear error', async () => {
			const instancesBefore = sandboxes.altinn3.requestsTo('/ttd/example-app/instances').length;
			const execution = await runInServer('exAltinn3Submit1');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const tokens = nodeOutput(execution, 'Altinn Authenticate');
			expect(tokens.map((token) => token.orgNumber)).toEqual(['310547891', '313367002']);
			expect(tokens.every((token) => typeof token.systemUserId === 'string' && token.systemId === '991825827_sandbox')).toBe(true);
			const refused = nodeOutput(execution, 'Altinn Authenticate', 1);
			expect(refused).toHaveLength(1);
			// What reaches the error output says which customer (the input item's fields, added by n8n) and what to do.
			expect(refused[0]).toEqual({
				orgNumber: '312345676',
				error: 'This customer (org no 312345676) has not approved a system user for your system',
				message: expect.stringMatching(/Create Request/),
			});
			expect(tokens.every((token) => token.actsFor === 'customer')).toBe(true);
			expect(nodeOutput(execution, 'Create Instance')).toHaveLength(2);
			// The error output asks that customer: the request, with the confirmUrl a person at the customer opens.
			expect(nodeOutput(execution, 'Ask the Customer to Approve')).toEqual([
				expect.objectContaining({ orgNumber: '312345676', status: 'New', confirmUrl: expect.stringMatching(/^http/) }),
			]);
			const instances = sandboxes.altinn3.requestsTo('/ttd/example-app/instances').slice(instancesBefore);
			expect(instances.map((request) => (JSON.parse(request.body) as { instanceOwner: { organisationNumber: string } }).instanceOwner.organisationNumber)).toEqual([
				'310547891',
				'313367002',
			]);
		});

		it('Altinn App: the monthly report for three customers and the organisation, one with invalid data; run again in another n8n process: still four instances, each filed once', async () => {
			const app = 'ttd/monthly-report';
			const filers = ['310547891', '313367002', '315544327', '991825827'];
			const moves = () => sandboxes.altinn3.requests.filter((request) => request.path.startsWith(`/${app}/instances/`) && request.path.endsWith('/process/next')).length;
			const movesBefore = moves();
			const execution = await runInServer('exAltinnMonthly1');
			expect(outcome(execution)).toEqual({ status: 'success' });
			const done = nodeOutput(execution, 'Submit the Report');
			expect(done.map((item) => [item.orgNumber, item.outcome, item.newInstance])).toEqual([
				['310547891', 'completed', true],
				['315544327', 'completed', true],
				['991825827', 'completed', true],
			]);
			expect(nodeOutput(execution, 'Submit the Report', 1)).toEqual([
				expect.objectContaining({ orgNumber: '313367002', outcome: 'invalid', issues: [expect.objectContaining({ severity: 'error', field: 'turnover' })] }),
			]);
			expect(nodeOutput(execution, 'Ask the Customer to Correct')).toHaveLength(1);
			expect(nodeOutput(execution, 'Download the Receipt').map((item) => item.dataType)).toEqual(['ref-data-as-pdf', 'ref-data-as-pdf', 'ref-data-as-pdf']);
			// No item carries a token.
			expect(JSON.stringify(execution)).not.toMatch(/Bearer|eyJ[\w-]+\.eyJ/);
			const again = await runInOwnProcess('exAltinnMonthly1');
			expect(outcome(again)).toEqual({ status: 'success' });
			expect(nodeOutput(again, 'Submit the Report').map((item) => [item.outcome, item.newInstance, item.steps])).toEqual([
				['completed', false, []],
				['completed', false, []],
				['completed', false, []],
			]);
			for (const orgNumber of filers) expect(sandboxes.altinn3.liveInstances(app, orgNumber)).toHaveLength(1);
			// Two steps (data, confirmation) for each of the three filed, once.
			expect(moves() - movesBefore).toBe(6);
		});

		it('ONLYOFFICE Auth stopping with an error for an SMS account: two items and a later run send one code, and say when it went out', async () => {
			const codesBefore = sandboxes.onlyoffice.smsCodesSent;
			const first = await runInServer('e2eOnlyStopSms01');
			expect(nodeOutput(first, 'Log In').map((item) => String(item.error))).toEqual([
				expect.stringMatching(/the portal has sent an SMS code/),
				expect.stringMatching(/The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC, which was not handed in; no further login/),
			]);
			const later = await runInServer('e2eOnlyStopSms01');
			expect(nodeOutput(later, 'Log In').map((item) => String(item.error))).toEqual(Array(2).fill(expect.stringMatching(/The portal sent one at .*no further login/)));
			expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
		});

		it('ONLYOFFICE two-factor by authenticator app: the node computes the code and the profile call works', async () => {
			const execution = await runInServer('exOnlyofficeTotp1');
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(sandboxes.onlyoffice.requestsTo('/api/2.0/authentication/').at(-1)?.path).toMatch(/^\/api\/2\.0\/authentication\/\d{6}$/);
			// The profile of the account that logged in: the authenticator-app account.
			expect(nodeOutput(execution, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Tore Example', email: ONLYOFFICE_APP_2FA_USER.username } });
		});

		describe('HTTP Request node with a Predefined Credential Type: the credential logs in by itself', () => {
			const boknettLogins = () => sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;

			it('Boknett: logs in once, keeps the ticket for the next run, and logs in again once after a 401', async () => {
				const before = boknettLogins();
				const first = await runInServer('exBoknettHttpCred1');
				expect(outcome(first)).toEqual({ status: 'success' });
				expect(nodeOutput(first, 'Get Metadata')[0]).toEqual({ products: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
				const [call] = sandboxes.boknett.requestsTo('/metadata/').slice(-1);
				expect(call.headers.authorization).toMatch(/^Boknett TGT-/);
				expect(Math.abs(Date.parse(String(call.headers.date)) - Date.now())).toBeLessThan(5 * 60_000);
				expect(boknettLogins() - before).toBe(1);

				expect(outcome(await runInServer('exBoknettHttpCred1'))).toEqual({ status: 'success' });
				expect(boknettLogins() - before).toBe(1);

				// The ticket ends on Boknett's side: the next call gets 401, n8n logs in again and repeats the call once.
				sandboxes.boknett.liveTickets.clear();
				const callsBefore = sandboxes.boknett.requestsTo('/metadata/').length;
				expect(outcome(await runInServer('exBoknettHttpCred1'))).toEqual({ status: 'success' });
				expect(boknettLogins() - before).toBe(2);
				expect(sandboxes.boknett.requestsTo('/metadata/').length - callsBefore).toBe(2);
			});

			it('Boknett with a wrong password: the node fails with the login\'s message and the password was sent once', async () => {
				const before = boknettLogins();
				const execution = await runInServer('e2eHttpCredWrong');
				expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining('Boknett refused the login (400 Bad Request)') });
				expect(boknettLogins() - before).toBe(1);
			});

			it('ONLYOFFICE with an account that asks for an SMS code: three runs send one code in all, each failing with what to use instead', async () => {
				const codesBefore = sandboxes.onlyoffice.smsCodesSent;
				const loginsBefore = sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length;
				// The first run is the server's; the others are new CLI processes: what stops their login is the mark n8n saved in the credential.
				for (const run of [runInServer, runInOwnProcess, runInOwnProcess]) {
					const execution = await run('e2eHttpCredSms01');
					expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringMatching(/requires an SMS code, which a request node cannot wait for\. The portal sent one at .+ UTC; this credential sends no further login/) });
				}
				expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
				expect(sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length - loginsBefore).toBe(1);
				// The mark sent nothing to the API either.
				expect(sandboxes.onlyoffice.requestsTo('/api/2.0/people/@self').filter((request) => String(request.headers.authorization ?? '').startsWith('codeNeeded'))).toEqual([]);
			});

			it.each(HTTP_CREDENTIAL_CASES)('%s (%s): the HTTP Request node logs in and calls the API', async (_type, _credentialId, _url, expected, workflowId) => {
				const execution = await runInServer(workflowId);
				expect(outcome(execution)).toEqual({ status: 'success' });
				expect(nodeOutput(execution, 'Get Metadata')[0]).toMatchObject(expected);
			});
		});

		it('a wrong password reaches the workflow as the node\'s clear error, and is not sent again: the HTTP Request node sent it with the same credential before', async () => {
			const before = sandboxes.boknett.requestsTo('/v1/tickets').length;
			const execution = await runInServer('e2eWrongPassword');
			expect(execution.status).toBe('error');
			const [run] = execution.data?.resultData.runData['Boknett Ticket'] ?? [];
			expect(run.error?.message).toBe('Boknett refused the login (400 Bad Request)');
			expect(run.error?.description).toMatch(/Check the username and password.*Since then \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) no login is sent with these values/);
			expect(sandboxes.boknett.requestsTo('/v1/tickets').length - before).toBe(0);
		});

		it.each(PROVIDER_FAILURES)('a provider failure in %s reaches the workflow as the %s node\'s clear error', async (workflowId, nodeName, breakProvider, message) => {
			breakProvider();
			try {
				const execution = await runInServer(forcedLoginId(workflowId));
				expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining(`${nodeName}: ${message}`) });
			} finally {
				sandboxes.onlyoffice.failure = 'none';
				sandboxes.altinn.restFailure = 'none';
				sandboxes.boknett.failure = 'none';
			}
		});

		describe('Altinn SMS PIN: request, wait through n8n\'s resume URL, then the SOAP call', () => {
			const workflowId = ALTINN_SMS_FLOW_ID;
			let pinWebhookUrl = '';
			let pinFormUrl = '';

			beforeAll(async () => {
				for (const id of [ALTINN_SMS_FLOW_ID, ALTINN_SMS_TIME_LIMIT_ID]) await n8n.activateInServer(id);
				await n8n.waitForWebhook('start-altinn-sms');
				await n8n.waitForWebhook('start-altinn-sms-time-limit');
			});

			it('starts a second PIN wait with a 1-minute time limit, to be checked near the end of the file', async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/start-altinn-sms-time-limit`, { method: 'POST' });
				expect(response.status).toBe(200);
				await n8n.waitForExecution(ALTINN_SMS_TIME_LIMIT_ID, ['waiting']);
				timeLimitStartedAt = Date.now();
			});

			it('requests the PIN and pauses the execution, sending the resume URLs on', async () => {
				const sentBefore = sandboxes.altinn.sentPins.length;
				const [previous] = await n8n.executions(workflowId);
				const response = await fetch(`${n8n.baseUrl}/webhook/start-altinn-sms`, { method: 'POST' });
				expect(response.status).toBe(200);
				const waiting = await n8n.waitForExecution(workflowId, ['waiting', 'error', 'success'], previous?.id ?? 0);
				expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for PIN/) });
				expect(sandboxes.altinn.sentPins.length).toBe(sentBefore + 1);
				const message = inbox.messages().pop() ?? {};
				pinWebhookUrl = String(message.pinWebhookUrl);
				pinFormUrl = String(message.pinFormUrl);
				expect(pinWebhookUrl).toContain(`/webhook-waiting/${waiting.id}`);
				expect(pinFormUrl).toContain(`/form-waiting/${waiting.id}`);
			});

			it('shows the PIN form at the form URL', async () => {
				const page = await fetch(pinFormUrl);
				expect(page.status).toBe(200);
				expect(await page.text()).toMatch(/name="pin"/);
			});

			it('refuses a malformed PIN and keeps waiting', async () => {
				const response = await fetch(pinWebhookUrl, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ pin: 'x!' }),
				});
				expect(response.status).toBe(400);
				expect(await response.json()).toMatchObject({ accepted: false });
				const [newest] = await n8n.executions(workflowId);
				expect(newest.status).toBe('waiting');
			});

			it('survives a restart of n8n, then takes the right PIN and completes the SOAP call', async () => {
				await n8n.stop();
				await n8n.start();
				const pin = sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) ?? '';
				const [waiting] = await n8n.executions(workflowId);
				expect(waiting.status).toBe('waiting');
				const response = await fetch(pinWebhookUrl, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ pin }),
				});
				expect({ status: response.status, body: await response.text() }).toMatchObject({ status: 200 });
				const done = await n8n.waitForExecution(workflowId, ['success', 'error'], waiting.id - 1);
				expect(outcome(done)).toEqual({ status: 'success' });
				expect(nodeOutput(done, 'Wait for PIN')[0]).toMatchObject({ provider: 'altinn-sms', token: pin, authMethod: 'SMSPin' });
				const [soap] = nodeOutput(done, 'Get Reportee Elements');
				expect(JSON.stringify(soap)).toContain('Skattemelding 2026');
				expect(sandboxes.altinn.requestsTo('/ServiceEngineExternal')).toHaveLength(1);
			});

		});

		describe('ONLYOFFICE SMS code: log in, wait through n8n\'s resume URL, finish the login', () => {
			const workflowId = ONLYOFFICE_SMS_FLOW_ID;
			let codeWebhookUrl = '';

			beforeAll(async () => {
				await n8n.activateInServer(workflowId);
				await n8n.waitForWebhook('start-onlyoffice-sms');
			});

			it('pauses after the portal sent the code, with the code page sent on', async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/start-onlyoffice-sms`, { method: 'POST' });
				expect(response.status).toBe(200);
				const waiting = await n8n.waitForExecution(workflowId, ['waiting', 'error', 'success']);
				expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for SMS Code/) });
				const message = inbox.messages().pop() ?? {};
				codeWebhookUrl = String(message.codeWebhookUrl);
				expect(codeWebhookUrl).toContain(`/webhook-waiting/${waiting.id}`);
				expect(String(message.codeFormUrl)).toContain(`/form-waiting/${waiting.id}`);
				expect(sandboxes.onlyoffice.lastSmsCode).toMatch(/^\d{6}$/);
			});

			it('tells the person a wrong code was refused and keeps waiting; the right code finishes the login', async () => {
				const right = String(sandboxes.onlyoffice.lastSmsCode);
				const wrong = right === '000000' ? '111111' : '000000';
				const refused = await fetch(codeWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: wrong }) });
				expect(refused.status).toBe(400);
				expect(await refused.json()).toMatchObject({ accepted: false, error: expect.stringMatching(/refused the two-factor code/) });
				const [stillWaiting] = await n8n.executions(workflowId);
				expect(stillWaiting.status).toBe('waiting');
				const accepted = await fetch(codeWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: right }) });
				expect(accepted.status).toBe(200);
				const done = await n8n.waitForExecution(workflowId, ['success', 'error'], stillWaiting.id - 1);
				expect(outcome(done)).toEqual({ status: 'success' });
				expect(nodeOutput(done, 'Wait for SMS Code')[0]).toMatchObject({ provider: 'onlyoffice' });
				// The profile of the account that logged in with the SMS code.
				expect(nodeOutput(done, 'Get My Profile')[0]).toMatchObject({ response: { displayName: 'Siri Example' } });
			});
		});

		describe('Altinn 3 system users: asking a customer, across an n8n restart, until the trigger reports the decision', () => {
			const CREATE_ID = SYSTEM_USER_CREATE_ID;
			const TRIGGER_ID = SYSTEM_USER_TRIGGER_ID;
			let requestId = '';

			// Published now, so its first poll sees what earlier tests left decided.
			beforeAll(async () => await n8n.activateInServer(TRIGGER_ID));

			it('the trigger records what is already decided on its first poll, firing nothing', async () => {
				// n8n keeps a polling node's state under "node:<name>"; the trigger's holds the requests it has seen decided.
				await waitFor(
					async () =>
						Object.entries((await n8n.workflowStaticData(TRIGGER_ID)) ?? {}).some(
							([key, value]) => key.startsWith('node:') && typeof value === 'object' && value !== null && 'reported' in value,
						),
					150_000,
				);
				expect(await n8n.executions(TRIGGER_ID)).toEqual([]);
			});

			it('creates the request: pending, with a confirmUrl for a person at the customer', async () => {
				const execution = await runInServer(CREATE_ID);
				expect(outcome(execution)).toEqual({ status: 'success' });
				const [request] = nodeOutput(execution, 'Create System User Request');
				expect(request).toMatchObject({ status: 'New', partyOrgNo: '312345676', systemId: '991825827_sandbox' });
				expect(String(request.confirmUrl)).toContain(String(request.requestId));
				requestId = String(request.requestId);
			});

			it('the customer approves while n8n is stopped; after the restart the trigger fires once with Accepted', async () => {
				await n8n.stop();
				const request = sandboxes.altinn3.systemUserRequests.get(requestId);
				const page = await fetch(sandboxes.altinn3.confirmUrl(request as NonNullable<typeof request>), {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: 'decision=approve',
					redirect: 'manual',
				});
				expect(page.status).toBeLessThan(400);
				await n8n.start();
				const fired = await n8n.waitForExecution(TRIGGER_ID, ['success', 'error'], 0, 150_000);
				expect(outcome(fired)).toEqual({ status: 'success' });
				expect(nodeOutput(fired, 'Altinn System User Trigger')).toEqual([expect.objectContaining({ requestId, status: 'Accepted', partyOrgNo: '312345676' })]);
				expect(nodeOutput(fired, 'Accepted?')).toHaveLength(1);
			});
		});

		describe('Altinn 3 consent: ask a person, the person accepts in Altinn, the trigger fires, the consent token fetches the data; revoked, it says so', () => {
			let consentRequestId = '';

			// Published before the request is made: its first poll notes the time.
			beforeAll(async () => await n8n.activateInServer(CONSENT_DECISION_ID));

			it('asks for consent: the request waits for the person, with the page to decide on', async () => {
				const execution = await runInServer(CONSENT_ASK_ID);
				expect(outcome(execution)).toEqual({ status: 'success' });
				const [request] = nodeOutput(execution, 'Ask for Consent');
				expect(request).toMatchObject({ status: 'Created', newRequest: true, consentFrom: 'the person with national ID number ending in 04', viewUri: expect.stringMatching(/^http/) });
				consentRequestId = String(request.consentRequestId);
			});

			it('the person accepts on the page; after a restart the trigger fires once, and the consent token gets the data inside its node', async () => {
				const [request] = nodeOutput((await n8n.executions(CONSENT_ASK_ID))[0], 'Ask for Consent');
				const decided = await fetch(String(request.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
				expect(decided.headers.get('location')).toBe('https://bank.example/consent-done?case=e2e');
				// A restart polls at once (the trigger's memory is in the workflow), instead of at the next minute.
				await n8n.stop();
				await n8n.start();
				const fired = await n8n.waitForExecution(CONSENT_DECISION_ID, ['success', 'error'], 0, 150_000);
				expect(outcome(fired)).toEqual({ status: 'success' });
				expect(nodeOutput(fired, 'Consent Decided')).toEqual([expect.objectContaining({ consentRequestId, eventType: 'Accepted', status: 'Accepted' })]);
				expect(nodeOutput(fired, 'Get Income')[0]).toEqual({ consentId: consentRequestId, incomeYears: [{ year: '2025', income: 612000 }] });
				// Nothing n8n saved of the decision's execution holds the person's number, however encoded (the token's JWT included).
				expect(leakedSecrets([fired.data], { nationalIdNumber: CONSENT_PERSON.nationalIdNumber })).toEqual([]);
				expect(JSON.stringify(fired.data)).not.toMatch(/eyJ[\w-]+\.eyJ/);
			});

			it('once the person revokes it, the next run fails with which consent, why and what to do', async () => {
				sandboxes.altinn3.decideConsent(consentRequestId, 'Revoked');
				const useId = 'e2eConsentUse001';
				await n8n.importWorkflow({
					id: useId,
					name: 'E2E consent: use',
					nodes: [node('Start', 'n8n-nodes-base.manualTrigger', 0, {}), consentDataCall(1, consentRequestId)],
					connections: chain('Start', 'Get Income'),
				});
				const execution = await runInServer(useId);
				expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringMatching(new RegExp(`^Get Income: Consent ${consentRequestId} from the person with national ID number ending in 04 was revoked: no token was asked for .*Create Consent Request`)) });
			});
		});

		describe('Altinn 3 consent in one execution: ask, then wait until the person is back from Altinn, or find the decision at the time limit', () => {
			const linkSent = () => inbox.messages().filter((message) => typeof message.viewUri === 'string').pop() ?? {};

			beforeAll(async () => {
				for (const id of [CONSENT_WAIT_ID, CONSENT_POLL_ID]) await n8n.activateInServer(id);
				await n8n.waitForWebhook('start-consent-wait');
				await n8n.waitForWebhook('start-consent-poll');
			});

			it('starts a wait with a 1-minute time limit; the person decides in Altinn and never comes back (checked near the end of the file)', async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/start-consent-poll`, { method: 'POST' });
				expect(response.status).toBe(200);
				await n8n.waitForExecution(CONSENT_POLL_ID, ['waiting']);
				consentPollStartedAt = Date.now();
				sandboxes.altinn3.decideConsent(String(linkSent().consentRequestId), 'Accepted');
			});

			it("asks, sends the link and pauses; a visit before the decision changes nothing; the person's return from Altinn resumes it, and the consent token gets the data", async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/start-consent-wait`, { method: 'POST' });
				expect(response.status).toBe(200);
				const waiting = await n8n.waitForExecution(CONSENT_WAIT_ID, ['waiting', 'error', 'success']);
				expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for Decision/) });
				const { viewUri, redirectUrl, consentRequestId } = linkSent();
				// The person comes back to this execution.
				expect(String(redirectUrl)).toContain(`/webhook-waiting/${waiting.id}`);
				const early = await fetch(String(redirectUrl));
				expect({ status: early.status, page: await early.text() }).toEqual({ status: 200, page: expect.stringContaining('no decision on this request yet') });
				expect((await n8n.executions(CONSENT_WAIT_ID))[0].status).toBe('waiting');

				const decided = await fetch(String(viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
				expect(decided.headers.get('location')).toBe(redirectUrl);
				const back = await fetch(String(decided.headers.get('location')));
				expect({ status: back.status, page: await back.text() }).toEqual({ status: 200, page: expect.stringContaining('Thank you: Altinn has the decision') });
				const done = await n8n.waitForExecution(CONSENT_WAIT_ID, ['success', 'error'], waiting.id - 1);
				expect(outcome(done)).toEqual({ status: 'success' });
				expect(nodeOutput(done, 'Wait for Decision')).toEqual([expect.objectContaining({ consentRequestId, status: 'Accepted' })]);
				expect(nodeOutput(done, 'Get Income')[0]).toEqual({ consentId: consentRequestId, incomeYears: [{ year: '2025', income: 612000 }] });
				expect(leakedSecrets([done.data], { nationalIdNumber: CONSENT_PERSON.nationalIdNumber })).toEqual([]);
			});
		});

		describe('Reuse Token in the running server: executions one after another and at the same time', () => {
			beforeAll(async () => {
				await n8n.activateInServer(REUSE_WORKFLOW_ID);
				await n8n.waitForWebhook(REUSE_PATH);
			});

			const fetchMetadata = async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/${REUSE_PATH}`, { method: 'POST' });
				expect(response.status).toBe(200);
			};

			it('logs in once for four executions at the same time and one after them; the others say the token was reused', async () => {
				const loginsBefore = sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;
				// The fake answers slowly, so all four executions ask while the first login is still under way.
				sandboxes.boknett.answerDelayMs = 1_000;
				try {
					await Promise.all(Array.from({ length: 4 }, fetchMetadata));
					await waitFor(async () => (await n8n.executions(REUSE_WORKFLOW_ID)).filter((execution) => execution.status === 'success').length >= 4);
				} finally {
					sandboxes.boknett.answerDelayMs = 0;
				}
				await fetchMetadata();
				await waitFor(async () => (await n8n.executions(REUSE_WORKFLOW_ID)).filter((execution) => execution.status === 'success').length >= 5);
				const executions = (await n8n.executions(REUSE_WORKFLOW_ID)).slice(0, 5);
				expect(executions.map((execution) => outcome(execution))).toEqual(Array(5).fill({ status: 'success' }));
				const tokens = executions.map((execution) => nodeOutput(execution, 'Boknett Ticket')[0]);
				expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
				expect(tokens.filter((token) => token.reused === true)).toHaveLength(4);
				const logins = sandboxes.boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length - loginsBefore;
				expect(logins).toBe(1);
			});
		});

		describe('each credential\'s Test button (n8n\'s credential test, as the editor calls it)', () => {
			type Check = { status: string; message: string };
			const altinn3Data = () => sandboxData('altinnMaskinportenApi');
			let testCredential: (credential: { id: string; type: string; data: Record<string, unknown> }) => Promise<Check>;

			// The published triggers poll the same sandbox every minute: paused here, so what the fakes saw is the Test's alone.
			const pausedTriggers = [SYSTEM_USER_TRIGGER_ID, CONSENT_DECISION_ID];
			afterAll(async () => {
				for (const id of pausedTriggers) await n8n.activateInServer(id);
			});

			beforeAll(async () => {
				await n8n.start();
				for (const id of pausedTriggers) await n8n.deactivateInServer(id);
				const rest = await n8n.ownerSession();
				testCredential = async (credential) => {
					const { status, body } = await rest('POST', '/credentials/test', { credentials: { name: 'Test', ...credential } });
					expect({ status, body }).toMatchObject({ status: 200 });
					return (body as { data: Check }).data;
				};
			});

			it.each([
				// n8n first runs the credential's own login (preAuthentication), then the Test request.
				['boknettApi', ['POST /v1/tickets', 'GET /v1/tickets']],
				['onlyofficeApi', ['POST /api/2.0/authentication', 'GET /api/2.0/people/@self']],
				['altinnApi', ['POST /api/authentication/authenticatewithpassword', 'GET /api/my/messages']],
				// The service check (no PIN is requested: that would send an SMS), then the service description.
				['altinnSmsPinApi', ['GET /AuthenticationExternal/SystemAuthentication.svc', 'GET /AuthenticationExternal/SystemAuthentication.svc']],
				// The whole Altinn 3 login: Maskinporten token, then the exchange; then Altinn's token refresh.
				['altinnMaskinportenApi', ['POST /token', 'GET /authentication/api/v1/exchange/maskinporten', 'GET /authentication/api/v1/refresh']],
				['bokbasenOAuth2Api', ['POST /oauth/token', 'GET /.well-known/openid-configuration']],
			] as const)('passes for the sandbox %s', async (type, requests) => {
				const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
				const fake = {
					boknettApi: sandboxes.boknett,
					onlyofficeApi: sandboxes.onlyoffice,
					altinnApi: sandboxes.altinn,
					altinnSmsPinApi: sandboxes.altinn,
					altinnMaskinportenApi: sandboxes.altinn3,
					bokbasenOAuth2Api: sandboxes.bokbasen,
				}[type];
				const before = fake.requests.length;
				expect(await testCredential({ id: credential?.id ?? '', type, data: credential?.data ?? {} })).toEqual({ status: 'OK', message: 'Connection successful!' });
				// The check really reached the provider (the sandbox): the login, then the Test request.
				expect(fake.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual(requests);
			});

			it.each([
				['boknettApi', () => ({ environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: WRONG_PASSWORD }), /^Boknett refused the login \(400 Bad Request\)\. Check the username and password/],
				['onlyofficeApi', () => ({ portalUrl: sandboxes.onlyoffice.baseUrl, username: ONLYOFFICE_USER.username, password: WRONG_PASSWORD }), /^ONLYOFFICE refused the username or password/],
				['altinnApi', () => ({ environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER, password: WRONG_PASSWORD }), /^Altinn did not log in \(401/],
				['bokbasenOAuth2Api', () => ({ environment: 'custom', baseUrl: sandboxes.bokbasen.baseUrl, ...BOKBASEN_CLIENT, clientSecret: WRONG_PASSWORD }), /^Bokbasen refused the login \(401 Unauthorized\)/],
				['altinnMaskinportenApi', () => ({ ...altinn3Data(), keyId: 'not-registered' }), /^Maskinporten refused the login \(400 Bad Request\)/],
				['altinnSmsPinApi', () => ({ ...(sandboxCredentials(sandboxes).find((c) => c.type === 'altinnSmsPinApi')?.data ?? {}), baseUrl: `${sandboxes.boknett.baseUrl}/not-altinn` }), /^Altinn's SMS PIN authentication service did not answer as expected at this address/],
			])('fails for %s with wrong values, in words that say what to check', async (type, data, message) => {
				const credential = sandboxCredentials(sandboxes).find((candidate) => candidate.type === type);
				const result = await testCredential({ id: credential?.id ?? '', type, data: data() });
				expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(message) });
				expect(result.message).not.toContain(WRONG_PASSWORD);
			});
		});

		it.each(Object.entries(EDITED))('a %s credential that nodes used, then a wrong value saved over a right one: the Test logs in with the saved values and fails, also after reopening', async (type, edited) => {
			await n8n.start();
			const uses = type === 'boknettApi' ? ['e2eEditedUseBok', 'e2eEditedHttp01'] : ['e2eEditedUseAlt', 'e2eEditedHttp02'];
			for (const id of uses) expect(outcome(await runInServer(id))).toEqual({ status: 'success' });
			const rest = await n8n.ownerSession();
			const read = async () => ((await rest('GET', `/credentials/${edited.id}?includeData=true`)).body as { data: { name: string; type: string; data: Record<string, unknown> } }).data;
			const credential = await read();
			// The editor's save: what it read, with the one value changed.
			expect((await rest('PATCH', `/credentials/${edited.id}`, { name: credential.name, type: credential.type, data: { ...credential.data, ...edited.wrong } })).status).toBe(200);
			for (let opened = 0; opened < 2; opened++) {
				// What the dialog holds when reopened: the saved credential as the editor reads it.
				const { body } = await rest('POST', '/credentials/test', { credentials: { id: edited.id, name: edited.name, type, data: (await read()).data } });
				expect((body as { data: { status: string; message: string } }).data).toMatchObject({ status: 'Error', message: expect.stringMatching(type === 'boknettApi' ? /^Boknett refused the login/ : /private key .* is not a readable PEM private key/) });
			}
			// The HTTP Request node with the edited credential logs in with the values as saved too, and fails.
			expect(outcome(await runInServer(uses[1]))).toMatchObject({ status: 'error' });
		});

		it('an ONLYOFFICE credential whose account asks for an SMS code: its Test button says when the portal sent one, and a second test sends none', async () => {
			await n8n.start();
			const rest = await n8n.ownerSession();
			const codesBefore = sandboxes.onlyoffice.smsCodesSent;
			for (let test = 0; test < 2; test++) {
				const { status, body } = await rest('POST', '/credentials/test', { credentials: { id: ONLYOFFICE_SMS_FOR_TEST.id, name: 'Test', type: 'onlyofficeApi', data: onlyofficeSmsData() } });
				expect(status).toBe(200);
				expect((body as { data: { status: string; message: string } }).data).toMatchObject({
					status: 'Error',
					message: expect.stringMatching(/The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC; this credential sends no further login/),
				});
			}
			expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
		});

		it.each(SMS_PIN_SHAPES().map(({ versions, workflowId }) => [versions, workflowId]))('an Altinn SMS PIN API credential saved by %s still requests the PIN for its person', async (_versions, workflowId) => {
			const pinsBefore = sandboxes.altinn.sentPins.length;
			const execution = await runInServer(workflowId);
			expect(outcome(execution)).toEqual({ status: 'success' });
			expect(sandboxes.altinn.sentPins.slice(pinsBefore).map((pin) => pin.ssn)).toEqual([ALTINN_PERSON.ssn]);
		});

		describe('workflows as earlier versions saved them run with this version', () => {
			it('covers every saved workflow in the fixture', () => {
				expect(SAVED_WORKFLOWS.map((saved) => `${saved.file} (${saved.savedBy.join(', ')})`)).toEqual([
					'altinn3-maskinporten-applications.json (0.1.0, 0.2.0, 0.3.0, 0.4.0)',
					'onlyoffice-sms-code.json (0.1.0, 0.2.0)',
					'altinn3-system-user-submission.json (0.3.0, 0.4.0)',
				]);
			});

			it('Altinn Authenticate version 2, Maskinporten (0.1.0–0.4.0): logs in for the organisation and lists applications', async () => {
				const execution = await runInServer(savedWorkflow('altinn3-maskinporten-applications.json', '0.1.0, 0.2.0, 0.3.0, 0.4.0').id);
				expect(outcome(execution)).toEqual({ status: 'success' });
				expect(nodeOutput(execution, 'Altinn Authenticate')[0]).toMatchObject({ provider: 'altinn3', actsFor: 'organisation' });
				expect(nodeOutput(execution, 'List Applications')[0]).toMatchObject({ applications: [{ id: 'ttd/example-app' }] });
			});

			it('ONLYOFFICE Auth version 1, Log In waiting for an SMS code (0.1.0, 0.2.0): sends one code and outputs where to hand it in', async () => {
				const codesBefore = sandboxes.onlyoffice.smsCodesSent;
				const execution = await runInServer(savedWorkflow('onlyoffice-sms-code.json', '0.1.0, 0.2.0').id);
				expect(outcome(execution)).toEqual({ status: 'success' });
				expect(nodeOutput(execution, 'Log In')[0]).toMatchObject({ status: 'smsCodeSent', codeWebhookUrl: expect.stringMatching(/^http/) });
				expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(1);
			});

			it('Altinn Authenticate version 2, system user (0.3.0, 0.4.0): a token for each customer who approved, the other to the error output', async () => {
				const execution = await runInServer(savedWorkflow('altinn3-system-user-submission.json', '0.3.0, 0.4.0').id);
				expect(outcome(execution)).toEqual({ status: 'success' });
				const tokens = nodeOutput(execution, 'Altinn Authenticate');
				const refused = nodeOutput(execution, 'Altinn Authenticate', 1);
				expect(tokens.every((token) => token.provider === 'altinn3' && token.actsFor === 'customer')).toBe(true);
				// 312345676 had not approved in the sandbox, unless the current example's error branch (run before) asked it and it approved.
				expect(tokens.map((token) => token.orgNumber).slice(0, 2)).toEqual(['310547891', '313367002']);
				expect([...tokens, ...refused].map((item) => item.orgNumber).sort()).toEqual(['310547891', '312345676', '313367002']);
				expect(refused.every((item) => typeof item.error === 'string')).toBe(true);
				expect(nodeOutput(execution, 'Create Instance')).toHaveLength(tokens.length);
			});
		});

		describe('credentials saved by every released version log in by themselves for the HTTP Request node', () => {
			it.each(SAVED_SHAPE_CASES())('%s saved by %s', async (_type, _versions, { fake, loginPath, workflowId }) => {
					const loginsBefore = fake().requestsTo(loginPath).length;
					const execution = await runInServer(workflowId);
					expect(outcome(execution)).toEqual({ status: 'success' });
					// It logged in with the saved values (not with a session of another credential).
					expect(fake().requestsTo(loginPath).length - loginsBefore).toBeGreaterThanOrEqual(1);
			});
		});

		it('when nobody enters the PIN in time, n8n goes on without it and the SOAP Request node says so', async () => {
			// Started in the PIN tests above; n8n looks at waiting executions once a minute: allow three minutes from the start of the wait.
			const remaining = Math.max(10_000, 3 * 60_000 - (Date.now() - timeLimitStartedAt));
			const execution = await n8n.waitForExecution(ALTINN_SMS_TIME_LIMIT_ID, ['success', 'error'], 0, remaining);
			expect(outcome(execution)).toEqual({ status: 'error', failure: expect.stringContaining('Get Reportee Elements: No Altinn PIN reached this node') });
		});

		it('a consent wait that reached its time limit loops back, checks Altinn again and finds the decision the person made without coming back', async () => {
			// Started in the consent tests above; n8n looks at waiting executions once a minute.
			const remaining = Math.max(10_000, 4 * 60_000 - (Date.now() - consentPollStartedAt));
			const execution = await n8n.waitForExecution(CONSENT_POLL_ID, ['success', 'error'], 0, remaining);
			expect(outcome(execution)).toEqual({ status: 'success' });
			const waits = execution.data?.resultData.runData['Wait for Decision'] ?? [];
			expect(waits.map((run) => run.data?.main[0]?.map((item) => item.json.status))).toEqual([['Created'], ['Accepted']]);
			expect(nodeOutput(execution, 'Get Income')[0]).toMatchObject({ incomeYears: [{ year: '2025', income: 612000 }] });
		});

		// After the timed waits above have ended: it restarts n8n, which would end an execution that resumes meanwhile.
		it("what n8n shows a person who opens a credential holds no token, sealed token or mark of its values; the editor's save keeps them, so a later Test sends no second code", async () => {
			// The stored values, decrypted: the mark the Test above left, and the ticket a Boknett Ticket node shares now
			// (n8n 1.x's credential Test saves the whole tested credential, which empties the field of earlier shares;
			// a restart empties the process's memory, so the node logs in and shares the new ticket).
			await n8n.stop();
			await n8n.start();
			await n8n.waitForWebhook(REUSE_PATH);
			const succeeded = async () => (await n8n.executions(REUSE_WORKFLOW_ID)).filter((execution) => execution.status === 'success').length;
			const runsBefore = await succeeded();
			expect((await fetch(`${n8n.baseUrl}/webhook/${REUSE_PATH}`, { method: 'POST' })).status).toBe(200);
			await waitFor(async () => (await succeeded()) > runsBefore);
			const stored = async () => new Map((await n8n.decryptedCredentials()).map((credential) => [credential.id, credential.data]));
			const before = await stored();
			expect(String(before.get(ONLYOFFICE_SMS_FOR_TEST.id)?.sessionToken)).toMatch(/^hold\|/);
			// n8n 2.34 and later let a node save what it shares into the credential; 1.x saves the whole credential, so nothing is written there.
			expect(String(before.get('sandboxBoknett01')?.sharedTokens ?? '')).toMatch(version.startsWith('1.') ? /^$/ : /^\{"v":2,/);
			await n8n.stop();
			await n8n.start();
			const rest = await n8n.ownerSession();
			for (const id of [ONLYOFFICE_SMS_FOR_TEST.id, 'sandboxBoknett01']) {
				const { status, body } = await rest('GET', `/credentials/${id}?includeData=true`);
				expect(status).toBe(200);
				const credential = (body as { data: { name: string; type: string; data: Record<string, unknown> } }).data;
				for (const field of ['sessionToken', 'sessionTicket', 'sharedTokens']) {
					if (before.get(id)?.[field]) expect(credential.data[field]).toMatch(/^__n8n_BLANK_VALUE_/);
				}
				expect(JSON.stringify(credential.data)).not.toMatch(/hold\||v1\||"v":2|TGT-/);
				// The editor's save sends back what it read: n8n keeps the stored values behind the blanks.
				const saved = await rest('PATCH', `/credentials/${id}`, { name: credential.name, type: credential.type, data: credential.data });
				expect(saved.status).toBe(200);
				const after = (await stored()).get(id);
				for (const field of ['sessionToken', 'sessionTicket', 'sharedTokens']) expect(after?.[field]).toEqual(before.get(id)?.[field]);
			}
			// A new process (no memory of the mark): the Test with the values as the editor holds them sends no code.
			await n8n.stop();
			await n8n.start();
			const codesBefore = sandboxes.onlyoffice.smsCodesSent;
			const editorView = ((await (await n8n.ownerSession())('GET', `/credentials/${ONLYOFFICE_SMS_FOR_TEST.id}?includeData=true`)).body as { data: { data: Record<string, unknown> } }).data.data;
			const { body } = await (await n8n.ownerSession())('POST', '/credentials/test', { credentials: { id: ONLYOFFICE_SMS_FOR_TEST.id, name: 'Test', type: 'onlyofficeApi', data: editorView } });
			expect((body as { data: { message: string } }).data.message).toMatch(/The portal sent one at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
			expect(sandboxes.onlyoffice.smsCodesSent - codesBefore).toBe(0);
		});

		it('a published consent trigger stays active when Altinn is down as n8n starts, says why in the log, and fires for the next decision once Altinn is back', async () => {
			const [lastBefore] = await n8n.executions(CONSENT_DECISION_ID);
			await n8n.stop();
			sandboxes.altinn3.failure = 'maskinportenDown';
			try {
				await n8n.start();
				await waitFor(async () => n8n.serverLog().includes('The trigger stays active and tries again at its next poll'), 60_000, 'the trigger\'s word in the log');
			} finally {
				sandboxes.altinn3.failure = 'none';
			}
			const asked = await runInServer(CONSENT_ASK_ID);
			const [request] = nodeOutput(asked, 'Ask for Consent');
			await fetch(String(request.viewUri), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
			// The first successful poll notes the time, the next fires: within three minutes of the polls once a minute.
			// (A poll n8n ran at a minute's turn before Altinn was back is recorded as a failed execution, as n8n does.)
			const fired = async () => (await n8n.executions(CONSENT_DECISION_ID)).filter((execution) => execution.id > (lastBefore?.id ?? 0) && execution.status === 'success');
			await waitFor(async () => (await fired()).length > 0, 200_000, 'the trigger to fire');
			const [decided] = await fired();
			expect(nodeOutput(decided, 'Consent Decided')).toEqual([expect.objectContaining({ consentRequestId: request.consentRequestId, eventType: 'Accepted' })]);
		});

		it('a second npm start keeps what the person did: nothing already in n8n is imported again, and a published example stays published', async () => {
			await n8n.start();
			const rest = await n8n.ownerSession();
			const published = async () => {
				const { body } = await rest('GET', '/workflows/exScheduledBok01');
				const workflow = (body as { data: { active?: boolean; activeVersionId?: string | null } }).data;
				// n8n 1.x says `active`; 2.x publishes a version (`activeVersionId`).
				return workflow.active === true || Boolean(workflow.activeVersionId);
			};
			await n8n.publishWorkflow('exScheduledBok01');
			expect(await published()).toBe(true);
			const before = await n8n.storedIds();
			const said: string[] = [];
			const workflows = await importExamples(n8n, sandboxes, (line) => said.push(line));
			expect(said.join('\n')).toMatch(new RegExp(`imported 0 example workflow\\(s\\) and 0 credential\\(s\\) that were missing; kept the ${workflows.length} example`));
			expect(await n8n.storedIds()).toEqual(before);
			expect(await published()).toBe(true);
		});

		it('leaves no national ID number or password in n8n\'s database, logs or CLI output', async () => {
			// Runs after the PIN flow above, so its executions are in what is searched.
			expect(sandboxes.altinn.requestsTo('/ServiceEngineExternal')).toHaveLength(1);
			await n8n.stop();
			const stored = [
				readFileSync(n8n.databaseFile).toString('latin1'),
				readFileSync(n8n.databaseFile).toString('utf8'),
				n8n.serverLog(),
				...cliOutputs,
			];
			expect(
				leakedSecrets(stored, {
					...sandboxSecrets(sandboxes),
					wrongPassword: WRONG_PASSWORD,
				}),
			).toEqual([]);
		});
	});
}
