import { buildAuthenticationRequest, readAuthenticationAnswer } from '../../nodes/Onlyoffice/protocol/authentication';
import { jsonAnswer, problemOf } from '../helpers/answers';

describe('ONLYOFFICE protocol', () => {
	it('sends the username and password as JSON to /api/2.0/authentication', () => {
		const request = buildAuthenticationRequest({ portalUrl: 'https://portal.example.com/', username: 'a@b.no', password: 'p"w æ' });
		expect(request.url).toBe('https://portal.example.com/api/2.0/authentication');
		expect(JSON.parse(request.body ?? '')).toEqual({ userName: 'a@b.no', password: 'p"w æ' });
	});

	it('refuses a portal URL that is not http(s)', () => {
		expect(problemOf(() => buildAuthenticationRequest({ portalUrl: 'portal.example.com', username: 'a', password: 'b' })).details.kind).toBe('badInput');
	});

	it('reads token and expires in either casing', () => {
		const lower = readAuthenticationAnswer(jsonAnswer(201, { count: 1, response: { token: 'tok', expires: '2010-07-07T17:06:03.58+03:00' }, status: 0 }));
		expect(lower).toEqual({ kind: 'token', token: 'tok', expiresAt: new Date('2010-07-07T14:06:03.580Z') });
		const upper = readAuthenticationAnswer(jsonAnswer(200, { response: { Token: 'TOK', Expires: '2010-07-07T17:06:03.5845502+03:00' } }));
		expect(upper).toMatchObject({ kind: 'token', token: 'TOK' });
		expect((upper as { expiresAt: Date }).expiresAt.toISOString()).toBe('2010-07-07T14:06:03.584Z');
	});

	it('gives no expiry for a session token without expires or with the zero date', () => {
		expect(readAuthenticationAnswer(jsonAnswer(201, { response: { token: 't' } }))).toEqual({ kind: 'token', token: 't', expiresAt: null });
		expect(readAuthenticationAnswer(jsonAnswer(201, { response: { token: 't', expires: '0001-01-01T00:00:00' } }))).toMatchObject({ expiresAt: null });
	});

	it('recognises both second-factor answers', () => {
		expect(readAuthenticationAnswer(jsonAnswer(200, { response: { sms: true, phoneNoise: '+47 **12' } }))).toMatchObject({ kind: 'secondFactor', method: 'sms', phoneNoise: '+47 **12' });
		expect(readAuthenticationAnswer(jsonAnswer(200, { response: { tfa: true, tfaKey: 'K' } }))).toMatchObject({ kind: 'secondFactor', method: 'tfa' });
	});

	it.each([
		[401, 'Invalid username or password.', 'rejected'],
		[500, 'User authentication failed', 'rejected'],
		[403, 'Access denied', 'rejected'],
		[404, 'The user could not be found', 'rejected'],
		[502, 'Upstream down', 'unavailable'],
	])('reports a %i with the portal message "%s" as %s', (status, message, kind) => {
		const problem = problemOf(() => readAuthenticationAnswer(jsonAnswer(status, { status: 1, statusCode: status, error: { message } })));
		expect(problem.details).toMatchObject({ kind, httpCode: status, providerMessage: message });
	});

	it('explains an HTML page and malformed JSON without guessing', () => {
		const html = problemOf(() => readAuthenticationAnswer({ statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html></html>' }));
		expect(html.message).toMatch(/web page/);
		const broken = problemOf(() => readAuthenticationAnswer({ statusCode: 200, statusMessage: 'OK', headers: {}, body: '{"response":{"tok' }));
		expect(broken.message).toMatch(/not valid JSON/);
		const noResponse = problemOf(() => readAuthenticationAnswer(jsonAnswer(200, { count: 0 })));
		expect(noResponse.details.kind).toBe('unexpectedAnswer');
	});
});
