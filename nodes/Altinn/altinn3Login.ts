/**
 * The Altinn 3 login sequence (grant → Maskinporten token → Altinn token), shared by the Altinn
 * Authenticate node and its credential test, so both speak exactly the same protocol.
 */
import { httpUrlWithoutTrailingSlash } from '../shared/environment';
import type { HttpCapableContext, SecretCollector } from '../shared/execution';
import { sendRequest } from '../shared/execution';
import { LoginProblem } from '../shared/protocolTypes';
import type { Altinn3Endpoints, EnterpriseUser } from './protocol/maskinporten';
import {
	ALTINN3_ENVIRONMENTS,
	buildExchangeRequest,
	checkEnterpriseUser,
	buildMaskinportenGrant,
	buildMaskinportenTokenRequest,
	readExchangeAnswer,
	readMaskinportenTokenAnswer,
} from './protocol/maskinporten';

export interface AltinnMaskinportenCredential {
	environment: string;
	maskinportenUrl?: string;
	platformUrl?: string;
	clientId: string;
	privateKey: string;
	keyId?: string;
	certificateChain?: string;
	scopes: string;
	enterpriseUsername?: string;
	enterprisePassword?: string;
}

export interface Altinn3Token {
	token: string;
	expiresAt: Date | null;
	scope?: string;
}

export function altinn3Endpoints(credential: AltinnMaskinportenCredential): Altinn3Endpoints {
	if (credential.environment === 'production' || credential.environment === 'test') {
		return ALTINN3_ENVIRONMENTS[credential.environment];
	}
	if (credential.environment === 'custom') {
		const maskinportenUrl = httpUrlWithoutTrailingSlash(credential.maskinportenUrl);
		const platformUrl = httpUrlWithoutTrailingSlash(credential.platformUrl);
		if (maskinportenUrl && platformUrl) return { maskinportenUrl, platformUrl };
		throw new LoginProblem({
			kind: 'badInput',
			message: `The Altinn 3 (Maskinporten) credential's ${maskinportenUrl ? 'Altinn Platform URL' : 'Maskinporten URL'} is not a valid http(s) address`,
			hint: 'Open the credential and enter full addresses such as https://test.maskinporten.no, or choose a standard environment.',
		});
	}
	throw new LoginProblem({
		kind: 'badInput',
		message: `Unknown Altinn 3 environment "${credential.environment}"`,
		hint: 'Open the credential and choose one of: production, test, custom.',
	});
}

/** Everything of the credential that must never be shown. */
export function maskinportenSecrets(credential: AltinnMaskinportenCredential): string[] {
	return [credential.privateKey, credential.enterprisePassword ?? ''];
}

export async function loginWithMaskinporten(
	context: HttpCapableContext,
	credential: AltinnMaskinportenCredential,
	secrets: SecretCollector,
	timeoutMs?: number,
): Promise<Altinn3Token> {
	secrets.add(...maskinportenSecrets(credential));
	const endpoints = altinn3Endpoints(credential);
	const enterpriseUser: EnterpriseUser | undefined = credential.enterpriseUsername?.trim()
		? { username: credential.enterpriseUsername.trim(), password: credential.enterprisePassword ?? '' }
		: undefined;
	if (enterpriseUser) checkEnterpriseUser(enterpriseUser);
	const now = new Date();
	const grant = buildMaskinportenGrant(
		{
			maskinportenUrl: endpoints.maskinportenUrl,
			clientId: credential.clientId,
			privateKeyPem: credential.privateKey,
			keyId: credential.keyId,
			certificateChainPem: credential.certificateChain,
			scopes: credential.scopes,
		},
		now,
	);
	secrets.add(grant);
	const maskinporten = readMaskinportenTokenAnswer(
		await sendRequest(context, buildMaskinportenTokenRequest(endpoints.maskinportenUrl, grant), timeoutMs),
		now,
	);
	// The Maskinporten token itself is only a step: it never leaves the node.
	secrets.add(maskinporten.accessToken);
	const altinn = readExchangeAnswer(
		await sendRequest(context, buildExchangeRequest(endpoints.platformUrl, maskinporten.accessToken, enterpriseUser), timeoutMs),
		enterpriseUser !== undefined,
	);
	return {
		token: altinn.token,
		expiresAt: altinn.expiresAt ?? maskinporten.expiresAt,
		scope: maskinporten.scope,
	};
}
