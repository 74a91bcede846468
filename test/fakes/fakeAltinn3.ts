/**
 * A fake of Altinn 3's system login, Maskinporten and the Altinn platform on one server:
 * `POST /token` checks a JWT grant as Maskinporten does (signature with the registered key or
 * the x5c certificate, audience, issuer, lifetime ≤ 120 s, replayed jti, scopes) and
 * `GET /authentication/api/v1/exchange/maskinporten` swaps its token for an Altinn token.
 * `GET /storage/api/v1/applications` stands for an Altinn 3 API that wants that token.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, HTML_ERROR_PAGE, header, json } from './fakeServer';

function fixture(name: string): string {
	// From test/fakes, or from its compiled copy under .sandbox/build/test/fakes.
	const candidates = [join(__dirname, '..', 'fixtures', name), join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', name)];
	const found = candidates.find((candidate) => existsSync(candidate));
	if (!found) throw new Error(`test fixture ${name} not found`);
	return readFileSync(found, 'utf8');
}

/** A registered Maskinporten client signing with its own key (kid). */
/** A Maskinporten key client: a fresh RSA key, or the one given (PEM), e.g. a sandbox's key kept from an earlier start. */
export function makeKeyClient(privateKeyPem?: string) {
	const { privateKey, publicKey } = privateKeyPem
		? { privateKey: createPrivateKey(privateKeyPem), publicKey: createPublicKey(privateKeyPem) }
		: generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		clientId: 'a1b2c3d4-0000-4000-8000-000000000001',
		keyId: 'n8n-login-tokens-test-key',
		privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		publicKey,
		scopes: 'altinn:serviceowner/instances.read altinn:serviceowner/instances.write',
	};
}

/** The values of an Altinn 3 Maskinporten API credential for a key client, pointing at a fake at `baseUrl`. */
export function altinnMaskinportenCredentialData(
	client: { clientId: string; privateKeyPem: string; keyId: string },
	baseUrl: string,
	scopes: string,
	overrides: Record<string, string> = {},
) {
	return {
		environment: 'custom',
		maskinportenUrl: baseUrl,
		platformUrl: baseUrl,
		clientId: client.clientId,
		privateKey: client.privateKeyPem,
		keyId: client.keyId,
		certificateChain: '',
		scopes,
		enterpriseUsername: '',
		enterprisePassword: '',
		...overrides,
	};
}

/** A client signing with a business certificate (x5c); the fixture is self-signed and test-only. */
export function certificateClient() {
	return {
		clientId: 'a1b2c3d4-0000-4000-8000-000000000002',
		privateKeyPem: fixture('business-certificate.key.pem'),
		certificatePem: fixture('business-certificate.pem'),
		scopes: 'altinn:serviceowner/instances.read',
	};
}

export const ENTERPRISE_USER = { username: 'virksomhetsbruker1', password: 'Ent€rprise pass:word' };

export type Altinn3Failure =
	| 'none'
	| 'maskinportenDown'
	| 'maskinportenHtml'
	| 'exchangeDown'
	| 'exchangeBareJwt'
	| 'exchangeHtml'
	| 'slow';

interface RegisteredClient {
	scopes: Set<string>;
	keys: Map<string, KeyObject>;
	certificateFingerprints: Set<string>;
}

/** What the fake remembers of a Maskinporten token it issued. */
export interface MaskinportenTokenRecord {
	clientId: string;
	scope: string;
	expiresAt: number;
	/** Claims a subclass added (e.g. `authorization_details`, `consumer`); the exchange copies them, as Altinn does. */
	claims?: Record<string, unknown>;
}

/** What a subclass adds to a grant it accepts: claims in the token, and fields beside it in the answer. */
export interface GrantExtras {
	claims?: Record<string, unknown>;
	answer?: Record<string, unknown>;
}

function base64UrlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function maskinportenError(error: string, description: string, status = 400): Reply {
	return json(status, { error, error_description: description });
}

export class FakeAltinn3 extends FakeServer {
	failure: Altinn3Failure = 'none';

	/** How many of the next token answers a gateway loses (502) after Maskinporten issued the token. */
	lostTokenAnswers = 0;

	slowMs = 2_000;

	maskinportenTokenSeconds = 120;

	altinnTokenSeconds = 1_800;

	/** Grants the fake has seen, decoded, for tests to inspect. */
	readonly grants: Array<{ header: Record<string, unknown>; claims: Record<string, unknown> }> = [];

	private readonly clients = new Map<string, RegisteredClient>();

	private readonly usedJwtIds = new Set<string>();

	readonly maskinportenTokens = new Map<string, MaskinportenTokenRecord>();

	readonly altinnTokens = new Set<string>();

	readonly enterpriseUsers = new Map<string, string>([[ENTERPRISE_USER.username, ENTERPRISE_USER.password]]);

	registerKeyClient(clientId: string, keyId: string, publicKey: KeyObject, scopes: string): void {
		const client = this.clientFor(clientId, scopes);
		client.keys.set(keyId, publicKey);
	}

	registerCertificateClient(clientId: string, certificatePem: string, scopes: string): void {
		this.clientFor(clientId, scopes).certificateFingerprints.add(new X509Certificate(certificatePem).fingerprint256);
	}

	private clientFor(clientId: string, scopes: string): RegisteredClient {
		const client = this.clients.get(clientId) ?? { scopes: new Set<string>(), keys: new Map(), certificateFingerprints: new Set() };
		for (const scope of scopes.split(' ')) client.scopes.add(scope);
		this.clients.set(clientId, client);
		return client;
	}

	protected handle(request: RecordedRequest): Reply {
		if (this.failure === 'slow') return { ...json(200, {}), delayMs: this.slowMs };
		if (request.path === '/token') {
			const reply = this.token(request);
			// A gateway that fails after Maskinporten took the grant (its jti is used up) and answered.
			if (this.lostTokenAnswers > 0 && reply.status === 200) {
				this.lostTokenAnswers--;
				return { status: 502, reason: 'Bad Gateway', body: '' };
			}
			return reply;
		}
		if (request.path === '/authentication/api/v1/exchange/maskinporten') return this.exchange(request);
		if (request.path === '/storage/api/v1/applications') return this.api(request);
		if (request.path === '/authentication/api/v1/refresh') return this.refresh(request);
		return json(404, { title: 'Not Found', status: 404 });
	}

	private token(request: RecordedRequest): Reply {
		if (this.failure === 'maskinportenDown') return { status: 503, reason: 'Service Unavailable', body: '' };
		if (this.failure === 'maskinportenHtml') return { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		if (request.method !== 'POST') return maskinportenError('invalid_request', 'Only POST is supported', 405);
		const form = new URLSearchParams(request.body);
		if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
			return maskinportenError('unsupported_grant_type', 'Invalid grant type');
		}
		const parts = (form.get('assertion') ?? '').split('.');
		if (parts.length !== 3) return maskinportenError('invalid_grant', 'Invalid assertion. Not a JWT.');
		let jwtHeader: Record<string, unknown>;
		let claims: Record<string, unknown>;
		try {
			jwtHeader = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as Record<string, unknown>;
			claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Record<string, unknown>;
		} catch {
			return maskinportenError('invalid_grant', 'Invalid assertion. Could not parse the JWT.');
		}
		this.grants.push({ header: jwtHeader, claims });
		const client = this.clients.get(String(claims.iss));
		if (!client) return maskinportenError('invalid_client', 'Invalid assertion. Client authentication failed. Unknown client.');

		const algorithms: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };
		const algorithm = algorithms[String(jwtHeader.alg)];
		if (!algorithm) return maskinportenError('invalid_grant', 'Invalid assertion. Unsupported algorithm.');
		let publicKey: KeyObject | undefined;
		if (Array.isArray(jwtHeader.x5c) && typeof jwtHeader.x5c[0] === 'string') {
			const certificate = new X509Certificate(Buffer.from(jwtHeader.x5c[0], 'base64'));
			if (client.certificateFingerprints.has(certificate.fingerprint256)) publicKey = certificate.publicKey;
		} else if (typeof jwtHeader.kid === 'string') {
			publicKey = client.keys.get(jwtHeader.kid);
		}
		if (!publicKey) return maskinportenError('invalid_client', 'Invalid assertion. Client authentication failed. Unknown key or certificate.');
		const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
		if (!verify(algorithm, signed, publicKey, Buffer.from(parts[2], 'base64url'))) {
			return maskinportenError('invalid_grant', 'Invalid assertion. Client authentication failed. Invalid JWT signature.');
		}
		const now = Math.floor(Date.now() / 1000);
		const iat = Number(claims.iat);
		const exp = Number(claims.exp);
		if (claims.aud !== `${this.baseUrl}/`) return maskinportenError('invalid_grant', 'Invalid assertion. Invalid audience.');
		if (!Number.isInteger(iat) || !Number.isInteger(exp) || exp - iat > 120 || exp <= now || iat > now + 10) {
			return maskinportenError('invalid_grant', 'Invalid assertion. The JWT is expired, not yet valid or lives longer than 120 seconds.');
		}
		const jwtId = typeof claims.jti === 'string' ? claims.jti : '';
		if (!jwtId || this.usedJwtIds.has(jwtId)) return maskinportenError('invalid_grant', 'Invalid assertion. The jti is missing or was used before.');
		this.usedJwtIds.add(jwtId);
		const requested = String(claims.scope ?? '').split(' ').filter(Boolean);
		const refused = requested.filter((scope) => !client.scopes.has(scope));
		if (requested.length === 0 || refused.length > 0) {
			return maskinportenError('invalid_scope', `Scope(s) not allowed for client: ${refused.join(' ') || '(none asked)'}`);
		}
		const extras = this.acceptGrant(claims, String(claims.iss));
		if (extras && 'status' in extras) return extras;
		const expiresAt = Date.now() + this.maskinportenTokenSeconds * 1000;
		const tokenClaims = extras?.claims;
		// Opaque by default; a subclass that adds claims gets a JWT, as Maskinporten's self-contained tokens are.
		const accessToken = tokenClaims
			? [
					base64UrlJson({ alg: 'RS256', typ: 'JWT', kid: 'fake-maskinporten' }),
					base64UrlJson({ iss: `${this.baseUrl}/`, client_id: String(claims.iss), scope: requested.join(' '), exp: Math.floor(expiresAt / 1000), ...tokenClaims }),
					randomBytes(32).toString('base64url'),
				].join('.')
			: randomBytes(24).toString('base64url');
		this.maskinportenTokens.set(accessToken, {
			clientId: String(claims.iss),
			scope: requested.join(' '),
			expiresAt,
			claims: tokenClaims,
		});
		return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.maskinportenTokenSeconds, scope: requested.join(' '), ...extras?.answer });
	}

	/**
	 * Called for a grant that passed every check of the base fake: a subclass refuses it (a reply) or
	 * adds claims to its token. The base accepts every such grant as it is.
	 */
	protected acceptGrant(_claims: Record<string, unknown>, _clientId: string): Reply | GrantExtras | undefined {
		return undefined;
	}

	private exchange(request: RecordedRequest): Reply {
		if (this.failure === 'exchangeDown') return { status: 502, reason: 'Bad Gateway', body: '' };
		if (this.failure === 'exchangeHtml') return { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		const maskinporten = this.maskinportenTokens.get(bearer);
		if (!maskinporten || maskinporten.expiresAt < Date.now()) return { status: 401, reason: 'Unauthorized', body: '' };
		const enterprise = header(request, 'x-altinn-enterpriseuser-authentication');
		let enterpriseUser: string | undefined;
		if (enterprise !== undefined) {
			const decoded = Buffer.from(enterprise, 'base64').toString('utf8');
			const separator = decoded.indexOf(':');
			const [username, password] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
			if (separator < 0 || this.enterpriseUsers.get(username) !== password) {
				return { status: 401, reason: 'Unauthorized', body: '' };
			}
			enterpriseUser = username;
		}
		const exp = Math.floor(Date.now() / 1000) + this.altinnTokenSeconds;
		const token = [
			base64UrlJson({ alg: 'RS256', typ: 'JWT', kid: 'fake-altinn' }),
			base64UrlJson({
				...maskinporten.claims,
				exp,
				scope: maskinporten.scope,
				client_id: maskinporten.clientId,
				...(enterpriseUser ? { 'urn:altinn:username': enterpriseUser } : {}),
			}),
			randomBytes(32).toString('base64url'),
		].join('.');
		this.altinnTokens.add(token);
		if (this.failure === 'exchangeBareJwt') return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: token };
		return json(200, token);
	}

	/** Altinn's AuthenticationController `GET refresh`: a new token for a valid Altinn token, 401 otherwise. */
	private refresh(request: RecordedRequest): Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (request.method !== 'GET') return { status: 405, reason: 'Method Not Allowed', body: '' };
		if (!this.altinnTokens.has(bearer)) return { status: 401, reason: 'Unauthorized', body: '' };
		return json(200, bearer);
	}

	private api(request: RecordedRequest): Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.altinnTokens.has(bearer)) return { status: 401, reason: 'Unauthorized', body: '' };
		return json(200, { applications: [{ id: 'ttd/example-app', title: { nb: 'Eksempel' } }] });
	}
}
