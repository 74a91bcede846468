/**
 * Bokbasen's current login, replacing Boknett tickets for new services: OAuth2 client credentials
 * at `{auth}/oauth/token` for one audience (the API, e.g. https://api.bokbasen.io/metadata/).
 * Later calls send `Authorization: Bearer …` and no `Date` header.
 */
import { requireLoginValues } from '../../shared/protocol/inputChecks';
import type { OAuth2Token } from '../../shared/protocol/oauth2';
import { readOAuth2TokenAnswer } from '../../shared/protocol/oauth2';
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { joinUrl } from '../../shared/protocol/http';

export const BOKBASEN_AUTH_BASE_URLS = {
	production: 'https://auth.bokbasen.io',
	stage: 'https://auth.stage.bokbasen.io',
} as const;

export const DEFAULT_BOKBASEN_AUDIENCE = 'https://api.bokbasen.io/metadata/';

/**
 * Where the API a token is for lives: Bokbasen names each API by its address (the audience), so in
 * production and stage that is the audience itself; at a custom address (a proxy or a sandbox serving
 * both login and APIs) it is the audience's path there. Null when the audience is no http(s) address.
 */
export function bokbasenApiBaseUrl(environment: string, authBaseUrl: string, audience: string): string | null {
	let api: URL;
	try {
		api = new URL(audience.trim());
	} catch {
		return null;
	}
	if (api.protocol !== 'https:' && api.protocol !== 'http:') return null;
	if (environment !== 'custom') return api.toString();
	return new URL(api.pathname, `${authBaseUrl.replace(/\/+$/, '')}/`).toString();
}

export interface BokbasenClient {
	authBaseUrl: string;
	clientId: string;
	clientSecret: string;
	audience: string;
}

export function buildClientCredentialsRequest(client: BokbasenClient): HttpRequestSpec {
	requireLoginValues('Bokbasen OAuth2 API', {
		'client ID': client.clientId,
		'client secret': client.clientSecret,
		audience: client.audience,
	});
	if (!/^https?:\/\//i.test(client.audience.trim())) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The audience in the Bokbasen OAuth2 API credential is not an address',
			hint: 'Enter the API you were given access to, e.g. https://api.bokbasen.io/metadata/.',
		});
	}
	return {
		method: 'POST',
		url: joinUrl(client.authBaseUrl, '/oauth/token'),
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({
			client_id: client.clientId,
			client_secret: client.clientSecret,
			audience: client.audience.trim(),
			grant_type: 'client_credentials',
		}),
	};
}

export function readClientCredentialsAnswer(answer: HttpAnswer, now: Date): OAuth2Token {
	return readOAuth2TokenAnswer(
		answer,
		{
			serviceName: 'Bokbasen',
			rejectedHint: 'Check the client ID and client secret in the Bokbasen OAuth2 API credential, and that the environment (production or stage) is the one the client was made for.',
			notAllowedHint: 'The client exists but may not use this audience. Check the audience in the credential, or ask Bokbasen to grant the client access to that API.',
		},
		now,
	);
}
