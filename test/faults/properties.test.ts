/**
 * Property tests: thousands of generated answers (any status, headers, bodies of random text,
 * JSON, XML-ish fragments, SOAP envelopes and raw bytes) fed to every protocol parser. Each must
 * return a value or throw a LoginProblem with a message and a hint, nothing else (no TypeError,
 * no hang), and once turned into an n8n error, no secret the answer echoed may remain in it.
 */
import fc from 'fast-check';
import type { INode } from 'n8n-workflow';

import { findAuthCookie, readPasswordLoginAnswer } from '../../nodes/Altinn/protocol/rest';
import { decodeXmlReferences, readChallengeAnswer, readFault, readServiceAnswer, readServiceCheckAnswer } from '../../nodes/Altinn/protocol/soap';
import { readSystemUserTokenAnswer } from '../../nodes/Altinn/protocol/systemUserToken';
import { CONSENT_CALLS, readConsentEventsPage, readConsentRequestAnswer } from '../../nodes/Altinn/protocol/consentRequests';
import { consentParty, readConsentTokenAnswer } from '../../nodes/Altinn/protocol/consentToken';
import { readChangeRequestAnswer, readSystemUserListAnswer, readSystemUserRequestAnswer, readSystemUserRequestListAnswer } from '../../nodes/Altinn/protocol/vendorAnswers';
import { jwtExpiry, readExchangeAnswer, readMaskinportenTokenAnswer } from '../../nodes/Altinn/protocol/maskinporten';
import { readClientCredentialsAnswer } from '../../nodes/Bokbasen/protocol/clientCredentials';
import { readCreateTicketAnswer, readDeleteTicketAnswer } from '../../nodes/Boknett/protocol/tickets';
import { readAuthenticationAnswer, readCodeConfirmationAnswer, requireToken } from '../../nodes/Onlyoffice/protocol/authentication';
import { decodeBase32 } from '../../nodes/shared/protocol/totp';
import { retryAfterMs } from '../../nodes/shared/transport';
import { toNodeError } from '../../nodes/shared/nodeErrors';
import type { HttpAnswer } from '../../nodes/shared/protocol/http';
import { LoginProblem } from '../../nodes/shared/protocol/loginProblem';
import { xmlEscape } from '../../nodes/shared/protocol/http';
import { SecretRedactor } from '../../nodes/shared/secrets';
import { everythingIn } from '../helpers/leaks';
import { useFreshTokenStore } from '../helpers/tokenStore';

useFreshTokenStore();

const RUNS = 2_000;
const CONSENT_GIVER = '21818297804';
const SECRET = 'Hemmelig-pass-æøå-01017012345';
const redactor = new SecretRedactor([SECRET]);
const node: INode = { id: 'n', name: 'Node', type: 'n8n-nodes-login-tokens.test', typeVersion: 1, position: [0, 0], parameters: {} };
const KINDS = new Set(['rejected', 'unavailable', 'unexpectedAnswer', 'secondFactorRequired', 'badInput']);

const XML_PIECES = [
	'<', '>', '</', '/>', '=', '"', "'", ' ', 'a', '989', 'Ok', '__proto__', 'constructor', 'toString', SECRET,
	'<?xml version="1.0"?>', '<!DOCTYPE x [', '<!ENTITY e "v">', '<!ENTITY x SYSTEM "file:///etc/passwd">', ']>', '&e;', '&x;',
	'&amp;', '&lt;', '&#x41;', '&#0;', '&#99999999;', '&#xD800;', '&bogus;', '<![CDATA[', ']]>', '<!--', '-->',
	'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">', '</s:Envelope>', '<s:Body>', '</s:Body>',
	'<s:Fault>', '</s:Fault>', '<faultstring>', '</faultstring>', '<detail>', '</detail>', '<AltinnFault>', '</AltinnFault>',
	'<ErrorID>', '</ErrorID>', '<AltinnErrorMessage>', '</AltinnErrorMessage>',
	'<GetAuthenticationChallengeResponse>', '</GetAuthenticationChallengeResponse>',
	'<GetAuthenticationChallengeResult>', '</GetAuthenticationChallengeResult>', '<Status>', '</Status>', '<Message>', '</Message>',
];

const maybeEscaped = (text: fc.Arbitrary<string>) => fc.tuple(text, fc.boolean()).map(([value, escape]) => (escape ? xmlEscape(value) : value));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant(SECRET), fc.string().map((text) => `${text}${SECRET}`));

/** A SOAP envelope with a fault or a challenge result whose fields are random (escaped or not). */
const soapEnvelope = fc
	.record({
		fault: fc.boolean(),
		// Names of Object.prototype's members too: a lookup by the answer's status must not find them.
		status: fc.oneof(fc.constantFrom('Ok', 'InvalidCredentials', 'NoPhoneNumber', 'InvalidPinType', '', 'toString', 'constructor', '__proto__'), anyText),
		message: anyText,
		errorId: fc.oneof(fc.integer().map(String), fc.constantFrom('0', '989', '5', ''), anyText),
	})
	.chain(({ fault, status, message, errorId }) =>
		fc.tuple(maybeEscaped(fc.constant(status)), maybeEscaped(fc.constant(message)), maybeEscaped(fc.constant(errorId))).map(([s, m, e]) =>
			fault
				? `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultstring>${m}</faultstring><detail><AltinnFault><ErrorID>${e}</ErrorID><AltinnErrorMessage>${m}</AltinnErrorMessage></AltinnFault></detail></s:Fault></s:Body></s:Envelope>`
				: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetAuthenticationChallengeResponse><GetAuthenticationChallengeResult><Message>${m}</Message><Status>${s}</Status></GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse></s:Body></s:Envelope>`,
		),
	);

const body = fc.oneof(
	anyText,
	fc.json(),
	fc.jsonValue().map((value) => JSON.stringify({ count: 1, response: value, status: 0, error: { message: value } })),
	fc.record({ token: fc.oneof(anyText, fc.jsonValue()), expires: fc.oneof(anyText, fc.jsonValue()), sms: fc.jsonValue(), tfa: fc.jsonValue() }).map((response) => JSON.stringify({ response })),
	fc.record({ ErrorCode: fc.integer(), ErrorMessage: fc.oneof(anyText, fc.jsonValue()) }).map((value) => JSON.stringify(value)),
	fc.array(fc.constantFrom(...XML_PIECES), { maxLength: 40 }).map((pieces) => pieces.join('')),
	soapEnvelope,
	fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
	// OAuth2 token answers (Maskinporten, Bokbasen) with fields of any type.
	fc
		.record(
			{ access_token: fc.oneof(anyText, fc.jsonValue()), token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'mac'), anyText), expires_in: fc.oneof(fc.integer(), fc.double(), anyText, fc.jsonValue()), scope: fc.jsonValue(), error: fc.oneof(fc.constantFrom('invalid_grant', 'invalid_scope', 'access_denied'), anyText), error_description: anyText },
			{ requiredKeys: [] },
		)
		.map((value) => JSON.stringify(value)),
	// Altinn 3 problem details, with codes it knows, codes named like Object.prototype's members, and any text.
	fc
		.record({ code: fc.oneof(fc.constantFrom('AM-00004', 'AM-00008', 'AM-00016', 'toString', 'constructor', '__proto__'), anyText), title: anyText, status: fc.integer(), detail: fc.oneof(anyText, fc.jsonValue()) }, { requiredKeys: [] })
		.map((value) => JSON.stringify(value)),
	// Altinn 3 consent requests and event pages, with fields of any type.
	fc
		.record(
			{
				id: fc.oneof(fc.uuid(), anyText, fc.jsonValue()),
				from: fc.oneof(fc.constantFrom(`urn:altinn:person:identifier-no:${CONSENT_GIVER}`, 'urn:altinn:organization:identifier-no:310149942', 'urn:altinn:person:identifier-no:21818297805'), anyText),
				to: fc.oneof(fc.constant('urn:altinn:organization:identifier-no:310149942'), anyText, fc.jsonValue()),
				status: fc.oneof(fc.constantFrom('Created', 'Accepted', 'toString'), anyText, fc.jsonValue()),
				consentRights: fc.jsonValue(),
				consentRequestEvents: fc.jsonValue(),
				data: fc.jsonValue(),
				links: fc.oneof(fc.record({ next: fc.oneof(anyText, fc.webUrl(), fc.jsonValue()) }), fc.jsonValue()),
				authorization_details: fc.jsonValue(),
			},
			{ requiredKeys: [] },
		)
		.map((value) => JSON.stringify(value)),
	// Altinn's exchange answer: a JWT as a JSON string, bare, or something like one.
	fc.tuple(fc.base64String(), fc.jsonValue(), fc.base64String(), fc.boolean()).map(([head, claims, signature, quoted]) => {
		const jwt = `${head.replace(/=+$/, '')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature.replace(/[=+/]/g, '')}`;
		return quoted ? JSON.stringify(jwt) : jwt;
	}),
);

const headerValue = fc.oneof(anyText, fc.array(anyText, { maxLength: 3 }));
const cookie = fc.oneof(
	anyText,
	fc.tuple(fc.constantFrom('.AspxAuthProd', '.ASPXAUTH', '.aspxauthTT02', 'other'), anyText, fc.constantFrom('', '; path=/', '; Max-Age=-1', '; Max-Age=99999999999', '; expires=Thu, 01-Jan-1970 00:00:00 GMT', '; expires=nonsense')).map(
		([name, value, attributes]) => `${name}=${value}${attributes}`,
	),
);

const answer: fc.Arbitrary<HttpAnswer> = fc.record({
	statusCode: fc.oneof(fc.integer({ min: 100, max: 999 }), fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 405, 429, 500, 502, 503)),
	statusMessage: anyText,
	headers: fc.record(
		{
			'content-type': fc.oneof(fc.constantFrom('text/html', 'text/xml', 'application/json'), anyText),
			'set-cookie': fc.array(cookie, { maxLength: 4 }),
			'boknett-tgt': headerValue,
			'retry-after': fc.oneof(fc.nat().map(String), fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toUTCString())), anyText),
			other: headerValue,
		},
		{ requiredKeys: [] },
	),
	body,
	attempts: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});

/** Runs a parser: a value, or a LoginProblem that is well-formed and leaks nothing once an n8n error. */
function valueOrProblem(parse: () => unknown): void {
	let result: unknown;
	try {
		result = parse();
	} catch (error) {
		if (!(error instanceof LoginProblem)) throw error;
		expect(KINDS.has(error.details.kind)).toBe(true);
		expect(error.details.message.trim()).not.toBe('');
		expect(error.details.hint.trim()).not.toBe('');
		const nodeError = toNodeError(node, error, 0, redactor);
		expect(everythingIn([nodeError])).not.toContain(SECRET);
		return;
	}
	expect(result).toBeDefined();
}

const check = <Values extends unknown[]>(property: fc.IProperty<Values>) => fc.assert(property, { numRuns: RUNS });

/**
 * Every answer a property ever failed on, kept as a fixed case: the properties go on exploring new
 * answers on each run (a failure prints its seed to replay it), and these run every time.
 */
const FOUND_BEFORE: { found: string; answer: HttpAnswer }[] = [
	{
		found: 'an unclosed CDATA section after the envelope passed the validator and made the parser throw its own Error',
		answer: {
			statusCode: 200,
			statusMessage: 'OK',
			headers: { 'content-type': 'text/xml' },
			body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"></s:Envelope><![CDATA[</AltinnFault>',
		},
	},
	{
		found: 'a PIN request status "toString" was looked up as a known status and found Object.prototype\'s function',
		answer: {
			statusCode: 200,
			statusMessage: 'OK',
			headers: {},
			body: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetAuthenticationChallengeResponse><GetAuthenticationChallengeResult><Message></Message><Status>toString</Status></GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse></s:Body></s:Envelope>',
		},
	},
	{
		// Seen in review after the one above, not by a run: the same lookup, in Altinn 3's problem hints.
		found: 'an Altinn 3 problem code "constructor" would have been looked up as a known code',
		answer: { statusCode: 400, statusMessage: 'Bad Request', headers: { 'content-type': 'application/problem+json' }, body: '{"code":"constructor","title":"x","status":400}' },
	},
];

/** Every parser that reads a whole answer, each with what else it needs fixed. */
const NOW = new Date('2026-12-01T12:00:00Z');
const ANSWER_READERS: Record<string, (answer: HttpAnswer) => unknown> = {
	'Boknett ticket': readCreateTicketAnswer,
	'Boknett logout': readDeleteTicketAnswer,
	'ONLYOFFICE authentication': (answer) => requireToken(readAuthenticationAnswer(answer)),
	'ONLYOFFICE SMS code': (answer) => readCodeConfirmationAnswer(answer, 'sms'),
	'Maskinporten token': (answer) => readMaskinportenTokenAnswer(answer, NOW),
	'Bokbasen token': (answer) => readClientCredentialsAnswer(answer, NOW),
	'Altinn token exchange': (answer) => readExchangeAnswer(answer, false),
	'Altinn password login': (answer) => readPasswordLoginAnswer(answer, { now: NOW, passwordHasDoubtfulCharacters: false }),
	'Altinn PIN request': readChallengeAnswer,
	'Altinn SOAP service (JSON)': (answer) => readServiceAnswer(answer, 'json'),
	'Altinn SOAP service (XML)': (answer) => readServiceAnswer(answer, 'xml'),
	'Altinn SOAP service check': (answer) => (readServiceCheckAnswer(answer), true),
	'Altinn system-user token': (answer) => readSystemUserTokenAnswer(answer, '310000001', NOW),
	'Altinn system-user request': readSystemUserRequestAnswer,
	'Altinn system-user requests page': readSystemUserRequestListAnswer,
	'Altinn change request': readChangeRequestAnswer,
	'Altinn system users page': readSystemUserListAnswer,
	'Altinn consent request': (answer) => readConsentRequestAnswer(answer, CONSENT_CALLS.get),
	'Altinn consent events page': readConsentEventsPage,
	'Altinn consent token': (answer) => readConsentTokenAnswer(answer, '0a1b2c3d-0000-4000-8000-000000000001', consentParty(CONSENT_GIVER), NOW, '310149942'),
};

describe('answers a property once failed on stay fixed', () => {
	it.each(FOUND_BEFORE)('$found', ({ answer: found }) => {
		for (const read of Object.values(ANSWER_READERS)) valueOrProblem(() => read(found));
	});
});

describe('every parser returns a value or a LoginProblem, whatever the answer', () => {
	it('Boknett: ticket and logout answers', () => {
		check(fc.property(answer, (generated) => valueOrProblem(() => readCreateTicketAnswer(generated))));
		check(fc.property(answer, (generated) => valueOrProblem(() => readDeleteTicketAnswer(generated))));
	});

	it('ONLYOFFICE: authentication answers, and the second-factor check', () => {
		check(fc.property(answer, (generated) => valueOrProblem(() => requireToken(readAuthenticationAnswer(generated)))));
	});

	it('ONLYOFFICE: two-factor code confirmations', () => {
		check(fc.property(answer, fc.constantFrom('sms' as const, 'authenticator' as const), (generated, source) => valueOrProblem(() => readCodeConfirmationAnswer(generated, source))));
	});

	it('Maskinporten and Bokbasen OAuth2 token answers, and Altinn\'s token exchange', () => {
		check(fc.property(answer, fc.date({ noInvalidDate: true }), (generated, now) => valueOrProblem(() => readMaskinportenTokenAnswer(generated, now))));
		check(fc.property(answer, fc.date({ noInvalidDate: true }), (generated, now) => valueOrProblem(() => readClientCredentialsAnswer(generated, now))));
		check(
			fc.property(answer, fc.boolean(), (generated, enterprise) =>
				valueOrProblem(() => {
					const token = readExchangeAnswer(generated, enterprise);
					expect(token.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
					expect(token.expiresAt === null || Number.isFinite(token.expiresAt.getTime())).toBe(true);
					return token;
				}),
			),
		);
		check(fc.property(anyText, (text) => {
			const expiry = jwtExpiry(text);
			expect(expiry === null || expiry instanceof Date).toBe(true);
		}));
	});

	it('TOTP secrets: Base32 decoding gives bytes or nothing', () => {
		check(fc.property(anyText, (text) => {
			const key = decodeBase32(text);
			expect(key === undefined || Buffer.isBuffer(key)).toBe(true);
		}));
	});

	it('Altinn REST: password login answers and the cookie finder', () => {
		check(
			fc.property(answer, fc.date({ noInvalidDate: true }), fc.boolean(), (generated, now, doubtful) =>
				valueOrProblem(() => readPasswordLoginAnswer(generated, { now, passwordHasDoubtfulCharacters: doubtful })),
			),
		);
		check(
			fc.property(answer, fc.date({ noInvalidDate: true }), (generated, now) => {
				const found = findAuthCookie(generated, now);
				if (found) expect(found.name.toLowerCase().startsWith('.aspxauth') && found.value.length > 0).toBe(true);
			}),
		);
	});

	it('Altinn SOAP: challenge answers, service answers (JSON and XML) and the fault reader', () => {
		check(fc.property(answer, (generated) => valueOrProblem(() => readChallengeAnswer(generated))));
		check(fc.property(answer, fc.constantFrom('json' as const, 'xml' as const), (generated, format) => valueOrProblem(() => readServiceAnswer(generated, format))));
		fc.assert(
			fc.property(fc.object({ values: [fc.jsonValue(), fc.string()] }), (body) => {
				const fault = readFault(body);
				if (fault) expect(typeof fault.faultString).toBe('string');
			}),
			{ numRuns: RUNS },
		);
	});

	it('Altinn 3 system users: token answers and every vendor API answer', () => {
		for (const name of ['Altinn system-user token', 'Altinn system-user request', 'Altinn system-user requests page', 'Altinn change request', 'Altinn system users page', 'Altinn SOAP service check']) {
			check(fc.property(answer, (generated) => valueOrProblem(() => ANSWER_READERS[name](generated))));
		}
	});

	it('Altinn 3 consent: request answers, pages of events and consent token answers', () => {
		for (const name of ['Altinn consent request', 'Altinn consent events page', 'Altinn consent token']) {
			check(fc.property(answer, (generated) => valueOrProblem(() => ANSWER_READERS[name](generated))));
		}
	});

	it("Altinn 3 consent: an error about a request or an event page never quotes a person's national ID number, known or not", () => {
		for (const name of ['Altinn consent request', 'Altinn consent events page']) {
			check(
				fc.property(answer, (generated) => {
					try {
						ANSWER_READERS[name](generated);
					} catch (error) {
						if (!(error instanceof LoginProblem)) throw error;
						expect(everythingIn([toNodeError(node, error, 0, redactor)])).not.toContain(CONSENT_GIVER);
					}
				}),
			);
		}
	});

	it('never expands an entity: a DOCTYPE anywhere in an answer is refused', () => {
		check(
			fc.property(answer, fc.nat(), (generated, at) => {
				const position = at % (generated.body.length + 1);
				const withDoctype = { ...generated, body: `${generated.body.slice(0, position)}<!DOCTYPE x [<!ENTITY e "EXPANDED">]>${generated.body.slice(position)}&e;` };
				for (const read of [() => readChallengeAnswer(withDoctype), () => readServiceAnswer(withDoctype, 'json')]) {
					try {
						read();
					} catch (error) {
						if (!(error instanceof LoginProblem)) throw error;
						expect(error.message).not.toContain('EXPANDED');
						continue;
					}
					throw new Error('an answer with a DOCTYPE was read');
				}
			}),
		);
	});

	it('Retry-After: a wait of zero or more, or none', () => {
		check(
			fc.property(answer, fc.date({ noInvalidDate: true }), (generated, now) => {
				const wait = retryAfterMs(generated, now);
				if (wait !== undefined) expect(wait >= 0 && Number.isFinite(wait)).toBe(true);
			}),
		);
	});

	it('XML references: decoding undoes escaping and never decodes twice', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme' }), (text) => {
				expect(decodeXmlReferences(xmlEscape(text))).toBe(text);
				expect(decodeXmlReferences(xmlEscape(xmlEscape(text)))).toBe(xmlEscape(text));
			}),
			{ numRuns: RUNS },
		);
	});
});
