/**
 * Altinn 3 login for a system: a JWT grant signed with the client's own key buys a Maskinporten
 * access token, which Altinn's platform exchanges for an Altinn token. Signing uses node:crypto
 * alone, so no JWT library handles the private key.
 */
import { createPrivateKey, hkdfSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { requireLoginValues } from '../../shared/protocol/inputChecks';
import type { OAuth2Token } from '../../shared/protocol/oauth2';
import { readOAuth2TokenAnswer } from '../../shared/protocol/oauth2';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord } from '../../shared/protocol/json';
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { checkOrganisationNumber } from './orgNumber';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { joinUrl, looksLikeHtml, statusLine, textExcerpt } from '../../shared/protocol/http';

export interface Altinn3Endpoints {
	/** Maskinporten's issuer, e.g. https://maskinporten.no: the grant's audience is this with a slash. */
	maskinportenUrl: string;
	/** Altinn's platform, e.g. https://platform.altinn.no, where the exchange happens. */
	platformUrl: string;
}

export const ALTINN3_ENVIRONMENTS: Readonly<Record<'production' | 'test', Altinn3Endpoints>> = {
	production: { maskinportenUrl: 'https://maskinporten.no', platformUrl: 'https://platform.altinn.no' },
	test: { maskinportenUrl: 'https://test.maskinporten.no', platformUrl: 'https://platform.tt02.altinn.no' },
};

/** Maskinporten refuses grants that live longer than 120 seconds. */
export const GRANT_LIFETIME_SECONDS = 120;

export const EXCHANGE_PATH = '/authentication/api/v1/exchange/maskinporten';

export interface MaskinportenClient {
	maskinportenUrl: string;
	clientId: string;
	privateKeyPem: string;
	/** The id of a key registered with Maskinporten; or give the business certificate chain instead. */
	keyId?: string;
	certificateChainPem?: string;
	/** Space- or comma-separated, as people paste them. */
	scopes: string;
	/**
	 * The organisation the client acts for (Maskinporten's `consumer_org`), when that organisation has
	 * delegated the scopes to the client's own in Altinn; empty for the client's own organisation.
	 */
	onBehalfOfOrgNumber?: string;
}

export type MaskinportenSigningAlgorithm = 'RS256' | 'RS384' | 'RS512';

const SIGNING_DIGESTS: Readonly<Record<MaskinportenSigningAlgorithm, string>> = {
	RS256: 'RSA-SHA256',
	RS384: 'RSA-SHA384',
	RS512: 'RSA-SHA512',
};

/** One entry of RFC 9396 `authorization_details`; Maskinporten reads its `type` to know what it is. */
export type AuthorizationDetail = Readonly<Record<string, unknown>> & { readonly type: string };

/**
 * What a grant may ask for besides the client's scopes. Maskinporten refuses a grant with a claim it
 * does not know, so these are the only claims added.
 */
export interface MaskinportenGrantOptions {
	/** Default RS256; Maskinporten also takes RS384 and RS512. */
	algorithm?: MaskinportenSigningAlgorithm;
	/** Asks for a token restricted to one API (its audience), e.g. an API's resource identifier. */
	resource?: string;
	/** E.g. the system user entry that makes the token act for one customer. */
	authorizationDetails?: readonly AuthorizationDetail[];
}

const CREDENTIAL = 'Altinn 3 Maskinporten API';

/** Scopes as Maskinporten wants them: one space between each. */
export function normalizeScopes(scopes: string): string {
	return scopes
		.split(/[\s,]+/)
		.filter(Boolean)
		.join(' ');
}

/**
 * A PEM block with its line breaks restored: pasted into a one-line field, a key arrives with
 * literal "\n" or with its lines run together, which OpenSSL refuses.
 */
export function restorePemLineBreaks(pem: string): string {
	const text = pem.replace(/\\n/g, '\n').trim();
	const block = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/.exec(text);
	if (!block) return text;
	const [, label, content] = block;
	// Encrypted PKCS#1 keys carry "Proc-Type:" headers whose line breaks cannot be guessed: leave them.
	if (content.includes(':')) return text;
	const base64 = content.replace(/\s+/g, '');
	const lines = base64.match(/.{1,64}/g) ?? [];
	return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join('\n');
}

/** Reads a PEM RSA private key, whatever a paste did to its line breaks. */
export function readPrivateKey(pem: string): KeyObject {
	const text = restorePemLineBreaks(pem);
	let key: KeyObject | undefined;
	try {
		key = createPrivateKey({ key: text, format: 'pem' });
	} catch {
		// OpenSSL's message can quote the key's text: it is dropped, and the problem below says what to do.
	}
	if (!key) {
		const looksPublic = /BEGIN (PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)/.test(text);
		throw new LoginProblem({
			kind: 'badInput',
			message: looksPublic
				? `The private key in the ${CREDENTIAL} credential is a public key or certificate, not a private key`
				: `The private key in the ${CREDENTIAL} credential is not a readable PEM private key`,
			hint: 'Paste the whole private key, from -----BEGIN PRIVATE KEY----- (or BEGIN RSA PRIVATE KEY) to the END line. Encrypted keys are not supported: remove the passphrase first.',
		});
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The private key in the ${CREDENTIAL} credential is a ${key.asymmetricKeyType ?? 'non-RSA'} key; Maskinporten grants here are signed with RSA`,
			hint: 'Use the RSA key registered for the client (or the key of your business certificate).',
		});
	}
	return key;
}

/** The certificates of a PEM chain as the base64 DER strings a JWT's `x5c` header holds, leaf first. */
export function certificateChainForX5c(pem: string): string[] {
	const blocks = pem.replace(/\\n/g, '\n').match(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g) ?? [];
	const chain = blocks.map((block) => block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''));
	if (chain.length === 0 || chain.some((certificate) => !/^[A-Za-z0-9+/]+=*$/.test(certificate))) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The certificate chain in the ${CREDENTIAL} credential holds no readable PEM certificate`,
			hint: 'Paste the business certificate (and its intermediates) as PEM, each from -----BEGIN CERTIFICATE----- to its END line; or leave it empty and give the Key ID instead.',
		});
	}
	return chain;
}

function base64UrlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The signed JWT grant (RS256 unless asked otherwise) Maskinporten takes as `assertion`. */
/**
 * A key that only the holder of the client's private key has, for naming a thing after what it holds
 * without giving that away: a consent request's ID made from its contents (which name a person) is
 * an HMAC under it, so the same credential names the same request the same way, and nobody else can
 * test a guess of the person's number against the name. Derived from the key itself (DER), so
 * however a paste wrapped the PEM, the key is the same.
 */
export function keyOfClient(privateKeyPem: string, purpose: string): Buffer {
	const der = readPrivateKey(privateKeyPem).export({ format: 'der', type: 'pkcs8' });
	return Buffer.from(hkdfSync('sha256', der, Buffer.alloc(0), `n8n-nodes-login-tokens: ${purpose}`, 32));
}

export function buildMaskinportenGrant(
	client: MaskinportenClient,
	now: Date,
	jwtId: string = randomUUID(),
	options: MaskinportenGrantOptions = {},
): string {
	// The key is PEM and has line breaks by nature: only the client ID must be a single clean line.
	requireLoginValues(CREDENTIAL, { 'client ID': client.clientId });
	if (!client.privateKeyPem.trim()) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${CREDENTIAL} credential has no private key`,
			hint: 'Open the credential and paste the private key (PEM) registered for the client.',
		});
	}
	const scope = normalizeScopes(client.scopes);
	if (!scope) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${CREDENTIAL} credential has no scopes`,
			hint: 'Enter the scopes the client may use, separated by spaces, e.g. altinn:serviceowner/instances.read.',
		});
	}
	const algorithm = options.algorithm ?? 'RS256';
	const digest = Object.hasOwn(SIGNING_DIGESTS, algorithm) ? SIGNING_DIGESTS[algorithm] : undefined;
	if (!digest) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The signing algorithm "${String(algorithm)}" is not one Maskinporten takes`,
			hint: 'Choose RS256, RS384 or RS512.',
		});
	}
	const resource = options.resource?.trim();
	if (options.resource !== undefined && !resource) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The resource (audience) asked for is empty',
			hint: 'Enter the resource identifier of the API the token is for, or leave the option out.',
		});
	}
	// A mistyped number is caught here: Maskinporten's refusal would not say which value was wrong.
	const consumerOrg = client.onBehalfOfOrgNumber?.trim() ? checkOrganisationNumber(client.onBehalfOfOrgNumber, 'organisation number in On Behalf Of') : undefined;
	const keyId = client.keyId?.trim();
	const header: Record<string, unknown> = { alg: algorithm, typ: 'JWT' };
	if (client.certificateChainPem?.trim()) header.x5c = certificateChainForX5c(client.certificateChainPem);
	else if (keyId) header.kid = keyId;
	else {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${CREDENTIAL} credential has neither a Key ID nor a certificate chain`,
			hint: 'Enter the Key ID (kid) of the key registered for the client in Maskinporten, or paste the business certificate chain.',
		});
	}
	const issuedAt = Math.floor(now.getTime() / 1000);
	const claims: Record<string, unknown> = {
		aud: `${client.maskinportenUrl.replace(/\/+$/, '')}/`,
		iss: client.clientId.trim(),
		scope,
		iat: issuedAt,
		exp: issuedAt + GRANT_LIFETIME_SECONDS,
		jti: jwtId,
	};
	if (resource) claims.resource = resource;
	if (consumerOrg) claims.consumer_org = consumerOrg;
	if (options.authorizationDetails && options.authorizationDetails.length > 0) {
		claims.authorization_details = options.authorizationDetails;
	}
	const signingInput = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
	const signature = sign(digest, Buffer.from(signingInput, 'utf8'), readPrivateKey(client.privateKeyPem));
	return `${signingInput}.${signature.toString('base64url')}`;
}

export function buildMaskinportenTokenRequest(maskinportenUrl: string, grant: string): HttpRequestSpec {
	return {
		method: 'POST',
		url: joinUrl(maskinportenUrl, '/token'),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: grant }).toString(),
	};
}

/** `onBehalfOf`: the organisation number the grant acted for, if any; a refusal then names the delegation too. */
export function readMaskinportenTokenAnswer(answer: HttpAnswer, now: Date, onBehalfOf?: string): OAuth2Token {
	const delegation = onBehalfOf?.trim()
		? ` Acting on behalf of ${onBehalfOf.trim()}: that organisation must have delegated these scopes to yours in Altinn (API delegation); or empty On Behalf Of to act for your own.`
		: '';
	return readOAuth2TokenAnswer(
		answer,
		{
			serviceName: 'Maskinporten',
			rejectedHint: `Check the client ID, the Key ID or certificate and the private key in the ${CREDENTIAL} credential, the environment (production or test), and the n8n server's clock (the grant is only valid for ${GRANT_LIFETIME_SECONDS} seconds).`,
			notAllowedHint: `The client may not use one of the scopes asked for. Check the scopes in the credential against those granted to the client in Maskinporten (Samarbeidsportalen).${delegation}`,
		},
		now,
	);
}

export interface EnterpriseUser {
	username: string;
	password: string;
}

/** Both enterprise values present and on one clean line; checked before the first request of a login. */
export function checkEnterpriseUser(enterpriseUser: EnterpriseUser): void {
	requireLoginValues(CREDENTIAL, {
		'enterprise username': enterpriseUser.username,
		'enterprise password': enterpriseUser.password,
	});
}

export function buildExchangeRequest(platformUrl: string, maskinportenToken: string, enterpriseUser?: EnterpriseUser): HttpRequestSpec {
	const headers: Record<string, string> = { Authorization: `Bearer ${maskinportenToken}`, Accept: 'application/json' };
	if (enterpriseUser) {
		checkEnterpriseUser(enterpriseUser);
		headers['X-Altinn-EnterpriseUser-Authentication'] = Buffer.from(
			`${enterpriseUser.username}:${enterpriseUser.password}`,
			'utf8',
		).toString('base64');
	}
	return { method: 'GET', url: joinUrl(platformUrl, EXCHANGE_PATH), headers };
}

/** A JWT's claims, read without checking its signature (the API that receives it checks it); null for anything else. */
export function jwtClaims(token: string): JsonRecord | null {
	const parts = token.split('.');
	if (parts.length !== 3) return null;
	try {
		const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		return isJsonRecord(claims) ? claims : null;
	} catch {
		return null;
	}
}

/** The `exp` of a JWT, read without checking its signature (Altinn checks it; we only need the time). */
export function jwtExpiry(jwt: string): Date | null {
	const exp = jwtClaims(jwt)?.exp;
	return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : null;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The Altinn token: a JSON string in the documented answer, a bare JWT from some gateways. */
export function readExchangeAnswer(answer: HttpAnswer, enterpriseUserSent: boolean): { token: string; expiresAt: Date | null } {
	const code = answer.statusCode;
	if (code === 410 && enterpriseUserSent) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Altinn retired enterprise users (virksomhetsbrukere) on 26 June 2026, so the enterprise user in the credential can no longer log in (${statusLine(answer)})`,
			hint: 'Empty the Enterprise Username in the Altinn 3 Maskinporten API credential to act as the organisation, or use an Altinn 3 system user (Altinn Authenticate, Act For: A Customer (System User)).',
			httpCode: code,
			providerMessage: textExcerpt(answer),
		});
	}
	if (code === 401 || code === 403) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Altinn did not accept the Maskinporten token (${statusLine(answer)})`,
			hint: enterpriseUserSent
				? 'Check the enterprise username and password in the credential, and that the client has an Altinn scope. The node does not retry a refused login.'
				: 'Check that the scopes in the credential include one Altinn accepts for this exchange (e.g. altinn:…), and that the environment matches the client.',
			httpCode: code,
			providerMessage: textExcerpt(answer),
		});
	}
	if (code < 200 || code >= 300) {
		throw new LoginProblem({
			kind: code >= 500 ? 'unavailable' : 'unexpectedAnswer',
			message: `Altinn failed to exchange the Maskinporten token (${statusLine(answer)})`,
			hint: code >= 500 ? 'Altinn has a problem. Try again later.' : 'Check the environment (or platform address) in the credential.',
			httpCode: code,
			providerMessage: textExcerpt(answer),
		});
	}
	let token = answer.body.trim();
	if (token.startsWith('"')) {
		try {
			const parsed: unknown = JSON.parse(token);
			token = typeof parsed === 'string' ? parsed.trim() : '';
		} catch {
			token = '';
		}
	}
	if (!JWT_SHAPE.test(token)) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: looksLikeHtml(answer)
				? `Altinn answered the token exchange with a web page instead of a token (${statusLine(answer)})`
				: `Altinn's answer to the token exchange is not a token (${statusLine(answer)})`,
			hint: 'Check the environment (or platform address) in the credential; a proxy or a login page may be in the way.',
			httpCode: code,
		});
	}
	return { token, expiresAt: jwtExpiry(token) };
}
