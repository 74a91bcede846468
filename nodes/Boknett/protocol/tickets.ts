/**
 * Bokbasen's legacy Boknett ticket service. A login (`POST /v1/tickets`) answers 201 with the
 * Ticket Granting Ticket (TGT) in the `Boknett-TGT` header; `DELETE /v1/tickets/{TGT}` logs out.
 * Later API calls send `Authorization: Boknett <TGT>` and a `Date` header.
 */
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { bodyExcerpt, headerValue, joinUrl, looksLikeHtml, statusLine } from '../../shared/protocol/http';
import { requireLoginValues, hasControlCharacters } from '../../shared/protocol/inputChecks';

export const BOKNETT_BASE_URLS = {
	production: 'https://login.boknett.no',
	test: 'https://login.boknett.webbe.no',
} as const;

/** Bokbasen documents a TGT's maximum age as 2 hours. */
export const TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;

export interface BoknettLogin {
	baseUrl: string;
	username: string;
	password: string;
}

export function buildCreateTicketRequest(login: BoknettLogin): HttpRequestSpec {
	requireLoginValues('Boknett API', { username: login.username, password: login.password });
	// URLSearchParams applies form encoding (æ, &, =, +, % all escaped), which Boknett expects.
	const form = new URLSearchParams({ username: login.username, password: login.password });
	return {
		method: 'POST',
		url: joinUrl(login.baseUrl, '/v1/tickets'),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: '*/*' },
		body: form.toString(),
		sendOnce: { service: 'Boknett', what: 'the login', mayHave: 'counted a failed login' },
	};
}

function describeFailure(answer: HttpAnswer): string | undefined {
	if (!answer.body.trim()) return undefined;
	return bodyExcerpt(answer.body);
}

/** Reads the login answer into the TGT, or explains why there is none. */
export function readCreateTicketAnswer(answer: HttpAnswer): { ticket: string } {
	if (answer.statusCode === 201) {
		const ticket = headerValue(answer, 'boknett-tgt')?.trim();
		if (!ticket) {
			throw new LoginProblem({
				kind: 'unexpectedAnswer',
				message: 'Boknett accepted the login but sent no ticket (the Boknett-TGT header is missing)',
				hint: 'A proxy may be removing the header, or the Base URL does not point at the Boknett ticket service.',
				httpCode: answer.statusCode,
			});
		}
		// A repeated header arrives joined with ", ": no single ticket can be told apart then.
		if (/[\s,]/.test(ticket)) {
			throw new LoginProblem({
				kind: 'unexpectedAnswer',
				message: 'Boknett accepted the login but sent more than one ticket, or a malformed one, in the Boknett-TGT header',
				hint: 'A proxy between n8n and Boknett may be adding or repeating headers. Check the environment or Base URL in the credential.',
				httpCode: answer.statusCode,
			});
		}
		return { ticket };
	}
	if (answer.statusCode === 400 || answer.statusCode === 401 || answer.statusCode === 403) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Boknett refused the login (${statusLine(answer)})`,
			hint: 'Check the username and password in the Boknett API credential. The node does not retry, so the account is not locked by repeated attempts.',
			httpCode: answer.statusCode,
			providerMessage: looksLikeHtml(answer) ? undefined : describeFailure(answer),
		});
	}
	if (answer.statusCode === 405) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: 'The server does not accept Boknett logins at this address (405 Method Not Allowed)',
			hint: 'Check the environment or Base URL in the credential: it must be the Boknett login service, e.g. https://login.boknett.no.',
			httpCode: answer.statusCode,
		});
	}
	return unexpectedStatus(answer, 'login');
}

export function buildDeleteTicketRequest(baseUrl: string, ticket: string): HttpRequestSpec {
	const trimmed = ticket.trim();
	if (!trimmed || hasControlCharacters(trimmed)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'No Boknett ticket to log out',
			hint: 'Set the Ticket parameter to the token of a Boknett Ticket login, e.g. {{ $json.token }}.',
		});
	}
	return {
		method: 'DELETE',
		url: joinUrl(baseUrl, `/v1/tickets/${encodeURIComponent(trimmed)}`),
		headers: { Accept: '*/*' },
	};
}

export function readDeleteTicketAnswer(answer: HttpAnswer): { deleted: true } {
	if (answer.statusCode === 200 || answer.statusCode === 204) return { deleted: true };
	if (answer.statusCode === 400 || answer.statusCode === 404) {
		throw new LoginProblem({
			kind: 'rejected',
			message: `Boknett did not know this ticket (${statusLine(answer)})`,
			hint: 'The ticket may have expired (they live 2 hours) or been logged out already. Nothing else needs to be done.',
			httpCode: answer.statusCode,
		});
	}
	return unexpectedStatus(answer, 'logout');
}

function unexpectedStatus(answer: HttpAnswer, step: 'login' | 'logout'): never {
	const html = looksLikeHtml(answer);
	throw new LoginProblem({
		kind: answer.statusCode >= 500 ? 'unavailable' : 'unexpectedAnswer',
		message:
			answer.statusCode >= 500
				? `Boknett failed during ${step} (${statusLine(answer)})`
				: `Boknett answered the ${step} with an unexpected status (${statusLine(answer)})`,
		hint:
			answer.statusCode >= 500
				? 'The Boknett service has a problem. Try again later.'
				: html
					? 'The answer was a web page, not the ticket service: check the environment or Base URL in the credential.'
					: 'Check the environment or Base URL in the credential.',
		httpCode: answer.statusCode,
		providerMessage: html ? undefined : describeFailure(answer),
	});
}

export function boknettAuthorizationHeaders(ticket: string): Record<string, string> {
	return { Authorization: `Boknett ${ticket}` };
}
