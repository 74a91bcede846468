/** Fault matrix rows: Bokbasen OAuth2 client credentials. */
import { BoknettTicket } from '../../../nodes/Boknett/BoknettTicket.node';
import { BOKBASEN_CLIENT } from '../../fakes/fakeBokbasenAuth';
import { api, bytesOf, oauth2Expectations } from './shared';
import type { NodeTarget } from './shared';

export const bokbasenToken: NodeTarget = {
	name: 'Boknett Ticket (Bokbasen OAuth2)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.bokbasen,
	path: '/oauth/token',
	options: (baseUrl, overrides) => ({
		credentials: { bokbasenOAuth2Api: { environment: 'custom', baseUrl, ...BOKBASEN_CLIENT, ...overrides } },
		parameters: { operation: 'oauth2Token' },
	}),
	prepare: () => undefined,
	reset: (fakes) => {
		fakes.bokbasen.failure = 'none';
		fakes.bokbasen.clients.get(BOKBASEN_CLIENT.clientId)?.audiences.add(BOKBASEN_CLIENT.audience);
	},
	secrets: { clientSecret: BOKBASEN_CLIENT.clientSecret },
	succeeded: (json) => json.provider === 'bokbasen' && typeof json.token === 'string',
	token: (json) => String(json.token),
	provider: oauth2Expectations('Bokbasen'),
	own: [
		{
			id: 'wrongSecret',
			description: 'a wrong client secret (401)',
			retryAllowed: false,
			script: () => [],
			overrides: { clientSecret: 'wrong-secret-æ' },
			expected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
		{
			id: 'audienceNotAllowed',
			description: 'an audience the client may not use (403)',
			retryAllowed: false,
			script: () => [],
			arrange: (fakes) => fakes.bokbasen.clients.get(BOKBASEN_CLIENT.clientId)?.audiences.clear(),
			expected: api(/^Bokbasen did not give this client access \(403 Forbidden\)$/, /audience/),
		},
		{
			id: 'tokenWithLineBreak',
			description: 'a token with a line break',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc\nX-Evil: 1', expires_in: 60 }) }],
			expected: api(/^Bokbasen sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'notBearer',
			description: 'a token of another type than Bearer',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ access_token: 'abc', token_type: 'mac' }) }],
			expected: api(/^Bokbasen sent a token of type "mac", not a Bearer token$/, /only handles Bearer tokens/),
		},
	],
	fields: [
		{
			name: 'client ID',
			set: (value) => ({ clientId: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).client_id,
			injected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
		{
			name: 'client secret',
			set: (value) => ({ clientSecret: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).client_secret,
			injected: api(/^Bokbasen refused the login \(401 Unauthorized\)$/, /client ID and client secret/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => expect(request.rawBody.includes(bytesOf('"client_secret":"bb-Secret/with+chars=æøå"'))).toBe(true),
	},
};

