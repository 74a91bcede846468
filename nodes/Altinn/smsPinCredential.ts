/** The Altinn SMS PIN Login credential as the Altinn SOAP nodes read it. */
import type { AltinnAuthMethod } from './protocol/soap';

export interface AltinnSmsPinCredential {
	environment: string;
	baseUrl?: string;
	authMethod: AltinnAuthMethod;
	systemUserName?: string;
	systemPassword?: string;
	userSsn: string;
	userPassword: string;
}

/** Everything in the credential that must never appear in output, errors or logs. */
export function smsPinSecrets(credential: AltinnSmsPinCredential): string[] {
	return [credential.userSsn, credential.userPassword, credential.systemPassword ?? ''];
}

/**
 * Altinn's one-time codes: SMS PINs and letter codes are short runs of letters and digits.
 * The exact length is not documented, so anything from 4 to 12 is accepted.
 */
export const ALTINN_PIN_RULE = { pattern: /^[A-Za-z0-9]{4,12}$/, description: '4 to 12 letters or digits' };
