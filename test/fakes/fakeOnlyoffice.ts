/**
 * A fake ONLYOFFICE portal: `POST /api/2.0/authentication` in its DocSpace (401 on a wrong
 * password) or older Workspace (500 "User authentication failed") flavour, with switches for the
 * failures users meet, and `GET /api/2.0/people/@self` to check the token downstream.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';

import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, HTML_ERROR_PAGE, header, json } from './fakeServer';

export type OnlyofficeFailure =
	| 'none'
	| 'htmlPage'
	| 'serverError'
	| 'slow'
	| 'malformedJson'
	| 'disabledUser'
	| 'twoFactorSms'
	| 'twoFactorApp'
	| 'capitalisedFields'
	| 'noExpiry';

export const ONLYOFFICE_USER = { username: 'anne@example.no', password: 'Pa$$ word æøå "quoted"' };

/** The name a portal shows for an account: "anne@example.no" is Anne Example. */
export function onlyofficeDisplayName(email: string): string {
	const local = email.split('@')[0] ?? '';
	return `${local.charAt(0).toUpperCase()}${local.slice(1)} Example`;
}

/** Accounts that always ask for a second factor, as the sandbox offers them. */
export const ONLYOFFICE_APP_2FA_USER = { username: 'tore@example.no', password: 'Tøre app 2FA pass' };
export const ONLYOFFICE_SMS_2FA_USER = { username: 'siri@example.no', password: 'Siri sms 2FA pass' };

/** The authenticator secret of the fake's app-two-factor account (Base32 of 20 bytes). */
export const ONLYOFFICE_TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/**
 * The fake's own reading of RFC 6238 (SHA-1, 30 s, 6 digits), written apart from the node's
 * module so that a mistake in one is caught by the other.
 */
function authenticatorCodes(base32Secret: string, atMs: number): string[] {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	const bits = [...base32Secret.toUpperCase()].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
	const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
	return [-1, 0, 1].map((drift) => {
		const step = Math.floor(atMs / 30_000) + drift;
		const counter = Buffer.alloc(8);
		counter.writeUInt32BE(Math.floor(step / 2 ** 32), 0);
		counter.writeUInt32BE(step % 2 ** 32, 4);
		const mac = createHmac('sha1', key).update(counter).digest();
		const at = mac[19] & 15;
		const number = ((mac[at] & 127) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3];
		return String(number % 1_000_000).padStart(6, '0');
	});
}

function errorBody(statusCode: number, message: string) {
	return { status: 1, statusCode, error: { message, hresult: -2146233088 } };
}

export class FakeOnlyoffice extends FakeServer {
	failure: OnlyofficeFailure = 'none';

	flavour: 'docspace' | 'workspace' = 'docspace';

	slowMs = 2_000;

	readonly accounts = new Map<string, string>([
		[ONLYOFFICE_USER.username, ONLYOFFICE_USER.password],
		[ONLYOFFICE_APP_2FA_USER.username, ONLYOFFICE_APP_2FA_USER.password],
		[ONLYOFFICE_SMS_2FA_USER.username, ONLYOFFICE_SMS_2FA_USER.password],
	]);

	/** The second factor each account asks for; the failure switches force one for every account. */
	readonly twoFactorAccounts = new Map<string, 'sms' | 'app'>([
		[ONLYOFFICE_APP_2FA_USER.username, 'app'],
		[ONLYOFFICE_SMS_2FA_USER.username, 'sms'],
	]);

	readonly liveTokens = new Set<string>();

	tokenExpires = '2030-07-07T17:06:03.5845502+03:00';

	/** The SMS code the portal "sent" last, as a person would read it on the phone. */
	lastSmsCode: string | undefined;

	/** When the portal says an SMS code expires: a fixed time a test sets, else 10 minutes after it is sent. */
	smsCodeExpires: string | undefined;

	/** What the portal said the last SMS code expires at. */
	lastSmsCodeExpires: string | undefined;

	/** Whose each live token is, for the profile the portal shows. */
	readonly tokenUsers = new Map<string, string>();

	/** Called when the portal "sends" an SMS code (the sandbox prints it). */
	onSmsCode: ((code: string) => void) | undefined;

	/** How many SMS codes the portal has sent since it started: each one reached a person's phone. */
	smsCodesSent = 0;

	/** Wrong codes tried for the current SMS code; the portal allows 5. */
	private smsTries = 0;

	protected handle(request: RecordedRequest): Reply {
		if (request.path === '/api/2.0/authentication') return this.authenticate(request);
		if (request.path === '/api/2.0/authentication/logout') return this.logout(request);
		const confirmation = /^\/api\/2\.0\/authentication\/(\d+)$/.exec(request.path);
		if (confirmation) return this.authenticate(request, confirmation[1]);
		if (request.path === '/api/2.0/people/@self') return this.self(request);
		return json(404, errorBody(404, 'Not found'));
	}

	private authenticate(request: RecordedRequest, code?: string): Reply {
		if (this.failure === 'slow') return { ...json(200, {}), delayMs: this.slowMs };
		if (this.failure === 'htmlPage') return { status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML_ERROR_PAGE };
		if (this.failure === 'serverError') return { status: 502, reason: 'Bad Gateway', body: '' };
		if (this.failure === 'malformedJson') {
			return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"count":1,"response":{"token":"abc' };
		}
		if (request.method !== 'POST') return json(405, errorBody(405, 'Method not allowed'));
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(request.body) as Record<string, unknown>;
		} catch {
			return json(400, errorBody(400, 'Invalid JSON'));
		}
		// The server matches field names case-insensitively.
		const lower = Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value]));
		const username = String(lower.username ?? '');
		const password = String(lower.password ?? '');
		if (!this.accounts.has(username)) return json(404, errorBody(404, 'The user could not be found'));
		if (this.accounts.get(username) !== password) {
			return this.flavour === 'docspace'
				? json(401, errorBody(401, 'Invalid username or password.'))
				: json(500, errorBody(500, 'User authentication failed'));
		}
		if (this.failure === 'disabledUser') return json(403, errorBody(403, 'Access denied: the user is disabled'));
		const twoFactor =
			this.failure === 'twoFactorSms' ? 'sms' : this.failure === 'twoFactorApp' ? 'app' : this.twoFactorAccounts.get(username);
		if (twoFactor === 'sms') {
			if (code !== undefined) return this.checkSmsCode(code) ?? this.issueToken(username);
			this.sendSmsCode();
			return json(200, {
				count: 1,
				response: { sms: true, phoneNoise: '+47 *****123', expires: this.lastSmsCodeExpires, confirmUrl: '/confirm.aspx?type=PhoneAuth' },
				status: 0,
				statusCode: 200,
			});
		}
		if (twoFactor === 'app') {
			if (code !== undefined) {
				if (!authenticatorCodes(ONLYOFFICE_TOTP_SECRET, Date.now()).includes(code)) {
					return json(401, errorBody(401, 'The code is incorrect'));
				}
				return this.issueToken(username);
			}
			return json(200, { count: 1, response: { tfa: true, tfaKey: ONLYOFFICE_TOTP_SECRET }, status: 0, statusCode: 200 });
		}
		if (code !== undefined) return json(400, errorBody(400, 'Two-factor authentication is not enabled'));
		return this.issueToken(username);
	}

	private sendSmsCode(): void {
		this.lastSmsCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
		this.lastSmsCodeExpires = this.smsCodeExpires ?? new Date(Date.now() + 10 * 60_000).toISOString();
		this.smsTries = 0;
		this.smsCodesSent++;
		this.onSmsCode?.(this.lastSmsCode);
	}

	/** An error reply for a wrong, used or exhausted code; undefined when the code is right (it is then used up). */
	private checkSmsCode(code: string): Reply | undefined {
		if (this.lastSmsCode === undefined || this.smsTries >= 5) return json(403, errorBody(403, 'Too many attempts or no code sent'));
		if (code !== this.lastSmsCode) {
			this.smsTries += 1;
			return json(401, errorBody(401, 'The code is incorrect'));
		}
		this.lastSmsCode = undefined;
		return undefined;
	}

	private issueToken(username: string): Reply {
		const token = randomBytes(24).toString('base64url');
		this.liveTokens.add(token);
		this.tokenUsers.set(token, username);
		const response: Record<string, unknown> =
			this.failure === 'capitalisedFields' ? { Token: token, Expires: this.tokenExpires } : { token, expires: this.tokenExpires };
		if (this.failure === 'noExpiry') delete response.expires;
		return json(201, { count: 1, response, status: 0, statusCode: 201 });
	}

	/** DocSpace's logout: ends the token's session; a token it does not know is 401, as any request with it. */
	private logout(request: RecordedRequest): Reply {
		if (request.method !== 'POST') return json(405, errorBody(405, 'Method not allowed'));
		const authorization = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.liveTokens.delete(authorization)) return json(401, errorBody(401, 'Unauthorized'));
		this.tokenUsers.delete(authorization);
		return json(200, { count: 1, response: null, status: 0, statusCode: 200 });
	}

	private self(request: RecordedRequest): Reply {
		const authorization = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.liveTokens.has(authorization)) return json(401, errorBody(401, 'Unauthorized'));
		const email = this.tokenUsers.get(authorization) ?? '';
		return json(200, { count: 1, response: { displayName: onlyofficeDisplayName(email), email }, status: 0, statusCode: 200 });
	}
}
