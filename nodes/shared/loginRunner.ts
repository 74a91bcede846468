/**
 * Runs a login module for each place that logs in: a node's item (with token reuse and refusals
 * remembered per run), a code handed in at a waiting execution, a credential's `preAuthentication`
 * (the HTTP Request node's session) and a credential's Test button. Every one calls the module's
 * single `login`.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError, UserError } from 'n8n-workflow';

import type { LoginContext, LoginModule, LoginOutcome, SessionField } from './loginModule';
import { SESSION_FIELDS, isPendingLogin, tokenOf } from './loginModule';
import { canonicalEntries } from './protocol/json';
import { LoginProblem, providerWordsShown } from './protocol/loginProblem';
import { reusePolicy } from './reuseOptions';
import { timeoutOption } from './runItems';
import { SecretCollector } from './secrets';
import type { SharedTokens } from './credentialTokens';
import { handedOverFields, isHandOverRequest, n8nPersistsOnlyReturnedFields, sharedTokensFor } from './credentialTokens';
import type { DigestCache, SessionReading } from './credentialSession';
import { readSession, sessionWithHold, sessionWithToken } from './credentialSession';
import type { LoginHold } from './holds';
import { holdAfterCodeSent, holdAfterFailure, holdProblem, isLift, liftRecord } from './holds';
import { SHARED_TOKENS_FIELD } from './sharedTokens';
import type { TokenItem } from './tokenItem';
import type { ReusePolicy } from './tokenStore';
import { CREDENTIAL_FAILURE_MEMORY_MS, DEFAULT_REUSE_POLICY, isTokenItem, keptUntil, tokenStore } from './tokenStore';
import type { HttpCapableContext } from './transport';
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, transportFor } from './transport';

/** What a login is given, over an n8n context's HTTP client, timed by the store's clock. */
export function loginContext(http: HttpCapableContext, secrets: SecretCollector, timeoutMs = DEFAULT_TIMEOUT_MS): LoginContext {
	const { clock } = tokenStore();
	return {
		send: transportFor(http, { timeoutMs, retry: { ...DEFAULT_RETRY_POLICY, sleep: clock.sleep } }),
		now: () => new Date(clock.now()),
		secrets,
	};
}

/** Every credential value that identifies a login: all but the session fields. */
function loginValues<C>(credential: C): Record<string, unknown> {
	const values: Record<string, unknown> = { ...(credential as Record<string, unknown>) };
	for (const field of SESSION_FIELDS) delete values[field];
	return values;
}

/** What identifies one login in the store: every credential value but the session fields, and the settings. */
function storeKey<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, credential: C, settings: S, purpose = ''): string {
	return tokenStore().loginKey(`${purpose}${module.provider}`, loginValues(credential), settings);
}

/**
 * The session field of each credential type whose `preAuthentication` is `loginForCredential`, as
 * the credential declares it (credentials/*.credentials.ts): a hand-over of shared tokens empties it
 * so that n8n runs `preAuthentication`, which gives it back unchanged.
 */
export const CREDENTIAL_SESSION_FIELDS: Readonly<Record<string, SessionField>> = {
	boknettApi: 'sessionTicket',
	onlyofficeApi: 'sessionToken',
	altinnApi: 'sessionCookie',
	altinnMaskinportenApi: 'sessionToken',
	bokbasenOAuth2Api: 'sessionToken',
};

/** The tokens this login shares with other n8n processes through its credential, where it can. */
function sharedTokensOf<C, S extends Record<string, unknown>>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, settings: S): SharedTokens | undefined {
	const sessionField = CREDENTIAL_SESSION_FIELDS[module.credentialType];
	if (!sessionField || module.reusable === false) return undefined;
	return sharedTokensFor(http, module.credentialType, sessionField, credential as unknown as ICredentialDataDecryptedObject, {
		provider: module.provider,
		values: loginValues(credential),
		settings,
	});
}

/** The credential an item uses, typed as its login module reads it. */
export async function credentialFor<C, S extends Record<string, unknown>>(
	node: IExecuteFunctions,
	module: LoginModule<C, S>,
	itemIndex: number,
): Promise<C> {
	return (await node.getCredentials(module.credentialType, itemIndex)) as unknown as C;
}

/** How a process remembers and tells the holds of one login's values (holds.ts): its memory, the credential's session field, the shared field. */
interface PersonHolds {
	/** The hold that stands on these values, if any: the newest one no lift came after. */
	standing(): LoginHold | undefined;
	/** Notes a hold, or (undefined) lifts any that stands, here and, where n8n lets a node, for every process. */
	note(hold: LoginHold | undefined): Promise<void>;
	/**
	 * Runs `send` when no hold stands (or `override`), one at a time for these values, so that a second
	 * caller sees what the first one left before it sends; what stood instead, or what `send` gave.
	 */
	unlessHeld<T>(override: boolean, send: () => Promise<T>): Promise<{ standing: LoginHold } | { value: T }>;
}

/** The key of a credential's values alone, for what concerns the values whatever the settings (a hold). */
function valuesKey<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, credential: C): string {
	return tokenStore().loginKey(`values:${module.provider}`, loginValues(credential));
}

/** The values that identify a credential's login, as the session field's digest is made of them. */
function valuesText<C>(credential: C): string {
	return JSON.stringify(canonicalEntries(loginValues(credential)));
}

/** The slow digests of values, kept by the process's store. */
const digests: DigestCache = (material, salt, derive) => tokenStore().derivedKey(material, salt, derive);

/** The digest 0.4 put into its mark of a code sent (unsalted SHA-256): read, to send no second code after an update. */
const legacyDigest = <C>(credential: C) => () => createHash('sha256').update(valuesText(credential)).digest('hex').slice(0, 32);

/** What the credential's own session field says of these values (a token, a hold, or nothing usable). */
function sessionReading<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, credential: C): SessionReading {
	const field = module.session?.field ?? CREDENTIAL_SESSION_FIELDS[module.credentialType];
	const session = field ? (credential as Record<string, unknown>)[field] : undefined;
	return readSession(session, valuesText(credential), tokenStore().clock.now(), digests, legacyDigest(credential));
}

/**
 * Where no process can tell the others (n8n before 2.34), a code sent is held in this process only
 * until the code would have expired: the person may hand it in at another process (a webhook processor),
 * which this one never hears of.
 */
const CODE_HOLD_IN_ONE_PROCESS_MS = 10 * 60_000;

/** The ID of the credential a node's login uses, where n8n names it (not in a credential's own preAuthentication). */
function credentialIdOf(http: HttpCapableContext, credentialType: string): string | undefined {
	if (!('getNode' in http) || typeof http.getNode !== 'function') return undefined;
	const node = (http.getNode as () => { credentials?: Record<string, { id?: string | null }> })();
	return node.credentials?.[credentialType]?.id ?? undefined;
}

function personHolds<C, S extends Record<string, unknown>>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, shared: SharedTokens | undefined): PersonHolds {
	const store = tokenStore();
	const key = valuesKey(module, credential);
	const holder = credentialIdOf(http, module.credentialType);
	// What a hold keeps of the words it was said in goes into the credential: never a secret the login touched.
	const redactor = new SecretCollector();
	redactor.add(...module.secrets(credential));
	const standing = (): LoginHold | undefined => {
		const now = store.clock.now();
		const record = shared?.readHold(now);
		// A hold is void once a lift came after it: the code handed in, or a login that went through (here or in another process).
		const liftedAt = Math.max(store.liftedAt(key), record && isLift(record) ? Date.parse(record.since) : Number.NEGATIVE_INFINITY);
		const reading = sessionReading(module, credential);
		const candidates = [store.hold(key, holder), reading.kind === 'hold' ? reading.hold : undefined, record && !isLift(record) ? record : undefined];
		const hold = candidates.find((candidate) => candidate !== undefined && Date.parse(candidate.since) > liftedAt);
		if (hold && hold !== store.hold(key, holder)) store.setHold(key, hold, holder);
		return hold;
	};
	const note = async (hold: LoginHold | undefined) => {
		const now = store.clock.now();
		if (!hold) {
			if (!standing()) return;
			store.liftHolds(key, now);
			await shared?.writeHold(liftRecord(new Date(now)), now);
			return;
		}
		const words = redactor.redactor();
		const kept: LoginHold = {
			...hold,
			message: words.redact(hold.message),
			hint: words.redact(hold.hint),
			...(hold.providerMessage === undefined ? {} : { providerMessage: words.redact(hold.providerMessage) }),
		};
		const everywhere = shared?.writable === true;
		store.setHold(key, !everywhere && kept.kind === 'codeSent' && kept.until === null ? { ...kept, until: Date.parse(kept.since) + CODE_HOLD_IN_ONE_PROCESS_MS } : kept, holder);
		await shared?.writeHold(kept, now);
	};
	return {
		standing,
		note,
		unlessHeld: async (override, send) =>
			await store.serially(key, async () => {
				const stands = override ? undefined : standing();
				return stands ? { standing: stands } : { value: await send() };
			}),
	};
}

/** Tokens living shorter than this are not written into the credential: a login each is cheaper than a credential write each (a trigger's 2-minute Maskinporten tokens). */
const MIN_SHARED_LIFETIME_MS = 10 * 60_000;

/**
 * The one path from a module's login through the token store: a refusal noted earlier in the same
 * run (`run`) is given again without the password being sent; with a reuse `policy` a still-valid
 * token of the same login is handed out (marked `reused`), and one login is shared by callers that
 * ask at once; without one, the module logs in each time. A login that may reach a person is not
 * sent while a hold stands on its values (unless `overrideHolds`: Force New Login in a run a person started), one at
 * a time for its values, and its refusals, codes sent and unanswered tries become holds.
 */
async function loginThroughStore<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
	options: { policy: ReusePolicy | undefined; run?: object; timeoutMs?: number; overrideHolds?: boolean },
): Promise<LoginOutcome> {
	secrets.add(...module.secrets(credential));
	const store = tokenStore();
	const key = storeKey(module, credential, settings);
	const { run } = options;
	const refused = run ? store.refusalInRun(run, key) : undefined;
	if (refused) throw refused;
	const context = loginContext(http, secrets, options.timeoutMs);
	const shared = sharedTokensOf(http, module, credential, settings);
	const holds = module.reachesPerson ? personHolds(http, module, credential, shared) : undefined;
	const loginOnce = async (): Promise<LoginOutcome> => {
		const settled = await module.login(context, credential, settings).then(
			(outcome) => ({ outcome }),
			(error: unknown) => ({ error }),
		);
		if ('error' in settled) {
			const hold = holdAfterFailure(settled.error, context.now());
			if (hold) await holds?.note(hold);
			throw settled.error;
		}
		// A code went out (a login that is reused, whose code a person hands in later), or a token came: no hold stands now.
		await holds?.note(isPendingLogin(settled.outcome) && module.reusable !== false ? holdAfterCodeSent(context.now()) : undefined);
		return settled.outcome;
	};
	const login = async () => {
		if (!holds) return (await loginOnce()) as unknown as Record<string, unknown>;
		// Checked when a login is about to be sent, not before a reuse: a stored token reaches nobody.
		const sent = await holds.unlessHeld(options.overrideHolds === true, loginOnce);
		if ('standing' in sent) throw holdProblem(module, sent.standing, 'node');
		return sent.value as unknown as Record<string, unknown>;
	};
	const policy = module.reusable === false ? undefined : options.policy;
	const attempt = (async (): Promise<LoginOutcome> => {
		if (!policy) return (await login()) as unknown as LoginOutcome;
		// Another process's token of this login, from the credential, before logging in; a new token is shared.
		const now = () => store.clock.now();
		const { item, reused } = await store.obtain(
			key,
			policy,
			login,
			shared && (() => shared.read(now())),
			shared && ((stored) => typeof stored.token === 'string' && shared.isForgotten(stored.token, now())),
		);
		if (!reused && shared && isTokenItem(item) && keptUntil(item) - now() >= MIN_SHARED_LIFETIME_MS) await shared.write(item, keptUntil(item), now());
		const outcome = item as unknown as LoginOutcome;
		return reused && !isPendingLogin(outcome) ? { ...outcome, reused: true } : outcome;
	})();
	// Noted on the side; the caller still gets the error from `attempt` itself.
	attempt.catch((error: unknown) => {
		if (run && error instanceof LoginProblem && error.details.kind === 'rejected') store.noteRefusalInRun(run, key, error);
	});
	return await attempt;
}

/**
 * Sends a request that uses a person's login without logging in (an Altinn 2 SOAP call with a PIN):
 * not while a hold stands on the credential's values, one at a time for them, and a failure that may
 * have reached the person unanswered holds them like a login's. A refusal here is of the PIN or of
 * the call, not of the values: it holds nothing (a new PIN is the way on).
 */
export async function sendHeld<C, S extends Record<string, unknown>, T>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, settings: S, send: () => Promise<T>): Promise<T> {
	const holds = personHolds(http, module, credential, sharedTokensOf(http, module, credential, settings));
	const store = tokenStore();
	// The hold is noted before the next caller for these values is let in: it must see it.
	const sent = await holds.unlessHeld(false, async () =>
		await send().then(
			(result) => ({ result }),
			async (error: unknown) => {
				const hold = holdAfterFailure(error, new Date(store.clock.now()));
				if (hold?.kind === 'sentOnce') await holds.note(hold);
				return { error };
			},
		),
	);
	if ('standing' in sent) throw holdProblem(module, sent.standing, 'node');
	if ('error' in sent.value) throw sent.value.error;
	return sent.value.result;
}

/** What a node run shows once when Retry On Fail is on for a login that may reach a person. */
const RETRY_ON_FAIL_HINT =
	'Retry On Fail is on: a login that may have sent an SMS code or counted a failed login is not sent again by a retry. The node remembers such a failure, and says until when, instead of trying again.';

/**
 * Logs in for one item of a node run, or hands out a still-valid token of the same login when the
 * node's Reuse Token option allows (the item then says `reused: true`; `fresh` never hands one out).
 * Once a login is refused, the other items of the same run with the same login get that refusal
 * without the password being sent again; a login that may reach a person is held (holds.ts) across
 * runs and processes, which only the node's Force New Login, in a run a person starts, overrides.
 */
export async function loginForItem<C, S extends Record<string, unknown>>(
	node: IExecuteFunctions,
	itemIndex: number,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
	options: { fresh?: boolean } = {},
): Promise<LoginOutcome> {
	const policy = reusePolicy(node, itemIndex, module.reuseMarginMs);
	if (itemIndex === 0 && module.reachesPerson && node.getNode().retryOnFail === true) {
		node.addExecutionHints({ message: RETRY_ON_FAIL_HINT, type: 'warning', location: 'outputPane' });
	}
	return await loginThroughStore(node, module, credential, settings, secrets, {
		// Fresh: the token at hand was refused, so none is handed out; the new one replaces it.
		policy: policy && options.fresh ? { ...policy, readCache: false } : policy,
		run: node,
		timeoutMs: timeoutOption(node, itemIndex),
		// Only a person's own run lifts a hold: a saved Force New Login must not send again on every scheduled run.
		overrideHolds: node.getMode() === 'manual' && node.getNodeParameter('options.forceNewLogin', itemIndex, false) === true,
	});
}

/**
 * Logs in, or hands out a still-valid token of the same login, under a reuse policy given by the
 * caller rather than read from node options: for places that have none (a polling trigger) or
 * whose token is only a step to their own call. `run`, when given (a node run's context), makes
 * a refusal stick for the rest of that run, as in `loginForItem`. A login that stops for a code
 * fails: nobody waits for one here.
 */
export async function obtainToken<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
	options: { policy?: ReusePolicy; run?: object; timeoutMs?: number } = {},
): Promise<TokenItem> {
	const outcome = await loginThroughStore(http, module, credential, settings, secrets, { ...options, policy: options.policy ?? DEFAULT_REUSE_POLICY });
	return tokenOf(module, outcome, 'node');
}

/**
 * Completes a login with the code a person handed in at a waiting execution, and stores the token
 * like any login's, so the next runs reuse it instead of asking for another code; the hold of the
 * code sent is lifted.
 */
export async function completeLoginWithCode<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	code: string,
	secrets: SecretCollector,
): Promise<TokenItem> {
	if (!module.completeWithCode) throw new LoginProblem({ kind: 'badInput', message: 'This login takes no code', hint: 'Check the node\'s operation.' });
	secrets.add(...module.secrets(credential), code);
	const token = await module.completeWithCode(loginContext(http, secrets), credential, code);
	if (module.reusable !== false) {
		const store = tokenStore();
		store.remember(storeKey(module, credential, settings), token);
		// The process that took the code is seldom the one that runs the next execution (queue mode).
		await sharedTokensOf(http, module, credential, settings)?.write(token, keptUntil(token), store.clock.now());
		if (module.reachesPerson) await personHolds(http, module, credential, sharedTokensOf(http, module, credential, settings)).note(undefined);
	}
	return token;
}

/**
 * The hidden field that holds the tokens nodes share with every n8n process (sealed under a key
 * only the credential's values give; credentialTokens.ts). Not expirable: a 401 empties the session
 * only. Masked like the session field.
 */
export function sharedTokensProperty(): INodeProperties {
	return { displayName: 'Shared Tokens', name: SHARED_TOKENS_FIELD, type: 'hidden', typeOptions: { password: true }, default: '' };
}

/**
 * The token this login has from earlier runs, in this process's memory or sealed in the credential by
 * another process, without logging in: what a Log Out with no token given ends. Undefined when none.
 */
export function storedToken<C, S extends Record<string, unknown>>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, settings: S): TokenItem | undefined {
	const store = tokenStore();
	const item = store.peek(storeKey(module, credential, settings)) ?? sharedTokensOf(http, module, credential, settings)?.read(store.clock.now());
	return item && isTokenItem(item) ? (item as unknown as TokenItem) : undefined;
}

/** How long a forgotten token is named as such when its own end is not known: longer than a Boknett ticket or a Maskinporten token lives. */
const FORGOTTEN_UNKNOWN_END_MS = 24 * 3600_000;

/** After a logout or a refusal: no process hands out that token again, from its memory or from the credential. */
export async function forgetToken<C, S extends Record<string, unknown>>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, token: string): Promise<void> {
	const store = tokenStore();
	const known = store.itemWithToken(token);
	store.forgetToken(token);
	const now = store.clock.now();
	await sharedTokensOf(http, module, credential, {} as S)?.forget(token, known ? keptUntil(known) : now + FORGOTTEN_UNKNOWN_END_MS, now);
}

/**
 * The hidden, expirable field n8n fills from `preAuthentication` and empties when a request gets 401.
 * Masked, so n8n blanks it before a credential reaches a browser (a person who may open the
 * credential sees no token, and no mark made from its values), and a save from the editor keeps the
 * stored value instead of writing back the one the dialog loaded.
 */
export function sessionProperty(name: SessionField, displayName: string): INodeProperties {
	return { displayName, name, type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' };
}

/**
 * A failure as n8n shows a credential's own login, on the node that asked or in the credential
 * dialog: what went wrong, the provider's own words, and what to check, scrubbed of every secret
 * the login touched; without the nodes' talk of retries (a credential sends one login, no more).
 */
function credentialFailureSentence(error: unknown, secrets: SecretCollector): string {
	if (!(error instanceof LoginProblem)) return secrets.redactor().redact(error instanceof Error ? error.message : String(error));
	const { message, hint, providerMessage } = error.details;
	const words = providerMessage === undefined ? undefined : providerWordsShown(providerMessage, (text) => secrets.redactor().redact(text)).replace(/[.\s]+$/, '');
	// Not when the provider's words are only the status already in the message ("Bad Request").
	const said = words && !message.includes(words) ? ` The service said: "${words}".` : '';
	const check = hint.replace(/\s*(The node does not retry|Nothing is retried)[^.]*\./g, '').trim();
	return secrets.redactor().redact(`${message}.${said}${check ? ` ${check}` : ''}`);
}

/**
 * The error a credential's own login ends in. n8n gives `preAuthentication` no node to build a
 * `NodeApiError` with, so it is n8n's node-free kind: a `UserError` for what the person must change
 * (a refused login, a wrong value, a code needed), an `OperationalError` when the service failed.
 * Its message is the finished sentence n8n shows on the node that asked or in the credential dialog.
 */
function credentialError(error: unknown, sentence: string): Error {
	const kind = error instanceof LoginProblem ? error.details.kind : undefined;
	return kind === 'unavailable' || kind === 'unexpectedAnswer' ? new OperationalError(sentence) : new UserError(sentence);
}

/** The error a credential gives while a hold stands on its values: what happened when, and what lifts it. */
function credentialHoldError<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, hold: LoginHold, secrets: SecretCollector): Error {
	const problem = holdProblem(module, hold, 'credential');
	return credentialError(problem, credentialFailureSentence(problem, secrets));
}

/**
 * `preAuthentication` of a credential that logs in by itself: logs in and returns the session for
 * n8n to keep in the encrypted credential, bound to the values that logged in (credentialSession.ts).
 * n8n runs it for the HTTP Request node and for the Test button; calls that come at once share one
 * login. A login that may reach a person leaves a hold instead of a session when it stopped for a
 * code, was refused, or may have reached the person unanswered: the session field keeps it, so no
 * process sends that login again with these values, and the request after it (`sessionAuthentication`)
 * fails with why. Another failure is remembered for a few seconds, for n8n's second call after it.
 */
export async function loginForCredential<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credentials: ICredentialDataDecryptedObject,
	settings: S,
): Promise<IDataObject> {
	const session = module.session;
	if (!session) throw new UserError(`The ${module.credentialType} credential keeps no session`);
	// A node saving its shared tokens (credentialTokens.ts): nothing is sent.
	const handedOver = handedOverFields(credentials, session.field);
	if (handedOver) return handedOver;
	const credential = credentials as unknown as C;
	const store = tokenStore();
	const key = storeKey(module, credential, settings, 'session:');
	return await store.together(key, async () => {
		const remembered = store.recentCredentialFailure(key);
		if (remembered) throw remembered;
		const secrets = new SecretCollector();
		secrets.add(...module.secrets(credential));
		const values = valuesText(credential);
		const context = loginContext(http, secrets);
		// A hold goes into the session field, for every process, where n8n saves only that field; an older n8n
		// would save the whole credential as tested, values the person has not saved included: there a refusal
		// or an unanswered try stays in this process's memory and is thrown as it was (a code sent is kept as
		// before, or every process would send a code).
		const keep = (hold: LoginHold) => hold.kind === 'codeSent' || n8nPersistsOnlyReturnedFields();
		type Sent = { outcome: LoginOutcome; hold?: LoginHold } | { error: unknown; hold?: LoginHold };
		const settled = await (async (): Promise<{ standing: LoginHold } | { value: Sent }> => {
			if (!module.reachesPerson) return { value: await module.login(context, credential, settings).then((outcome): Sent => ({ outcome }), (error: unknown): Sent => ({ error })) };
			const holds = personHolds(http, module, credential, sharedTokensOf(http, module, credential, settings));
			return await holds.unlessHeld(false, async (): Promise<Sent> => {
				const outcome = await module.login(context, credential, settings).then((done): Sent => ({ outcome: done }), (error: unknown): Sent => ({ error }));
				const hold = 'error' in outcome ? holdAfterFailure(outcome.error, context.now()) : isPendingLogin(outcome.outcome) ? holdAfterCodeSent(context.now()) : undefined;
				await holds.note(hold);
				return { ...outcome, hold };
			});
		})();
		if ('standing' in settled) {
			if (keep(settled.standing)) return { [session.field]: sessionWithHold(values, settled.standing, digests) };
			throw credentialHoldError(module, settled.standing, secrets);
		}
		const { hold } = settled.value;
		if (hold && keep(hold)) return { [session.field]: sessionWithHold(values, hold, digests) };
		if ('error' in settled.value) {
			const failure = credentialError(settled.value.error, credentialFailureSentence(settled.value.error, secrets));
			store.noteCredentialFailure(key, failure, CREDENTIAL_FAILURE_MEMORY_MS);
			throw failure;
		}
		return { [session.field]: sessionWithToken(values, session.value(tokenOf(module, settled.value.outcome, 'credential')), digests) };
	});
}

/**
 * Tells n8n to log in again: thrown by `authenticate` for a session of values since changed, in the
 * shape of a 401 answer, on which n8n runs `preAuthentication` again (with the values as saved) and
 * repeats the request. So the Test button checks the values as saved, whatever session the
 * credential kept from earlier use.
 */
function loginAgain(): Error {
	return Object.assign(new OperationalError("The credential's session was made with other values: logging in with the values as saved"), { response: { status: 401 } });
}

/**
 * A credential's `authenticate`: the headers `headersFor` makes of its session token, when the
 * session was made with the credential's values as they are now. While the session field holds a
 * hold, no request is sent: it fails with why (n8n's request helpers differ in whether they ask
 * `preAuthentication` again after that, so the message is given here). A session of other values
 * (the credential was edited) sends nothing either: n8n logs in again with the values as saved.
 */
export function sessionAuthentication<C, S extends Record<string, unknown>>(
	module: LoginModule<C, S>,
	headersFor: (token: string, credentials: ICredentialDataDecryptedObject) => Record<string, string>,
) {
	return async (credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		// A node handing its shared tokens over (credentialTokens.ts): that request is never sent, so it needs no session.
		if (isHandOverRequest(request)) return request;
		const credential = credentials as unknown as C;
		const reading = sessionReading(module, credential);
		if (reading.kind === 'token') return { ...request, headers: { ...request.headers, ...headersFor(reading.token, credentials) } };
		if (reading.kind === 'hold') {
			const secrets = new SecretCollector();
			secrets.add(...module.secrets(credential));
			throw credentialHoldError(module, reading.hold, secrets);
		}
		throw loginAgain();
	};
}

/** A credential's `authenticate` when its session is an OAuth2-style access token: `Authorization: Bearer …`. */
export function bearerSessionAuthentication<C, S extends Record<string, unknown>>(module: LoginModule<C, S>) {
	return sessionAuthentication(module, (token) => ({ Authorization: `Bearer ${token}` }));
}

/**
 * `preAuthentication` of a credential whose login must not run unasked (it would send a person an
 * SMS): checks the service with the module's `checkWithoutLoggingIn` and returns when, for the
 * hidden field `field`. n8n runs it before the credential's Test request.
 */
export async function checkServiceForCredential<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credentials: ICredentialDataDecryptedObject,
	field: SessionField,
): Promise<IDataObject> {
	if (!module.checkWithoutLoggingIn) throw new UserError(`The ${module.credentialType} credential has no service check`);
	const credential = credentials as unknown as C;
	const secrets = new SecretCollector();
	secrets.add(...module.secrets(credential));
	const context = loginContext(http, secrets);
	try {
		await module.checkWithoutLoggingIn(context, credential);
		return { [field]: context.now().toISOString() };
	} catch (error) {
		throw credentialError(error, credentialFailureSentence(error, secrets));
	}
}
