/**
 * A fake Boknett ticket service as PROVIDERS.md and Bokbasen's page describe it: form-encoded
 * login, 201 + `Boknett-TGT`, 400 on bad credentials, 405 on other methods, DELETE to log out.
 * It also serves one downstream API call that checks the ticket and the `Date` header.
 */
import { randomBytes } from 'node:crypto';

import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, HTML_ERROR_PAGE, header, json } from './fakeServer';

export type BoknettFailure =
	| 'none'
	| 'htmlPage'
	| 'serverError'
	| 'slow'
	| 'missingTicketHeader'
	| 'methodNotAllowed';

export const BOKNETT_USER = { username: 'forlag-ø@example.no', password: 'S3cret æ&=+% pass' };

/** Ticket service errors come back as the plain status with this body. */
const BAD_REQUEST: Reply = { status: 400, reason: 'Bad Request', headers: { 'Content-Type': 'text/plain' }, body: 'Bad Request' };

export class FakeBoknett extends FakeServer {
	failure: BoknettFailure = 'none';

	slowMs = 2_000;

	readonly accounts = new Map<string, string>([[BOKNETT_USER.username, BOKNETT_USER.password]]);

	readonly liveTickets = new Set<string>();

	private ticketCounter = 0;

	protected handle(request: RecordedRequest): Reply {
		if (request.path === '/v1/tickets') return this.login(request);
		if (request.path.startsWith('/v1/tickets/')) return this.logout(request);
		if (request.path.startsWith('/metadata/')) return this.downstream(request);
		return { status: 404, reason: 'Not Found' };
	}

	private login(request: RecordedRequest): Reply {
		if (this.failure === 'slow') return { status: 201, delayMs: this.slowMs, headers: { 'Boknett-TGT': 'TGT-too-late' } };
		if (this.failure === 'htmlPage') return { status: 502, reason: 'Bad Gateway', headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		if (this.failure === 'serverError') return { status: 503, reason: 'Service Unavailable' };
		if (request.method !== 'POST' || this.failure === 'methodNotAllowed') return { status: 405, reason: 'Method Not Allowed' };
		if (!(header(request, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return BAD_REQUEST;
		const form = new URLSearchParams(request.body);
		const username = form.get('username') ?? '';
		const password = form.get('password');
		if (this.accounts.get(username) !== password) return BAD_REQUEST;
		if (this.failure === 'missingTicketHeader') return { status: 201, reason: 'Created' };
		const ticket = `TGT-${++this.ticketCounter}-${randomBytes(18).toString('base64url')}-login.boknett.no`;
		this.liveTickets.add(ticket);
		return { status: 201, reason: 'Created', headers: { 'Boknett-TGT': ticket } };
	}

	private logout(request: RecordedRequest): Reply {
		if (this.failure === 'serverError') return { status: 503, reason: 'Service Unavailable' };
		if (request.method !== 'DELETE') return { status: 405, reason: 'Method Not Allowed' };
		const ticket = decodeURIComponent(request.path.slice('/v1/tickets/'.length));
		if (!this.liveTickets.delete(ticket)) return BAD_REQUEST;
		return { status: 200, reason: 'OK' };
	}

	/** Bokbasen's APIs want `Authorization: Boknett <TGT>` and a `Date` within 15 minutes of now. */
	private downstream(request: RecordedRequest): Reply {
		const authorization = header(request, 'authorization') ?? '';
		const ticket = authorization.startsWith('Boknett ') ? authorization.slice('Boknett '.length) : '';
		if (!this.liveTickets.has(ticket)) return json(401, { error: 'invalid or missing ticket' });
		const date = Date.parse(header(request, 'date') ?? '');
		if (Number.isNaN(date) || Math.abs(Date.now() - date) > 15 * 60 * 1000) {
			return json(400, { error: 'Date header missing or more than 15 minutes off' });
		}
		return json(200, { products: [{ isbn: '9788202000000', title: 'Eksempelbok' }] });
	}
}
