/**
 * A fake of Bokbasen's OAuth2 server (Auth0-style): `POST /oauth/token` with client credentials
 * as JSON or form, 401 for a wrong client, 403 for an audience the client may not use.
 * `GET /metadata/export` stands for a Bokbasen API that wants the Bearer token.
 */
import { randomBytes } from 'node:crypto';

import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, HTML_ERROR_PAGE, header, json } from './fakeServer';

export const BOKBASEN_CLIENT = {
	clientId: 'n8nLoginTokensTestClient',
	clientSecret: 'bb-Secret/with+chars=æøå',
	audience: 'https://api.bokbasen.io/metadata/',
};

export type BokbasenAuthFailure = 'none' | 'serverError' | 'htmlPage' | 'slow' | 'malformedJson';

export class FakeBokbasenAuth extends FakeServer {
	failure: BokbasenAuthFailure = 'none';

	slowMs = 2_000;

	expiresInSeconds = 86_400;

	readonly clients = new Map<string, { secret: string; audiences: Set<string> }>([
		[BOKBASEN_CLIENT.clientId, { secret: BOKBASEN_CLIENT.clientSecret, audiences: new Set([BOKBASEN_CLIENT.audience]) }],
	]);

	readonly liveTokens = new Set<string>();

	protected handle(request: RecordedRequest): Reply {
		if (request.path === '/oauth/token') return this.token(request);
		if (request.path === '/metadata/export') return this.api(request);
		// Published by the token server (an OpenID provider) for anyone; the credential's Test request reads it.
		if (request.path === '/.well-known/openid-configuration') return json(200, { issuer: `${this.baseUrl}/`, token_endpoint: `${this.baseUrl}/oauth/token` });
		return json(404, { error: 'not_found' });
	}

	private token(request: RecordedRequest): Reply {
		if (this.failure === 'slow') return { ...json(200, {}), delayMs: this.slowMs };
		if (this.failure === 'serverError') return { status: 503, reason: 'Service Unavailable', body: '' };
		if (this.failure === 'htmlPage') return { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		if (this.failure === 'malformedJson') return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"access_token":"abc' };
		if (request.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'Method not allowed' });
		let fields: Record<string, unknown>;
		if ((header(request, 'content-type') ?? '').includes('application/json')) {
			try {
				fields = JSON.parse(request.body) as Record<string, unknown>;
			} catch {
				return json(400, { error: 'invalid_request', error_description: 'Malformed JSON' });
			}
		} else {
			fields = Object.fromEntries(new URLSearchParams(request.body));
		}
		if (fields.grant_type !== 'client_credentials') {
			return json(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' });
		}
		const client = this.clients.get(String(fields.client_id));
		if (!client || client.secret !== fields.client_secret) {
			return json(401, { error: 'access_denied', error_description: 'Unauthorized' });
		}
		if (!client.audiences.has(String(fields.audience))) {
			return json(403, { error: 'access_denied', error_description: `Service not enabled within domain: ${String(fields.audience)}` });
		}
		const token = randomBytes(32).toString('base64url');
		this.liveTokens.add(token);
		return json(200, { access_token: token, expires_in: this.expiresInSeconds, token_type: 'Bearer' });
	}

	private api(request: RecordedRequest): Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.liveTokens.has(bearer)) return json(401, { error: 'invalid_token' });
		return json(200, { records: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
	}
}
