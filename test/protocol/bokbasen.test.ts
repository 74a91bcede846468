import { bokbasenApiBaseUrl, buildClientCredentialsRequest, readClientCredentialsAnswer } from '../../nodes/Bokbasen/protocol/clientCredentials';
import { answer, jsonAnswer, problemOf } from '../helpers/answers';

const NOW = new Date('2026-11-23T10:00:00Z');
const client = { authBaseUrl: 'https://auth.stage.bokbasen.io', clientId: 'id', clientSecret: 's€cret"', audience: ' https://api.bokbasen.io/metadata/ ' };

describe('Bokbasen OAuth2 client credentials', () => {
	it('says where the API a token is for lives: the audience, or its path at a custom address', () => {
		expect(bokbasenApiBaseUrl('production', 'https://auth.bokbasen.io', ' https://api.bokbasen.io/metadata/ ')).toBe('https://api.bokbasen.io/metadata/');
		expect(bokbasenApiBaseUrl('stage', 'https://auth.stage.bokbasen.io', 'https://api.stage.bokbasen.io/dds/')).toBe('https://api.stage.bokbasen.io/dds/');
		expect(bokbasenApiBaseUrl('custom', 'http://127.0.0.1:5705/', 'https://api.bokbasen.io/metadata/')).toBe('http://127.0.0.1:5705/metadata/');
		expect(bokbasenApiBaseUrl('production', 'https://auth.bokbasen.io', 'urn:bokbasen:metadata')).toBeNull();
		expect(bokbasenApiBaseUrl('production', 'https://auth.bokbasen.io', 'not an address')).toBeNull();
	});

	it('posts client ID, secret, audience and grant type as JSON to /oauth/token', () => {
		const request = buildClientCredentialsRequest(client);
		expect(request).toMatchObject({ method: 'POST', url: 'https://auth.stage.bokbasen.io/oauth/token' });
		expect(JSON.parse(request.body ?? '')).toEqual({
			client_id: 'id',
			client_secret: 's€cret"',
			audience: 'https://api.bokbasen.io/metadata/',
			grant_type: 'client_credentials',
		});
	});

	it('needs every value and an audience that is an address', () => {
		expect(problemOf(() => buildClientCredentialsRequest({ ...client, clientSecret: '' })).message).toBe('The Bokbasen OAuth2 API credential has no client secret');
		expect(problemOf(() => buildClientCredentialsRequest({ ...client, audience: 'metadata' })).message).toMatch(/audience .* is not an address/);
		expect(problemOf(() => buildClientCredentialsRequest({ ...client, clientId: 'id\n' })).details.kind).toBe('badInput');
	});

	it('reads the token and expiry from expires_in', () => {
		expect(readClientCredentialsAnswer(jsonAnswer(200, { access_token: 't', expires_in: 86400, token_type: 'Bearer' }), NOW)).toEqual({
			accessToken: 't',
			expiresAt: new Date(NOW.getTime() + 86_400_000),
			scope: undefined,
		});
		expect(readClientCredentialsAnswer(jsonAnswer(200, { access_token: 't' }), NOW).expiresAt).toBeNull();
	});

	it('explains 401 as a wrong client and 403 as a missing grant for the audience', () => {
		const wrong = problemOf(() => readClientCredentialsAnswer(jsonAnswer(401, { error: 'access_denied', error_description: 'Unauthorized' }), NOW));
		expect(wrong.message).toBe('Bokbasen refused the login (401)');
		expect(wrong.details.hint).toMatch(/client ID and client secret/);
		const audience = problemOf(() => readClientCredentialsAnswer(jsonAnswer(403, { error: 'access_denied', error_description: 'Service not enabled' }), NOW));
		expect(audience.message).toBe('Bokbasen did not give this client access (403)');
		expect(audience.details).toMatchObject({ kind: 'rejected', providerMessage: 'access_denied: Service not enabled' });
		expect(audience.details.hint).toMatch(/audience/);
	});

	it('refuses a token with a line break, which would add headers to the next request', () => {
		expect(problemOf(() => readClientCredentialsAnswer(jsonAnswer(200, { access_token: 'abc\r\nX-Evil: 1' }), NOW)).message).toBe(
			'Bokbasen sent a token with a line break or another control character',
		);
	});

	it('reports a 5xx, an HTML page and an odd status clearly', () => {
		expect(problemOf(() => readClientCredentialsAnswer(answer(503, {}, ''), NOW)).details.kind).toBe('unavailable');
		expect(problemOf(() => readClientCredentialsAnswer(answer(200, { 'content-type': 'text/html' }, '<html></html>'), NOW)).message).toMatch(/web page/);
		expect(problemOf(() => readClientCredentialsAnswer(answer(302, { location: 'https://elsewhere' }, ''), NOW)).message).toMatch(/unexpected status \(302\)/);
	});
});
