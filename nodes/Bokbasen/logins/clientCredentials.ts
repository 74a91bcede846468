/**
 * Bokbasen OAuth2 client credentials: client ID and secret buy a Bearer token for one audience
 * (one Bokbasen API). Used by Boknett Ticket (Get OAuth2 Token) and the Bokbasen OAuth2 API
 * credential's preAuthentication and Test button.
 */
import type { LoginModule } from '../../shared/loginModule';
import { resolveBaseUrl } from '../../shared/protocol/inputChecks';
import { bearerHeaders } from '../../shared/protocol/oauth2';
import { makeTokenItem } from '../../shared/tokenItem';
import { BOKBASEN_AUTH_BASE_URLS, bokbasenApiBaseUrl, buildClientCredentialsRequest, readClientCredentialsAnswer } from '../protocol/clientCredentials';

export interface BokbasenOAuth2Credential {
	environment: string;
	baseUrl?: string;
	clientId: string;
	clientSecret: string;
	audience: string;
}

export const bokbasenClientCredentialsLogin: LoginModule<BokbasenOAuth2Credential> = {
	provider: 'bokbasen',
	credentialType: 'bokbasenOAuth2Api',
	secrets: (credential) => [credential.clientSecret],
	async login({ send, now }, client) {
		const authBaseUrl = resolveBaseUrl(client.environment, client.baseUrl, BOKBASEN_AUTH_BASE_URLS, 'Bokbasen');
		const obtainedAt = now();
		const answer = await send(
			buildClientCredentialsRequest({ authBaseUrl, clientId: client.clientId, clientSecret: client.clientSecret, audience: client.audience }),
		);
		const token = readClientCredentialsAnswer(answer, obtainedAt);
		return makeTokenItem({
			provider: 'bokbasen',
			environment: client.environment,
			apiBaseUrl: bokbasenApiBaseUrl(client.environment, authBaseUrl, client.audience),
			token: token.accessToken,
			headers: bearerHeaders(token.accessToken),
			obtainedAt,
			expiresAt: token.expiresAt,
			extra: { audience: client.audience.trim() },
		});
	},
	session: { field: 'sessionToken', value: (token) => token.token },
};
