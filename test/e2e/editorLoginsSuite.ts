/// <reference lib="dom" />
/**
 * What a person does in n8n's editor is what runs, on both n8n lines (editorLogins.n8n2.test.ts: 2.41.1,
 * editorLogins.n8n1.test.ts: 1.123.81), in headless Chromium: from an empty canvas, as a person would (the node panel's search and actions, the
 * credential selector, the node's own fields, "Execute step"), one workflow per way of logging in (each of
 * Altinn Authenticate's logins, ONLYOFFICE Auth, Boknett Ticket, Bokbasen, the Altinn PIN request);
 * then the credential is chosen again, which must not change whom the node acts for; and the example
 * with a customer's system user is opened and its credential chosen again too. What ran is read from
 * the fake providers (which grant reached Maskinporten, which login reached Altinn) and what was saved
 * from n8n's REST API. Screenshots of every step go to test-results/editor-e2e/<version>/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { CONSENT_PERSON, DATA_PROVIDER_SCOPE } from '../fakes/fakeAltinnConsent';
import { CUSTOMER_ORG_NO, VENDOR_ORG_NO } from '../fakes/fakeAltinnSystemUser';
import { sandboxCredentials, startSandboxes } from '../fakes/sandbox';
import type { Sandboxes } from '../fakes/sandbox';
import type { Workflow } from '../helpers/e2eWorkflows';
import { examplesFor, nodeOutput, outcome, waitFor } from '../helpers/e2eWorkflows';
import { N8nInstance, freePort, installPackage } from '../support/n8n';
import { isInstalled, runtimePaths } from '../support/runtime';

const CHROMIUM = '/usr/bin/chromium';
const OWNER = { email: 'owner@example.com', password: 'Sandbox-Owner-Password-1' };
const MASKINPORTEN_CREDENTIAL = 'sandboxAltinn3001';
const PASSWORD_CREDENTIAL = 'sandboxAltinn001';
const SUBMISSION_EXAMPLE = 'exAltinn3Submit1';
const CONSENT_WAIT_EXAMPLE = 'exAltinn3CnsWait';

type Rest = Awaited<ReturnType<N8nInstance['ownerSession']>>;
type SavedNode = { type: string; typeVersion: number; parameters: Record<string, unknown>; credentials?: Record<string, { id: string }> };

/** The suite on one n8n line: one file per line runs it, so that jest runs the two side by side. */
export function editorLoginsSuite(version: string): void {
	jest.setTimeout(6 * 60_000);

	describe(`n8n ${version}: every login can be chosen in the editor`, () => {
		const screenshots = join(__dirname, '..', '..', 'test-results', 'editor-e2e', version);
		let sandboxes: Sandboxes;
		let n8n: N8nInstance;
		let rest: Rest;
		let userFolder: string;
		let browser: Browser;
		let page: Page;
		let shots = 0;

		const shot = async (step: string) => {
			shots += 1;
			await page.screenshot({ path: join(screenshots, `${String(shots).padStart(2, '0')}-${step}.png`) });
		};

		/** The Maskinporten grants the fake has seen since `before`, each with the customer it asked for (null: the organisation itself). */
		const customersAskedFor = (before: number) =>
			sandboxes.altinn3.grants.slice(before).map((grant) => {
				const details = grant.claims.authorization_details as Array<{ systemuser_org?: { ID?: string } }> | undefined;
				return details?.[0]?.systemuser_org?.ID ?? null;
			});

		beforeAll(async () => {
			if (!isInstalled(version)) throw new Error(`n8n ${version} is not installed: run "npm run n8n:install" (npm test does it first)`);
			if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "npm run browser:install" (npm test does it first)`);
			rmSync(screenshots, { recursive: true, force: true });
			mkdirSync(screenshots, { recursive: true });
			sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
			userFolder = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-editor-'));
			n8n = new N8nInstance({ runtime: runtimePaths(version), userFolder, port: await freePort() });
			await installPackage(userFolder);
			await n8n.importCredentials(sandboxCredentials(sandboxes));
			await n8n.importWorkflows([SUBMISSION_EXAMPLE, CONSENT_WAIT_EXAMPLE].map((id) => examplesFor(sandboxes).get(id) as Workflow));
			await n8n.start();
			rest = await n8n.ownerSession();
			browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
			// Tall, so that the output panel's JSON view shows a whole token item.
			page = await (await browser.newContext({ viewport: { width: 1400, height: 2000 } })).newPage();
			page.setDefaultTimeout(30_000);
			await page.goto(`${n8n.baseUrl}/signin`);
			await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
			await page.fill('input[name="password"]', OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		});

		afterAll(async () => {
			await browser?.close();
			await n8n?.stop();
			await sandboxes?.stop();
			if (userFolder) rmSync(userFolder, { recursive: true, force: true });
		});

		/** From an empty canvas: a manual trigger, then Altinn Authenticate found by the node panel's search; its settings open. */
		/**
		 * From an empty canvas: a manual trigger, then `nodeName` found by the node panel's search; its settings
		 * open. A node with operations lists them as actions, and the person picks `action`; one without shows
		 * its details first in n8n 2.x ("Add to workflow").
		 */
		async function newWorkflowWith(nodeName: string, step: string, action?: string): Promise<void> {
			await page.goto(`${n8n.baseUrl}/workflow/new`);
			await page.click('[data-test-id="canvas-add-button"]');
			await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
			await page.keyboard.type('manual');
			// "Trigger manually" in n8n 2.x, "Manual Trigger" in 1.x: the first match either way.
			await page.locator('[data-test-id="node-creator-item-name"]').first().waitFor();
			await page.keyboard.press('Enter');
			await page.waitForSelector('[data-test-id="canvas-node"]');
			// n8n may open the trigger's settings; the person closes them and adds the next step.
			await page.keyboard.press('Escape');
			await page.click('[data-test-id="node-creator-plus-button"]');
			await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
			await page.keyboard.type(nodeName);
			await page.locator('[data-test-id="node-creator-item-name"]', { hasText: nodeName }).first().waitFor();
			await shot(`${step}-node-panel`);
			await page.keyboard.press('Enter');
			const parameters = page.locator('[data-test-id="node-parameters"]');
			if (action) {
				await page.getByText(action, { exact: true }).first().click();
			} else {
				const add = page.getByText('Add to workflow');
				await Promise.race([add.waitFor(), parameters.waitFor()]);
				if (await add.isVisible()) await add.click();
			}
			await parameters.waitFor();
		}

		const newWorkflowWithAltinnAuthenticate = async (step: string) => await newWorkflowWith('Altinn Authenticate', step);

		async function chooseCredential(id: string): Promise<void> {
			await page.click('[data-test-id="node-credentials-select"]');
			await page.click(`[data-test-id="node-credentials-select-item-${id}"]`);
		}

		async function chooseOption(parameter: string, option: string): Promise<void> {
			await page.click(`[data-test-id="parameter-input-${parameter}"]`);
			// An option's accessible name holds its description too.
			await page.getByRole('option', { name: option }).first().click();
		}

		async function typeInto(parameter: string, text: string): Promise<void> {
			await page.locator(`[data-test-id="parameter-input-${parameter}"] input, [data-test-id="parameter-input-${parameter}"] textarea`).first().fill(text);
		}

		async function shownOption(parameter: string): Promise<string> {
			return await page.locator(`[data-test-id="parameter-input-${parameter}"] input`).first().inputValue();
		}

		/** "Execute step", then the output panel's item count once it shows one. */
		/**
		 * Runs the open node and waits for this run's output: the panel keeps showing the last run's
		 * until the new one ends, so "1 item" alone may still be the last run's (a new login or a
		 * reused token always shows another token item).
		 */
		async function executeStep(): Promise<void> {
			const output = page.locator('[data-test-id="output-panel"]');
			const shownBefore = (await output.count()) > 0 ? await output.innerText() : '';
			await page.click('[data-test-id="node-execute-button"]');
			await page.getByText(/^1 item$/).first().waitFor();
			await waitFor(async () => (await output.innerText()) !== shownBefore, 30_000, "this run's output in the output panel");
		}

		/** The workflow as n8n saved it, or undefined while it has not been saved. */
		async function savedWorkflow(id: string): Promise<{ versionId: string; nodes: SavedNode[] } | undefined> {
			const answer = await rest('GET', `/workflows/${id}`);
			return answer.status === 200 ? (answer.body as { data: { versionId: string; nodes: SavedNode[] } }).data : undefined;
		}

		/** The workflow's ID in the editor's address (`/workflow/<id>`, followed by the open node's ID in n8n 2.x), or 'new'. */
		const workflowIdInUrl = () => /\/workflow\/([^/?#]+)/.exec(new URL(page.url()).pathname)?.[1] ?? 'new';

		/**
		 * Saves with the keyboard, as a person does (n8n 2.x also saves by itself), and reads the Altinn
		 * Authenticate node back from n8n once what it saved has the credential and `fields` (the test then checks the rest).
		 */
		async function savedAltinnNode(credentialId: string, fields: Record<string, unknown> = {}): Promise<SavedNode> {
			await page.keyboard.press('Escape');
			await page.keyboard.press('Control+s');
			let node: SavedNode | undefined;
			const has = (found: SavedNode | undefined) =>
				found !== undefined &&
				Object.values(found.credentials ?? {}).some((credential) => credential.id === credentialId) &&
				Object.entries(fields).every(([name, value]) => JSON.stringify(found.parameters[name]) === JSON.stringify(value));
			try {
				await waitFor(
					async () => {
						const id = workflowIdInUrl();
						node = id === 'new' ? undefined : (await savedWorkflow(id))?.nodes.find((candidate) => candidate.type === 'n8n-nodes-login-tokens.altinnAuthenticate');
						return has(node);
					},
					30_000,
					'the workflow to be saved',
				);
			} catch (error) {
				throw new Error(`${(error as Error).message}; n8n has ${JSON.stringify(node)} at ${page.url()}`);
			}
			return node as SavedNode;
		}

		/** The fields the output panel's JSON view shows, read from its text (`"name": "value"` pairs). */
		async function outputFields(shownFirst = 'provider'): Promise<Record<string, string>> {
			const output = page.locator('[data-test-id="output-panel"]');
			await output.getByText('JSON', { exact: true }).click();
			await output.getByText(`"${shownFirst}"`).first().waitFor();
			const text = await output.innerText();
			return Object.fromEntries([...text.matchAll(/"(\w+)":\s*("?)([^"\n,]*)\2/g)].map(([, name, , value]) => [name, value]));
		}

		/** A saved parameter: n8n leaves out a value equal to the field's default. */
		const saved = (node: SavedNode, name: string, fieldDefault: string) => node.parameters[name] ?? fieldDefault;

		it('Altinn 3 for your organisation: the credential, then Execute step; the grant asks for no customer', async () => {
			await newWorkflowWithAltinnAuthenticate('organisation');
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			expect(await shownOption('actFor')).toBe('Your Organisation');
			const before = sandboxes.altinn3.grants.length;
			await executeStep();
			await shot('organisation-executed');
			expect(customersAskedFor(before)).toEqual([null]);
			expect(await outputFields()).toMatchObject({ actsFor: 'organisation', orgNumber: VENDOR_ORG_NO });
			const node = await savedAltinnNode(MASKINPORTEN_CREDENTIAL);
			expect(node).toMatchObject({ typeVersion: 3, credentials: { altinnMaskinportenApi: { id: MASKINPORTEN_CREDENTIAL } } });
			expect([saved(node, 'authentication', 'maskinporten'), saved(node, 'actFor', 'organisation')]).toEqual(['maskinporten', 'organisation']);
		});

		it('Altinn 3 for a customer (system user): Act For and the customer\'s number; choosing the credential again keeps both', async () => {
			await newWorkflowWithAltinnAuthenticate('customer');
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			await chooseOption('actFor', 'A Customer (System User)');
			await typeInto('customerOrgNumber', CUSTOMER_ORG_NO);
			await shot('customer-filled');
			const before = sandboxes.altinn3.grants.length;
			await executeStep();
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			await shot('customer-credential-chosen-again');
			expect(await shownOption('actFor')).toBe('A Customer (System User)');
			await executeStep();
			// The second run reuses the customer's token: what it output says whom it acts for.
			expect(customersAskedFor(before)).toEqual([`0192:${CUSTOMER_ORG_NO}`]);
			expect(await outputFields()).toMatchObject({ actsFor: 'customer', orgNumber: CUSTOMER_ORG_NO, reused: 'true' });
			const node = await savedAltinnNode(MASKINPORTEN_CREDENTIAL, { customerOrgNumber: CUSTOMER_ORG_NO });
			expect(node).toMatchObject({ typeVersion: 3, parameters: { actFor: 'customer', customerOrgNumber: CUSTOMER_ORG_NO } });
			expect(saved(node, 'authentication', 'maskinporten')).toBe('maskinporten');
		});

		it('Altinn 3 for a consent: Act For, the Consent ID and the scope, the giver left empty; choosing the credential again keeps them; the token carries the consent', async () => {
			// A consent the sandbox person has given.
			const consentId = randomUUID();
			sandboxes.altinn3.addConsent({ id: consentId, from: `urn:altinn:person:identifier-no:${CONSENT_PERSON.nationalIdNumber}`, toOrgNo: VENDOR_ORG_NO });
			await newWorkflowWithAltinnAuthenticate('consent');
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			await chooseOption('actFor', 'A Consent');
			await typeInto('consentId', consentId);
			await typeInto('consentScope', DATA_PROVIDER_SCOPE);
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			await shot('consent-filled');
			expect(await shownOption('actFor')).toBe('A Consent');
			const before = sandboxes.altinn3.grants.length;
			await executeStep();
			await shot('consent-executed');
			const consentsAskedFor = sandboxes.altinn3.grants.slice(before).map((grant) => (grant.claims.authorization_details as Array<{ type?: string; id?: string }> | undefined)?.[0]);
			expect(consentsAskedFor).toContainEqual(expect.objectContaining({ type: 'urn:altinn:consent', id: consentId }));
			expect(await outputFields()).toMatchObject({ actsFor: 'consent', consentId, consentFrom: 'the person with national ID number ending in 04' });
			const node = await savedAltinnNode(MASKINPORTEN_CREDENTIAL, { consentId });
			expect(node).toMatchObject({ typeVersion: 3, parameters: { actFor: 'consent', consentId, consentScope: DATA_PROVIDER_SCOPE } });
		});

		it("the consent example run with Execute workflow: it asks, waits; the person accepts in Altinn and is sent back to it; the run goes on to the person's data", async () => {
			await page.goto(`${n8n.baseUrl}/workflow/${CONSENT_WAIT_EXAMPLE}`);
			await page.locator('[data-test-id="canvas-node"][data-node-name="Wait for Decision"]').waitFor();
			const askedBefore = new Set(sandboxes.altinn3.consents.keys());
			await page.click('[data-test-id="execute-workflow-button"]');
			const waiting = await n8n.waitForExecution(CONSENT_WAIT_EXAMPLE, ['waiting', 'error', 'success']);
			await shot('consent-wait-waiting');
			expect(outcome(waiting)).toEqual({ status: 'waiting', failure: expect.stringMatching(/^Wait for Decision/) });
			const asked = [...sandboxes.altinn3.consents.values()].filter((consent) => !askedBefore.has(consent.id));
			expect(asked).toHaveLength(1);
			// The person opens the link (the example's placeholder would send it), accepts, and Altinn sends the browser back.
			const decided = await fetch(sandboxes.altinn3.viewUri(asked[0].id), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'decision=accept', redirect: 'manual' });
			expect(decided.headers.get('location')).toContain(`/webhook-waiting/${waiting.id}`);
			const back = await fetch(String(decided.headers.get('location')));
			expect({ status: back.status, page: await back.text() }).toEqual({ status: 200, page: expect.stringContaining('Thank you: Altinn has the decision') });
			const done = await n8n.waitForExecution(CONSENT_WAIT_EXAMPLE, ['success', 'error'], waiting.id - 1);
			expect(outcome(done)).toEqual({ status: 'success' });
			expect(nodeOutput(done, 'Get Income')[0]).toEqual({ consentId: asked[0].id, incomeYears: [{ year: '2025', income: 612000 }] });
			await shot('consent-wait-done');
		});

		it('Altinn 2 password (retired): choosing its credential switches the login, and Execute step says it is retired or logs in', async () => {
			await newWorkflowWithAltinnAuthenticate('password');
			await chooseCredential(PASSWORD_CREDENTIAL);
			await shot('password-credential');
			const before = sandboxes.altinn.requestsTo('/api/authentication/authenticatewithpassword').length;
			await executeStep();
			expect(sandboxes.altinn.requestsTo('/api/authentication/authenticatewithpassword').length - before).toBe(1);
			const node = await savedAltinnNode(PASSWORD_CREDENTIAL, { authentication: 'password' });
			expect(node).toMatchObject({ parameters: { authentication: 'password' }, credentials: { altinnApi: { id: PASSWORD_CREDENTIAL } } });
		});

		// The other nodes' logins, each from an empty canvas with its credential, as a person would: what reached the provider.
		it.each([
			['ONLYOFFICE Auth', 'Log in', 'sandboxOnlyoff01', { provider: 'onlyoffice' }, () => sandboxes.onlyoffice.requestsTo('/api/2.0/authentication').length],
			['ONLYOFFICE Auth', 'Log in', 'sandboxOnlyTotp1', { provider: 'onlyoffice' }, () => sandboxes.onlyoffice.requestsTo('/api/2.0/authentication/').length],
			['Boknett Ticket', 'Create a ticket', 'sandboxBoknett01', { provider: 'boknett' }, () => sandboxes.boknett.requestsTo('/v1/tickets').length],
			['Boknett Ticket', 'Get an access token', 'sandboxBokbasen01', { provider: 'bokbasen' }, () => sandboxes.bokbasen.requestsTo('/oauth/token').length],
			// The PIN request's item says a PIN is on its way (the PIN itself comes through the wait step's page).
			['Altinn SMS Challenge', 'Request a PIN', 'sandboxAltinnSms1', { authMethod: 'SMSPin' }, () => sandboxes.altinn.sentPins.length],
		] as const)('%s → %s with %s: chosen from the node panel, it logs in with that credential', async (nodeName, action, credentialId, fields, reachedProvider) => {
			await newWorkflowWith(nodeName, `${credentialId}`, action);
			await chooseCredential(credentialId);
			const before = reachedProvider();
			await executeStep();
			await shot(`${credentialId}-executed`);
			expect(reachedProvider()).toBeGreaterThan(before);
			expect(await outputFields(Object.keys(fields)[0])).toMatchObject(fields);
		});

		it('the example with a customer\'s system user: choosing its credential again keeps the customer', async () => {
			await page.goto(`${n8n.baseUrl}/workflow/${SUBMISSION_EXAMPLE}`);
			await page.locator('[data-test-id="canvas-node"][data-node-name="Altinn Authenticate"]').dblclick();
			await page.locator('[data-test-id="node-parameters"]').waitFor();
			await chooseCredential(MASKINPORTEN_CREDENTIAL);
			await shot('example-credential-chosen-again');
			expect(await shownOption('actFor')).toBe('A Customer (System User)');
			const node = await savedAltinnNode(MASKINPORTEN_CREDENTIAL);
			expect(node.parameters).toMatchObject({ actFor: 'customer', customerOrgNumber: '={{ $json.orgNumber }}' });
			expect(saved(node, 'authentication', 'maskinporten')).toBe('maskinporten');
		});
	});
}
