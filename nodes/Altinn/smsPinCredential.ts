/** The Altinn SMS PIN Login credential and the PIN, as the Altinn SOAP nodes read them. */
import { LoginProblem } from '../shared/protocolTypes';
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

/** The PIN from the node's PIN parameter, or a problem saying why there is none to use. */
export function requirePin(parameter: unknown): string {
	const pin = typeof parameter === 'string' || typeof parameter === 'number' ? String(parameter).trim() : '';
	if (!pin) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'No Altinn PIN reached this node',
			hint: 'Connect this node after Altinn SMS Challenge (Wait for PIN), whose token item carries the PIN in "token". If that step\'s time limit passed before anyone entered the PIN, n8n went on without one: request a new PIN.',
		});
	}
	if (!ALTINN_PIN_RULE.pattern.test(pin)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The PIN is not valid: it must be ${ALTINN_PIN_RULE.description}`,
			hint: 'Check the PIN parameter; by default it takes the token of the Altinn SMS Challenge (Wait for PIN) item.',
		});
	}
	return pin;
}
