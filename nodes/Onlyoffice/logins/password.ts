/**
 * ONLYOFFICE password login with its second factors: an authenticator-app account is completed
 * with the code computed from the credential's secret; an SMS account stops half-way with what the
 * workflow needs to ask a person for the code (`completeWithCode` then finishes it). Used by
 * ONLYOFFICE Auth, the ONLYOFFICE API credential's preAuthentication and its Test button.
 */
import type { PageFact, PinFormText } from '../../shared/codePage';
import { hostOf, maskUsername, parseInstant, validUntilSentence } from '../../shared/codePage';
import type { LoginModule } from '../../shared/loginModule';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { totpCodeForSecret } from '../../shared/protocol/totp';
import type { TokenItem } from '../../shared/tokenItem';
import { makeTokenItem } from '../../shared/tokenItem';
import {
	buildAuthenticationRequest,
	buildCodeConfirmationRequest,
	onlyofficeAuthorizationHeaders,
	readAuthenticationAnswer,
	readCodeConfirmationAnswer,
	requireToken,
	requireTokenProblem,
	resolvePortalUrl,
} from '../protocol/authentication';

export interface OnlyofficeCredential {
	portalUrl: string;
	username: string;
	password: string;
	totpSecret?: string;
}

export const ONLYOFFICE_CREDENTIAL_NAME = 'ONLYOFFICE API';

/**
 * What the SMS code page says: the portal's host, the username masked to its first letter and
 * domain, and until when the code is valid (the Log In item's `codeExpiresAt`) in the workflow's
 * time zone; without a usable time, that a code lasts a few minutes.
 */
export function onlyofficeCodePageText(credential: OnlyofficeCredential | undefined, codeExpiresAt: unknown, timeZone: string, now: Date = new Date()): PinFormText {
	const facts: PageFact[] = [];
	if (credential) {
		const host = hostOf(credential.portalUrl);
		facts.push({ label: 'Service', value: host ? `ONLYOFFICE (${host})` : 'ONLYOFFICE' });
		const account = maskUsername(credential.username);
		if (account) facts.push({ label: 'Account', value: account });
	}
	return {
		title: 'ONLYOFFICE code',
		prompt: 'Type the code the ONLYOFFICE portal sent you by SMS:',
		word: 'code',
		// The code completes the login here, before the page answers: it was accepted.
		received: 'ONLYOFFICE accepted the code and you are logged in; the workflow goes on.',
		digitsOnly: true,
		facts,
		validity: validUntilSentence(parseInstant(codeExpiresAt), timeZone, now) ?? 'The code is valid for a few minutes.',
	};
}

function tokenItem(credential: OnlyofficeCredential, token: { token: string; expiresAt: Date | null }, obtainedAt: Date): TokenItem {
	return makeTokenItem({
		provider: 'onlyoffice',
		// The portal's whole address: two portals on one host are two environments.
		environment: resolvePortalUrl(credential.portalUrl),
		apiBaseUrl: resolvePortalUrl(credential.portalUrl),
		token: token.token,
		headers: onlyofficeAuthorizationHeaders(token.token),
		obtainedAt,
		expiresAt: token.expiresAt,
	});
}

export const onlyofficePasswordLogin: LoginModule<OnlyofficeCredential> = {
	provider: 'onlyoffice',
	// The login sends SMS accounts a code and counts a failed login when refused: held, never resent.
	reachesPerson: true,
	credentialType: 'onlyofficeApi',
	secrets: (credential) => [credential.password, credential.totpSecret],
	async login({ send, now, secrets }, credential) {
		const obtainedAt = now();
		const answer = readAuthenticationAnswer(await send(buildAuthenticationRequest(credential)));
		if (answer.kind === 'secondFactor' && answer.method === 'tfa' && credential.totpSecret?.trim()) {
			const code = totpCodeForSecret(credential.totpSecret, ONLYOFFICE_CREDENTIAL_NAME, obtainedAt.getTime());
			secrets.add(code);
			const token = readCodeConfirmationAnswer(await send(buildCodeConfirmationRequest(credential, code)), 'authenticator');
			return tokenItem(credential, token, obtainedAt);
		}
		if (answer.kind === 'secondFactor' && answer.method === 'sms') {
			return {
				pending: {
					status: 'smsCodeSent',
					phoneNoise: answer.phoneNoise ?? null,
					codeExpiresAt: answer.codeExpiresAt ? answer.codeExpiresAt.toISOString() : null,
				},
			};
		}
		return tokenItem(credential, requireToken(answer), obtainedAt);
	},
	async completeWithCode({ send, now }, credential, code) {
		const obtainedAt = now();
		const token = readCodeConfirmationAnswer(await send(buildCodeConfirmationRequest(credential, code)), 'sms');
		return tokenItem(credential, token, obtainedAt);
	},
	codeNeededProblem: (where, sentAt) => {
		const sent = sentAt ? ` at ${sentAt.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '';
		if (where === 'credential') {
			return new LoginProblem({
				kind: 'secondFactorRequired',
				message: `This ONLYOFFICE account requires an SMS code, which a request node cannot wait for. The portal sent one${sent}; this credential sends no further login (and no further code) until one of its values changes`,
				hint: 'Log in with the ONLYOFFICE Auth node (SMS Code: Wait for the Code, then Wait for SMS Code) and send its token item\'s headers, or link an authenticator app to the account and enter its secret in Authenticator Secret.',
			});
		}
		const waiting = requireTokenProblem('sms');
		if (!sentAt) return waiting;
		return new LoginProblem({
			kind: 'secondFactorRequired',
			message: `This ONLYOFFICE account requires an SMS code. The portal sent one${sent}, which was not handed in; no further login (and no further code) is sent with these values until it is, a value of the credential changes, or you run this node yourself (Execute step) with the option Force New Login`,
			hint: waiting.details.hint,
		});
	},
	session: { field: 'sessionToken', value: (token) => token.token },
};
