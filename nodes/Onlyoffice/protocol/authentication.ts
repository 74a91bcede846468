/**
 * ONLYOFFICE (Workspace/Community Server and DocSpace) login: `POST {portal}/api/2.0/authentication`
 * answers a token, or asks for a second factor (`sms` or `tfa`). Later calls send the token as is in
 * `Authorization`.
 */
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { joinUrl, looksLikeHtml, statusLine, textExcerpt } from '../../shared/protocol/http';
import { httpUrlWithoutTrailingSlash, requireLoginValues, hasControlCharacters } from '../../shared/protocol/inputChecks';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord as isRecord } from '../../shared/protocol/json';

export interface OnlyofficeLogin {
	portalUrl: string;
	username: string;
	password: string;
}

export type OnlyofficeAnswer =
	| { kind: 'token'; token: string; expiresAt: Date | null }
	| { kind: 'secondFactor'; method: 'sms' | 'tfa'; phoneNoise?: string; codeExpiresAt?: Date | null };

export function resolvePortalUrl(portalUrl: string): string {
	const resolved = httpUrlWithoutTrailingSlash(portalUrl);
	if (resolved) return resolved;
	throw new LoginProblem({
		kind: 'badInput',
		message: "The ONLYOFFICE credential's Portal URL is not a valid http(s) address",
		hint: "Open the ONLYOFFICE API credential and enter your portal's address, e.g. https://yourportal.onlyoffice.com.",
	});
}

export function buildAuthenticationRequest(login: OnlyofficeLogin): HttpRequestSpec {
	requireLoginValues('ONLYOFFICE API', { username: login.username, password: login.password });
	return {
		method: 'POST',
		url: joinUrl(resolvePortalUrl(login.portalUrl), '/api/2.0/authentication'),
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ userName: login.username, password: login.password }),
		// An SMS account is sent a code by this request.
		sendOnce: { service: 'The ONLYOFFICE portal', what: 'the login', mayHave: 'sent an SMS code or counted a failed login' },
	};
}

/** Reads a field whatever its casing: older docs print `Token`/`Expires`, servers send `token`/`expires`. */
function field(record: JsonRecord, name: string): unknown {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

function parseDate(value: unknown): Date | null {
	if (typeof value !== 'string' || !value.trim()) return null;
	const parsed = new Date(value);
	// ONLYOFFICE writes "0001-01-01T00:00:00" for "no expiry" on some versions.
	if (Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < 1971) return null;
	return parsed;
}

function parseJson(answer: HttpAnswer): JsonRecord | undefined {
	try {
		const parsed: unknown = JSON.parse(answer.body);
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function providerErrorMessage(json: JsonRecord | undefined): string | undefined {
	if (!json) return undefined;
	const error = field(json, 'error');
	if (isRecord(error)) {
		const message = field(error, 'message');
		if (typeof message === 'string' && message.trim()) return message.trim();
	}
	const message = field(json, 'message');
	return typeof message === 'string' && message.trim() ? message.trim() : undefined;
}

const CHECK_CREDENTIALS =
	'Check the username (e-mail) and password in the ONLYOFFICE API credential. The node does not retry, so the account is not locked by repeated attempts.';

export function readAuthenticationAnswer(answer: HttpAnswer): OnlyofficeAnswer {
	const json = parseJson(answer);
	const ok = answer.statusCode === 200 || answer.statusCode === 201;
	if (!json) {
		// A failing portal or proxy often sends an empty or HTML body: its status says more.
		if (answer.statusCode >= 500) throw failureFor(answer, undefined);
		const html = looksLikeHtml(answer);
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: html
				? `The ONLYOFFICE portal answered with a web page instead of JSON (${statusLine(answer)})`
				: `The ONLYOFFICE portal's answer is not valid JSON (${statusLine(answer)})`,
			hint: html
				? 'Check the Portal URL in the credential: it must be the portal itself, not a login or maintenance page.'
				: 'The portal or a proxy in front of it sent a broken answer. Try again later; if it persists, check the Portal URL.',
			httpCode: answer.statusCode,
			providerMessage: textExcerpt(answer),
		});
	}
	const providerMessage = providerErrorMessage(json);
	if (!ok) throw failureFor(answer, providerMessage);

	const response = field(json, 'response');
	if (!isRecord(response)) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: 'The ONLYOFFICE portal\'s answer has no "response" object',
			hint: 'Check that the Portal URL points at an ONLYOFFICE Workspace or DocSpace portal.',
			httpCode: answer.statusCode,
			providerMessage,
		});
	}
	const token = field(response, 'token');
	if (typeof token === 'string' && hasControlCharacters(token)) {
		// The token goes into the next node's Authorization header, where a line break would split it.
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: 'The ONLYOFFICE portal sent a token with a line break or another control character',
			hint: 'Check that the Portal URL points at an ONLYOFFICE portal and not at a proxy that changes answers.',
			httpCode: answer.statusCode,
		});
	}
	if (typeof token === 'string' && token.trim()) {
		return { kind: 'token', token: token.trim(), expiresAt: parseDate(field(response, 'expires')) };
	}
	if (field(response, 'sms') === true) {
		const phoneNoise = field(response, 'phoneNoise');
		return {
			kind: 'secondFactor',
			method: 'sms',
			phoneNoise: typeof phoneNoise === 'string' ? phoneNoise : undefined,
			codeExpiresAt: parseDate(field(response, 'expires')),
		};
	}
	if (field(response, 'tfa') === true) return { kind: 'secondFactor', method: 'tfa' };
	throw new LoginProblem({
		kind: 'unexpectedAnswer',
		message: 'The ONLYOFFICE portal accepted the request but sent no token',
		hint: 'Check that the Portal URL points at an ONLYOFFICE portal and that the account may use the API.',
		httpCode: answer.statusCode,
		providerMessage,
	});
}

function failureFor(answer: HttpAnswer, providerMessage: string | undefined): LoginProblem {
	const code = answer.statusCode;
	const authenticationFailed = /authentication failed|invalid username or password/i.test(providerMessage ?? '');
	if (code === 401 || authenticationFailed) {
		return new LoginProblem({
			kind: 'rejected',
			message: `ONLYOFFICE refused the username or password (${statusLine(answer)})`,
			hint: CHECK_CREDENTIALS,
			httpCode: code,
			providerMessage,
		});
	}
	if (code === 403) {
		return new LoginProblem({
			kind: 'rejected',
			message: `ONLYOFFICE did not let this user log in (${statusLine(answer)})`,
			hint: 'The user may be disabled, or there were too many attempts: wait before trying again, and check the user in the portal\'s settings.',
			httpCode: code,
			providerMessage,
		});
	}
	if (code === 404) {
		return new LoginProblem({
			kind: 'rejected',
			message: `ONLYOFFICE does not know this user, or the portal address is wrong (${statusLine(answer)})`,
			hint: 'Check the username (e-mail) and the Portal URL in the ONLYOFFICE API credential.',
			httpCode: code,
			providerMessage,
		});
	}
	return new LoginProblem({
		kind: code >= 500 ? 'unavailable' : 'unexpectedAnswer',
		message: `The ONLYOFFICE portal failed to log in (${statusLine(answer)})`,
		hint: code >= 500 ? 'The portal has a problem. Try again later.' : 'Check the Portal URL in the credential.',
		httpCode: code,
		providerMessage,
	});
}

/**
 * The token of an answer; an answer that still asks for a second factor is a failure here, with a
 * hint that says how this node can complete it.
 */
export function requireToken(answer: OnlyofficeAnswer): { token: string; expiresAt: Date | null } {
	if (answer.kind === 'token') return answer;
	throw requireTokenProblem(answer.method);
}

/** Why a login that asks for this second factor gives no token here, and how the node completes it. */
export function requireTokenProblem(method: 'sms' | 'tfa'): LoginProblem {
	return new LoginProblem({
		kind: 'secondFactorRequired',
		message:
			method === 'sms'
				? 'This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code'
				: 'This ONLYOFFICE account requires two-factor login with an authenticator app',
		hint:
			method === 'sms'
				? 'Set this node\'s "SMS Code" parameter to "Wait for the Code", and add a second ONLYOFFICE Auth node with the operation "Wait for SMS Code" after a step that sends the code page to a person.'
				: 'Add the authenticator secret (the key shown when two-factor login was set up) to the ONLYOFFICE API credential, so the node computes the code itself.',
	});
}

/** ONLYOFFICE's codes: 6 digits by SMS or app; up to 8 allowed for portals set up that way. */
export const ONLYOFFICE_CODE_RULE = { pattern: /^\d{6,8}$/, description: '6 digits' };

/** Completes a two-factor login: the same credentials, with the code in the path. */
export function buildCodeConfirmationRequest(login: OnlyofficeLogin, code: string): HttpRequestSpec {
	if (!ONLYOFFICE_CODE_RULE.pattern.test(code)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The two-factor code must be ${ONLYOFFICE_CODE_RULE.description}`,
			hint: 'Enter the code exactly as the SMS or the authenticator app shows it.',
		});
	}
	const request = buildAuthenticationRequest(login);
	return {
		...request,
		url: `${request.url}/${code}`,
		sendOnce: { service: 'The ONLYOFFICE portal', what: 'the two-factor code', mayHave: 'used up the code or counted a failed login' },
	};
}

/** Reads the answer to a code confirmation: a token, or a refusal of the code (which is not retried). */
export function readCodeConfirmationAnswer(answer: HttpAnswer, codeSource: 'sms' | 'authenticator'): { token: string; expiresAt: Date | null } {
	const code = answer.statusCode;
	if (code === 400 || code === 401 || code === 403) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `ONLYOFFICE refused the two-factor code (${statusLine(answer)})`,
			hint:
				codeSource === 'authenticator'
					? 'Check the authenticator secret in the ONLYOFFICE API credential and that the n8n server\'s clock is right (codes change every 30 seconds). The node does not retry, so the account is not locked.'
					: 'The code may be mistyped, used or older than 10 minutes. Type it again if it was mistyped (the portal allows 5 tries); if it is used or too old, start the login again to get a new SMS code.',
			httpCode: code,
			providerMessage: providerErrorMessage(parseJson(answer)),
		});
	}
	const result = readAuthenticationAnswer(answer);
	if (result.kind === 'token') return result;
	throw new LoginProblem({
		kind: 'unexpectedAnswer',
		message: 'ONLYOFFICE asked for a second factor again after the code was sent',
		hint: 'The code was probably not accepted. Start the login again; if it persists, check the two-factor settings of the account.',
		httpCode: code,
	});
}

export function onlyofficeAuthorizationHeaders(token: string): Record<string, string> {
	return { Authorization: token };
}


/** `POST /api/2.0/authentication/logout`: ends the session of a token, so nobody can use it any more. */
export function buildLogoutRequest(portalUrl: string, token: string): HttpRequestSpec {
	const trimmed = token.trim();
	if (!trimmed || hasControlCharacters(trimmed)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'No ONLYOFFICE token to log out',
			hint: 'Leave Token empty to end the token this credential has from earlier logins, or give the token of a Log In item, e.g. {{ $json.token }}.',
		});
	}
	return {
		method: 'POST',
		url: joinUrl(resolvePortalUrl(portalUrl), '/api/2.0/authentication/logout'),
		headers: { ...onlyofficeAuthorizationHeaders(trimmed), Accept: 'application/json' },
	};
}

/** A logout's answer: ended, or already over (the portal no longer knew the token); anything else is a failure. */
export function readLogoutAnswer(answer: HttpAnswer): { loggedOut: true; alreadyEnded: boolean } {
	if (answer.statusCode >= 200 && answer.statusCode <= 204) return { loggedOut: true, alreadyEnded: false };
	if (answer.statusCode === 401) return { loggedOut: true, alreadyEnded: true };
	throw new LoginProblem({
		kind: answer.statusCode >= 500 ? 'unavailable' : 'unexpectedAnswer',
		message: `The ONLYOFFICE portal failed to log out (${statusLine(answer)})`,
		hint: answer.statusCode >= 500 ? 'The portal has a problem. Try again later: the token stays valid until then.' : 'Check the Portal URL in the credential.',
		httpCode: answer.statusCode,
		providerMessage: providerErrorMessage(parseJson(answer)),
	});
}
