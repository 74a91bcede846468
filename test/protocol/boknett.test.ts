import {
	boknettAuthorizationHeaders,
	buildCreateTicketRequest,
	buildDeleteTicketRequest,
	readCreateTicketAnswer,
	readDeleteTicketAnswer,
} from '../../nodes/Boknett/protocol/tickets';
import { answer, problemOf } from '../helpers/answers';

describe('Boknett protocol', () => {
	it('form-encodes the username and password, escaping æ & = + % and spaces', () => {
		const request = buildCreateTicketRequest({ baseUrl: 'https://login.boknett.no/', username: 'bø&k', password: 'a=b+c%d e' });
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://login.boknett.no/v1/tickets');
		expect(request.headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(request.body).toBe('username=b%C3%B8%26k&password=a%3Db%2Bc%25d+e');
		expect(new URLSearchParams(request.body).get('password')).toBe('a=b+c%d e');
	});

	it('refuses a password with a line break before anything is sent', () => {
		const problem = problemOf(() => buildCreateTicketRequest({ baseUrl: 'https://x', username: 'u', password: 'hunter2\r\n' }));
		expect(problem.details.kind).toBe('badInput');
		expect(problem.message).not.toContain('hunter2');
	});

	it('refuses an empty username or password', () => {
		expect(problemOf(() => buildCreateTicketRequest({ baseUrl: 'https://x', username: '', password: 'p' })).details.kind).toBe('badInput');
	});

	it('reads the TGT from the Boknett-TGT header of a 201, whatever its casing', () => {
		expect(readCreateTicketAnswer(answer(201, { 'boknett-tgt': 'TGT-1-abc' }))).toEqual({ ticket: 'TGT-1-abc' });
		expect(readCreateTicketAnswer(answer(201, { 'Boknett-TGT': ['TGT-2-def'] }))).toEqual({ ticket: 'TGT-2-def' });
	});

	it('takes a 201 without the Boknett-TGT header for a failure', () => {
		const problem = problemOf(() => readCreateTicketAnswer(answer(201)));
		expect(problem.details.kind).toBe('unexpectedAnswer');
		expect(problem.message).toContain('Boknett-TGT');
	});

	it('reports a 400 as refused credentials and never as something to retry', () => {
		const problem = problemOf(() => readCreateTicketAnswer(answer(400, {}, 'Bad Request', 'Bad Request')));
		expect(problem.details).toMatchObject({ kind: 'rejected', httpCode: 400 });
		expect(problem.message).toContain('400 Bad Request');
	});

	it('explains a 405 as a wrong address', () => {
		expect(problemOf(() => readCreateTicketAnswer(answer(405))).details.hint).toMatch(/Base URL/);
	});

	it('reports 5xx as the service being unavailable and a web page as a wrong address', () => {
		expect(problemOf(() => readCreateTicketAnswer(answer(503))).details.kind).toBe('unavailable');
		const html = problemOf(() => readCreateTicketAnswer(answer(200, { 'content-type': 'text/html' }, '<html><body>Login</body></html>')));
		expect(html.details.kind).toBe('unexpectedAnswer');
		expect(html.details.hint).toMatch(/web page/);
	});

	it('logs out with DELETE on the URL-encoded ticket', () => {
		const request = buildDeleteTicketRequest('https://login.boknett.no', 'TGT-1-a/b');
		expect(request).toMatchObject({ method: 'DELETE', url: 'https://login.boknett.no/v1/tickets/TGT-1-a%2Fb' });
		expect(readDeleteTicketAnswer(answer(200))).toEqual({ deleted: true });
		expect(problemOf(() => readDeleteTicketAnswer(answer(400))).details.kind).toBe('rejected');
		expect(problemOf(() => buildDeleteTicketRequest('https://x', '  ')).details.kind).toBe('badInput');
	});

	it('makes the Authorization header', () => {
		expect(boknettAuthorizationHeaders('TGT-9')).toEqual({ Authorization: 'Boknett TGT-9' });
	});
});
