/** Fault matrix rows: ONLYOFFICE Auth: password login, and the authenticator-code step. */
import { OnlyofficeAuth } from '../../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { ONLYOFFICE_APP_2FA_USER, ONLYOFFICE_TOTP_SECRET, ONLYOFFICE_USER } from '../../fakes/fakeOnlyoffice';
import type { Reply } from '../../fakes/fakeServer';
import type { Expected, ProviderCaseId } from '../cases';
import { api, ok, bytesOf, sentOnceExpectations } from './shared';
import type { NodeTarget } from './shared';

const PASSWORD_ONCE = sentOnceExpectations('The ONLYOFFICE portal', 'the login', 'sent an SMS code or counted a failed login');
const CODE_ONCE = sentOnceExpectations('The ONLYOFFICE portal', 'the two-factor code', 'used up the code or counted a failed login', 1);

const onlyofficeToken = JSON.stringify({ count: 1, response: { token: 'scripted-token-1', expires: '2030-01-01T00:00:00Z' }, status: 0, statusCode: 201 });

export const onlyofficeAuth: NodeTarget = {
	name: 'ONLYOFFICE Auth',
	node: new OnlyofficeAuth(),
	fake: (fakes) => fakes.onlyoffice,
	path: '/api/2.0/authentication',
	reachesPerson: true,
	options: (baseUrl, overrides) => ({ credentials: { onlyofficeApi: { portalUrl: baseUrl, ...ONLYOFFICE_USER, ...overrides } } }),
	prepare: () => undefined,
	reset: (fakes) => {
		fakes.onlyoffice.failure = 'none';
		fakes.onlyoffice.flavour = 'docspace';
	},
	secrets: { password: ONLYOFFICE_USER.password },
	succeeded: (json) => typeof json.token === 'string' && json.token.length > 10,
	token: (json) => String(json.token),
	provider: {
		...PASSWORD_ONCE.provider,
		serverError: api(/^The ONLYOFFICE portal failed to log in \(500 Internal Server Error\)$/, /The portal has a problem/),
		htmlPage: api(/^The ONLYOFFICE portal answered with a web page instead of JSON \(200 OK\)$/, /not a login or maintenance page/),
		truncatedJson: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		malformedJson: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		truncatedXml: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		malformedXml: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		xmlBomb: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		externalEntity: api(/^The ONLYOFFICE portal's answer is not valid JSON \(200 OK\)$/, /sent a broken answer/),
		teapot: api(/^The ONLYOFFICE portal's answer is not valid JSON \(418 I'm a teapot\)$/, /sent a broken answer/),
		oddSuccess: api(/^The ONLYOFFICE portal's answer is not valid JSON \(299 unknown\)$/, /sent a broken answer/),
	},
	overrides: PASSWORD_ONCE.generic,
	own: [
		{
			id: 'noContentType',
			description: 'a token answer without Content-Type',
			retryAllowed: false,
			script: () => [{ status: 201, body: onlyofficeToken }],
			expected: ok(1, 'scripted-token-1'),
		},
		{
			id: 'duplicatedHeadersAndCookies',
			description: 'a token answer with Content-Type and asc_auth_key cookies twice',
			retryAllowed: false,
			script: () => [
				{
					status: 201,
					headers: { 'Content-Type': ['application/json', 'text/plain'], 'Set-Cookie': ['asc_auth_key=one', 'asc_auth_key=two'] },
					body: onlyofficeToken,
				},
			],
			expected: ok(1, 'scripted-token-1'),
		},
		{
			id: 'tokenWithLineBreak',
			description: 'a token with a line break (header injection into the next node)',
			retryAllowed: false,
			script: () => [{ status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ response: { token: 'abc\r\nX-Evil: 1' } }) }],
			expected: api(/sent a token with a line break or another control character$/, /proxy that changes answers/),
		},
		{
			id: 'wrongPassword',
			description: 'a wrong password (DocSpace: 401)',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ2' },
			expected: api(/^ONLYOFFICE refused the username or password \(401 Unauthorized\)$/, /does not retry, so the account is not locked/),
		},
		{
			id: 'wrongPasswordWorkspace',
			description: 'a wrong password (Workspace: 500 "User authentication failed")',
			retryAllowed: false,
			script: () => [],
			overrides: { password: 'wrong-password-æ3' },
			arrange: (fakes) => (fakes.onlyoffice.flavour = 'workspace'),
			expected: api(/^ONLYOFFICE refused the username or password \(500 Internal Server Error\)$/, /does not retry, so the account is not locked/),
		},
	],
	fields: [
		{
			name: 'username',
			set: (value) => ({ username: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).userName,
			injected: api(/^ONLYOFFICE does not know this user, or the portal address is wrong \(404 Not Found\)$/, /Check the username/),
		},
		{
			name: 'password',
			set: (value) => ({ password: value }),
			readBack: (request) => (JSON.parse(request.body) as Record<string, string>).password,
			injected: api(/^ONLYOFFICE refused the username or password \(401 Unauthorized\)$/, /Check the username/),
		},
	],
	utf8: {
		overrides: {},
		check: (request) => {
			expect(request.rawBody.includes(bytesOf('æøå "quoted"'.replace(/"/g, '\\"')))).toBe(true);
			expect(request.rawBody.includes(Buffer.from([0xc3, 0xa6, 0xc3, 0xb8, 0xc3, 0xa5]))).toBe(true);
		},
	},
};

// ---------------------------------------------------------------- Altinn


const TFA_ANSWER = (): Reply => ({
	status: 200,
	headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify({ count: 1, response: { tfa: true }, status: 0, statusCode: 200 }),
});

/** ONLYOFFICE with an authenticator app: every fault hits the second request, the one with the code. */
export const onlyofficeAuthenticator: NodeTarget = {
	...onlyofficeAuth,
	name: 'ONLYOFFICE Auth (authenticator code)',
	options: (baseUrl, overrides) => ({
		credentials: { onlyofficeApi: { portalUrl: baseUrl, ...ONLYOFFICE_APP_2FA_USER, totpSecret: ONLYOFFICE_TOTP_SECRET, ...overrides } },
	}),
	secrets: { password: ONLYOFFICE_APP_2FA_USER.password, totpSecret: ONLYOFFICE_TOTP_SECRET },
	scriptPrefix: () => [TFA_ANSWER()],
	provider: {
		...(Object.fromEntries(
			Object.entries(onlyofficeAuth.provider).map(([id, expected]) => [id, { ...expected, requests: expected.requests + 1 }]),
		) as Record<ProviderCaseId, Expected>),
		...CODE_ONCE.provider,
	},
	overrides: {
		...CODE_ONCE.generic,
		timeout: api(/^127\.0\.0\.1:\d+ did not answer within 300 ms$/, /raise the Timeout option/, 2),
		trickle: api(/^127\.0\.0\.1:\d+ did not answer within 300 ms$/, /raise the Timeout option/, 2),
		hangUp: api(/^127\.0\.0\.1:\d+ closed the connection before answering$/, /Try again later/, 2),
		cutBody: api(/^127\.0\.0\.1:\d+ closed the connection before answering$/, /Try again later/, 2),
		redirectOtherHost: api(/redirected the request to another host/, /Check the environment or Base URL/, 2),
		redirectSameHost: api(/redirected the request to another address on the same host/, /may have moved/, 2),
		tenMegabytes: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
		tenMegabytesDeclared: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
		endlessBody: api(/sent an answer larger than 1 MB, so it was not read \(200 OK\)$/, /A login answer is small/, 2),
	},
	own: [
		{
			id: 'codeRefused',
			description: 'the portal refuses the computed code (401)',
			retryAllowed: false,
			script: () => [{ status: 401, headers: { 'Content-Type': 'application/json' }, body: '{"status":1,"error":{"message":"Invalid code"}}' }],
			expected: api(/^ONLYOFFICE refused the two-factor code \(401 Unauthorized\)$/, /authenticator secret .* clock/, 2),
		},
		{
			id: 'secondFactorAgain',
			description: 'the portal asks for a second factor again after the code',
			retryAllowed: false,
			script: () => [TFA_ANSWER()],
			expected: api(/^ONLYOFFICE asked for a second factor again after the code was sent$/, /Start the login again/, 2),
		},
		{
			id: 'wrongSecret',
			description: 'a wrong authenticator secret: the real portal refuses the code',
			retryAllowed: false,
			script: () => [],
			overrides: { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
			expected: api(/^ONLYOFFICE refused the two-factor code \(401 Unauthorized\)$/, /does not retry/, 2),
		},
	],
	fields: onlyofficeAuth.fields,
	utf8: {
		overrides: {},
		requests: 2,
		check: (_request, requests) => {
			expect(requests.map((request) => request.path)).toEqual(['/api/2.0/authentication', expect.stringMatching(/^\/api\/2\.0\/authentication\/\d{6}$/)]);
			expect(requests[1].rawBody.includes(bytesOf('Tøre app 2FA pass'))).toBe(true);
		},
	},
};

