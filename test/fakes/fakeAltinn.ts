/**
 * A fake Altinn 2, REST and SOAP, as PROVIDERS.md describes it: the password login with several
 * Set-Cookie headers and the auth cookie under any of its names, GetAuthenticationChallenge with
 * every known status and fault, a PIN it "sends" by SMS and records for the test to read, and
 * Basic SOAP operations that check the envelope and the SSN, passwords and PIN.
 */
import { randomBytes, randomInt } from 'node:crypto';

import { XMLParser, XMLValidator } from 'fast-xml-parser';

import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, HTML_ERROR_PAGE, header, json } from './fakeServer';

export type AltinnRestFailure =
	| 'none'
	| 'okWithoutCookie'
	| 'wrongPasswordJson'
	| 'htmlPage'
	| 'serverError'
	| 'slow';

export type AltinnSoapFailure =
	| 'none'
	| 'unknownStatus'
	| 'fault989'
	| 'fault5'
	| 'htmlPage'
	| 'malformedXml'
	| 'doctype'
	| 'serverError'
	| 'slow';

export type CookieLifetime = 'expires' | 'maxAge' | 'session';

export interface AltinnPerson {
	ssn: string;
	password: string;
	hasPhone: boolean;
	allowedPinTypes: string[];
	systemUserName?: string;
	systemPassword?: string;
}

export const ALTINN_REST_USER = { username: 'regnskap@firma.no', password: 'Hemmelig-passord-1', apiKey: 'API-KEY-5f2c9a' };

export const ALTINN_PERSON: AltinnPerson = {
	ssn: '01017012345',
	password: 'Pinpass<&>"\'æøå',
	hasPhone: true,
	allowedPinTypes: ['SMSPin', 'AltinnPin'],
	systemUserName: 'fagsystem-42',
	systemPassword: 'Sys&pass<1>',
};

/** The Altinn SMS PIN API credential of ALTINN_PERSON, pointing at a fake (tests and the sandbox). */
export function altinnSmsPinCredentialData(baseUrl: string, overrides: Record<string, string> = {}) {
	return {
		environment: 'custom',
		baseUrl,
		authMethod: 'SMSPin',
		systemUserName: ALTINN_PERSON.systemUserName ?? '',
		systemPassword: ALTINN_PERSON.systemPassword ?? '',
		secretNationalIdNumber: ALTINN_PERSON.ssn,
		userPassword: ALTINN_PERSON.password,
		...overrides,
	};
}

export const PERSON_WITHOUT_PHONE: AltinnPerson = {
	ssn: '02028054321',
	password: 'no-phone-pass',
	hasPhone: false,
	allowedPinTypes: ['SMSPin'],
};

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const CHALLENGE_ACTION =
	'"http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10/ISystemAuthenticationExternal/GetAuthenticationChallenge"';
const AUTH_DATA_NS = 'http://schemas.altinn.no/services/Authentication/2009/10';

const xmlParser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false, parseTagValue: false, trimValues: false });

function escapeXml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function envelope(body: string): string {
	return `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body>${body}</s:Body></s:Envelope>`;
}

function challengeResult(status: string, message: string, validFrom = '0001-01-01T00:00:00', validTo = '0001-01-01T00:00:00'): string {
	return envelope(
		`<GetAuthenticationChallengeResponse xmlns="http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10">` +
			`<GetAuthenticationChallengeResult xmlns:a="${AUTH_DATA_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
			`<a:Message>${escapeXml(message)}</a:Message><a:Status>${status}</a:Status>` +
			`<a:ValidFrom>${validFrom}</a:ValidFrom><a:ValidTo>${validTo}</a:ValidTo>` +
			`</GetAuthenticationChallengeResult></GetAuthenticationChallengeResponse>`,
	);
}

export function altinnFault(errorId: number, message: string): string {
	return envelope(
		`<s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="nb-NO">${escapeXml(message)}</faultstring>` +
			`<detail><AltinnFault xmlns="http://www.altinn.no/services/common/fault/2009/10" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
			`<AltinnErrorMessage>${escapeXml(message)}</AltinnErrorMessage><AltinnExtendedErrorMessage>No information available</AltinnExtendedErrorMessage>` +
			`<AltinnLocalizedErrorMessage>${escapeXml(message)}</AltinnLocalizedErrorMessage><ErrorGuid>${randomBytes(8).toString('hex')}</ErrorGuid>` +
			`<ErrorID>${errorId}</ErrorID><UserGuid>-no value-</UserGuid><UserId>0</UserId></AltinnFault></detail></s:Fault>`,
	);
}

const WRONG_LOGIN_NB = 'Feil brukernavn, passord eller engangskode, eller engangskoden er brukt opp eller utløpt.';

interface IssuedPin {
	pin: string;
	ssn: string;
	validTo: number;
}

type XmlNode = Record<string, unknown>;

/** Finds the first element whose local name matches, at any depth, with its children in order. */
function findElement(node: unknown, localName: string): XmlNode | undefined {
	if (typeof node !== 'object' || node === null) return undefined;
	for (const [key, value] of Object.entries(node as XmlNode)) {
		if (key.startsWith('@_')) continue;
		if (key.split(':').pop() === localName && typeof value === 'object' && value !== null) return value as XmlNode;
		const found = findElement(value, localName);
		if (found) return found;
	}
	return undefined;
}

function childText(element: XmlNode, localName: string): string | undefined {
	for (const [key, value] of Object.entries(element)) {
		if (key.split(':').pop() !== localName) continue;
		if (typeof value === 'string') return value;
		if (typeof value === 'object' && value !== null && typeof (value as XmlNode)['#text'] === 'string') return (value as XmlNode)['#text'] as string;
		return '';
	}
	return undefined;
}

export class FakeAltinn extends FakeServer {
	restFailure: AltinnRestFailure = 'none';

	soapFailure: AltinnSoapFailure = 'none';

	/** The auth cookie's name, as Altinn has used over the years. */
	cookieName = '.AspxAuthProd';

	cookieLifetime: CookieLifetime = 'expires';

	requireApiKey = false;

	slowMs = 2_000;

	readonly restAccounts = new Map<string, string>([[ALTINN_REST_USER.username, ALTINN_REST_USER.password]]);

	readonly apiKeys = new Set<string>([ALTINN_REST_USER.apiKey]);

	readonly people = new Map<string, AltinnPerson>([
		[ALTINN_PERSON.ssn, ALTINN_PERSON],
		[PERSON_WITHOUT_PHONE.ssn, PERSON_WITHOUT_PHONE],
	]);

	readonly sessions = new Set<string>();

	/** The PINs "sent by SMS", newest last. */
	readonly sentPins: IssuedPin[] = [];

	/** Called with each PIN as it is "sent", so a sandbox can show it. */
	onPinSent: ((pin: string) => void) | undefined;

	lastPinFor(ssn: string): string | undefined {
		return [...this.sentPins].reverse().find((pin) => pin.ssn === ssn)?.pin;
	}

	expireAllPins(): void {
		for (const pin of this.sentPins) pin.validTo = 0;
	}

	protected handle(request: RecordedRequest): Reply {
		if (request.path === '/api/authentication/authenticatewithpassword') return this.passwordLogin(request);
		if (request.path.startsWith('/api/my/')) return this.restApi(request);
		if (request.path === '/AuthenticationExternal/SystemAuthentication.svc') {
			if (request.method === 'GET') return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<wsdl:definitions/>' };
			return this.challenge(request);
		}
		if (/Basic\.svc$/.test(request.path)) return this.basicService(request);
		if (request.path === '/__sandbox/sms') {
			const list = this.sentPins.map((sent) => `<li>${sent.pin}</li>`).reverse().join('');
			return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: `<h1>SMS sent by the Altinn sandbox</h1><ul>${list}</ul>` };
		}
		return { status: 404, reason: 'Not Found' };
	}

	private passwordLogin(request: RecordedRequest): Reply {
		if (this.restFailure === 'slow') return { status: 200, delayMs: this.slowMs };
		if (this.restFailure === 'htmlPage') return { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		if (this.restFailure === 'serverError') return { status: 503, reason: 'Service Unavailable' };
		if (request.method !== 'POST') return { status: 405, reason: 'Method Not Allowed' };
		const apiKey = header(request, 'apikey');
		if (this.requireApiKey && !apiKey) return { status: 400, reason: "Required header 'ApiKey' is missing." };
		if (apiKey && !this.apiKeys.has(apiKey)) return { status: 403, reason: 'Forbidden' };
		let body: { UserName?: unknown; UserPassword?: unknown };
		try {
			body = JSON.parse(request.body) as typeof body;
		} catch {
			return { status: 400, reason: 'Bad Request' };
		}
		const username = String(body.UserName ?? '');
		if (this.restAccounts.get(username) !== body.UserPassword) {
			if (this.restFailure === 'wrongPasswordJson') {
				return { ...json(401, { ErrorCode: 1, ErrorMessage: 'Ugyldig brukernavn eller passord' }), reason: 'Unauthorized' };
			}
			return { status: 401, reason: 'Invalid username or password' };
		}
		const cookies = [
			'ASP.NET_SessionId=sess123; path=/; secure; HttpOnly; SameSite=Lax',
			'.ASPXAUTH=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/; secure; HttpOnly',
			'altinnPersistentContext=UL=1044; expires=Fri, 01-Jan-2100 00:00:00 GMT; path=/',
		];
		if (this.restFailure !== 'okWithoutCookie') {
			const value = randomBytes(32).toString('hex').toUpperCase();
			this.sessions.add(value);
			const lifetime =
				this.cookieLifetime === 'expires'
					? `; expires=${new Date(Date.now() + 30 * 60 * 1000).toUTCString()}`
					: this.cookieLifetime === 'maxAge'
						? '; Max-Age=1800'
						: '';
			cookies.push(`${this.cookieName}=${value}${lifetime}; path=/; secure; HttpOnly`);
		}
		return { status: 200, reason: 'OK', headers: { 'Set-Cookie': cookies, 'Content-Type': 'application/hal+json' }, body: '' };
	}

	private restApi(request: RecordedRequest): Reply {
		const cookie = header(request, 'cookie') ?? '';
		const authenticated = cookie.split(';').some((pair) => {
			const [name, value] = pair.trim().split('=');
			return name.toLowerCase().startsWith('.aspxauth') && this.sessions.has(value ?? '');
		});
		if (!authenticated) return { status: 401, reason: 'Unauthorized' };
		if (!this.apiKeys.has(header(request, 'apikey') ?? '')) return { status: 403, reason: 'Forbidden' };
		return {
			status: 200,
			headers: { 'Content-Type': 'application/hal+json' },
			body: JSON.stringify({ _embedded: { messages: [{ MessageId: 'a1', Subject: 'Melding fra Skatteetaten' }] } }),
		};
	}

	private soapFailureReply(): Reply | undefined {
		switch (this.soapFailure) {
			case 'slow':
				return { status: 200, delayMs: this.slowMs };
			case 'htmlPage':
				return { status: 502, reason: 'Bad Gateway', headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
			case 'serverError':
				return { status: 503, reason: 'Service Unavailable' };
			case 'malformedXml':
				return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<s:Envelope xmlns:s="x"><s:Body><Unclosed>' };
			case 'doctype':
				return {
					status: 200,
					headers: { 'Content-Type': 'text/xml' },
					body: `<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>${envelope('<x>&b;</x>')}`,
				};
			case 'fault989':
				return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(989, WRONG_LOGIN_NB) };
			case 'fault5':
				return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(5, 'Autentisering av system feilet.') };
			default:
				return undefined;
		}
	}

	private parseEnvelope(request: RecordedRequest): XmlNode | Reply {
		if (!(header(request, 'content-type') ?? '').startsWith('text/xml')) return { status: 415, reason: 'Unsupported Media Type' };
		if (XMLValidator.validate(request.body) !== true) {
			return { status: 400, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Ugyldig XML i forespørselen') };
		}
		return xmlParser.parse(request.body) as XmlNode;
	}

	private challenge(request: RecordedRequest): Reply {
		const failure = this.soapFailureReply();
		if (failure) return failure;
		if (header(request, 'soapaction') !== CHALLENGE_ACTION) {
			return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Unknown SOAPAction') };
		}
		const document = this.parseEnvelope(request);
		if ('status' in document) return document as Reply;
		const challengeRequest = findElement(document, 'challengeRequest');
		if (!challengeRequest) return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Mangler challengeRequest') };
		// WCF reads data members in alphabetical order: out-of-order members arrive empty.
		const names = Object.keys(challengeRequest).filter((key) => !key.startsWith('@_')).map((key) => key.split(':').pop() ?? '');
		const sorted = [...names].sort();
		if (names.join() !== sorted.join()) return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: challengeResult('InvalidCredentials', 'Feil rekkefølge') };
		const namespaceOk = Object.keys(challengeRequest)
			.filter((key) => !key.startsWith('@_'))
			.every((key) => key.startsWith('ns1:'));
		if (!namespaceOk) return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Feil navnerom') };
		const ssn = childText(challengeRequest, 'UserSSN') ?? '';
		const password = childText(challengeRequest, 'UserPassword') ?? '';
		const authMethod = childText(challengeRequest, 'AuthMethod') ?? '';
		const person = this.people.get(ssn);
		const reply = (status: string, message: string, from?: string, to?: string): Reply => ({
			status: 200,
			headers: { 'Content-Type': 'text/xml; charset=utf-8' },
			body: challengeResult(status, message, from, to),
		});
		if (this.soapFailure === 'unknownStatus') return reply('TemporarilyLocked', 'Brukeren er midlertidig låst');
		if (!person || person.password !== password) return reply('InvalidCredentials', 'Feil fødselsnummer eller passord.');
		if (!person.allowedPinTypes.includes(authMethod)) return reply('InvalidPinType', 'Ugyldig pinkodetype for brukeren.');
		if (authMethod === 'SMSPin' && !person.hasPhone) {
			return reply('NoPhoneNumber', 'Mobilnummer er ikke registrert på bruker. Registrer mobilnummer i Min profil på altinn.no');
		}
		// Five digits, above every port a fake listens on (the leak checks look for used PINs as whole numbers).
		const pin = String(randomInt(61000, 100000));
		const validFrom = new Date();
		const validTo = new Date(validFrom.getTime() + 30 * 60 * 1000);
		this.sentPins.push({ pin, ssn, validTo: validTo.getTime() });
		this.onPinSent?.(pin);
		const message = authMethod === 'SMSPin' ? 'Engangskode er sendt på SMS.' : 'Benytt engangskode 2 fra brev datert torsdag, 17. desember 2015';
		return reply('Ok', message, validFrom.toISOString(), validTo.toISOString());
	}

	private basicService(request: RecordedRequest): Reply {
		const failure = this.soapFailureReply();
		if (failure) return failure;
		if (!header(request, 'soapaction')) return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Mangler SOAPAction') };
		const document = this.parseEnvelope(request);
		if ('status' in document) return document as Reply;
		const body = findElement(document, 'Body');
		const operationName = body ? Object.keys(body).find((key) => !key.startsWith('@_')) : undefined;
		const operation = operationName ? (body?.[operationName] as XmlNode) : undefined;
		if (!operation || !operationName) return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(0, 'Tom forespørsel') };
		const value = (name: string) => childText(operation, name) ?? '';
		const person = this.people.get(value('userSSN'));
		const wrong = (): Reply => ({ status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(989, WRONG_LOGIN_NB) });
		if (!person || person.password !== value('userPassword')) return wrong();
		if (person.systemUserName && (person.systemUserName !== value('systemUserName') || person.systemPassword !== value('systemPassword'))) {
			return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: altinnFault(5, 'Autentisering av system feilet.') };
		}
		const pin = this.sentPins.find((issued) => issued.ssn === person.ssn && issued.pin === value('userPinCode'));
		if (!pin || pin.validTo < Date.now()) return wrong();
		// Each use extends the PIN by 30 minutes.
		pin.validTo = Date.now() + 30 * 60 * 1000;
		const localName = operationName.split(':').pop() ?? operationName;
		return {
			status: 200,
			headers: { 'Content-Type': 'text/xml; charset=utf-8' },
			body: envelope(
				`<${localName}Response xmlns="http://www.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10">` +
					`<${localName}Result xmlns:a="http://schemas.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10">` +
					`<a:ReporteeElementBEV2><a:ReporteeElementId>123456</a:ReporteeElementId><a:ServiceOwnerName>Skatteetaten</a:ServiceOwnerName>` +
					`<a:Title>Skattemelding 2026</a:Title><a:Reportee>${escapeXml(person.ssn)}</a:Reportee></a:ReporteeElementBEV2>` +
					`</${localName}Result></${localName}Response>`,
			),
		};
	}
}
