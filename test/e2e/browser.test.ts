/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What a person sees, in a real browser: headless Chromium (Debian's, driven by playwright-core)
 * against a real n8n 2.41.1 with the package installed from its tarball, as realN8n.test.ts starts it.
 * - The five nodes are in n8n's node panel with their icons, and every example workflow opens on the
 *   canvas with all its nodes and icons.
 * - Each credential of the package opens; its Test button (n8n tests on opening, "Retry" tests again)
 *   shows success with the sandbox values and "Couldn't connect" with wrong ones.
 * - The Altinn PIN page and the ONLYOFFICE code page served by the waiting execution, on a 360-pixel
 *   wide screen with the keyboard alone: each names the service, the account (masked) and until when
 *   the code is valid (read from the earlier step of the same execution, in the workflow's time zone),
 *   in the provider's own word (PIN, code); a malformed code gets a message and the execution keeps
 *   waiting; the right code gets the confirmation and the execution finishes.
 * Screenshots of every step go to test-results/browser-e2e/ (git-ignored); their names carry no secrets.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { N8nInstance, freePort, installPackage } from '../support/n8n';
import { isInstalled, runtimePaths } from '../support/runtime';
import { sandboxCredentials, startSandboxes } from '../fakes/sandbox';
import type { Sandboxes } from '../fakes/sandbox';
import { exampleWorkflows } from '../support/examples';
import { ALTINN_PERSON, ALTINN_REST_USER } from '../fakes/fakeAltinn';
import { BOKBASEN_CLIENT } from '../fakes/fakeBokbasenAuth';
import { BOKNETT_USER } from '../fakes/fakeBoknett';
import { FakeInbox } from '../fakes/fakeInbox';
import { ONLYOFFICE_SMS_2FA_USER, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import type { Workflow } from '../helpers/e2eWorkflows';
import { examplesFor, webhookStartedFlow } from '../helpers/e2eWorkflows';
import { leakedSecrets } from '../helpers/leaks';

const VERSION = '2.41.1';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'browser-e2e');
// The owner account N8nInstance.ownerSession() creates in this throwaway n8n.
const OWNER = { email: 'owner@example.com', password: 'Sandbox-Owner-Password-1' };
const PACKAGE_ICONS = '/icons/n8n-nodes-login-tokens/';

jest.setTimeout(8 * 60_000);

let sandboxes: Sandboxes;
let inbox: FakeInbox;
let n8n: N8nInstance;
let userFolder: string;
let browser: Browser;
let editor: BrowserContext;
let page: Page;
let shots = 0;

async function shot(target: Page, step: string): Promise<void> {
	shots += 1;
	await target.screenshot({ path: join(SCREENSHOTS, `${String(shots).padStart(2, '0')}-${step}.png`), fullPage: true });
}

/** The example workflows with the sandbox URLs pointed at this run's fakes. */
function examples(): Workflow[] {
	return [...examplesFor(sandboxes).values()];
}

const PIN_FLOW = { id: 'browserAltinnPin', path: 'browser-altinn-pin', webhookId: '5b0c2a61-7a43-4c39-9d8e-2f4b7e1a0b01' };
const CODE_FLOW = { id: 'browserOnlySms01', path: 'browser-onlyoffice-sms', webhookId: '5b0c2a61-7a43-4c39-9d8e-2f4b7e1a0b02' };
// Each flow has a time zone of its own (neither is n8n's default), so the page's "Valid until" proves it uses the workflow's.
const PIN_FLOW_ZONE = 'Europe/Oslo';
const CODE_FLOW_ZONE = 'Asia/Tokyo';

/** The refused password or secret of the credentials below: it must never show. */
const WRONG_VALUE = 'Wr0ng&Browser+9';

/** A credential per type with values the provider refuses (or, for the SMS PIN login, no service at the address). */
function wrongCredentials(closedPort: number) {
	return [
		{ id: 'browserBadBokn01', name: 'Boknett, wrong password', type: 'boknettApi', data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, username: BOKNETT_USER.username, password: WRONG_VALUE } },
		{ id: 'browserBadOnly01', name: 'ONLYOFFICE, wrong password', type: 'onlyofficeApi', data: { portalUrl: sandboxes.onlyoffice.baseUrl, username: ONLYOFFICE_USER.username, password: WRONG_VALUE } },
		{ id: 'browserBadAlt001', name: 'Altinn, wrong password', type: 'altinnApi', data: { environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER, password: WRONG_VALUE } },
		{
			id: 'browserBadAltSms',
			name: 'Altinn SMS PIN, no service',
			type: 'altinnSmsPinApi',
			data: { ...(sandboxCredentials(sandboxes).find((c) => c.type === 'altinnSmsPinApi')?.data ?? {}), baseUrl: `http://127.0.0.1:${closedPort}` },
		},
		{
			id: 'browserBadAlt301',
			name: 'Altinn 3, unregistered key',
			type: 'altinnMaskinportenApi',
			data: { ...(sandboxCredentials(sandboxes).find((c) => c.type === 'altinnMaskinportenApi')?.data ?? {}), keyId: 'not-registered' },
		},
		{ id: 'browserBadBokb01', name: 'Bokbasen, wrong secret', type: 'bokbasenOAuth2Api', data: { environment: 'custom', baseUrl: sandboxes.bokbasen.baseUrl, ...BOKBASEN_CLIENT, clientSecret: WRONG_VALUE } },
	];
}

/** A national ID number one digit short: the value the SMS PIN credential's Test can tell is wrong. */
const TEN_DIGITS = '0101701234';

/** Copies of sandbox credentials that a test changes in the dialog: one per secret it saves a wrong value over. */
const EDITED = [
	['boknettApi', 'browserEditBokn1', 'password', /Boknett refused the login \(400 Bad Request\)/],
	['onlyofficeApi', 'browserEditOnly1', 'password', /ONLYOFFICE refused the username or password/],
	['altinnApi', 'browserEditAlt01', 'password', /Altinn did not log in \(401/],
	['altinnMaskinportenApi', 'browserEditMpId1', 'clientId', /Maskinporten refused the login/],
	['altinnMaskinportenApi', 'browserEditMpKey', 'privateKey', /The private key in the Altinn 3 Maskinporten API credential is not a readable PEM private key/],
	['bokbasenOAuth2Api', 'browserEditBokb1', 'clientSecret', /Bokbasen refused the login \(401 Unauthorized\)/],
	// The SMS PIN login cannot be tried without an SMS: its Test checks the values' shape and the service.
	['altinnSmsPinApi', 'browserEditSms01', 'secretNationalIdNumber', /national ID number \(SSN\) in the Altinn SMS PIN API credential is not 11 digits/],
] as const;

function editedCredentials() {
	const sandbox = sandboxCredentials(sandboxes);
	return EDITED.map(([type, id]) => ({ ...(sandbox.find((credential) => credential.type === type) as { data: Record<string, unknown> }), id, name: `Edited: ${id}` }));
}

beforeAll(async () => {
	if (!isInstalled(VERSION)) throw new Error(`n8n ${VERSION} is not installed: run "npm run n8n:install" (npm test does it first)`);
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "npm run browser:install" (npm test does it first)`);
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(SCREENSHOTS, { recursive: true });
	sandboxes = await startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
	inbox = await new FakeInbox().start();
	userFolder = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-browser-'));
	n8n = new N8nInstance({ runtime: runtimePaths(VERSION), userFolder, port: await freePort() });
	await installPackage(userFolder);
	await n8n.importCredentials([...sandboxCredentials(sandboxes), ...wrongCredentials(await freePort()), ...editedCredentials()]);
	const all = examples();
	const byId = (id: string) => all.find((workflow) => workflow.id === id) as Workflow;
	const flows = [
		{
			...webhookStartedFlow(byId('exAltinnSmsSoap1'), inbox.baseUrl, {
				...PIN_FLOW,
				name: 'Browser: Altinn PIN page',
				notifyNode: 'Send PIN Link',
				notifyBody: '={{ { "pinFormUrl": $json.pinFormUrl } }}',
			}),
			settings: { timezone: PIN_FLOW_ZONE },
		},
		{
			...webhookStartedFlow(byId('exOnlyofficeSms01'), inbox.baseUrl, {
				...CODE_FLOW,
				name: 'Browser: ONLYOFFICE code page',
				notifyNode: 'Send Code Link',
				keepConnections: true,
				notifyBody: '={{ { "codeFormUrl": $json.codeFormUrl } }}',
			}),
			settings: { timezone: CODE_FLOW_ZONE },
		},
	];
	// One import for all workflows: each n8n CLI command takes seconds to start.
	const file = join(userFolder, 'browser-workflows.json');
	writeFileSync(file, JSON.stringify([...all, ...flows]));
	await n8n.cli(['import:workflow', `--input=${file}`]);
	for (const flow of flows) await n8n.publishWorkflow(flow.id);
	await n8n.start();
	await n8n.waitForWebhook(PIN_FLOW.path);
	await n8n.waitForWebhook(CODE_FLOW.path);
	await n8n.ownerSession();
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		// playwright gives every launch a fresh, empty profile (--user-data-dir) of its own.
	});
	editor = await browser.newContext({ viewport: { width: 1400, height: 900 } });
	page = await editor.newPage();
	page.setDefaultTimeout(30_000);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sandboxes?.stop();
	await inbox?.stop();
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
});

/** Whether every image matched by the selector has loaded (an icon that failed to load has no natural width). */
async function iconsLoaded(target: Page, selector: string): Promise<Array<{ src: string; loaded: boolean }>> {
	await target.waitForFunction((css) => [...document.querySelectorAll<HTMLImageElement>(css)].every((image) => image.complete), selector);
	return await target.$$eval(selector, (images) => (images as HTMLImageElement[]).map((image) => ({ src: image.getAttribute('src') ?? '', loaded: image.naturalWidth > 0 })));
}

describe(`n8n ${VERSION} in Chromium`, () => {
	it('signs the owner in through the sign-in page', async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.fill('#emailOrLdapLoginId', OWNER.email);
		await page.fill('#password', OWNER.password);
		await shot(page, 'signin');
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		await shot(page, 'signed-in');
	});

	it.each([
		['Altinn', ['Altinn Authenticate', 'Altinn Consent', 'Altinn SMS Challenge', 'Altinn SOAP Request', 'Altinn System User']],
		['Boknett', ['Boknett Ticket']],
		['ONLYOFFICE', ['ONLYOFFICE Auth']],
		// The words people search for (the nodes' codex aliases), not only the providers' names.
		['login', ['Altinn Authenticate', 'Altinn SMS Challenge', 'Boknett Ticket', 'ONLYOFFICE Auth']],
		['token', ['Altinn Authenticate', 'Altinn SMS Challenge', 'Boknett Ticket', 'ONLYOFFICE Auth']],
	])('the node panel finds the package\'s %s nodes, each with its icon', async (search, names) => {
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.click('[data-test-id="node-creator-plus-button"]');
		await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
		await page.keyboard.type(search);
		await page.waitForFunction(
			(expected) => expected.every((name) => [...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].some((item) => item.textContent?.trim() === name)),
			names,
		);
		await shot(page, `node-panel-${search.toLowerCase()}`);
		const found = await page.$$eval('[data-test-id="node-creator-item-name"]', (labels) =>
			labels.map((label) => {
				const image = label.closest('[data-test-id="item-iterator-item"]')?.querySelector('img');
				return {
					name: label.textContent?.trim() ?? '',
					icon: image?.getAttribute('src') ?? '',
					loaded: Boolean(image && image.complete && image.naturalWidth > 0),
				};
			}),
		);
		// What the panel listed, for a person checking how it names the package's nodes (a trigger among them).
		writeFileSync(join(SCREENSHOTS, `node-panel-${search.toLowerCase()}.json`), JSON.stringify(found, null, '\t'));
		expect(found).toEqual(expect.arrayContaining(names.map((name) => ({ name, icon: expect.stringContaining(PACKAGE_ICONS), loaded: true }))));
		if (search === 'Altinn') {
			// A new workflow opens the panel at "What triggers this workflow?". Seen there (screenshot and DOM): one
			// entry "Altinn System User" with the trigger's description (n8n drops "Trigger" from the name), and no
			// separate entry for the Altinn System User node.
			expect(found.map((item) => item.name).filter((name) => name.startsWith('Altinn System User'))).toEqual(['Altinn System User']);
		}
	});

	it.each(exampleWorkflows().map((workflow) => [workflow.name, workflow.id] as const))('the example "%s" opens with all its nodes and icons', async (_name, id) => {
		const workflow = examples().find((candidate) => candidate.id === id) as Workflow;
		await page.goto(`${n8n.baseUrl}/workflow/${id}`);
		// n8n draws sticky notes apart from the nodes: as data-test-id="sticky", not "canvas-node".
		const isSticky = (node: Record<string, unknown>) => node.type === 'n8n-nodes-base.stickyNote';
		const nodes = workflow.nodes.filter((node) => !isSticky(node));
		const stickies = workflow.nodes.length - nodes.length;
		await page.waitForFunction(
			([count, stickyCount]) =>
				document.querySelectorAll('[data-test-id="canvas-node"]').length === count && document.querySelectorAll('[data-test-id="sticky"]').length === stickyCount,
			[nodes.length, stickies],
		);
		const names = await page.$$eval('[data-test-id="canvas-node"]', (elements) => elements.map((element) => element.getAttribute('data-node-name')));
		expect(names.sort()).toEqual(nodes.map((node) => String(node.name)).sort());
		const ours = workflow.nodes.filter((node) => String(node.type).startsWith('n8n-nodes-login-tokens.')).length;
		const icons = await iconsLoaded(page, `[data-test-id="canvas-node"] img[src*="${PACKAGE_ICONS}"]`);
		expect(icons.length).toBe(ours);
		expect(icons.filter((icon) => !icon.loaded)).toEqual([]);
		await shot(page, `example-${id}`);
	});

	describe('credential forms and their Test button', () => {
		const SUCCESS = '[data-test-id="credentials-config-container-test-success"]';
		const FAILURE = /Couldn.t connect with these settings/;

		async function openCredential(id: string): Promise<ReturnType<Page['locator']>> {
			await page.goto(`${n8n.baseUrl}/home/credentials/${id}`);
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			await dialog.waitFor();
			return dialog;
		}

		it.each([
			['boknettApi', 'sandboxBoknett01'],
			['onlyofficeApi', 'sandboxOnlyoff01'],
			['altinnApi', 'sandboxAltinn001'],
			['altinnSmsPinApi', 'sandboxAltinnSms1'],
			['altinnMaskinportenApi', 'sandboxAltinn3001'],
			['bokbasenOAuth2Api', 'sandboxBokbasen01'],
		])('%s with the sandbox values: the form opens and the test shows success, again after Retry', async (type, id) => {
			const dialog = await openCredential(id);
			await dialog.locator(SUCCESS).waitFor();
			await expect(dialog.getByText(FAILURE).count()).resolves.toBe(0);
			await shot(page, `credential-${type}-ok`);
			await dialog.getByRole('button', { name: 'Retry' }).click();
			await dialog.locator(SUCCESS).waitFor();
			await expect(dialog.getByText(FAILURE).count()).resolves.toBe(0);
			await page.keyboard.press('Escape');
		});

		it.each([
			['boknettApi', 'browserBadBokn01', /Boknett refused the login \(400 Bad Request\)\. Check the username and password/],
			['onlyofficeApi', 'browserBadOnly01', /ONLYOFFICE refused the username or password/],
			['altinnApi', 'browserBadAlt001', /Altinn did not log in \(401/],
			['altinnSmsPinApi', 'browserBadAltSms', /refused the connection .*Check the environment or Base URL in the credential/],
			['altinnMaskinportenApi', 'browserBadAlt301', /Maskinporten refused the login \(400 Bad Request\)/],
			['bokbasenOAuth2Api', 'browserBadBokb01', /Bokbasen refused the login \(401 Unauthorized\)/],
		])('%s with wrong values: the test shows the login\'s own sentence (what failed, what to check)', async (type, id, sentence) => {
			const dialog = await openCredential(id);
			await dialog.getByText(FAILURE).first().waitFor();
			expect(await dialog.locator(SUCCESS).isVisible()).toBe(false);
			await shot(page, `credential-${type}-wrong`);
			// Under n8n's heading, "More details" opens the login's message; the wrong value itself never shows.
			await dialog.getByText('More details').click();
			await dialog.getByText(sentence).first().waitFor();
			const text = (await dialog.innerText()).replace(/\s+/g, ' ');
			expect(text).toMatch(sentence);
			expect(text).not.toContain(WRONG_VALUE);
			await shot(page, `credential-${type}-wrong-details`);
			await page.keyboard.press('Escape');
		});
	});

	describe('a wrong value saved over a credential that tested fine: the Test checks what was saved, not a session kept from before', () => {
		const SUCCESS = '[data-test-id="credentials-config-container-test-success"]';
		const FAILURE = /Couldn.t connect with these settings/;

		it.each(EDITED.map(([type, id, field, sentence]) => [`${type} ${field}`, id, field, sentence] as const))('%s: saved wrong, it fails; reopened and tested again, it still fails with the login\'s sentence', async (_title, id, field, sentence) => {
			const slug = `${id}-${field}`;
			await page.goto(`${n8n.baseUrl}/home/credentials/${id}`);
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			await dialog.locator(SUCCESS).waitFor();
			await dialog.locator(`[data-test-id="parameter-input-${field}"] input, [data-test-id="parameter-input-${field}"] textarea`).first().fill(field === 'secretNationalIdNumber' ? TEN_DIGITS : WRONG_VALUE);
			await page.locator('[data-test-id="credential-save-button"]').click();
			await dialog.getByText(FAILURE).first().waitFor();
			await shot(page, `edited-${slug}-saved`);
			await page.keyboard.press('Escape');

			await page.goto(`${n8n.baseUrl}/home/credentials/${id}`);
			await dialog.waitFor();
			await dialog.getByRole('button', { name: 'Retry' }).click();
			await dialog.getByText(FAILURE).first().waitFor();
			expect(await dialog.locator(SUCCESS).isVisible()).toBe(false);
			await dialog.getByText('More details').click();
			await dialog.getByText(sentence).first().waitFor();
			expect((await dialog.innerText()).replace(/\s+/g, ' ')).not.toContain(WRONG_VALUE);
			await shot(page, `edited-${slug}-reopened`);
			await page.keyboard.press('Escape');
		});
	});

	describe('the code pages a waiting execution serves, on a 360-pixel screen with the keyboard alone', () => {
		let phone: BrowserContext;

		beforeAll(async () => {
			phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, hasTouch: true });
		});

		afterAll(async () => {
			await phone?.close();
		});

		/** How the page lies on the 360-pixel screen: it must not scroll sideways, and the field and button must be on screen. */
		async function layoutOn360(target: Page, step: string): Promise<string[]> {
			const layout = await target.evaluate(() => {
				const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
				const input = box('#pin');
				const button = box('button[type="submit"]');
				return {
					scrollWidth: document.documentElement.scrollWidth,
					input: input ? [Math.round(input.left), Math.round(input.right)] : null,
					button: button ? [Math.round(button.left), Math.round(button.right)] : null,
				};
			});
			const problems: string[] = [];
			if (layout.scrollWidth > 360) problems.push(`${step}: the page is ${layout.scrollWidth} px wide and scrolls sideways`);
			for (const [what, edges] of [['field', layout.input], ['button', layout.button]] as const) {
				if (edges && (edges[0] < 0 || edges[1] > 360)) problems.push(`${step}: the ${what} spans ${edges[0]}–${edges[1]} px`);
			}
			return problems;
		}

		/** Types a code into the focused field, moves to the Send button with Tab and presses Enter. */
		async function sendWithKeyboard(target: Page, code: string): Promise<void> {
			expect(await target.evaluate(() => document.activeElement?.id)).toBe('pin');
			await target.keyboard.type(code);
			await target.keyboard.press('Tab');
			expect(await target.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim())).toBe('Send');
			await Promise.all([target.waitForNavigation(), target.keyboard.press('Enter')]);
		}

		/** The clock time an instant shows in a time zone, as HH:MM, with its date when that is not today there. */
		const clock = (instant: number, timeZone: string) => {
			const day = (at: number) => new Date(at).toLocaleDateString('sv-SE', { timeZone });
			const time = new Date(instant).toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
			return day(instant) === day(Date.now()) ? time : `${time} on ${day(instant)}`;
		};

		const pages = [
			{
				label: 'Altinn PIN',
				flow: PIN_FLOW,
				urlField: 'pinFormUrl',
				malformed: 'x!',
				rightCode: () => sandboxes.altinn.lastPinFor(ALTINN_PERSON.ssn) ?? '',
				word: 'PIN',
				otherWord: /\bcode\b/i,
				// Altinn's PIN can only be tried by the workflow's next step: the page says so instead of thanking.
				received: /^The PIN was received\. The workflow now sends it to Altinn with its request; this page cannot tell whether Altinn accepts it\./,
				inputMode: 'text',
				// The sandboxes start in beforeAll, after this list is made: their addresses are read when the test runs.
				service: () => `Altinn (custom address ${new URL(sandboxes.altinn.baseUrl).host})`,
				account: 'national ID number ending in 45',
				hidden: { 'national ID number': ALTINN_PERSON.ssn } as Record<string, string>,
				// The validTo Altinn (here its fake) gave the Request PIN step of this execution, in the flow's time zone.
				validUntil: () => {
					const issued = sandboxes.altinn.sentPins.filter((pin) => pin.ssn === ALTINN_PERSON.ssn).at(-1);
					return `Valid until ${clock(issued?.validTo ?? 0, PIN_FLOW_ZONE)}`;
				},
				zone: PIN_FLOW_ZONE,
			},
			{
				label: 'ONLYOFFICE code',
				flow: CODE_FLOW,
				urlField: 'codeFormUrl',
				malformed: '12ab',
				rightCode: () => sandboxes.onlyoffice.lastSmsCode ?? '',
				word: 'code',
				otherWord: /\bPIN\b/,
				received: /^ONLYOFFICE accepted the code and you are logged in; the workflow goes on\./,
				inputMode: 'numeric',
				service: () => `ONLYOFFICE (${new URL(sandboxes.onlyoffice.baseUrl).host})`,
				// The example logs in as the sandbox's SMS-code account.
				account: `${ONLYOFFICE_SMS_2FA_USER.username[0]}…@${ONLYOFFICE_SMS_2FA_USER.username.split('@')[1]}`,
				hidden: { 'user name': ONLYOFFICE_SMS_2FA_USER.username } as Record<string, string>,
				// What the fake portal's SMS answer said: 10 minutes after it sent the code.
				validUntil: () => `Valid until ${clock(Date.parse(sandboxes.onlyoffice.lastSmsCodeExpires ?? ''), CODE_FLOW_ZONE)}`,
				zone: CODE_FLOW_ZONE,
			},
		];

		it.each(pages.map((page) => [page.label, page] as const))('%s page: it says which service, account and until when; a malformed code gets a message and the wait goes on; the right one finishes the execution', async (_title, page) => {
			const { label, flow, urlField, malformed, rightCode, word, otherWord, received, inputMode, service, account, hidden, validUntil, zone } = page;
			const slug = label.toLowerCase().replace(/\s+/g, '-');
			const [previous] = await n8n.executions(flow.id);
			const started = await fetch(`${n8n.baseUrl}/webhook/${flow.path}`, { method: 'POST' });
			expect(started.status).toBe(200);
			const waiting = await n8n.waitForExecution(flow.id, ['waiting', 'error', 'success'], previous?.id ?? 0);
			expect(waiting.status).toBe('waiting');
			const formUrl = String(inbox.messages().reverse().find((message) => typeof message[urlField] === 'string')?.[urlField] ?? '');
			expect(formUrl).toContain(`/form-waiting/${waiting.id}`);

			const person = await phone.newPage();
			await person.goto(formUrl);
			const layoutProblems = await layoutOn360(person, 'the page');
			await shot(person, `${slug}-page`);
			const shown = await person.locator('body').innerText();
			writeFileSync(join(SCREENSHOTS, `${slug}-page.txt`), shown);
			expect(shown).toMatch(new RegExp(`Service\\s+${service().replace(/[.()]/g, '\\$&')}`));
			// The account line holds the masked form and nothing more; whole secrets (in every encoding)
			// are searched for, not fragments, which any number on the page (a port) may contain.
			expect(shown).toMatch(new RegExp(`Account\\s+${account.replace(/[.()]/g, '\\$&')}\\s*(\\n|$)`));
			expect(leakedSecrets([shown], hidden)).toEqual([]);
			// Read by the waiting node from the step before the link was sent, in this execution.
			expect(shown).toContain(`${validUntil()} (${zone})`);
			expect(shown).toMatch(new RegExp(`\\b${word}\\b`));
			expect(shown).not.toMatch(otherWord);

			expect(await person.locator('#pin').getAttribute('inputmode')).toBe(inputMode);
			await sendWithKeyboard(person, malformed);
			const alert = person.getByRole('alert');
			await expect(alert.innerText()).resolves.toMatch(new RegExp(`^That is not a valid ${word}: .*still waiting`, 's'));
			layoutProblems.push(...(await layoutOn360(person, 'the message')));
			await shot(person, `${slug}-malformed`);
			const [stillWaiting] = await n8n.executions(flow.id);
			expect({ id: stillWaiting.id, status: stillWaiting.status }).toEqual({ id: waiting.id, status: 'waiting' });

			await sendWithKeyboard(person, rightCode());
			await expect(person.locator('.done').innerText()).resolves.toMatch(received);
			expect(await person.locator('body').innerText()).not.toMatch(otherWord);
			layoutProblems.push(...(await layoutOn360(person, 'the confirmation')));
			await shot(person, `${slug}-accepted`);
			const done = await n8n.waitForExecution(flow.id, ['success', 'error'], waiting.id - 1);
			expect(done.status).toBe('success');
			await person.close();
			expect(layoutProblems).toEqual([]);
		});
	});
});
