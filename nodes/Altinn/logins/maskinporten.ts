/**
 * Altinn 3 through Maskinporten, for the organisation itself: a JWT grant signed with the client's
 * key buys a Maskinporten token, which Altinn exchanges for an Altinn token. Used by Altinn
 * Authenticate, the Altinn 3 Maskinporten API credential's preAuthentication and its Test button.
 */
import type { LoginContext, LoginModule } from '../../shared/loginModule';
import type { HttpRequestSpec } from '../../shared/protocol/http';
import { httpUrlWithoutTrailingSlash } from '../../shared/protocol/inputChecks';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { bearerHeaders } from '../../shared/protocol/oauth2';
import type { TokenItem } from '../../shared/tokenItem';
import { makeTokenItem } from '../../shared/tokenItem';
import type { Altinn3Endpoints, EnterpriseUser, MaskinportenGrantOptions } from '../protocol/maskinporten';
import type { SystemUserFacts } from '../protocol/systemUserToken';
import { consumerOrgNumber, readSystemUserTokenAnswer, systemUserAuthorizationDetails } from '../protocol/systemUserToken';
import {
	ALTINN3_ENVIRONMENTS,
	buildExchangeRequest,
	checkEnterpriseUser,
	buildMaskinportenGrant,
	buildMaskinportenTokenRequest,
	readExchangeAnswer,
	readMaskinportenTokenAnswer,
} from '../protocol/maskinporten';

export interface AltinnMaskinportenCredential {
	environment: string;
	maskinportenUrl?: string;
	platformUrl?: string;
	clientId: string;
	privateKey: string;
	keyId?: string;
	certificateChain?: string;
	scopes: string;
	/** Maskinporten's `consumer_org`: the organisation this client acts for by delegation; empty for its own. */
	onBehalfOf?: string;
	enterpriseUsername?: string;
	enterprisePassword?: string;
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
			message: `The Altinn 3 Maskinporten API credential's ${maskinportenUrl ? 'Altinn Platform URL' : 'Maskinporten URL'} is not a valid http(s) address`,
			hint: 'Open the credential and enter full addresses such as https://test.maskinporten.no, or choose a standard environment.',
		});
	}
	throw new LoginProblem({
		kind: 'badInput',
		message: `Unknown Altinn 3 environment "${credential.environment}"`,
		hint: 'Open the credential and choose one of: production, test, custom.',
	});
}

/** The grant for the credential's client, signed and noted as a secret; `scopes` overrides the credential's. */
export function signedGrant(
	{ now, secrets }: LoginContext,
	credential: AltinnMaskinportenCredential,
	options: { scopes?: string; authorizationDetails?: MaskinportenGrantOptions['authorizationDetails'] } = {},
): { grant: string; issuedAt: Date; maskinportenUrl: string; onBehalfOf?: string } {
	const { maskinportenUrl } = altinn3Endpoints(credential);
	const issuedAt = now();
	const grant = buildMaskinportenGrant(
		{
			maskinportenUrl,
			clientId: credential.clientId,
			privateKeyPem: credential.privateKey,
			keyId: credential.keyId,
			certificateChainPem: credential.certificateChain,
			scopes: options.scopes ?? credential.scopes,
			onBehalfOfOrgNumber: credential.onBehalfOf,
		},
		issuedAt,
		undefined,
		options.authorizationDetails ? { authorizationDetails: options.authorizationDetails } : {},
	);
	secrets.add(grant);
	return { grant, issuedAt, maskinportenUrl, onBehalfOf: credential.onBehalfOf?.trim() || undefined };
}

/**
 * The request for a Maskinporten token with the credential's grant: each attempt the transport makes
 * carries a grant signed anew (a new `jti` and `iat`), since Maskinporten takes a grant once and a
 * gateway may fail after it did. `issuedAt` is the first grant's.
 */
export function maskinportenGrantRequest(
	context: LoginContext,
	credential: AltinnMaskinportenCredential,
	options: Parameters<typeof signedGrant>[2] = {},
): { request: HttpRequestSpec; issuedAt: Date; onBehalfOf?: string } {
	const first = signedGrant(context, credential, options);
	const withGrant = (grant: string): HttpRequestSpec => ({
		...buildMaskinportenTokenRequest(first.maskinportenUrl, grant),
		nextAttempt: () => withGrant(signedGrant(context, credential, options).grant),
	});
	return { request: withGrant(first.grant), issuedAt: first.issuedAt, onBehalfOf: first.onBehalfOf };
}

/** The Altinn token for the credential's client: grant → Maskinporten token → exchange at Altinn. */
export async function maskinportenAltinnToken(
	context: LoginContext,
	credential: AltinnMaskinportenCredential,
	systemUser?: { orgNumber: string; externalRef?: string },
): Promise<{ token: string; expiresAt: Date | null; scope?: string; consumerOrgNumber: string | null; systemUser?: SystemUserFacts }> {
	const { send, secrets } = context;
	const endpoints = altinn3Endpoints(credential);
	const enterpriseUser: EnterpriseUser | undefined = credential.enterpriseUsername?.trim()
		? { username: credential.enterpriseUsername.trim(), password: credential.enterprisePassword ?? '' }
		: undefined;
	if (enterpriseUser) checkEnterpriseUser(enterpriseUser);
	// A customer's number is checked before anything is signed or sent.
	const details = systemUser ? [systemUserAuthorizationDetails(systemUser.orgNumber, systemUser.externalRef)] : undefined;
	const { request, issuedAt } = maskinportenGrantRequest(context, credential, { authorizationDetails: details });
	const answer = await send(request);
	const customer = details ? readSystemUserTokenAnswer(answer, details[0].systemuser_org.ID.split(':')[1], issuedAt) : undefined;
	const maskinporten = customer ? customer.token : readMaskinportenTokenAnswer(answer, issuedAt, credential.onBehalfOf);
	// The Maskinporten token itself is only a step: it never leaves the node.
	secrets.add(maskinporten.accessToken);
	const altinn = readExchangeAnswer(
		await send(buildExchangeRequest(endpoints.platformUrl, maskinporten.accessToken, enterpriseUser)),
		enterpriseUser !== undefined,
	);
	return {
		token: altinn.token,
		expiresAt: altinn.expiresAt ?? maskinporten.expiresAt,
		scope: maskinporten.scope,
		consumerOrgNumber: consumerOrgNumber(maskinporten.accessToken),
		systemUser: customer?.systemUser,
	};
}

/** A token item for an Altinn 3 (or Maskinporten) Bearer token of this credential. */
export function altinn3TokenItem(
	credential: AltinnMaskinportenCredential,
	token: { token: string; expiresAt: Date | null; scope?: string },
	obtainedAt: Date,
	extra: Record<string, string | null> = {},
): TokenItem {
	return makeTokenItem({
		provider: 'altinn3',
		environment: credential.environment,
		apiBaseUrl: altinn3Endpoints(credential).platformUrl,
		token: token.token,
		headers: bearerHeaders(token.token),
		obtainedAt,
		expiresAt: token.expiresAt,
		extra: { scope: token.scope ?? null, ...extra },
	});
}

export const altinnMaskinportenLogin: LoginModule<AltinnMaskinportenCredential> = {
	provider: 'altinn3',
	credentialType: 'altinnMaskinportenApi',
	secrets: (credential) => [credential.privateKey, credential.enterprisePassword],
	async login(context, credential) {
		const obtainedAt = context.now();
		const altinn = await maskinportenAltinnToken(context, credential);
		// Whom the token acts for, as every Altinn 3 token item says: the client's organisation, or the enterprise user in the credential.
		const enterpriseUsername = credential.enterpriseUsername?.trim();
		return altinn3TokenItem(credential, altinn, obtainedAt, {
			actsFor: enterpriseUsername ? 'enterpriseUser' : 'organisation',
			orgNumber: altinn.consumerOrgNumber,
			...(enterpriseUsername ? { enterpriseUsername } : {}),
		});
	},
	session: { field: 'sessionToken', value: (token) => token.token },
};
