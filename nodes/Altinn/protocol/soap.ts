/**
 * Altinn 2 SOAP ("Basic" binding): `GetAuthenticationChallenge` makes Altinn send a one-time PIN,
 * and Basic service operations take the login (SSN, passwords, PIN) in their own parameters.
 * Envelopes are built and read with fast-xml-parser, with its entity processing off; answers with
 * a DOCTYPE are refused before parsing, so no entity is ever expanded or fetched.
 */
import { XMLBuilder, XMLParser, XMLValidator } from '../../../vendor/fast-xml-parser';

import type { HttpAnswer, HttpRequestSpec, SendOnce } from '../../shared/protocol/http';
import { LOGIN_ANSWER_MAX_BYTES, bodyExcerpt, joinUrl, looksLikeHtml, statusLine, xmlEscape } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { refuseControlCharacters, requireLoginValues } from '../../shared/protocol/inputChecks';

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SYSTEM_AUTHENTICATION_NS = 'http://www.altinn.no/services/Authentication/SystemAuthentication/2009/10';
export const AUTHENTICATION_DATA_NS = 'http://schemas.altinn.no/services/Authentication/2009/10';
export const CHALLENGE_SERVICE_ENDPOINT = '/AuthenticationExternal/SystemAuthentication.svc';
export const GET_AUTHENTICATION_CHALLENGE_ACTION = `${SYSTEM_AUTHENTICATION_NS}/ISystemAuthenticationExternal/GetAuthenticationChallenge`;

export type AltinnAuthMethod = 'SMSPin' | 'AltinnPin';

/** A PIN is valid 30 minutes from the challenge (extended by each use, 8 hours at most). */
export const PIN_VALIDITY_MS = 30 * 60 * 1000;

/** What every Altinn 2 error that is not a documented answer says: the service is gone, and what replaced it. */
export const ALTINN2_RETIRED =
	'Altinn shut Altinn 2 down on 19 June 2026, so its password login and SOAP services no longer work at altinn.no or tt02.altinn.no: use Altinn Authenticate with an Altinn 3 system user (or Maskinporten) instead.';

export interface ChallengeLogin {
	baseUrl: string;
	authMethod: AltinnAuthMethod;
	/** The end-user system ID ("fagsystem-ID"); optional. */
	systemUserName?: string;
	userSsn: string;
	userPassword: string;
}

export interface ChallengeResult {
	status: 'Ok';
	/** Altinn's Norwegian text for the user, e.g. which code from the letter to use. */
	message: string;
	validFrom: string;
	validTo: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true });

/**
 * Service answers (reportee lists, forms, attachments in base64) can be large; this cap only stops
 * a runaway answer. The PIN request's answer is small and keeps the login cap.
 */
export const SERVICE_ANSWER_MAX_BYTES = 32 * 1024 * 1024;

type XmlObject = Record<string, unknown>;

const CDATA = '#cdata';

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes only what XML itself defines: the five predefined entities and character references.
 * One pass, so `&amp;lt;` becomes `&lt;` and nothing is decoded twice.
 */
export function decodeXmlReferences(text: string): string {
	return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (reference, decimal?: string, hex?: string, name?: string) => {
		if (name) return PREDEFINED_ENTITIES[name];
		const codePoint = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
		const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
		return valid ? String.fromCodePoint(codePoint) : reference;
	});
}

const parser = new XMLParser({
	ignoreAttributes: true,
	removeNSPrefix: true,
	// Keep every value a string: SSNs and PINs have leading zeros.
	parseTagValue: false,
	trimValues: true,
	// The parser's entity processing (DOCTYPE entities included) is off; the references XML
	// defines are decoded here instead, so no declared entity can ever be expanded.
	processEntities: false,
	htmlEntities: false,
	tagValueProcessor: (_tagName: string, value: string) => decodeXmlReferences(value),
	// CDATA is kept apart (so it is not decoded) and merged back into the text by mergeCdata.
	cdataPropName: CDATA,
});

/** Puts CDATA sections back into their element's text, as the document means them. */
function mergeCdata(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(mergeCdata);
	if (typeof value !== 'object' || value === null) return value;
	const merged: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) if (key !== CDATA) merged[key] = mergeCdata(entry);
	const cdata = (value as Record<string, unknown>)[CDATA];
	if (cdata === undefined) return merged;
	const text = `${typeof merged['#text'] === 'string' ? merged['#text'] : ''}${Array.isArray(cdata) ? cdata.join('') : String(cdata)}`;
	delete merged['#text'];
	return Object.keys(merged).length === 0 ? text : { ...merged, '#text': text };
}

function parseXml(body: string): XmlObject {
	return mergeCdata(parser.parse(body)) as XmlObject;
}

/** A SOAP call signed with a user's password and PIN: a failed one may count against the user's login attempts. */
export const SOAP_CALL_SENT_ONCE: SendOnce = { service: 'Altinn', what: 'the SOAP request', mayHave: 'used the PIN or counted a failed login' };

export function soapRequest(
	url: string,
	soapAction: string,
	envelope: string,
	maxResponseBytes: number = SERVICE_ANSWER_MAX_BYTES,
	sendOnce?: SendOnce,
): HttpRequestSpec {
	return {
		...(sendOnce ? { sendOnce } : {}),
		maxResponseBytes,
		method: 'POST',
		url,
		headers: {
			'Content-Type': 'text/xml; charset=utf-8',
			SOAPAction: `"${soapAction}"`,
			Accept: 'text/xml',
		},
		body: envelope,
	};
}

export function buildChallengeRequest(login: ChallengeLogin): HttpRequestSpec {
	// Checked before trimming: a pasted line break is refused, not silently dropped.
	requireLoginValues('Altinn SMS PIN API', { 'national ID number (SSN)': login.userSsn, 'user password': login.userPassword });
	if (login.systemUserName) requireLoginValues('Altinn SMS PIN API', { 'system ID': login.systemUserName });
	const userSsn = login.userSsn.trim();
	const systemUserName = (login.systemUserName ?? '').trim();
	if (login.authMethod !== 'SMSPin' && login.authMethod !== 'AltinnPin') {
		throw new LoginProblem({
			kind: 'badInput',
			message: `Unknown Altinn PIN type "${String(login.authMethod)}"`,
			hint: 'Open the Altinn SMS PIN API credential and choose SMS PIN or Altinn PIN (letter).',
		});
	}
	// WCF data contracts are order-sensitive: the children must stay in alphabetical order.
	const challengeRequest: Record<string, string> = { 'ns1:AuthMethod': login.authMethod };
	if (systemUserName) challengeRequest['ns1:SystemUserName'] = systemUserName;
	challengeRequest['ns1:UserPassword'] = login.userPassword;
	challengeRequest['ns1:UserSSN'] = userSsn;
	const envelope = builder.build({
		'soapenv:Envelope': {
			'@_xmlns:soapenv': SOAP_ENVELOPE_NS,
			'@_xmlns:ns': SYSTEM_AUTHENTICATION_NS,
			'@_xmlns:ns1': AUTHENTICATION_DATA_NS,
			'soapenv:Body': {
				'ns:GetAuthenticationChallenge': { 'ns:challengeRequest': challengeRequest },
			},
		},
	}) as string;
	return soapRequest(
		joinUrl(login.baseUrl, CHALLENGE_SERVICE_ENDPOINT),
		GET_AUTHENTICATION_CHALLENGE_ACTION,
		`<?xml version="1.0" encoding="utf-8"?>${envelope}`,
		LOGIN_ANSWER_MAX_BYTES,
		{ service: 'Altinn', what: 'the PIN request', mayHave: 'sent the SMS with the PIN' },
	);
}

function isObject(value: unknown): value is XmlObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
	if (typeof value === 'string') return value;
	if (isObject(value) && typeof value['#text'] === 'string') return value['#text'];
	return '';
}

/**
 * The parsed document, or why the XML (Altinn's answer, or a SOAP body to send) cannot be read. DOCTYPEs are refused outright. The
 * validator passes some documents the parser then refuses (an unclosed CDATA section after the root
 * element), so the parser's own failure is an unreadable answer too, never its raw error.
 */
function readXmlDocument(body: string): { document: XmlObject } | { problem: string } {
	if (/<!DOCTYPE|<!ENTITY/i.test(body)) return { problem: 'it contains a document type declaration, which is refused for safety' };
	const validation = XMLValidator.validate(body);
	if (validation !== true) return { problem: `it is not well-formed XML (line ${validation.err.line}: ${validation.err.msg})` };
	try {
		return { document: parseXml(body) };
	} catch {
		return { problem: 'it is not well-formed XML' };
	}
}

export interface AltinnFault {
	faultString: string;
	errorId?: number;
	errorMessage?: string;
	localizedErrorMessage?: string;
	errorGuid?: string;
}

/** The SOAP Body of an answer, or a problem explaining why there is none to read. */
function readEnvelopeBody(answer: HttpAnswer, what: string): XmlObject {
	const html = looksLikeHtml(answer);
	const parsed: { document: XmlObject } | { problem: string } = html
		? { problem: 'it is a web page' }
		: answer.body.trim()
			? readXmlDocument(answer.body)
			: { problem: 'it is empty' };
	if ('problem' in parsed) {
		throw new LoginProblem({
			kind: answer.statusCode >= 500 && !html ? 'unavailable' : 'unexpectedAnswer',
			message: html
				? `Altinn answered ${what} with a web page instead of SOAP (${statusLine(answer)})`
				: `Altinn's answer to ${what} cannot be read: ${parsed.problem} (${statusLine(answer)})`,
			hint:
				answer.statusCode >= 500
					? 'Altinn has a problem. Try again later. Note that Altinn 2 SOAP services were announced to shut down on 19 June 2026.'
					: 'Check the environment or Base URL in the credential and the endpoint address.',
			httpCode: answer.statusCode,
		});
	}
	const { document } = parsed;
	const envelope = document.Envelope;
	const body = isObject(envelope) ? envelope.Body : undefined;
	if (!isObject(body)) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's answer to ${what} is XML but not a SOAP envelope (${statusLine(answer)})`,
			hint: 'Check the environment or Base URL in the credential and the endpoint address.',
			httpCode: answer.statusCode,
		});
	}
	return body;
}

export function readFault(body: XmlObject): AltinnFault | undefined {
	const fault = body.Fault;
	if (!isObject(fault)) return undefined;
	const detail = isObject(fault.detail) ? fault.detail : isObject(fault.Detail) ? fault.Detail : {};
	const altinn = isObject(detail.AltinnFault) ? detail.AltinnFault : undefined;
	const faultString = text(fault.faultstring) || text(fault.Reason) || 'SOAP fault';
	if (!altinn) return { faultString };
	const errorIdText = text(altinn.ErrorID).trim();
	return {
		faultString,
		errorId: /^-?\d+$/.test(errorIdText) ? Number(errorIdText) : undefined,
		errorMessage: text(altinn.AltinnErrorMessage) || undefined,
		localizedErrorMessage: text(altinn.AltinnLocalizedErrorMessage) || undefined,
		errorGuid: text(altinn.ErrorGuid) || undefined,
	};
}

/** Turns an Altinn fault into a problem. `during` says whether a PIN was being requested or used. */
export function faultProblem(fault: AltinnFault, httpCode: number, during: 'challenge' | 'service'): LoginProblem {
	const providerMessage = fault.localizedErrorMessage ?? fault.errorMessage ?? fault.faultString;
	const id = fault.errorId;
	if (id === 0 || id === 989) {
		return new LoginProblem({
			kind: 'rejected',
			message:
				during === 'service'
					? `Altinn refused the login (error ${id}): the PIN is wrong, used up or expired, or the national ID number or password is wrong`
					: `Altinn refused the login (error ${id}): wrong national ID number or password, or the user is locked`,
			hint:
				during === 'service'
					? 'Request a new PIN with Altinn SMS Challenge and use it within 30 minutes. If a new PIN fails too, check the credential. Nothing is retried, so the account is not locked by repeated attempts.'
					: 'Check the national ID number and password in the Altinn SMS PIN API credential, and that the user is not locked in Altinn. Nothing is retried, so the account is not locked by repeated attempts.',
			httpCode,
			providerMessage,
		});
	}
	if (id === 5) {
		return new LoginProblem({
			kind: 'rejected',
			message: 'Altinn refused the system login (error 5): wrong system ID or system password',
			hint: 'Check the System ID (fagsystem-ID) and System Password in the Altinn SMS PIN API credential; they are registered under Advanced settings in Altinn.',
			httpCode,
			providerMessage,
		});
	}
	const shown = fault.errorMessage ?? fault.faultString;
	return new LoginProblem({
		kind: httpCode >= 500 && id === undefined ? 'unavailable' : 'rejected',
		message: `Altinn returned a SOAP fault${id === undefined ? '' : ` (error ${id})`}: ${shown}`,
		hint: 'Read Altinn\'s message below; check the request and the credential. Nothing is retried.',
		httpCode,
		// A fault without Altinn's detail has only its fault string, which the message already shows.
		providerMessage: fault.localizedErrorMessage ?? fault.errorMessage,
	});
}

const CHALLENGE_STATUS_PROBLEMS: Record<string, { message: string; hint: string; kind: 'rejected' | 'badInput' }> = {
	InvalidCredentials: {
		kind: 'rejected',
		message: 'Altinn refused the national ID number or password (InvalidCredentials)',
		hint: 'Check the national ID number and password in the Altinn SMS PIN API credential, and that the user allows login from applications with username and password (Advanced settings in Altinn). Nothing is retried, so the account is not locked by repeated attempts.',
	},
	NoPhoneNumber: {
		kind: 'rejected',
		message: 'Altinn has no mobile phone number for this user, so it cannot send a PIN (NoPhoneNumber)',
		hint: 'Register a mobile phone number in the user\'s profile on altinn.no, or use Altinn PIN (letter) as the PIN type.',
	},
	InvalidPinType: {
		kind: 'badInput',
		message: 'Altinn does not accept this PIN type for the user (InvalidPinType)',
		hint: 'Open the Altinn SMS PIN API credential and choose another PIN type (SMS PIN or Altinn PIN).',
	},
};

export function readChallengeAnswer(answer: HttpAnswer): ChallengeResult {
	const body = readEnvelopeBody(answer, 'the PIN request');
	const fault = readFault(body);
	if (fault) throw faultProblem(fault, answer.statusCode, 'challenge');
	const response = body.GetAuthenticationChallengeResponse;
	const result = isObject(response) ? response.GetAuthenticationChallengeResult : undefined;
	if (!isObject(result)) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's answer to the PIN request has no GetAuthenticationChallengeResult (${statusLine(answer)})`,
			hint: 'Check the environment or Base URL in the credential.',
			httpCode: answer.statusCode,
		});
	}
	const status = text(result.Status).trim();
	const message = text(result.Message).trim();
	if (status === 'Ok' && answer.statusCode === 200) {
		return { status: 'Ok', message, validFrom: text(result.ValidFrom).trim(), validTo: text(result.ValidTo).trim() };
	}
	// Own keys only: a status such as "toString" is unknown, not Object.prototype's.
	const known = Object.hasOwn(CHALLENGE_STATUS_PROBLEMS, status) ? CHALLENGE_STATUS_PROBLEMS[status] : undefined;
	if (known) throw new LoginProblem({ ...known, httpCode: answer.statusCode, providerMessage: message || undefined });
	throw new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn answered the PIN request with an unknown status "${status || '(empty)'}" (${statusLine(answer)})`,
		hint: 'No PIN can be assumed to have been sent. Read Altinn\'s message below and try again later.',
		httpCode: answer.statusCode,
		providerMessage: message || undefined,
	});
}

/** A look at the authentication service's description: it answers without anyone being sent a PIN. */
export function buildServiceCheckRequest(baseUrl: string): HttpRequestSpec {
	return { method: 'GET', url: `${joinUrl(baseUrl, CHALLENGE_SERVICE_ENDPOINT)}?wsdl`, headers: { Accept: 'text/xml' } };
}

/** The service description is XML: anything else means the address is wrong or the service is gone. */
export function readServiceCheckAnswer(answer: HttpAnswer): void {
	if (answer.statusCode === 200 && !looksLikeHtml(answer) && /<(\w+:)?definitions[\s>/]/.test(answer.body)) return;
	throw new LoginProblem({
		kind: answer.statusCode >= 500 ? 'unavailable' : 'unexpectedAnswer',
		message: `Altinn's SMS PIN authentication service did not answer as expected at this address (${statusLine(answer)})`,
		hint: `${ALTINN2_RETIRED} Check the environment or Base URL in the credential if you use a sandbox or proxy.`,
		httpCode: answer.statusCode,
	});
}

/** The placeholders the Altinn SOAP Request node fills in from the credential and the PIN item. */
export const SOAP_PLACEHOLDERS = [
	'systemUserName',
	'systemPassword',
	'userSSN',
	'userPassword',
	'userPinCode',
	'authMethod',
] as const;

export type SoapPlaceholder = (typeof SOAP_PLACEHOLDERS)[number];

/** How errors name a placeholder's value, never showing it. */
const PLACEHOLDER_LABELS: Record<SoapPlaceholder, string> = {
	systemUserName: 'system ID',
	systemPassword: 'system password',
	userSSN: 'national ID number (SSN)',
	userPassword: 'user password',
	userPinCode: 'PIN',
	authMethod: 'PIN type',
};

const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/**
 * Fills the placeholders, XML-escaped, so that no value can change the envelope's structure.
 * The template is checked for well-formedness with harmless stand-ins first, so an error about a
 * broken template can never quote a secret.
 */
export function fillSoapTemplate(template: string, values: Record<SoapPlaceholder, string>): string {
	const unknown = new Set<string>();
	const withStandIns = template.replace(PLACEHOLDER_PATTERN, (_match, name: string) => {
		if (!(SOAP_PLACEHOLDERS as readonly string[]).includes(name)) unknown.add(name);
		return 'x';
	});
	if (unknown.size > 0) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The SOAP body uses unknown placeholders: ${[...unknown].map((name) => `{{${name}}}`).join(', ')}`,
			hint: `The placeholders this node fills in are ${SOAP_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}.`,
		});
	}
	refuseControlCharacters(
		'Altinn SMS PIN API',
		Object.fromEntries(
			[...template.matchAll(PLACEHOLDER_PATTERN)].map(([, name]) => [PLACEHOLDER_LABELS[name as SoapPlaceholder], values[name as SoapPlaceholder]]),
		),
	);
	const checked = readXmlDocument(withStandIns);
	if ('problem' in checked) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The SOAP body cannot be sent: ${checked.problem}`,
			hint: 'Fix the XML in the SOAP Body parameter. Keep the placeholders as they are; they are filled in when the request is sent.',
		});
	}
	return template.replace(PLACEHOLDER_PATTERN, (_match, name: SoapPlaceholder) => xmlEscape(values[name] ?? ''));
}

export type SoapResponseFormat = 'json' | 'xml';

/** The answer of a Basic service operation: the Body's content as JSON, or the raw XML. */
export function readServiceAnswer(answer: HttpAnswer, format: SoapResponseFormat): Record<string, unknown> {
	const body = readEnvelopeBody(answer, 'the SOAP request');
	const fault = readFault(body);
	if (fault) throw faultProblem(fault, answer.statusCode, 'service');
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw new LoginProblem({
			kind: answer.statusCode >= 500 ? 'unavailable' : 'unexpectedAnswer',
			message: `Altinn answered the SOAP request with ${statusLine(answer)}`,
			hint: 'Check the endpoint, the SOAP action and the body.',
			httpCode: answer.statusCode,
			providerMessage: bodyExcerpt(answer.body) || undefined,
		});
	}
	return format === 'xml' ? { xml: answer.body } : body;
}

/**
 * The address a SOAP request goes to: a path under the credential's environment, or a full URL
 * on the same host. Another host is refused, so the SSN and passwords never travel elsewhere.
 */
export function resolveSoapEndpoint(baseUrl: string, endpoint: string): string {
	const trimmed = endpoint.trim();
	if (!trimmed) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'No SOAP endpoint given',
			hint: 'Set Endpoint to a path such as /ServiceEngineExternal/ReporteeElementListExternalBasic.svc.',
		});
	}
	if (!/^https?:\/\//i.test(trimmed)) return joinUrl(baseUrl, trimmed);
	const target = new URL(trimmed);
	const base = new URL(baseUrl);
	if (target.origin !== base.origin) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The endpoint ${target.origin} is not the Altinn environment of the credential (${base.origin})`,
			hint: 'The national ID number and passwords are only sent to the credential\'s own Altinn host: use a path, or change the credential\'s environment.',
		});
	}
	return trimmed;
}
