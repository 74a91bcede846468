/**
 * How a protocol says a login did not work. Plain `Error`, so protocol code stays free of n8n; the
 * node side turns it into an n8n error (nodeErrors.ts) after removing every secret.
 */

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
	/** The provider's own words (e.g. Altinn's Norwegian message), shown beside ours. */
	providerMessage?: string;
}

/** A failure a protocol function reports. Plain Error so protocol code stays free of n8n. */
export class LoginProblem extends Error {
	readonly details: LoginProblemDetails;

	constructor(details: LoginProblemDetails) {
		super(details.message);
		this.name = 'LoginProblem';
		this.details = details;
	}
}

/** A problem as one sentence with what to do, for places that show text only (forms, Test buttons). */
export function problemSentence(problem: LoginProblem): string {
	return `${problem.details.message}. ${problem.details.hint}`;
}
