import { XMLParser } from 'fast-xml-parser';

import {
	altinnRestHeaders,
	buildPasswordLoginRequest,
	findAuthCookie,
	hasCharactersAltinnMayRefuse,
	readPasswordLoginAnswer,
} from '../../nodes/Altinn/protocol/rest';
import {
	GET_AUTHENTICATION_CHALLENGE_ACTION,
	buildChallengeRequest,
	fillSoapTemplate,
	readChallengeAnswer,
	readServiceAnswer,
	resolveSoapEndpoint,
} from '../../nodes/Altinn/protocol/soap';
import { answer, problemOf } from '../helpers/answers';
import { altinnFault } from '../fakes/fakeAltinn';

const NOW = new Date('2026-11-23T10:00:00Z');

const plain = { now: NOW, passwordHasDoubtfulCharacters: false };

describe('Altinn REST password login', () => {
	it('posts UserName/UserPassword as hal+json, with the ApiKey only when configured', () => {
		const request = buildPasswordLoginRequest({ baseUrl: 'https://tt02.altinn.no', username: 'u', password: 'p', apiKey: 'k' });
		expect(request.url).toBe('https://tt02.altinn.no/api/authentication/authenticatewithpassword');
		expect(request.headers).toMatchObject({ 'Content-Type': 'application/hal+json', ApiKey: 'k' });
		expect(JSON.parse(request.body ?? '')).toEqual({ UserName: 'u', UserPassword: 'p' });
		expect(buildPasswordLoginRequest({ baseUrl: 'https://x', username: 'u', password: 'p' }).headers.ApiKey).toBeUndefined();
	});

	it.each(['.ASPXAUTH', '.AspxAuthProd', '.AspxAuthTT02', '.aspxauthcloud'])('takes %s as the auth cookie among other cookies', (name) => {
		const cookie = readPasswordLoginAnswer(
			answer(200, { 'set-cookie': ['ASP.NET_SessionId=s; path=/', `${name}=V1; Max-Age=600; path=/; secure; HttpOnly`] }),
			plain,
		);
		expect(cookie).toEqual({ name, value: 'V1', expiresAt: new Date(NOW.getTime() + 600_000) });
	});

	it('honours Expires, and gives null for a session cookie', () => {
		const expires = findAuthCookie(answer(200, { 'set-cookie': ['.AspxAuthProd=V; expires=Mon, 23 Nov 2026 10:30:00 GMT'] }), NOW);
		expect(expires?.expiresAt?.toISOString()).toBe('2026-11-23T10:30:00.000Z');
		expect(findAuthCookie(answer(200, { 'set-cookie': '.ASPXAUTH=V; path=/' }), NOW)?.expiresAt).toBeNull();
	});

	it('ignores an expired auth cookie that only deletes an old one', () => {
		const headers = { 'set-cookie': ['.ASPXAUTH=; expires=Thu, 01-Jan-1970 00:00:00 GMT', '.AspxAuthTT02=NEW'] };
		expect(findAuthCookie(answer(200, headers), NOW)).toMatchObject({ name: '.AspxAuthTT02', value: 'NEW' });
	});

	it('takes a 200 without an auth cookie for a failed login', () => {
		const problem = problemOf(() => readPasswordLoginAnswer(answer(200, { 'set-cookie': 'ASP.NET_SessionId=s' }, '', 'OK'), plain));
		expect(problem.details.kind).toBe('rejected');
		expect(problem.message).toBe('Altinn answered 200 OK but did not log in (no auth cookie was set)');
	});

	it('shows the status, reason phrase and ErrorMessage of a failure', () => {
		const problem = problemOf(() =>
			readPasswordLoginAnswer(answer(401, { 'content-type': 'application/json' }, '{"ErrorCode":1,"ErrorMessage":"Ugyldig passord"}', 'Unauthorized'), plain),
		);
		expect(problem.message).toBe('Altinn did not log in (401 Unauthorized)');
		expect(problem.details.providerMessage).toBe('Ugyldig passord');
	});

	it('points at the API key on a 403 and on a missing-key 400 shows the reason phrase', () => {
		expect(problemOf(() => readPasswordLoginAnswer(answer(403, {}, '', 'Forbidden'), plain)).details.hint).toMatch(/API key/);
		expect(problemOf(() => readPasswordLoginAnswer(answer(400, {}, '', "Required header 'ApiKey' is missing."), plain)).message).toContain(
			"400 Required header 'ApiKey' is missing.",
		);
	});

	it('mentions special characters only when the password has them, never the password', () => {
		const withDoubt = problemOf(() => readPasswordLoginAnswer(answer(401), { now: NOW, passwordHasDoubtfulCharacters: true }));
		expect(withDoubt.details.hint).toMatch(/special characters/);
		expect(problemOf(() => readPasswordLoginAnswer(answer(401), plain)).details.hint).not.toMatch(/special characters/);
		expect(hasCharactersAltinnMayRefuse('abc?')).toBe(true);
		expect(hasCharactersAltinnMayRefuse('Abc123æøå')).toBe(false);
	});

	it('makes Cookie, ApiKey and Accept headers for later calls', () => {
		expect(altinnRestHeaders({ name: '.AspxAuthProd', value: 'V' }, 'K')).toEqual({
			Cookie: '.AspxAuthProd=V',
			ApiKey: 'K',
			Accept: 'application/hal+json',
		});
	});
});

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

describe('Altinn SOAP GetAuthenticationChallenge', () => {
	const login = {
		baseUrl: 'https://tt02.altinn.no',
		authMethod: 'SMSPin' as const,
		systemUserName: 'sys<1>',
		userSsn: '01017012345',
		userPassword: `<&>"'æøå`,
	};

	it('builds the envelope with escaped values in alphabetical order and the right SOAPAction', () => {
		const request = buildChallengeRequest(login);
		expect(request.url).toBe('https://tt02.altinn.no/AuthenticationExternal/SystemAuthentication.svc');
		expect(request.headers.SOAPAction).toBe(`"${GET_AUTHENTICATION_CHALLENGE_ACTION}"`);
		expect(request.headers['Content-Type']).toBe('text/xml; charset=utf-8');
		const body = request.body ?? '';
		expect(body).toContain('<ns1:UserPassword>&lt;&amp;&gt;&quot;&apos;æøå</ns1:UserPassword>');
		const parsed = parser.parse(body) as Record<string, Record<string, Record<string, Record<string, Record<string, string>>>>>;
		const challenge = parsed['soapenv:Envelope']['soapenv:Body']['ns:GetAuthenticationChallenge']['ns:challengeRequest'];
		expect(Object.keys(challenge)).toEqual(['ns1:AuthMethod', 'ns1:SystemUserName', 'ns1:UserPassword', 'ns1:UserSSN']);
		expect(challenge['ns1:UserPassword']).toBe(`<&>"'æøå`);
		expect(challenge['ns1:SystemUserName']).toBe('sys<1>');
	});

	it('leaves SystemUserName out when it is empty', () => {
		expect(buildChallengeRequest({ ...login, systemUserName: '' }).body).not.toContain('SystemUserName');
	});

	it('refuses an SSN with a line break, and an unknown PIN type', () => {
		expect(problemOf(() => buildChallengeRequest({ ...login, userSsn: '0101\n' })).details.kind).toBe('badInput');
		expect(problemOf(() => buildChallengeRequest({ ...login, authMethod: 'TaxPin' as 'SMSPin' })).message).toMatch(/Unknown Altinn PIN type/);
	});

	const seedOk = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetAuthenticationChallengeResponse xmlns="http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10"><GetAuthenticationChallengeResult xmlns:a="http://schemas.altinn.no/services/Authentication/2009/10" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a:Message>Benytt engangskode 2 fra brev datert torsdag, 17. desember 2015</a:Message><a:Status>Ok</a:Status><a:ValidFrom>2020-03-15T13:00:44.2353668+01:00</a:ValidFrom><a:ValidTo>2020-03-15T13:30:44.2353668+01:00</a:ValidTo></GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse></s:Body></s:Envelope>`;

	it('reads the documented Ok answer', () => {
		expect(readChallengeAnswer(answer(200, {}, seedOk))).toEqual({
			status: 'Ok',
			message: 'Benytt engangskode 2 fra brev datert torsdag, 17. desember 2015',
			validFrom: '2020-03-15T13:00:44.2353668+01:00',
			validTo: '2020-03-15T13:30:44.2353668+01:00',
		});
	});

	it.each([
		['NoPhoneNumber', /no mobile phone number/],
		['InvalidCredentials', /refused the national ID number or password/],
		['InvalidPinType', /does not accept this PIN type/],
		['Locked', /unknown status "Locked"/],
	])('turns the status %s into a clear error carrying Altinn\'s message', (status, message) => {
		const problem = problemOf(() => readChallengeAnswer(answer(200, {}, seedOk.replace('<a:Status>Ok</a:Status>', `<a:Status>${status}</a:Status>`))));
		expect(problem.message).toMatch(message);
		expect(problem.details.providerMessage).toBe('Benytt engangskode 2 fra brev datert torsdag, 17. desember 2015');
	});

	it.each([
		[989, /error 989.*wrong national ID number or password/],
		[0, /error 0/],
		[5, /system login \(error 5\)/],
		[42, /SOAP fault \(error 42\)/],
	])('turns AltinnFault ErrorID %i into a clear error', (errorId, message) => {
		const problem = problemOf(() => readChallengeAnswer(answer(500, {}, altinnFault(errorId, 'Norsk feilmelding'))));
		expect(problem.message).toMatch(message);
		expect(problem.details.providerMessage).toBe('Norsk feilmelding');
	});

	it('refuses a DOCTYPE before parsing, so no entity is expanded', () => {
		const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>`;
		expect(problemOf(() => readChallengeAnswer(answer(200, {}, bomb))).message).toMatch(/document type declaration/);
	});

	it('explains malformed XML, an HTML page, an empty body and XML that is no envelope', () => {
		expect(problemOf(() => readChallengeAnswer(answer(200, {}, '<a><b></a>'))).message).toMatch(/not well-formed XML/);
		expect(problemOf(() => readChallengeAnswer(answer(502, { 'content-type': 'text/html' }, '<html><body>x</body></html>'))).message).toMatch(/web page/);
		expect(problemOf(() => readChallengeAnswer(answer(503))).details.kind).toBe('unavailable');
		expect(problemOf(() => readChallengeAnswer(answer(200, {}, '<root/>'))).message).toMatch(/not a SOAP envelope/);
	});
});

describe('Altinn Basic SOAP requests', () => {
	const values = {
		systemUserName: 'sys',
		systemPassword: 'p<w>',
		userSSN: '01017012345',
		userPassword: `a&b"c'`,
		userPinCode: '12345',
		authMethod: 'SMSPin',
	};

	it('fills every placeholder XML-escaped, with or without spaces inside the braces', () => {
		const filled = fillSoapTemplate('<a><b>{{userPassword}}</b><c>{{ systemPassword }}</c><d>{{userPinCode}}</d></a>', values);
		expect(filled).toBe('<a><b>a&amp;b&quot;c&apos;</b><c>p&lt;w&gt;</c><d>12345</d></a>');
	});

	it('cannot be broken out of by a value (SOAP injection)', () => {
		const filled = fillSoapTemplate('<a><ssn>{{userSSN}}</ssn></a>', { ...values, userSSN: '</ssn><admin>true</admin><ssn>' });
		expect(parser.parse(filled)).toEqual({ a: { ssn: '</ssn><admin>true</admin><ssn>' } });
	});

	it('refuses unknown placeholders and a broken template without quoting secrets', () => {
		expect(problemOf(() => fillSoapTemplate('<a>{{userPin}}</a>', values)).message).toMatch(/unknown placeholders: \{\{userPin\}\}/);
		const broken = problemOf(() => fillSoapTemplate('<a><b>{{userPassword}}</a>', values));
		expect(broken.message).toMatch(/not well-formed XML/);
		expect(broken.message).not.toContain('a&b');
	});

	it('refuses XML the validator passes but the parser cannot read (an unclosed CDATA after the root), as a template and as an answer', () => {
		const unclosed = '<a>{{userPassword}}</a><![CDATA[</b>';
		const template = problemOf(() => fillSoapTemplate(unclosed, values));
		expect(template.details.kind).toBe('badInput');
		expect(template.message).toBe('The SOAP body cannot be sent: it is not well-formed XML');
		const envelope = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"></s:Envelope><![CDATA[</AltinnFault>';
		const read = problemOf(() => readServiceAnswer(answer(200, {}, envelope), 'json'));
		expect(read.details.kind).toBe('unexpectedAnswer');
		expect(read.message).toBe("Altinn's answer to the SOAP request cannot be read: it is not well-formed XML (200)");
	});

	it('returns the Body as JSON or the raw XML, and reads faults as PIN problems', () => {
		const ok = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><XResponse><XResult>007</XResult></XResponse></s:Body></s:Envelope>';
		expect(readServiceAnswer(answer(200, {}, ok), 'json')).toEqual({ XResponse: { XResult: '007' } });
		expect(readServiceAnswer(answer(200, {}, ok), 'xml')).toEqual({ xml: ok });
		const problem = problemOf(() => readServiceAnswer(answer(500, {}, altinnFault(989, 'Feil engangskode')), 'json'));
		expect(problem.message).toMatch(/the PIN is wrong, used up or expired/);
		expect(problem.details.hint).toMatch(/Request a new PIN/);
	});

	it('says a SOAP fault without Altinn\'s detail once, not twice', () => {
		const fault =
			'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode>' +
			'<faultstring xml:lang="en-US">Schema violation</faultstring></s:Fault></s:Body></s:Envelope>';
		const problem = problemOf(() => readServiceAnswer(answer(500, {}, fault), 'json'));
		expect(problem.message).toBe('Altinn returned a SOAP fault: Schema violation');
		expect(problem.details.providerMessage).toBeUndefined();
	});

	it('sends only to the credential\'s own Altinn host', () => {
		expect(resolveSoapEndpoint('https://tt02.altinn.no', '/X/Basic.svc')).toBe('https://tt02.altinn.no/X/Basic.svc');
		expect(resolveSoapEndpoint('https://tt02.altinn.no', 'https://tt02.altinn.no/Y.svc')).toBe('https://tt02.altinn.no/Y.svc');
		expect(problemOf(() => resolveSoapEndpoint('https://tt02.altinn.no', 'https://evil.example/Y.svc')).message).toMatch(/not the Altinn environment/);
	});
});
