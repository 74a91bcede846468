/**
 * ONLYOFFICE password login with its second factors: an authenticator-app account is completed
 * with the code computed from the credential's secret; an SMS account stops half-way with what the
 * workflow needs to ask a person for the code (`completeWithCode` then finishes it). Used by
 * ONLYOFFICE Auth, the ONLYOFFICE API credential's preAuthentication and its Test button.
 */
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
	codeNeededProblem: (where) =>
		where === 'credential'
			? new LoginProblem({
					kind: 'secondFactorRequired',
					message: 'This ONLYOFFICE account requires an SMS code, which a request node cannot wait for',
					hint: 'Log in with the ONLYOFFICE Auth node (SMS Code: Wait for the Code, then Wait for SMS Code) and send its token item\'s headers.',
				})
			: requireTokenProblem('sms'),
	session: { field: 'sessionToken', value: (token) => token.token },
};
