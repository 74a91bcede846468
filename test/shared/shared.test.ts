import { resolveBaseUrl, hasControlCharacters } from '../../nodes/shared/protocol/inputChecks';
import { checkApiRequest, resolveApiRequest } from '../../nodes/shared/protocol/apiRequest';
import { createHash } from 'node:crypto';

import { checkConsentId } from '../../nodes/Altinn/protocol/consentToken';
import { LoginProblem, providerWordsShown } from '../../nodes/shared/protocol/loginProblem';
import { quoted } from '../../nodes/shared/protocol/nationalIdNumber';
import { bodyExcerpt, headerValues, joinUrl, looksLikeHtml } from '../../nodes/shared/protocol/http';
import { leakedSecrets } from '../helpers/leaks';
import { REDACTED, SecretCollector, SecretRedactor } from '../../nodes/shared/secrets';
import { makeTokenItem } from '../../nodes/shared/tokenItem';
import type { AncestorContext } from '../../nodes/shared/codePage';
import {
	fieldOfStartingStep,
	hostOf,
	maskNationalIdNumber,
	maskUsername,
	parseInstant,
	pinFormPage,
	validUntilSentence,
} from '../../nodes/shared/codePage';

describe('token item', () => {
	it('has one shape for every provider, with ISO dates and null for an unknown expiry', () => {
		const item = makeTokenItem({
			provider: 'boknett',
			environment: 'production',
			token: 'TGT-1',
			headers: { Authorization: 'Boknett TGT-1' },
			obtainedAt: new Date('2026-11-23T10:00:00Z'),
			expiresAt: null,
			extra: { cookieName: '.AspxAuthProd' },
		});
		expect(item).toEqual({
			provider: 'boknett',
			environment: 'production',
			apiBaseUrl: null,
			token: 'TGT-1',
			headers: { Authorization: 'Boknett TGT-1' },
			obtainedAt: '2026-11-23T10:00:00.000Z',
			reused: false,
			expiresAt: null,
			cookieName: '.AspxAuthProd',
		});
	});

	it('does not let extra fields overwrite the standard ones', () => {
		const item = makeTokenItem({
			provider: 'onlyoffice',
			environment: 'e',
			token: 'real',
			headers: {},
			obtainedAt: new Date(0),
			expiresAt: new Date(1000),
			extra: { token: 'fake' },
		});
		expect(item.token).toBe('real');
		expect(item.expiresAt).toBe('1970-01-01T00:00:01.000Z');
	});
});

describe('SecretRedactor', () => {
	const redactor = new SecretRedactor(['p@ss&word æ', undefined, 'ab', '12345678901']);

	it('removes a secret in every wire form: plain, URL-, form-, XML- and JSON-encoded, base64', () => {
		const secret = 'p@ss&word æ';
		const text = [
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString(),
			'p@ss&amp;word æ',
			Buffer.from(secret).toString('base64'),
			'ssn 12345678901 here',
		].join(' | ');
		const redacted = redactor.redact(text);
		expect(leakedSecrets([redacted], { secret })).toEqual([]);
		expect(redacted).toContain(REDACTED);
		expect(redacted).toContain('ssn [redacted] here');
	});

	it('removes a JWT or base64 run whose decoded text holds a secret, at any offset, and a fast hash of a secret', () => {
		const number = '12345678901';
		const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const jwt = `${segment({ alg: 'RS256' })}.${segment({ authorization_details: [{ from: `urn:altinn:person:identifier-no:${number}` }] })}.c2lnbmF0dXJl`;
		const shifted = Buffer.from(`xy:${number}`).toString('base64');
		const digest = createHash('sha256').update(number).digest('hex');
		const redacted = redactor.redact(`Bearer ${jwt} and ${shifted} and ${digest} and ${segment({ harmless: true })}`);
		expect(redacted).toBe(`Bearer ${segment({ alg: 'RS256' })}.${REDACTED}.c2lnbmF0dXJl and ${REDACTED} and ${REDACTED} and ${segment({ harmless: true })}`);
		expect(leakedSecrets([redacted], { number })).toEqual([]);
	});

	it('ignores secrets too short to redact safely and keeps other text', () => {
		expect(redactor.redact('about ab and abc')).toBe('about ab and abc');
	});

	it('adds secrets learnt later, such as a PIN', () => {
		const collector = new SecretCollector();
		collector.add('p@ss&word æ', '12345678901');
		collector.add('4711');
		expect(collector.redactor().redact('PIN 4711, pw p@ss&word æ')).toBe('PIN [redacted], pw [redacted]');
	});

	it('finds control characters', () => {
		expect(hasControlCharacters('a\nb')).toBe(true);
		expect(hasControlCharacters('a\u0000')).toBe(true);
		expect(hasControlCharacters('æøå ?@#&')).toBe(false);
	});
});

describe('what an error quotes', () => {
	const number = '21818297804';

	it('masks a national ID number in a value before cutting it, so none shows whole or in part', () => {
		expect(quoted(`consent-for-${number}`, 40)).toBe('consent-for-[national ID number]');
		expect(quoted(`${'x'.repeat(35)}${number}`, 40)).toBe(`${'x'.repeat(35)}[nati…`);
		expect(() => checkConsentId(number)).toThrow('The consent ID "[national ID number]" is not a GUID');
		// Whoever writes a problem, none ever carries a number.
		expect(new LoginProblem({ kind: 'badInput', message: `Unknown customer ${number}`, hint: `Check ${number}.`, providerMessage: number }).details).toMatchObject({
			message: 'Unknown customer [national ID number]',
			hint: 'Check [national ID number].',
			providerMessage: '[national ID number]',
		});
	});

	it("shows a provider's words with a number at the edge of the cut masked whole, and a known secret redacted before the cut", () => {
		const password = 'p@ss-word-æøå-42';
		const body = JSON.stringify({ detail: `${'x'.repeat(188)}${number} then ${'y'.repeat(570)}${password} and more` });
		const problem = new LoginProblem({ kind: 'rejected', message: 'Refused', hint: 'Check.', providerMessage: bodyExcerpt(body) });
		const collector = new SecretCollector();
		collector.add(password);
		const shown = providerWordsShown(String(problem.details.providerMessage), (text) => collector.redactor().redact(text));
		expect(shown).toContain('[national ID number]');
		expect(shown).not.toMatch(/\d{5}/);
		expect(shown.endsWith('…')).toBe(true);
		// The password straddled the cut: it went whole before the cut, so no part of it shows.
		expect(shown).not.toContain(password.slice(0, 5));
		expect(leakedSecrets([shown], { number, password })).toEqual([]);
	});
});

describe('protocol helpers', () => {
	it('joins URLs without doubled or missing slashes', () => {
		expect(joinUrl('https://a.no/', '/v1/x')).toBe('https://a.no/v1/x');
		expect(joinUrl('https://a.no/base', 'v1')).toBe('https://a.no/base/v1');
	});

	it('collects repeated headers whatever their casing', () => {
		const answer = { statusCode: 200, statusMessage: '', body: '', headers: { 'Set-Cookie': ['a=1', 'b=2'], 'set-cookie': 'c=3' } };
		expect(headerValues(answer, 'set-cookie')).toEqual(['a=1', 'b=2', 'c=3']);
	});

	it('recognises web pages and shortens bodies to readable text', () => {
		expect(looksLikeHtml({ statusCode: 200, statusMessage: '', headers: {}, body: '  <!DOCTYPE html><html>' })).toBe(true);
		expect(looksLikeHtml({ statusCode: 200, statusMessage: '', headers: {}, body: '{"a":1}' })).toBe(false);
		expect(bodyExcerpt('<p>Hello <b>there</b></p><script>x()</script>')).toBe('Hello there');
		expect(bodyExcerpt('x'.repeat(5000))).toHaveLength(4001);
	});
});

describe("an API call's address (Output: Response)", () => {
	const asked = (url: string) => checkApiRequest({ method: 'GET', url, query: [], headers: [], jsonBody: '' });
	it('takes a whole http(s) address as it is, and a path under the login\'s API address, never beside it', () => {
		expect(resolveApiRequest(asked('https://api.example.no/v1/x'), 'https://other.example/').url).toBe('https://api.example.no/v1/x');
		for (const path of ['export', '/export', 'export?x=1']) {
			expect(new URL(resolveApiRequest(asked(path), 'https://api.bokbasen.io/metadata').url).pathname).toBe('/metadata/export');
		}
	});
	it('refuses what is neither, and a path where the login gives no API address', () => {
		for (const url of ['', 'ftp://x/y', 'javascript:alert(1)', '//evil.example/x', 'a b', '../etc', 'a/../../b', './x']) expect(() => asked(url)).toThrow(/neither a full http\(s\) address nor a path/);
		expect(() => resolveApiRequest(asked('export'), null)).toThrow(/gives no API address for a path/);
	});
});

describe('resolveBaseUrl', () => {
	const known = { production: 'https://prod.example', test: 'https://test.example' };

	it('maps the standard environments and trims a custom URL', () => {
		expect(resolveBaseUrl('test', undefined, known, 'X')).toBe('https://test.example');
		expect(resolveBaseUrl('custom', ' http://127.0.0.1:8080/// ', known, 'X')).toBe('http://127.0.0.1:8080');
	});

	it.each(['', 'ftp://x.no', 'not a url'])('refuses the custom URL %p', (url) => {
		expect(() => resolveBaseUrl('custom', url, known, 'X')).toThrow(LoginProblem);
	});

	it('refuses an unknown environment', () => {
		expect(() => resolveBaseUrl('staging', undefined, known, 'X')).toThrow(/Unknown X environment "staging"/);
	});
});

describe('the code page', () => {
	const text = {
		title: 'Altinn PIN',
		prompt: 'Type the PIN:',
		word: 'PIN',
		facts: [
			{ label: 'Service', value: 'Altinn <TT02> & "test"' },
			{ label: 'Account', value: 'national ID number ending in 45' },
		],
		validity: 'Valid until 14:32 (Europe/Oslo)',
		received: 'The PIN was received. The workflow now sends it to Altinn.',
	};

	it('shows the service, the account and the validity, escaped, with the form the tests and people use', () => {
		const page = pinFormPage(text);
		expect(page).toContain('<dt>Service</dt><dd>Altinn &lt;TT02&gt; &amp; &quot;test&quot;</dd>');
		expect(page).toContain('<dd>national ID number ending in 45</dd>');
		expect(page).toContain('<p class="validity">Valid until 14:32 (Europe/Oslo)</p>');
		expect(page).toMatch(/<input id="pin" name="pin"/);
		expect(page).toMatch(/<button type="submit">Send<\/button>/);
		expect(page).not.toMatch(/role="alert"/);
		expect(page).toContain('box-sizing:border-box');
		// Self-contained: nothing is loaded from elsewhere.
		expect(page).not.toMatch(/https?:\/\/|@import|url\(/);
	});

	it('says the error in an alert, and once the code is taken, what happens next', () => {
		expect(pinFormPage(text, { error: 'Bad <b>' })).toContain('<p class="error" role="alert">Bad &lt;b&gt;</p>');
		const done = pinFormPage(text, { done: true });
		expect(done).toContain('<p class="done">The PIN was received. The workflow now sends it to Altinn. You can close this page.</p>');
		expect(done).not.toContain('<form');
	});

	it('shows phones their number pad for a code of digits only, and the keyboard for letters and digits', () => {
		expect(pinFormPage({ ...text, digitsOnly: true })).toContain('inputmode="numeric"');
		expect(pinFormPage(text)).toContain('inputmode="text"');
	});

	it.each([
		['01017012345', 'national ID number ending in 45'],
		[' 010170 12345 ', 'national ID number ending in 45'],
		['12345', undefined],
		['', undefined],
		[undefined, undefined],
	])('masks the national ID number %p to its last two digits', (value, masked) => {
		expect(maskNationalIdNumber(value)).toBe(masked);
		if (masked) expect(masked.replace(/\D/g, '')).toHaveLength(2);
	});

	it.each([
		['anne@example.no', 'a…@example.no'],
		[' Øystein.berg@firma.example ', 'Ø…@firma.example'],
		['a@example.no', '…@example.no'],
		['admin', 'a…'],
		['', undefined],
		[undefined, undefined],
	])('masks the username %p to its first letter and domain', (value, masked) => {
		expect(maskUsername(value)).toBe(masked);
	});

	it('names the host of an http(s) address only, never its user part', () => {
		expect(hostOf('https://user:secret@portal.example.com:8443/path')).toBe('portal.example.com:8443');
		expect(hostOf('ftp://portal.example.com')).toBeUndefined();
		expect(hostOf('not a url')).toBeUndefined();
	});

	it('reads instants with a zone as given, wall-clock times only in the zone it is told, and refuses empty dates', () => {
		expect(parseInstant('2030-01-01T10:10:00+01:00')?.toISOString()).toBe('2030-01-01T09:10:00.000Z');
		expect(parseInstant('2013-04-11T13:55:42.1347006+02:00')?.toISOString()).toBe('2013-04-11T11:55:42.134Z');
		expect(parseInstant('2030-06-01T14:00:00', 'Europe/Oslo')?.toISOString()).toBe('2030-06-01T12:00:00.000Z');
		expect(parseInstant('2030-01-01T14:00:00.123', 'Europe/Oslo')?.toISOString()).toBe('2030-01-01T13:00:00.000Z');
		expect(parseInstant('2030-06-01T14:00:00')).toBeUndefined();
		expect(parseInstant('0001-01-01T00:00:00', 'Europe/Oslo')).toBeUndefined();
		expect(parseInstant('0001-01-01T00:00:00Z')).toBeUndefined();
		for (const unusable of ['', 'soon', null, undefined, 1893456000000, '2030-13-45T99:00:00Z']) expect(parseInstant(unusable)).toBeUndefined();
	});

	it('says until when in the workflow\'s time zone, with the date when it is not today there', () => {
		const now = new Date('2030-06-01T11:50:00Z');
		expect(validUntilSentence(new Date('2030-06-01T12:20:00Z'), 'Europe/Oslo', now)).toBe('Valid until 14:20 (Europe/Oslo)');
		expect(validUntilSentence(new Date('2030-06-01T12:20:00Z'), 'America/New_York', now)).toBe('Valid until 08:20 (America/New_York)');
		expect(validUntilSentence(new Date('2030-06-01T22:20:00Z'), 'Europe/Oslo', now)).toBe('Valid until 00:20 on 2030-06-02 (Europe/Oslo)');
		expect(validUntilSentence(new Date('2030-06-01T12:20:00Z'), 'Not/A_Zone', now)).toBeUndefined();
		expect(validUntilSentence(undefined, 'Europe/Oslo', now)).toBeUndefined();
	});

	describe('finding the step that started the login', () => {
		type Parent = { name: string; type: string; parameters?: Record<string, string>; disabled?: boolean; depth: number };
		/** A stand-in for n8n's webhook context: parents by depth, and what each node output. */
		function context(parents: Parent[], outputs: Record<string, Record<string, unknown>>, evaluated: string[] = []): AncestorContext {
			return {
				getNode: () => ({ id: 'w', name: 'Wait', type: 'pkg.challenge', typeVersion: 1, position: [0, 0], parameters: {} }),
				getParentNodes: (_name: string, options?: { depth?: number }) =>
					parents
						.filter((parent) => parent.depth <= (options?.depth ?? Infinity))
						.map((parent) => ({ name: parent.name, type: parent.type, typeVersion: 1, disabled: parent.disabled ?? false, parameters: parent.parameters ?? {} })),
				evaluateExpression: (expression: string) => {
					evaluated.push(expression);
					const match = /\$\((".*?")\)\.first\(\)\.json\[(".*?")\]/.exec(expression);
					const output = match ? outputs[JSON.parse(match[1]) as string] : undefined;
					if (!output || !match) throw new Error('Referenced node is unexecuted');
					return output[JSON.parse(match[2]) as string] as string;
				},
			} as AncestorContext;
		}
		const isStart = (parameters: Record<string, unknown>) => (parameters.operation ?? 'requestPin') === 'requestPin';

		it('takes the nearest earlier node of the same type that started the login, skipping other nodes and waiting ones', () => {
			const evaluated: string[] = [];
			const found = fieldOfStartingStep(
				context(
					[
						{ name: 'Send "Link"', type: 'n8n-nodes-base.noOp', depth: 1 },
						{ name: 'Earlier Wait', type: 'pkg.challenge', parameters: { operation: 'waitForPin' }, depth: 2 },
						{ name: 'Request PIN', type: 'pkg.challenge', depth: 3 },
						{ name: 'Older Request', type: 'pkg.challenge', parameters: { operation: 'requestPin' }, depth: 4 },
					],
					{ 'Request PIN': { validTo: 'near' }, 'Older Request': { validTo: 'far' }, 'Earlier Wait': { validTo: 'wrong' } },
					evaluated,
				),
				'validTo',
				isStart,
			);
			expect(found).toBe('near');
			expect(evaluated).toEqual(['{{ $("Request PIN").first().json["validTo"] }}']);
		});

		it('looks further back when the nearest did not run, and gives up without throwing', () => {
			const parents = [
				{ name: 'Request PIN', type: 'pkg.challenge', depth: 1 },
				{ name: 'Older Request', type: 'pkg.challenge', depth: 2 },
			];
			expect(fieldOfStartingStep(context(parents, { 'Older Request': { validTo: 'far' } }), 'validTo', isStart)).toBe('far');
			expect(fieldOfStartingStep(context(parents, {}), 'validTo', isStart)).toBeUndefined();
			expect(fieldOfStartingStep(context(parents, { 'Request PIN': { validTo: null } }), 'validTo', isStart)).toBeUndefined();
			expect(fieldOfStartingStep(context([{ ...parents[0], disabled: true }], { 'Request PIN': { validTo: 'x' } }), 'validTo', isStart)).toBeUndefined();
			const broken = { ...context(parents, {}), getParentNodes: () => { throw new Error('no workflow'); } } as AncestorContext;
			expect(fieldOfStartingStep(broken, 'validTo', isStart)).toBeUndefined();
		});
	});
});
