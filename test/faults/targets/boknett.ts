/** Fault matrix rows: Boknett Ticket: create and delete a ticket. */
import { BoknettTicket } from '../../../nodes/Boknett/BoknettTicket.node';
import { BOKNETT_USER } from '../../fakes/fakeBoknett';
import { api, ok, retried, sentOnceExpectations } from './shared';
import type { Overrides, NodeTarget } from './shared';

const boknettCredential = (baseUrl: string, overrides: Overrides) => ({
	boknettApi: { environment: 'custom', baseUrl, ...BOKNETT_USER, ...overrides },
});

const BOKNETT_LOGIN_ONCE = sentOnceExpectations('Boknett', 'the login', 'counted a failed login');

const LIVE_TICKET = 'TGT-matrix-1-login.boknett.no';

export const boknettCreate: NodeTarget = {
	name: 'Boknett Ticket (create)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.boknett,
	path: '/v1/tickets',
	reachesPerson: true,
	options: (baseUrl, overrides) => ({ credentials: boknettCredential(baseUrl, overrides), parameters: { operation: 'create' } }),
	prepare: () => undefined,
	reset: (fakes) => (fakes.boknett.failure = 'none'),
	secrets: { password: BOKNETT_USER.password },
	succeeded: (json) => typeof json.token === 'string' && json.token.startsWith('TGT-'),
	provider: {
		...BOKNETT_LOGIN_ONCE.provider,
		serverError: api(/^Boknett failed during login \(500 Internal Server Error\)$/, /Try again later/),
		htmlPage: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /The answer was a web page/),
		truncatedJson: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		malformedJson: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		truncatedXml: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		malformedXml: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		xmlBomb: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		externalEntity: api(/^Boknett answered the login with an unexpected status \(200 OK\)$/, /Check the environment or Base URL/),
		teapot: api(/^Boknett answered the login with an unexpected status \(418 I'm a teapot\)$/, /Check the environment or Base URL/),
		oddSuccess: api(/^Boknett answered the login with an unexpected status \(299 unknown\)$/, /Check the environment or Base URL/),
	},
	overrides: BOKNETT_LOGIN_ONCE.generic,
	own: [
		{
			id: 'missingTicketHeader',
			description: '201 without the Boknett-TGT header',
			retryAllowed: false,
			script: () => [{ status: 201, reason: 'Created' }],
			expected: api(/sent no ticket \(the Boknett-TGT header is missing\)$/, /A proxy may be removing the header/),
		},
		{
			id: 'duplicatedTicketHeader',
			description: '201 with the Boknett-TGT header twice',
			retryAllowed: false,
			script: () => [{ status: 201, headers: { 'Boknett-TGT': ['TGT-1-a', 'TGT-2-b'] } }],
			expected: api(/sent more than one ticket, or a malformed one/, /adding or repeating headers/),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (400)',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ1' },
			expected: api(/^Boknett refused the login \(400 Bad Request\)$/, /does not retry, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'username',
			set: (value) => ({ username: value }),
			readBack: (request) => new URLSearchParams(request.body).get('username') ?? undefined,
			injected: api(/^Boknett refused the login \(400 Bad Request\)$/, /Check the username and password/),
		},
		{
			name: 'password',
			set: (value) => ({ password: value }),
			readBack: (request) => new URLSearchParams(request.body).get('password') ?? undefined,
			injected: api(/^Boknett refused the login \(400 Bad Request\)$/, /Check the username and password/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
			// Form encoding sends æ and ø as their UTF-8 bytes, percent-encoded.
			expect(request.rawBody.toString('latin1')).toContain('username=forlag-%C3%B8%40example.no');
			expect(request.rawBody.toString('latin1')).toContain('password=S3cret+%C3%A6');
			expect(new URLSearchParams(request.body).get('password')).toBe(BOKNETT_USER.password);
		},
	},
};

export const boknettDelete: NodeTarget = {
	name: 'Boknett Ticket (delete)',
	node: new BoknettTicket(),
	fake: (fakes) => fakes.boknett,
	path: '/v1/tickets/',
	options: (baseUrl, { ticket, ...overrides }) => ({
		credentials: boknettCredential(baseUrl, overrides),
		parameters: { operation: 'delete' },
		input: [{ json: { token: ticket ?? LIVE_TICKET } }],
	}),
	prepare: (fakes) => {
		fakes.boknett.liveTickets.add(LIVE_TICKET);
		fakes.boknett.liveTickets.add('TGT-æøå');
	},
	reset: (fakes) => (fakes.boknett.failure = 'none'),
	secrets: { password: BOKNETT_USER.password },
	succeeded: (json) => json.deleted === true,
	provider: {
		unavailable: api(retried('^Boknett failed during logout \\(503 Service Unavailable'), /Try again later/, 3),
		badGatewayPage: api(retried('^Boknett failed during logout \\(502 Bad Gateway'), /Try again later/, 3),
		gatewayTimeout: api(retried('^Boknett failed during logout \\(504 Gateway Timeout'), /Try again later/, 3),
		serverError: api(/^Boknett failed during logout \(500 Internal Server Error\)$/, /Try again later/),
		// A logout answered 200 is done, whatever the body says: there is nothing in it to read.
		htmlPage: ok(),
		truncatedJson: ok(),
		malformedJson: ok(),
		truncatedXml: ok(),
		malformedXml: ok(),
		xmlBomb: ok(),
		externalEntity: ok(),
		teapot: api(/^Boknett answered the logout with an unexpected status \(418 I'm a teapot\)$/, /Check the environment or Base URL/),
		oddSuccess: api(/^Boknett answered the logout with an unexpected status \(299 unknown\)$/, /Check the environment or Base URL/),
	},
	own: [
		{ id: 'noHeaders', description: '204 without any header', retryAllowed: false, script: () => [{ status: 204 }], expected: ok() },
		{
			id: 'duplicatedHeaders',
			description: '200 with Content-Type and a cookie twice',
			retryAllowed: false,
			script: () => [{ status: 200, headers: { 'Content-Type': ['text/plain', 'text/html'], 'Set-Cookie': ['a=1', 'a=2'] } }],
			expected: ok(),
		},
		{
			id: 'unknownTicket',
			description: 'a ticket Boknett does not know (400)',
			retryAllowed: false,
			script: () => [],
			overrides: { ticket: 'TGT-expired-long-ago' },
			expected: api(/^Boknett did not know this ticket \(400 Bad Request\)$/, /may have expired/),
		},
	],
	fields: [
		{
			name: 'ticket',
			set: (value) => ({ ticket: value }),
			readBack: (request) => decodeURIComponent(request.path.slice('/v1/tickets/'.length)),
			injected: api(/^Boknett did not know this ticket \(400 Bad Request\)$/, /may have expired/),
			controlCharacters: { error: 'NodeOperationError', message: /^No Boknett ticket to log out$/, hint: /Set the Ticket parameter/, requests: 0 },
		},
	],
	utf8: {
		overrides: { ticket: 'TGT-æøå' },
		check: (request) => expect(request.path).toBe('/v1/tickets/TGT-%C3%A6%C3%B8%C3%A5'),
	},
};

// ---------------------------------------------------------------- ONLYOFFICE

