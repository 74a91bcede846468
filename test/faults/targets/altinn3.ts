/** Fault matrix rows: Altinn 3 through Maskinporten: the grant, the token and the exchange. */
import { AltinnAuthenticate } from '../../../nodes/Altinn/AltinnAuthenticate.node';
import { ENTERPRISE_USER, makeKeyClient } from '../../fakes/fakeAltinn3';
import type { Reply } from '../../fakes/fakeServer';
import { api, grantAndExchangeOverrides, retried, oauth2Expectations } from './shared';
import type { NodeTarget } from './shared';

const altinn3Client = makeKeyClient();
const ALTINN3_UTF8_USER = { username: 'virksomhetsbruker-æøå', password: 'Pässwörd-æøå-1' };
const MASKINPORTEN_TOKEN_OK = (): Reply => ({
	status: 200,
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify({ access_token: 'scripted-maskinporten-token', token_type: 'Bearer', expires_in: 120 }),
});

export const altinn3Authenticate: NodeTarget = {
	name: 'Altinn Authenticate (Altinn 3, Maskinporten)',
	node: new AltinnAuthenticate(),
	fake: (fakes) => fakes.altinn3,
	// Maskinporten's /token and the platform's exchange are both counted.
	path: '/',
	options: (baseUrl, overrides) => ({
		typeVersion: 2,
		credentials: {
			altinnMaskinportenApi: {
				environment: 'custom',
				maskinportenUrl: baseUrl,
				platformUrl: baseUrl,
				clientId: altinn3Client.clientId,
				privateKey: altinn3Client.privateKeyPem,
				keyId: altinn3Client.keyId,
				certificateChain: '',
				scopes: 'altinn:serviceowner/instances.read',
				enterpriseUsername: '',
				enterprisePassword: '',
				...overrides,
			},
		},
	}),
	prepare: (fakes) => {
		fakes.altinn3.registerKeyClient(altinn3Client.clientId, altinn3Client.keyId, altinn3Client.publicKey, altinn3Client.scopes);
		fakes.altinn3.enterpriseUsers.set(ALTINN3_UTF8_USER.username, ALTINN3_UTF8_USER.password);
	},
	reset: (fakes) => (fakes.altinn3.failure = 'none'),
	secrets: { privateKey: altinn3Client.privateKeyPem, privateKeyLine: altinn3Client.privateKeyPem.split('\n')[1], enterprisePassword: ENTERPRISE_USER.password },
	succeeded: (json) => json.provider === 'altinn3' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: oauth2Expectations('Maskinporten'),
	overrides: grantAndExchangeOverrides(),
	own: [
		{
			id: 'wrongKey',
			description: 'a key that is not the registered one (invalid_grant)',
			retryAllowed: false,
			script: () => [],
			overrides: { privateKey: makeKeyClient().privateKeyPem },
			expected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /does not retry a refused login/),
		},
		{
			id: 'scopeNotGranted',
			description: 'a scope the client does not have (invalid_scope)',
			retryAllowed: false,
			script: () => [],
			overrides: { scopes: 'altinn:serviceowner/instances.read altinn:admin' },
			expected: api(/^Maskinporten did not give this client access \(400 Bad Request\)$/, /Scope\(s\) not allowed/),
		},
		{
			id: 'accessTokenWithLineBreak',
			description: 'a Maskinporten token with a line break',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc\r\nX-Evil: 1', token_type: 'Bearer' }) }],
			expected: api(/^Maskinporten sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'exchangeUnauthorized',
			description: 'the exchange refuses the Maskinporten token (401)',
			retryAllowed: false,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 401, reason: 'Unauthorized' }],
			expected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /scopes/, 2),
		},
		{
			id: 'exchangeNotAToken',
			description: 'the exchange answers 200 with a JSON object instead of a token',
			retryAllowed: false,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"token":"x"}' }],
			expected: api(/^Altinn's answer to the token exchange is not a token \(200 OK\)$/, /Check the environment/, 2),
		},
		{
			id: 'exchangeUnavailable',
			description: 'the exchange answers 503 three times',
			retryAllowed: true,
			script: () => [MASKINPORTEN_TOKEN_OK(), { status: 503 }, { status: 503 }, { status: 503 }],
			expected: api(retried('^Altinn failed to exchange the Maskinporten token \\(503 Service Unavailable'), /Try again later/, 4),
		},
		{
			id: 'wrongEnterprisePassword',
			description: 'a wrong enterprise password (exchange 401)',
			retryAllowed: false,
			script: () => [],
			overrides: { enterpriseUsername: ENTERPRISE_USER.username, enterprisePassword: 'wrong-enterprise-æ' },
			expected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /enterprise username and password/, 2),
		},
	],
	fields: [
		{
			name: 'client ID',
			set: (value) => ({ clientId: value }),
			readBack: (request) => {
				const grant = new URLSearchParams(request.body).get('assertion') ?? '';
				return (JSON.parse(Buffer.from(grant.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string }).iss;
			},
			injected: api(/^Maskinporten refused the login \(400 Bad Request\)$/, /Check the client ID/),
		},
		{
			name: 'enterprise username',
			set: (value) => ({ enterpriseUsername: value, enterprisePassword: ENTERPRISE_USER.password }),
			readBack: (_request, requests) => {
				const exchange = requests.find((request) => request.path.startsWith('/authentication/'));
				const decoded = Buffer.from(String(exchange?.headers['x-altinn-enterpriseuser-authentication'] ?? ''), 'base64').toString('utf8');
				return decoded.slice(0, decoded.indexOf(':'));
			},
			injected: api(/^Altinn did not accept the Maskinporten token \(401 Unauthorized\)$/, /enterprise username and password/, 2),
		},
	],
	utf8: {
		overrides: { enterpriseUsername: ALTINN3_UTF8_USER.username, enterprisePassword: ALTINN3_UTF8_USER.password },
		requests: 2,
		check: (_request, requests) => {
			const exchange = requests.find((request) => request.path.startsWith('/authentication/'));
			const sent = Buffer.from(String(exchange?.headers['x-altinn-enterpriseuser-authentication']), 'base64');
			expect(sent.equals(Buffer.from(`${ALTINN3_UTF8_USER.username}:${ALTINN3_UTF8_USER.password}`, 'utf8'))).toBe(true);
		},
	},
};

