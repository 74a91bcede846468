/**
 * Altinn 2 REST password login: username and password buy an auth cookie (Altinn 2 was shut down
 * on 19 June 2026; kept for existing workflows). Used by Altinn Authenticate (version 1, or the
 * Altinn API credential), the credential's preAuthentication and its Test button.
 */
import type { LoginModule } from '../../shared/loginModule';
import { resolveBaseUrl } from '../../shared/protocol/inputChecks';
import { makeTokenItem } from '../../shared/tokenItem';
import {
	ALTINN_BASE_URLS,
	altinnRestHeaders,
	buildPasswordLoginRequest,
	hasCharactersAltinnMayRefuse,
	readPasswordLoginAnswer,
} from '../protocol/rest';
import { altinn2Step } from './smsPin';

export interface AltinnPasswordCredential {
	environment: string;
	baseUrl?: string;
	apiKey?: string;
	username: string;
	password: string;
}

export const altinnPasswordLogin: LoginModule<AltinnPasswordCredential> = {
	provider: 'altinn',
	// A refused password counts as a failed login: held, never resent.
	reachesPerson: true,
	credentialType: 'altinnApi',
	// The username may be a national ID number.
	secrets: (credential) => [credential.password, credential.apiKey, credential.username],
	async login({ send, now }, credential) {
		const baseUrl = resolveBaseUrl(credential.environment, credential.baseUrl, ALTINN_BASE_URLS, 'Altinn');
		const obtainedAt = now();
		const cookie = await altinn2Step(credential.environment, async () =>
			readPasswordLoginAnswer(
				await send(buildPasswordLoginRequest({ baseUrl, username: credential.username, password: credential.password, apiKey: credential.apiKey })),
				{ now: obtainedAt, passwordHasDoubtfulCharacters: hasCharactersAltinnMayRefuse(credential.password) },
			),
		);
		return makeTokenItem({
			provider: 'altinn',
			environment: credential.environment,
			apiBaseUrl: baseUrl,
			token: cookie.value,
			headers: altinnRestHeaders(cookie, credential.apiKey),
			obtainedAt,
			expiresAt: cookie.expiresAt,
			extra: { cookieName: cookie.name },
		});
	},
	session: { field: 'sessionCookie', value: (token) => `${String(token.cookieName)}=${token.token}` },
};
