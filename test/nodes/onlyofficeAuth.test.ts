import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import type { OnlyofficeFailure } from '../fakes/fakeOnlyoffice';
import { FakeOnlyoffice, ONLYOFFICE_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import type { RunOptions } from '../helpers/n8nRunner';
import { RecordingRunner } from '../helpers/recordingRunner';
import { useFreshTokenStore } from '../helpers/tokenStore';
import { onlyofficePasswordLogin } from '../../nodes/Onlyoffice/logins/password';
import { SecretCollector } from '../../nodes/shared/secrets';
import type { TokenItem } from '../../nodes/shared/tokenItem';

useFreshTokenStore();

const node = new OnlyofficeAuth();
let fake: FakeOnlyoffice;
function credentials(overrides: Record<string, string> = {}) {
	return { onlyofficeApi: { portalUrl: `${fake.baseUrl}/`, ...ONLYOFFICE_USER, ...overrides } };
}

const runner = new RecordingRunner(() => ({ credentials: credentials() }));
const run = async (options: RunOptions = {}) => await runner.items(node, options);
const failure = async (options: RunOptions = {}) => await runner.failure(node, options);

beforeAll(async () => {
	fake = await new FakeOnlyoffice().start();
});
afterAll(async () => {
	await fake.stop();
});
beforeEach(() => {
	fake.failure = 'none';
	fake.flavour = 'docspace';
	fake.clearRequests();
});

describe('ONLYOFFICE Auth', () => {
	it('names the whole portal address as the environment, so two portals on one host differ', async () => {
		const environments: string[] = [];
		for (const portalUrl of ['https://office.example.com/sales/', 'https://office.example.com/finance']) {
			const outcome = await onlyofficePasswordLogin.login(
				{
					// The portal's answer to the password, as the fake gives it: only the address differs here.
					send: async (request) => {
						expect(request.url).toBe(`${portalUrl.replace(/\/$/, '')}/api/2.0/authentication`);
						return { statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response: { token: 'T', expires: '2030-07-07T17:06:03.58+03:00' } }) };
					},
					now: () => new Date(),
					secrets: new SecretCollector(),
				},
				{ portalUrl, username: ONLYOFFICE_USER.username, password: ONLYOFFICE_USER.password },
				{},
			);
			environments.push((outcome as TokenItem).environment);
		}
		expect(environments).toEqual(['https://office.example.com/sales', 'https://office.example.com/finance']);
	});

	it('logs in and outputs a token item whose headers the portal accepts', async () => {
		const [item] = await run();
		const json = item.json as Record<string, unknown>;
		expect(json).toMatchObject({
			provider: 'onlyoffice',
			environment: fake.baseUrl,
			expiresAt: '2030-07-07T14:06:03.584Z',
		});
		expect(json.headers).toEqual({ Authorization: json.token });
		const [request] = fake.requestsTo('/api/2.0/authentication');
		expect(request.headers['content-type']).toBe('application/json');
		expect(JSON.parse(request.body)).toEqual({ userName: ONLYOFFICE_USER.username, password: ONLYOFFICE_USER.password });
		const downstream = await fetch(`${fake.baseUrl}/api/2.0/people/@self`, { headers: json.headers as Record<string, string> });
		expect(downstream.status).toBe(200);
	});

	it('accepts the capitalised Token/Expires of older portals', async () => {
		fake.failure = 'capitalisedFields';
		const [item] = await run();
		expect(item.json.token).toEqual(expect.any(String));
		expect(item.json.expiresAt).toBe('2030-07-07T14:06:03.584Z');
	});

	it('outputs expiresAt null for a session token without expiry', async () => {
		fake.failure = 'noExpiry';
		const [item] = await run();
		expect(item.json.expiresAt).toBeNull();
	});

	it('says two-factor login is required when the portal sends an SMS code', async () => {
		fake.failure = 'twoFactorSms';
		const error = await failure();
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toBe('This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code');
		expect(error.description).toMatch(/Wait for SMS Code/);
	});

	it('says two-factor login is required when the portal wants an authenticator code', async () => {
		fake.failure = 'twoFactorApp';
		expect((await failure()).message).toBe('This ONLYOFFICE account requires two-factor login with an authenticator app');
	});

	it('fails a wrong password on DocSpace (401) once, with the portal message and a hint', async () => {
		const error = await failure({ credentials: credentials({ password: 'not-the-password' }) });
		expect(error.message).toBe('ONLYOFFICE refused the username or password (401 Unauthorized)');
		expect(error.description).toMatch(/Invalid username or password\./);
		expect(error.description).toMatch(/does not retry/);
		expect(error.httpCode).toBe('401');
		expect(fake.requests).toHaveLength(1);
	});

	it('fails a wrong password on older Workspace (500 "User authentication failed") as refused credentials', async () => {
		fake.flavour = 'workspace';
		const error = await failure({ credentials: credentials({ password: 'not-the-password' }) });
		expect(error.message).toBe('ONLYOFFICE refused the username or password (500 Internal Server Error)');
		expect(error.description).toMatch(/User authentication failed/);
		expect(fake.requests).toHaveLength(1);
	});

	it.each<[OnlyofficeFailure | 'unknownUser', RegExp]>([
		['disabledUser', /did not let this user log in \(403 Forbidden\)/],
		['unknownUser', /does not know this user, or the portal address is wrong \(404 Not Found\)/],
		['htmlPage', /answered with a web page instead of JSON \(200 OK\)/],
		['malformedJson', /answer is not valid JSON \(200 OK\)/],
		['serverError', /^The ONLYOFFICE portal failed the login \(502 Bad Gateway\) but may already have sent an SMS code or counted a failed login, so it was not sent again$/],
	])('turns %s into a clear error', async (mode, message) => {
		const options: RunOptions = {};
		if (mode === 'unknownUser') options.credentials = credentials({ username: 'nobody@example.no' });
		else fake.failure = mode;
		const error = await failure(options);
		expect(error.message).toMatch(message);
		expect(error.description).toBeTruthy();
	});

	it('fails with a time-out message when the portal is too slow', async () => {
		fake.failure = 'slow';
		const error = await failure({ parameters: { options: { timeout: 250 } } });
		expect(error.message).toMatch(/did not answer within 250 ms/);
	});

	it('with Continue On Fail, reports the failed item and goes on', async () => {
		fake.failure = 'disabledUser';
		const items = await run({ continueOnFail: true, input: [{ json: {} }, { json: {} }] });
		expect(items).toHaveLength(2);
		for (const [index, item] of items.entries()) {
			expect(item.json.error).toMatch(/did not let this user log in/);
			expect(item.json.description).toMatch(/disabled/);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('logs in once for several items with Reuse Token on, and once per item with it off', async () => {
		const items = await run({ input: [{ json: {} }, { json: {} }] });
		expect(items.map((item) => item.json.reused)).toEqual([false, true]);
		expect(items[1].json.token).toBe(items[0].json.token);
		expect(fake.requests).toHaveLength(1);
		const separate = await run({ input: [{ json: {} }, { json: {} }], parameters: { options: { reuseToken: false } } });
		expect(separate.map((item) => item.json.reused)).toEqual([false, false]);
		expect(fake.requests).toHaveLength(3);
	});
});

describe('ONLYOFFICE Auth: the token kept inside (Output: Response) and ended (Log Out)', () => {
	const portalTokens = () => [...fake.liveTokens];

	it('Output: Response reads the profile with the token and passes on only the portal\'s answer; Log Out with no token ends the one the credential holds', async () => {
		const [profile] = await run({ parameters: { operation: 'logIn', output: 'response', requestUrl: `${fake.baseUrl}/api/2.0/people/@self` } });
		expect(profile.json).toMatchObject({ response: { email: ONLYOFFICE_USER.username } });
		expect(JSON.stringify(profile.json)).not.toMatch(new RegExp(portalTokens().join('|')));
		const live = portalTokens().length;
		const [loggedOut] = await run({ parameters: { operation: 'logOut' } });
		expect(loggedOut.json).toEqual({ loggedOut: true, alreadyEnded: false });
		expect(portalTokens()).toHaveLength(live - 1);
		// Ended: the next run logs in anew, never handing out the ended token.
		fake.clearRequests();
		const [again] = await run({ parameters: { operation: 'logIn', output: 'response', requestUrl: `${fake.baseUrl}/api/2.0/people/@self` } });
		expect(again.json).toMatchObject({ response: { email: ONLYOFFICE_USER.username } });
		expect(fake.requests.map((request) => request.path)).toEqual(['/api/2.0/authentication', '/api/2.0/people/@self']);
	});

	it('Log Out ends a token given by an item; one the portal no longer knows is said to have ended already; none stored sends nothing', async () => {
		const [token] = await run();
		const [ended] = await run({ parameters: { operation: 'logOut', token: String(token.json.token) } });
		expect(ended.json).toEqual({ loggedOut: true, alreadyEnded: false });
		const [again] = await run({ parameters: { operation: 'logOut', token: String(token.json.token) } });
		expect(again.json).toEqual({ loggedOut: true, alreadyEnded: true });
		fake.clearRequests();
		const [nothing] = await run({ parameters: { operation: 'logOut' } });
		expect(nothing.json).toEqual({ loggedOut: false, message: 'This credential has no token from earlier logins: nothing was sent' });
		expect(fake.requests).toHaveLength(0);
	});

	it('a failing portal leaves the token valid and says so', async () => {
		const [token] = await run();
		fake.serveNext({ status: 500, reason: 'Internal Server Error', body: '' });
		const error = await failure({ parameters: { operation: 'logOut', token: String(token.json.token) } });
		expect(error.message).toMatch(/failed to log out \(500/);
		expect(error.description).toMatch(/the token stays valid until then/);
	});
});

// Runs last, over everything the tests above produced.
it('leak check: no password in any output or error', () => {
	// Something was produced, so the search below searched something.
	expect(runner.produced.length).toBeGreaterThan(0);
	expect(leakedSecrets(runner.produced, { password: ONLYOFFICE_USER.password })).toEqual([]);
});
