import { X509Certificate, generateKeyPairSync, verify } from 'node:crypto';

import {
	buildExchangeRequest,
	buildMaskinportenGrant,
	buildMaskinportenTokenRequest,
	certificateChainForX5c,
	jwtExpiry,
	normalizeScopes,
	readExchangeAnswer,
	readMaskinportenTokenAnswer,
	readPrivateKey,
	restorePemLineBreaks,
} from '../../nodes/Altinn/protocol/maskinporten';
import { certificateClient, makeKeyClient } from '../fakes/fakeAltinn3';
import { answer, jsonAnswer, problemOf } from '../helpers/answers';

const CERTIFICATE_CLIENT = certificateClient();

const keyClient = makeKeyClient();
const NOW = new Date('2026-11-23T10:00:00Z');
const client = {
	maskinportenUrl: 'https://test.maskinporten.no',
	clientId: keyClient.clientId,
	privateKeyPem: keyClient.privateKeyPem,
	keyId: keyClient.keyId,
	scopes: 'altinn:a, altinn:b\n altinn:c',
};

function decode(jwt: string) {
	const [header, claims] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
	return { header, claims };
}

describe('Maskinporten grant', () => {
	it('is an RS256 JWT with kid, signed by the private key, with the claims Maskinporten checks', () => {
		const grant = buildMaskinportenGrant(client, NOW, 'jti-1');
		const { header, claims } = decode(grant);
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: keyClient.keyId });
		expect(claims).toEqual({
			aud: 'https://test.maskinporten.no/',
			iss: keyClient.clientId,
			scope: 'altinn:a altinn:b altinn:c',
			iat: NOW.getTime() / 1000,
			exp: NOW.getTime() / 1000 + 120,
			jti: 'jti-1',
		});
		const [head, body, signature] = grant.split('.');
		expect(verify('RSA-SHA256', Buffer.from(`${head}.${body}`), keyClient.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
	});

	it("acting for another organisation, carries its number as consumer_org; a mistyped number is refused before anything is signed", () => {
		expect(decode(buildMaskinportenGrant({ ...client, onBehalfOfOrgNumber: ' 313 876 144 ' }, NOW)).claims.consumer_org).toBe('313876144');
		expect(decode(buildMaskinportenGrant({ ...client, onBehalfOfOrgNumber: '' }, NOW)).claims).not.toHaveProperty('consumer_org');
		const mistyped = problemOf(() => buildMaskinportenGrant({ ...client, onBehalfOfOrgNumber: '313876145' }, NOW));
		expect(mistyped.details).toMatchObject({ kind: 'badInput' });
		expect(mistyped.message).toMatch(/On Behalf Of .*check digit/);
	});

	it('gets a fresh jti each time', () => {
		expect(decode(buildMaskinportenGrant(client, NOW)).claims.jti).not.toBe(decode(buildMaskinportenGrant(client, NOW)).claims.jti);
	});

	it('carries the certificate chain as x5c instead of kid, and the certificate\'s key verifies it', () => {
		const grant = buildMaskinportenGrant(
			{ ...client, keyId: '', privateKeyPem: CERTIFICATE_CLIENT.privateKeyPem, certificateChainPem: CERTIFICATE_CLIENT.certificatePem },
			NOW,
		);
		const { header } = decode(grant);
		expect(header.kid).toBeUndefined();
		const [leaf] = header.x5c as string[];
		const certificate = new X509Certificate(Buffer.from(leaf, 'base64'));
		expect(certificate.subject).toMatch(/TEST EKSEMPEL AS/);
		const [head, body, signature] = grant.split('.');
		expect(verify('RSA-SHA256', Buffer.from(`${head}.${body}`), certificate.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
	});

	it('reads a key whose line breaks a one-line field removed or turned into "\\n"', () => {
		const oneLine = keyClient.privateKeyPem.replace(/\n/g, '');
		const spaced = keyClient.privateKeyPem.replace(/\n/g, ' ');
		const escaped = keyClient.privateKeyPem.replace(/\n/g, '\\n');
		for (const pasted of [oneLine, spaced, escaped]) {
			expect(restorePemLineBreaks(pasted)).toBe(keyClient.privateKeyPem.trim());
			expect(readPrivateKey(pasted).asymmetricKeyType).toBe('rsa');
		}
	});

	it('explains a public key, a certificate, garbage and a non-RSA key without echoing them', () => {
		const publicPem = keyClient.publicKey.export({ type: 'spki', format: 'pem' }).toString();
		expect(problemOf(() => readPrivateKey(publicPem)).message).toMatch(/is a public key or certificate, not a private key/);
		expect(problemOf(() => readPrivateKey(CERTIFICATE_CLIENT.certificatePem)).message).toMatch(/public key or certificate/);
		const garbage = problemOf(() => readPrivateKey('my-secret-key-text'));
		expect(garbage.message).toMatch(/not a readable PEM private key/);
		expect(`${garbage.message} ${garbage.details.hint}`).not.toContain('my-secret-key-text');
		const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		expect(problemOf(() => readPrivateKey(ecKey)).message).toMatch(/is a ec key; Maskinporten grants here are signed with RSA/);
	});

	it('needs a Key ID or a certificate chain, scopes and a client ID', () => {
		expect(problemOf(() => buildMaskinportenGrant({ ...client, keyId: ' ' }, NOW)).message).toMatch(/neither a Key ID nor a certificate chain/);
		expect(problemOf(() => buildMaskinportenGrant({ ...client, scopes: ' , ' }, NOW)).message).toMatch(/has no scopes/);
		expect(problemOf(() => buildMaskinportenGrant({ ...client, clientId: '' }, NOW)).message).toMatch(/has no client ID/);
		expect(problemOf(() => buildMaskinportenGrant({ ...client, clientId: 'id\r\nX: y' }, NOW)).details.kind).toBe('badInput');
		expect(problemOf(() => certificateChainForX5c('-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----')).details.kind).toBe('badInput');
	});

	it('normalises scopes separated by commas, spaces and line breaks', () => {
		expect(normalizeScopes(' a,b  c\nd ')).toBe('a b c d');
	});

	it('posts the grant form-encoded to /token', () => {
		const request = buildMaskinportenTokenRequest('https://test.maskinporten.no/', 'a.b.c');
		expect(request).toMatchObject({ method: 'POST', url: 'https://test.maskinporten.no/token' });
		expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
			grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
			assertion: 'a.b.c',
		});
	});
});

describe('Maskinporten token answer', () => {
	it('reads the access token, its expiry and scope', () => {
		const token = readMaskinportenTokenAnswer(jsonAnswer(200, { access_token: 'at', token_type: 'Bearer', expires_in: 119, scope: 's' }), NOW);
		expect(token).toEqual({ accessToken: 'at', expiresAt: new Date(NOW.getTime() + 119_000), scope: 's' });
	});

	it('turns error and error_description into a refused login with the provider\'s words', () => {
		const problem = problemOf(() =>
			readMaskinportenTokenAnswer(jsonAnswer(400, { error: 'invalid_grant', error_description: 'Invalid assertion. Invalid JWT signature.' }), NOW),
		);
		expect(problem.details).toMatchObject({ kind: 'rejected', httpCode: 400, providerMessage: 'invalid_grant: Invalid assertion. Invalid JWT signature.' });
		expect(problem.message).toBe('Maskinporten refused the login (400)');
		expect(problem.details.hint).toMatch(/clock/);
	});

	it('says which scopes are not granted on invalid_scope', () => {
		const problem = problemOf(() => readMaskinportenTokenAnswer(jsonAnswer(400, { error: 'invalid_scope', error_description: 'x' }), NOW));
		expect(problem.message).toBe('Maskinporten did not give this client access (400)');
		expect(problem.details.hint).toMatch(/scopes/);
	});

	it('acting for another organisation, a refused scope names the delegation that may be missing', () => {
		const problem = problemOf(() => readMaskinportenTokenAnswer(jsonAnswer(400, { error: 'invalid_scope', error_description: 'x' }), NOW, '313876144'));
		expect(problem.details.hint).toMatch(/on behalf of 313876144: that organisation must have delegated these scopes to yours in Altinn/);
	});

	it('reports a 5xx as unavailable, an HTML page and broken JSON as unexpected, a non-Bearer type as unexpected', () => {
		expect(problemOf(() => readMaskinportenTokenAnswer(answer(503, {}, '', 'Service Unavailable'), NOW)).details).toMatchObject({ kind: 'unavailable', httpCode: 503 });
		expect(problemOf(() => readMaskinportenTokenAnswer(answer(200, { 'content-type': 'text/html' }, '<html><body>Login</body></html>'), NOW)).message).toMatch(/web page/);
		expect(problemOf(() => readMaskinportenTokenAnswer(answer(200, {}, '{"access_token":'), NOW)).message).toMatch(/not valid JSON/);
		expect(problemOf(() => readMaskinportenTokenAnswer(jsonAnswer(200, { access_token: 'x', token_type: 'mac' }), NOW)).message).toMatch(/not a Bearer token/);
		expect(problemOf(() => readMaskinportenTokenAnswer(jsonAnswer(200, { token_type: 'Bearer' }), NOW)).message).toMatch(/without an access token/);
	});
});

describe('Altinn token exchange', () => {
	const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"exp":1795000000}').toString('base64url')}.c2ln`;

	it('sends the Maskinporten token, and the enterprise user as base64(username:password) when given', () => {
		const plain = buildExchangeRequest('https://platform.tt02.altinn.no', 'mp-token');
		expect(plain).toMatchObject({ method: 'GET', url: 'https://platform.tt02.altinn.no/authentication/api/v1/exchange/maskinporten' });
		expect(plain.headers).toEqual({ Authorization: 'Bearer mp-token', Accept: 'application/json' });
		const enterprise = buildExchangeRequest('https://platform.tt02.altinn.no', 'mp-token', { username: 'user', password: 'på:ss' });
		expect(Buffer.from(enterprise.headers['X-Altinn-EnterpriseUser-Authentication'], 'base64').toString('utf8')).toBe('user:på:ss');
		expect(problemOf(() => buildExchangeRequest('https://x', 't', { username: 'user', password: '' })).message).toMatch(/no enterprise password/);
	});

	it('reads the token as a JSON string or as a bare JWT, with its expiry from exp', () => {
		expect(readExchangeAnswer(jsonAnswer(200, jwt), false)).toEqual({ token: jwt, expiresAt: new Date(1795000000 * 1000) });
		expect(readExchangeAnswer(answer(200, { 'content-type': 'text/plain' }, jwt), false).token).toBe(jwt);
		expect(jwtExpiry('a.b')).toBeNull();
		expect(jwtExpiry('a.%%%.c')).toBeNull();
	});

	it('explains 401 by the enterprise user when one was sent, else by the scopes', () => {
		expect(problemOf(() => readExchangeAnswer(answer(401, {}, '', 'Unauthorized'), true)).details.hint).toMatch(/enterprise username and password/);
		expect(problemOf(() => readExchangeAnswer(answer(401, {}, '', 'Unauthorized'), false)).details.hint).toMatch(/scopes/);
	});

	it('refuses anything that is not a token: HTML, JSON objects, empty bodies; 5xx is unavailable', () => {
		expect(problemOf(() => readExchangeAnswer(answer(200, { 'content-type': 'text/html' }, '<html>x</html>'), false)).message).toMatch(/web page/);
		expect(problemOf(() => readExchangeAnswer(jsonAnswer(200, { token: jwt }), false)).message).toMatch(/is not a token/);
		expect(problemOf(() => readExchangeAnswer(answer(200, {}, ''), false)).details.kind).toBe('unexpectedAnswer');
		expect(problemOf(() => readExchangeAnswer(answer(502, {}, ''), false)).details.kind).toBe('unavailable');
	});
});
