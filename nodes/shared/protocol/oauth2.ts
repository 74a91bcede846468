/**
 * The OAuth2 token endpoint answer (RFC 6749 §5) shared by Maskinporten and Bokbasen:
 * `{access_token, token_type, expires_in, scope}` on success, `{error, error_description}` on failure.
 */
import type { HttpAnswer } from './http';
import { LoginProblem } from './loginProblem';
import { looksLikeHtml, statusLine, textExcerpt } from './http';
import { hasControlCharacters } from './inputChecks';
import type { JsonRecord } from './json';
import { isJsonRecord } from './json';

export interface OAuth2Token {
	accessToken: string;
	expiresAt: Date | null;
	scope?: string;
}

export interface OAuth2ServiceText {
	/** The service as users know it, e.g. "Maskinporten". */
	serviceName: string;
	/** What to check when the client is refused (400 invalid_client/invalid_grant, 401). */
	rejectedHint: string;
	/** What to check on 403 or invalid_scope/unauthorized_client: the client exists but may not have this. */
	notAllowedHint: string;
}

function parseJsonObject(body: string): JsonRecord | undefined {
	try {
		const parsed: unknown = JSON.parse(body);
		return isJsonRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** An OAuth2 error answer's `error` and `error_description` (RFC 6749 §5.2), as given; empty when the body is not one. */
export function oauthErrorOf(answer: HttpAnswer): { error?: string; description?: string } {
	const json = parseJsonObject(answer.body);
	if (!json) return {};
	return {
		error: typeof json.error === 'string' ? json.error : undefined,
		description: typeof json.error_description === 'string' ? json.error_description : undefined,
	};
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

const NOT_ALLOWED_ERRORS = new Set(['invalid_scope', 'unauthorized_client', 'access_denied']);

export function readOAuth2TokenAnswer(answer: HttpAnswer, service: OAuth2ServiceText, now: Date): OAuth2Token {
	const json = parseJsonObject(answer.body);
	const ok = answer.statusCode >= 200 && answer.statusCode < 300;
	const errorCode = json ? text(json.error) : undefined;
	const providerMessage = json
		? [errorCode, text(json.error_description)].filter(Boolean).join(': ') || undefined
		: undefined;

	if (!ok || errorCode) {
		const code = answer.statusCode;
		if (code >= 500 && !errorCode) {
			throw new LoginProblem({
				kind: 'unavailable',
				message: `${service.serviceName} failed to answer (${statusLine(answer)})`,
				hint: 'The service has a problem. Try again later.',
				httpCode: code,
				providerMessage: providerMessage ?? textExcerpt(answer),
			});
		}
		// 401 is always about the client itself (Auth0 says "access_denied" there too); 403 and scope errors mean it lacks a grant.
		const notAllowed = code !== 401 && (code === 403 || (errorCode !== undefined && NOT_ALLOWED_ERRORS.has(errorCode)));
		if (notAllowed) {
			throw new LoginProblem({
				kind: 'rejected',
				message: `${service.serviceName} did not give this client access (${statusLine(answer)})`,
				hint: service.notAllowedHint,
				httpCode: code,
				providerMessage,
			});
		}
		if (code === 400 || code === 401 || errorCode) {
			throw new LoginProblem({
				kind: 'rejected',
				message: `${service.serviceName} refused the login (${statusLine(answer)})`,
				hint: `${service.rejectedHint} The node does not retry a refused login.`,
				httpCode: code,
				providerMessage,
			});
		}
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${service.serviceName} answered with an unexpected status (${statusLine(answer)})`,
			hint: 'Check the environment or token address in the credential.',
			httpCode: code,
			providerMessage: providerMessage ?? textExcerpt(answer),
		});
	}
	if (!json) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: looksLikeHtml(answer)
				? `${service.serviceName} answered with a web page instead of a token (${statusLine(answer)})`
				: `${service.serviceName}'s answer is not valid JSON (${statusLine(answer)})`,
			hint: 'Check the environment or token address in the credential; a proxy or a login page may be in the way.',
			httpCode: answer.statusCode,
		});
	}
	const accessToken = text(json.access_token);
	if (!accessToken) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${service.serviceName} answered without an access token`,
			hint: 'Check the environment or token address in the credential.',
			httpCode: answer.statusCode,
		});
	}
	if (hasControlCharacters(accessToken)) {
		// It goes into the next node's Authorization header, where a line break would add headers of its own.
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${service.serviceName} sent a token with a line break or another control character`,
			hint: 'The answer was changed on the way or the address is not the real service: check the environment or token address, and any proxy that changes answers.',
			httpCode: answer.statusCode,
		});
	}
	const tokenType = text(json.token_type);
	if (tokenType && tokenType.toLowerCase() !== 'bearer') {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `${service.serviceName} sent a token of type "${tokenType}", not a Bearer token`,
			hint: 'This node only handles Bearer tokens. Check the environment or token address in the credential.',
			httpCode: answer.statusCode,
		});
	}
	const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(text(json.expires_in));
	const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null;
	return { accessToken, expiresAt, scope: text(json.scope) };
}

/** `Authorization: Bearer …`, the header every OAuth2-protected API takes. */
export function bearerHeaders(accessToken: string): Record<string, string> {
	return { Authorization: `Bearer ${accessToken}` };
}
