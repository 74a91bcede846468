/**
 * How a protocol says a login did not work. Plain `Error`, so protocol code stays free of n8n; the
 * node side turns it into an n8n error (nodeErrors.ts) after removing every secret.
 */
import { maskNationalIdNumbers } from './nationalIdNumber';

/**
 * Why a login did not give a token, in terms that decide what may happen next:
 * - `rejected`: the provider refused the credentials. Never retried: repeated attempts lock accounts.
 * - `unavailable`: the provider could not be reached or failed (time-out, 5xx).
 * - `unexpectedAnswer`: the provider answered something we cannot read (HTML, malformed JSON/XML).
 * - `secondFactorRequired`: the credentials are right but the account needs a code as well.
 * - `badInput`: the workflow or credential gave something that cannot be sent.
 */
export type LoginProblemKind =
	| 'rejected'
	| 'unavailable'
	| 'unexpectedAnswer'
	| 'secondFactorRequired'
	| 'badInput';

export interface LoginProblemDetails {
	kind: LoginProblemKind;
	/** One sentence a non-programmer understands. */
	message: string;
	/** What to do about it. */
	hint: string;
	httpCode?: number;
	/**
	 * The provider's own words (e.g. Altinn's Norwegian message), shown beside ours. Kept long: they
	 * are cut for showing only after every secret in them is redacted (`providerWordsShown`), so no
	 * secret is cut in two and shown in part.
	 */
	providerMessage?: string;
	/**
	 * For a request that may have reached a person or counted a failed login and failed in a way that
	 * leaves it unknown (a gateway's 502, a time-out): the earliest time to send it again.
	 */
	retryAfter?: Date;
}

/** A failure a protocol function reports. Plain Error so protocol code stays free of n8n. */
export class LoginProblem extends Error {
	readonly details: LoginProblemDetails;

	/** Any national ID number in what it says is masked here, whoever wrote the words: no problem ever shows one. */
	constructor(details: LoginProblemDetails) {
		const masked: LoginProblemDetails = {
			...details,
			message: maskNationalIdNumbers(details.message),
			hint: maskNationalIdNumbers(details.hint),
			...(details.providerMessage === undefined ? {} : { providerMessage: maskNationalIdNumbers(details.providerMessage) }),
		};
		super(masked.message);
		this.name = 'LoginProblem';
		this.details = masked;
	}
}

/** A problem as one sentence with what to do, for places that show text only (forms, Test buttons). */
export function problemSentence(problem: LoginProblem): string {
	return `${problem.details.message}. ${problem.details.hint}`;
}

/** The most of a provider's words an error shows. */
export const SHOWN_PROVIDER_WORDS = 600;

/** A provider's words as an error shows them: redacted whole by `redact`, then cut. */
export function providerWordsShown(words: string, redact: (text: string) => string): string {
	const redacted = redact(words);
	return redacted.length > SHOWN_PROVIDER_WORDS ? `${redacted.slice(0, SHOWN_PROVIDER_WORDS)}…` : redacted;
}
