/**
 * What a way of logging in is, for the rest of the package. Each login module (one file per way of
 * logging in, under a provider's `logins/`) fills this in once; the node, the credential's
 * `preAuthentication` and the credential's Test button all run that one `login` (loginRunner.ts).
 */
import { LoginProblem } from './protocol/loginProblem';
import type { SecretCollector } from './secrets';
import type { TokenItem } from './tokenItem';
import type { Send } from './transport';

/** What a login is given: a way to send requests, the time, and where to note the secrets it handles. */
export interface LoginContext {
	send: Send;
	now(): Date;
	secrets: SecretCollector;
}

/**
 * A login that stopped half-way because a person must hand in a code (an SMS code, a PIN): what
 * the workflow needs to ask for it. Never stored, never shared with other executions.
 */
export interface PendingLogin {
	pending: Record<string, string | null>;
}

export type LoginOutcome = TokenItem | PendingLogin;

export function isPendingLogin(outcome: LoginOutcome): outcome is PendingLogin {
	return 'pending' in outcome;
}

/**
 * The hidden credential fields n8n fills from `preAuthentication`: an HTTP Request node's session,
 * when a service was last checked, the tokens nodes share (credentialTokens.ts) and their hand-over;
 * they identify no login.
 */
export const SESSION_FIELDS = ['sessionTicket', 'sessionCookie', 'sessionToken', 'serviceCheckedAt', 'sharedTokens', 'handOverSharedTokens'] as const;

export type SessionField = (typeof SESSION_FIELDS)[number];

export interface LoginModule<Credential, Settings extends Record<string, unknown> = Record<string, never>> {
	/** The provider and way of logging in, as token items and store keys name it (e.g. "boknett"). */
	provider: string;
	/** The n8n credential type it reads. */
	credentialType: string;
	/**
	 * False for a login whose result must never be handed out again (a PIN request: each one sends
	 * a new SMS, and a stored PIN would make a workflow wait for an SMS never sent).
	 */
	reusable?: false;
	/**
	 * True for a login whose request may reach a person or an account (it sends an SMS code, or counts
	 * as a failed login when refused): its refusals, codes sent and unanswered tries are held
	 * (holds.ts), so no process sends it again for the same values until the hold is lifted.
	 */
	reachesPerson?: true;
	/** How long before expiry a node stops reusing its token, unless the person set a margin (default 5 minutes). */
	reuseMarginMs?: number;
	/** Every value of the credential that must never be shown. */
	secrets(credential: Credential): Array<string | undefined>;
	/**
	 * Logs in and returns a token item (or, for logins with a second step, what the person must be
	 * asked). Throws a `LoginProblem` when it cannot; it never repeats a refused login.
	 */
	login(context: LoginContext, credential: Credential, settings: Settings): Promise<LoginOutcome>;
	/**
	 * For credentials that log in by themselves for the HTTP Request node: the hidden field that
	 * keeps the session, and its value from a token item.
	 */
	session?: { field: SessionField; value(token: TokenItem): string };
	/** For logins a person completes with a code: checks the code with the provider and returns the token. */
	completeWithCode?(context: LoginContext, credential: Credential, code: string): Promise<TokenItem>;
	/**
	 * Why a login that stopped for a code cannot go on where no one waits for it: in a node set not
	 * to wait, or in a credential's own login for the HTTP Request node (`sentAt`: when the provider
	 * sent that code, for the credential's message).
	 */
	codeNeededProblem?(where: 'node' | 'credential', sentAt?: Date): LoginProblem;
	/**
	 * For a credential whose login must not run unasked (it would send someone an SMS): what its
	 * Test button checks instead. Throws a `LoginProblem` when the credential cannot work.
	 */
	checkWithoutLoggingIn?(context: LoginContext, credential: Credential): Promise<void>;
}

/** Why a login that stopped for a code cannot go on `where` it ran: the module's reason, or a general one. */
export function codeNeededProblemOf<C, S extends Record<string, unknown>>(
	module: LoginModule<C, S>,
	where: 'node' | 'credential',
	sentAt?: Date,
): LoginProblem {
	return (
		module.codeNeededProblem?.(where, sentAt) ??
		new LoginProblem({
			kind: 'secondFactorRequired',
			message: 'The login needs a code that this step cannot wait for',
			hint: 'Use the node that waits for the code.',
		})
	);
}

/** The token of an outcome; a login that stopped for a code fails with the module's reason. */
export function tokenOf<C, S extends Record<string, unknown>>(
	module: LoginModule<C, S>,
	outcome: LoginOutcome,
	where: 'node' | 'credential',
): TokenItem {
	if (!isPendingLogin(outcome)) return outcome;
	throw codeNeededProblemOf(module, where);
}
