/**
 * Altinn 2 SMS PIN login (Altinn 2 was shut down on 19 June 2026; kept for existing workflows): the
 * national ID number and password make Altinn send a one-time PIN (GetAuthenticationChallenge);
 * a person hands the PIN in at the waiting execution, and the Basic SOAP services take it with the
 * credential's values. Used by Altinn SMS Challenge, Altinn SOAP Request and the credential's Test
 * button, which checks the service without sending anyone an SMS.
 */
import type { PageFact, PinFormText } from '../../shared/codePage';
import { hostOf, maskNationalIdNumber, parseInstant, validUntilSentence } from '../../shared/codePage';
import type { LoginModule } from '../../shared/loginModule';
import { refuseControlCharacters, requireLoginValues, resolveBaseUrl } from '../../shared/protocol/inputChecks';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { makeTokenItem } from '../../shared/tokenItem';
import { ALTINN_BASE_URLS } from '../protocol/rest';
import type { AltinnAuthMethod } from '../protocol/soap';
import {
	ALTINN2_RETIRED,
	PIN_VALIDITY_MS,
	buildChallengeRequest,
	buildServiceCheckRequest,
	readChallengeAnswer,
	readServiceCheckAnswer,
} from '../protocol/soap';

export interface AltinnSmsPinCredential {
	environment: string;
	baseUrl?: string;
	authMethod: AltinnAuthMethod;
	systemUserName?: string;
	systemPassword?: string;
	/** The person's national ID number (fødselsnummer), kept masked like a password. */
	secretNationalIdNumber?: string;
	/** Where credentials saved before version 0.4.0 keep the national ID number. */
	userSsn?: string;
	userPassword: string;
}

/** The national ID number, from the field of today's credential form or of one saved before 0.4.0. */
export function nationalIdNumberOf(credential: AltinnSmsPinCredential): string {
	return credential.secretNationalIdNumber || credential.userSsn || '';
}

/**
 * Runs an Altinn 2 step; when a real Altinn host (production or TT02, not a custom address) answers
 * with something other than the documented shapes, the problem says that Altinn 2 is gone, since
 * when, and what to use instead. Refusals and time-outs keep their own words.
 */
export async function altinn2Step<T>(environment: string, step: () => Promise<T>): Promise<T> {
	const attempt = step();
	const realHost = environment === 'production' || environment === 'test';
	if (!realHost) return await attempt;
	return await attempt.catch((error: unknown) => {
		const code = error instanceof LoginProblem ? error.details.httpCode : undefined;
		const gone = error instanceof LoginProblem && (error.details.kind === 'unexpectedAnswer' || code === 404 || code === 410);
		return Promise.reject(gone ? new LoginProblem({ ...error.details, hint: `${ALTINN2_RETIRED} (${error.details.hint})` }) : error);
	});
}

export function smsPinBaseUrl(credential: AltinnSmsPinCredential): string {
	return resolveBaseUrl(credential.environment, credential.baseUrl, ALTINN_BASE_URLS, 'Altinn');
}

/** Which Altinn the credential logs in to, as the PIN page names it. */
export function altinnServiceName(credential: Pick<AltinnSmsPinCredential, 'environment' | 'baseUrl'>): string {
	if (credential.environment === 'production') return 'Altinn (production)';
	if (credential.environment === 'test') return 'Altinn (TT02 test)';
	const host = hostOf(credential.baseUrl);
	return host ? `Altinn (custom address ${host})` : 'Altinn (custom address)';
}

/**
 * What the PIN page says: the service, the person by the last digits of the national ID number
 * only, and until when the PIN is valid (Request PIN's `validTo`; Altinn's times without a zone are
 * Norwegian), in the workflow's time zone; without a usable time, how long a PIN lasts.
 */
export function altinnPinPageText(credential: AltinnSmsPinCredential | undefined, validTo: unknown, timeZone: string, now: Date = new Date()): PinFormText {
	const facts: PageFact[] = [];
	if (credential) {
		facts.push({ label: 'Service', value: altinnServiceName(credential) });
		const person = maskNationalIdNumber(nationalIdNumberOf(credential));
		if (person) facts.push({ label: 'Account', value: person });
	}
	return {
		title: 'Altinn PIN',
		prompt:
			credential?.authMethod === 'AltinnPin'
				? 'Type the PIN from the letter of codes Altinn sent you by post (Altinn says which one):'
				: 'Type the one-time PIN Altinn sent you:',
		word: 'PIN',
		// The PIN can only be tried by using it: the workflow's next step sends it with its Altinn request.
		received:
			'The PIN was received. The workflow now sends it to Altinn with its request; this page cannot tell whether Altinn accepts it. If Altinn refuses it, the workflow fails and a new PIN must be requested.',
		facts,
		validity:
			validUntilSentence(parseInstant(validTo, 'Europe/Oslo'), timeZone, now) ??
			`A PIN is valid for ${Math.round(PIN_VALIDITY_MS / 60_000)} minutes after it was sent.`,
	};
}

/**
 * The credential's values as far as they can be checked without a login: filled in, free of line breaks,
 * and a national ID number of 11 digits. The password itself can only be tried by requesting a PIN.
 */
export function checkSmsPinValues(credential: AltinnSmsPinCredential): void {
	const nationalIdNumber = nationalIdNumberOf(credential);
	requireLoginValues('Altinn SMS PIN API', { 'national ID number (SSN)': nationalIdNumber, 'user password': credential.userPassword });
	refuseControlCharacters('Altinn SMS PIN API', { 'system ID': credential.systemUserName, 'system password': credential.systemPassword });
	if (!/^\d{11}$/.test(nationalIdNumber.replace(/\s+/g, ''))) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The national ID number (SSN) in the Altinn SMS PIN API credential is not 11 digits',
			hint: 'Open the credential and type the fødselsnummer (or D-number) of the person who gets the PIN: 11 digits.',
		});
	}
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

export const altinnSmsPinLogin: LoginModule<AltinnSmsPinCredential> = {
	provider: 'altinn-sms',
	// The PIN request sends an SMS and counts a failed login when refused: refusals and unanswered tries are held.
	reachesPerson: true,
	credentialType: 'altinnSmsPinApi',
	reusable: false,
	secrets: (credential) => [credential.secretNationalIdNumber, credential.userSsn, credential.userPassword, credential.systemPassword],
	/** Makes Altinn send the PIN; the login stops there until a person hands it in. */
	async login({ send }, credential) {
		const challenge = await altinn2Step(credential.environment, async () =>
			readChallengeAnswer(
				await send(
					buildChallengeRequest({
						baseUrl: smsPinBaseUrl(credential),
						authMethod: credential.authMethod,
						systemUserName: credential.systemUserName,
						userSsn: nationalIdNumberOf(credential),
						userPassword: credential.userPassword,
					}),
				),
			),
		);
		return {
			pending: {
				status: challenge.status,
				message: challenge.message,
				validFrom: challenge.validFrom,
				validTo: challenge.validTo,
				authMethod: credential.authMethod,
			},
		};
	},
	/** Altinn checks a PIN only when a service uses it: the PIN itself is the token the SOAP calls take. */
	async completeWithCode({ now }, credential, pin) {
		const obtainedAt = now();
		return makeTokenItem({
			provider: 'altinn-sms',
			environment: credential.environment,
			apiBaseUrl: smsPinBaseUrl(credential),
			token: pin,
			headers: {},
			obtainedAt,
			expiresAt: new Date(obtainedAt.getTime() + PIN_VALIDITY_MS),
			extra: { authMethod: credential.authMethod },
		});
	},
	/** Requesting a PIN would send the person an SMS: the Test button only checks that the service answers. */
	async checkWithoutLoggingIn({ send }, credential) {
		// Everything that can be checked without Altinn sending the person an SMS: the values' shape, then the service.
		checkSmsPinValues(credential);
		readServiceCheckAnswer(await send(buildServiceCheckRequest(smsPinBaseUrl(credential))));
	},
};
