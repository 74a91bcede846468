/**
 * Altinn 2 REST password login: `POST /api/authentication/authenticatewithpassword` answers 200
 * with Set-Cookie headers, one of which is the auth cookie. Its name changed over time
 * (`.ASPXAUTH`, then `.AspxAuthProd` / `.AspxAuthTT02` / `.AspxAuthCloud`), so it is found by prefix.
 */
import { Cookie } from '../../../vendor/tough-cookie';

import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { bodyExcerpt, headerValues, joinUrl, looksLikeHtml, statusLine } from '../../shared/protocol/http';
import { requireLoginValues } from '../../shared/protocol/inputChecks';

export const ALTINN_BASE_URLS = {
	production: 'https://www.altinn.no',
	test: 'https://tt02.altinn.no',
} as const;

export const REST_LOGIN_ENDPOINT = '/api/authentication/authenticatewithpassword';

const AUTH_COOKIE_PREFIX = '.aspxauth';

export interface AltinnPasswordLogin {
	baseUrl: string;
	username: string;
	password: string;
	/** Altinn's key matrix says this call needs none; it is sent when configured. */
	apiKey?: string;
}

export interface AltinnAuthCookie {
	name: string;
	value: string;
	/** From the cookie's Expires/Max-Age; null when it is a session cookie. */
	expiresAt: Date | null;
}

/** Characters Altinn is reported to refuse in passwords (Maestro's user guide names ? @ # &). */
const DOUBTFUL_PASSWORD_CHARACTERS = /[?@#&%+<>"'\\]/;

export function hasCharactersAltinnMayRefuse(password: string): boolean {
	return DOUBTFUL_PASSWORD_CHARACTERS.test(password);
}

export function buildPasswordLoginRequest(login: AltinnPasswordLogin): HttpRequestSpec {
	requireLoginValues('Altinn API', { username: login.username, password: login.password });
	// The API key is optional, but it goes into a header: no line breaks either.
	if (login.apiKey) requireLoginValues('Altinn API', { 'API key': login.apiKey });
	const headers: Record<string, string> = {
		'Content-Type': 'application/hal+json',
		Accept: 'application/hal+json',
	};
	if (login.apiKey) headers.ApiKey = login.apiKey;
	return {
		method: 'POST',
		url: joinUrl(login.baseUrl, REST_LOGIN_ENDPOINT),
		headers,
		body: JSON.stringify({ UserName: login.username, UserPassword: login.password }),
		sendOnce: { service: 'Altinn', what: 'the login', mayHave: 'counted a failed login' },
	};
}

/** Altinn's newer endpoints answer `{"ErrorCode": 123, "ErrorMessage": "..."}`; older ones only a reason phrase. */
function altinnErrorMessage(answer: HttpAnswer): string | undefined {
	try {
		const parsed: unknown = JSON.parse(answer.body);
		if (typeof parsed === 'object' && parsed !== null) {
			const message = (parsed as Record<string, unknown>).ErrorMessage ?? (parsed as Record<string, unknown>).errorMessage;
			if (typeof message === 'string' && message.trim()) return message.trim();
		}
	} catch {
		// Not JSON: fall through to a text excerpt.
	}
	if (!answer.body.trim() || looksLikeHtml(answer)) return undefined;
	return bodyExcerpt(answer.body);
}

/**
 * The auth cookie among the Set-Cookie headers, or undefined. They are read as a browser would:
 * a later cookie of the same name replaces an earlier one, and an expired one deletes it.
 */
export function findAuthCookie(answer: HttpAnswer, now: Date): AltinnAuthCookie | undefined {
	const jar = new Map<string, AltinnAuthCookie>();
	for (const setCookie of headerValues(answer, 'set-cookie')) {
		const cookie = Cookie.parse(setCookie);
		if (!cookie || !cookie.key.toLowerCase().startsWith(AUTH_COOKIE_PREFIX)) continue;
		const expiry = cookie.expiryTime(now);
		const known = expiry !== undefined && Number.isFinite(expiry);
		if (!cookie.value || (known && expiry <= now.getTime())) {
			jar.delete(cookie.key);
			continue;
		}
		jar.delete(cookie.key);
		jar.set(cookie.key, { name: cookie.key, value: cookie.value, expiresAt: known ? new Date(expiry) : null });
	}
	// The most recently set auth cookie, should Altinn send it under more than one name.
	return [...jar.values()].pop();
}

export interface PasswordLoginContext {
	now: Date;
	/** Whether the password holds characters Altinn is known to refuse; shown as a hint, never the password. */
	passwordHasDoubtfulCharacters: boolean;
}

export function readPasswordLoginAnswer(answer: HttpAnswer, context: PasswordLoginContext): AltinnAuthCookie {
	const doubtfulHint = context.passwordHasDoubtfulCharacters
		? ' The password contains special characters (such as ? @ # &) that Altinn is known to refuse: if it is right, try a password with only letters and digits.'
		: '';
	if (answer.statusCode >= 200 && answer.statusCode < 300) {
		const cookie = findAuthCookie(answer, context.now);
		if (cookie) return cookie;
		if (looksLikeHtml(answer)) throw webPageProblem(answer);
		throw new LoginProblem({
			kind: 'rejected',
			message: `Altinn answered ${statusLine(answer)} but did not log in (no auth cookie was set)`,
			hint: `Check the username and password in the Altinn API credential.${doubtfulHint} The node does not retry, so the account is not locked by repeated attempts.`,
			httpCode: answer.statusCode,
			providerMessage: altinnErrorMessage(answer),
		});
	}
	const providerMessage = altinnErrorMessage(answer);
	if (answer.statusCode === 403) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Altinn refused the request (${statusLine(answer)})`,
			hint: 'Altinn answers 403 when the API key is missing, wrong or not allowed for this service: check the API Key in the Altinn API credential and that it is registered for this environment.',
			httpCode: 403,
			providerMessage,
		});
	}
	if (answer.statusCode >= 500) {
		throw new LoginProblem({
			kind: 'unavailable',
			message: `Altinn failed to log in (${statusLine(answer)})`,
			hint: 'Altinn has a problem. Try again later. Note that Altinn 2 services were announced to shut down on 19 June 2026.',
			httpCode: answer.statusCode,
			providerMessage,
		});
	}
	if (looksLikeHtml(answer)) throw webPageProblem(answer);
	throw new LoginProblem({
		kind: 'rejected',
		message: `Altinn did not log in (${statusLine(answer)})`,
		hint: `Check the username, password and API key in the Altinn API credential.${doubtfulHint} The node does not retry, so the account is not locked by repeated attempts.`,
		httpCode: answer.statusCode,
		providerMessage,
	});
}

function webPageProblem(answer: HttpAnswer): LoginProblem {
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn answered with a web page instead of logging in (${statusLine(answer)})`,
		hint: 'Check the environment or Base URL in the Altinn API credential.',
		httpCode: answer.statusCode,
	});
}

export function altinnRestHeaders(cookie: { name: string; value: string }, apiKey?: string): Record<string, string> {
	const headers: Record<string, string> = {
		Cookie: `${cookie.name}=${cookie.value}`,
		Accept: 'application/hal+json',
	};
	if (apiKey) headers.ApiKey = apiKey;
	return headers;
}
