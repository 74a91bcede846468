/**
 * The ONLYOFFICE login sequence (password, then the authenticator code when the account has one
 * and the credential holds its secret), shared by the node and the credential's preAuthentication.
 */
import type { HttpCapableContext, SecretCollector } from '../shared/execution';
import { sendRequest } from '../shared/execution';
import { totpCodeForSecret } from '../shared/totp';
import type { OnlyofficeAnswer } from './protocol';
import { buildAuthenticationRequest, buildCodeConfirmationRequest, readAuthenticationAnswer, readCodeConfirmationAnswer } from './protocol';

export interface OnlyofficeCredential {
	portalUrl: string;
	username: string;
	password: string;
	totpSecret?: string;
}

export const ONLYOFFICE_CREDENTIAL_NAME = 'ONLYOFFICE API';

export function onlyofficeSecrets(credential: OnlyofficeCredential): Array<string | undefined> {
	return [credential.password, credential.totpSecret];
}

/** Sends the code with the credentials and reads the token, for both kinds of second factor. */
export async function confirmCode(
	context: HttpCapableContext,
	credential: OnlyofficeCredential,
	code: string,
	codeSource: 'sms' | 'authenticator',
	timeoutMs?: number,
) {
	const answer = await sendRequest(context, buildCodeConfirmationRequest(credential, code), timeoutMs);
	return readCodeConfirmationAnswer(answer, codeSource);
}

/**
 * Logs in; an authenticator-app account is completed with the code from the credential's secret.
 * An SMS account's answer comes back as it is, for the caller to decide.
 */
export async function onlyofficeLogin(
	context: HttpCapableContext,
	credential: OnlyofficeCredential,
	secrets: SecretCollector,
	timeoutMs?: number,
): Promise<OnlyofficeAnswer> {
	secrets.add(...onlyofficeSecrets(credential));
	const answer = readAuthenticationAnswer(await sendRequest(context, buildAuthenticationRequest(credential), timeoutMs));
	if (answer.kind === 'secondFactor' && answer.method === 'tfa' && credential.totpSecret?.trim()) {
		const code = totpCodeForSecret(credential.totpSecret, ONLYOFFICE_CREDENTIAL_NAME);
		secrets.add(code);
		return { kind: 'token', ...(await confirmCode(context, credential, code, 'authenticator', timeoutMs)) };
	}
	return answer;
}
