/** Building recorded HTTP answers and catching protocol problems, for the protocol unit tests. */
import type { HttpAnswer } from '../../nodes/shared/protocol/http';
import { LoginProblem } from '../../nodes/shared/protocol/loginProblem';

export function answer(statusCode: number, headers: HttpAnswer['headers'] = {}, body = '', statusMessage = ''): HttpAnswer {
	return { statusCode, statusMessage, headers, body };
}

export function jsonAnswer(statusCode: number, body: unknown): HttpAnswer {
	return answer(statusCode, { 'content-type': 'application/json' }, JSON.stringify(body));
}

/** The LoginProblem an action throws; fails the test if it throws nothing or something else. */
export function problemOf(action: () => unknown): LoginProblem {
	try {
		action();
	} catch (error) {
		if (error instanceof LoginProblem) return error;
		throw error;
	}
	throw new Error('expected a LoginProblem');
}

/** The LoginProblem an async action rejects with; fails the test if it resolves or rejects with something else. */
export async function problemOfAsync(action: () => Promise<unknown>): Promise<LoginProblem> {
	try {
		await action();
	} catch (error) {
		if (error instanceof LoginProblem) return error;
		throw error;
	}
	throw new Error('expected a LoginProblem');
}
