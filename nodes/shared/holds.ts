/**
 * What a login that may reach a person remembers, so that a person is bothered once per need: a
 * hold on the login's values. An SMS code went out and was not handed in yet; the provider refused
 * the values (each further try is a failed login on the way to a lockout); or a request that may have
 * reached the person failed in a way that leaves it unknown (a gateway's 502, a time-out), until the
 * time its error names. While a hold stands, no process sends that login again: only changed values
 * (another login), the code handed in, or a person's explicit Force New Login lift it.
 *
 * Holds live in the process's token store, in the credential's sealed shared field (every n8n
 * process, where n8n lets a node save it: credentialTokens.ts), and in the credential's own session
 * field (credentialSession.ts), which n8n's HTTP Request node and the Test button go through.
 */
import type { LoginModule } from './loginModule';
import { codeNeededProblemOf } from './loginModule';
import { LoginProblem } from './protocol/loginProblem';

/** `lifted` is no hold: the record that every hold older than it is void (the code handed in, a login that went through). */
export type HoldKind = 'codeSent' | 'refused' | 'sentOnce' | 'lifted';

export interface LoginHold {
	kind: HoldKind;
	/** When it began (ISO 8601). */
	since: string;
	/** Until when it stands (ms since the epoch); null: until the values change. */
	until: number | null;
	/** The provider's refusal or the failure, as the login said it (a refusal's words are shown again). */
	message: string;
	hint: string;
	providerMessage?: string;
}

/** The hold a login's failure leaves, if any: a refusal, or a request that may have reached a person. */
export function holdAfterFailure(error: unknown, now: Date): LoginHold | undefined {
	if (!(error instanceof LoginProblem)) return undefined;
	const { kind, message, hint, providerMessage, retryAfter } = error.details;
	if (kind === 'rejected') return { kind: 'refused', since: now.toISOString(), until: null, message, hint, providerMessage };
	if (retryAfter) return { kind: 'sentOnce', since: now.toISOString(), until: retryAfter.getTime(), message, hint, providerMessage };
	return undefined;
}

/** The hold a login that stopped for a code leaves. */
export function holdAfterCodeSent(now: Date): LoginHold {
	return { kind: 'codeSent', since: now.toISOString(), until: null, message: '', hint: '' };
}

/** The record that lifts every hold made before `at`. */
export function liftRecord(at: Date): LoginHold {
	return { kind: 'lifted', since: at.toISOString(), until: null, message: '', hint: '' };
}

export function isLift(hold: LoginHold): boolean {
	return hold.kind === 'lifted';
}

/** Whether a hold still stands at `now`. */
export function holdStands(hold: LoginHold | undefined, now: number): hold is LoginHold {
	return hold !== undefined && (hold.until === null || hold.until > now);
}

const minute = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/**
 * The problem a login meets while a hold stands: a code sent, in the login's own words; a refusal or
 * a failure in the words it was said in (so the message reads as it did), with the hint saying since
 * when no login is sent, and what lifts that.
 */
export function holdProblem<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, hold: LoginHold, where: 'node' | 'credential'): LoginProblem {
	if (hold.kind === 'codeSent') return codeNeededProblemOf(module, where, new Date(hold.since));
	const lift =
		where === 'node'
			? 'a value of the credential changes, or you run this node yourself (Execute step) with the option Force New Login'
			: 'a value of the credential changes';
	const held =
		hold.kind === 'refused'
			? `Since then (${minute(hold.since)}) no login is sent with these values, as each try would count as a failed login, until ${lift}.`
			: `No login is sent with these values before ${new Date(hold.until ?? 0).toISOString()}, unless ${lift}.`;
	return new LoginProblem({
		kind: hold.kind === 'refused' ? 'rejected' : 'unavailable',
		message: hold.message,
		hint: `${hold.hint} ${held}`.trim(),
		providerMessage: hold.providerMessage,
	});
}
