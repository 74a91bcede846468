/**
 * Runs a login module for each place that logs in: a node's item (with token reuse and refusals
 * remembered per run), a code handed in at a waiting execution, a credential's `preAuthentication`
 * (the HTTP Request node's session) and a credential's Test button. Every one calls the module's
 * single `login`.
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';

import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError, UserError } from 'n8n-workflow';

import type { LoginContext, LoginModule, LoginOutcome, SessionField } from './loginModule';
import { SESSION_FIELDS, codeNeededProblemOf, isPendingLogin, tokenOf } from './loginModule';
import { canonicalEntries } from './protocol/json';
import { LoginProblem, providerWordsShown } from './protocol/loginProblem';
import { reusePolicy } from './reuseOptions';
import { timeoutOption } from './runItems';
import { SecretCollector } from './secrets';
import type { SharedTokens } from './credentialTokens';
import { handedOverFields, sharedTokensFor } from './credentialTokens';
import { SHARED_TOKENS_FIELD } from './sharedTokens';
import type { TokenItem } from './tokenItem';
import type { ReusePolicy } from './tokenStore';
import { CREDENTIAL_FAILURE_MEMORY_MS, CREDENTIAL_REFUSAL_MEMORY_MS, DEFAULT_REUSE_POLICY, isTokenItem, keptUntil, tokenStore } from './tokenStore';
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

/**
 * The one path from a module's login through the token store: a refusal noted earlier in the same
 * run (`run`) is given again without the password being sent; with a reuse `policy` a still-valid
 * token of the same login is handed out (marked `reused`), and one login is shared by callers that
 * ask at once; without one, the module logs in each time. A refusal is noted for the rest of `run`.
 */
async function loginThroughStore<C, S extends Record<string, unknown>>(
	http: HttpCapableContext,
	module: LoginModule<C, S>,
	credential: C,
	settings: S,
	secrets: SecretCollector,
	options: { policy: ReusePolicy | undefined; run?: object; timeoutMs?: number },
): Promise<LoginOutcome> {
	secrets.add(...module.secrets(credential));
	const store = tokenStore();
	const key = storeKey(module, credential, settings);
	const { run } = options;
	const refused = run ? store.refusalInRun(run, key) : undefined;
	if (refused) throw refused;
	const context = loginContext(http, secrets, options.timeoutMs);
	const login = async () => (await module.login(context, credential, settings)) as unknown as Record<string, unknown>;
	const policy = module.reusable === false ? undefined : options.policy;
	const attempt = (async (): Promise<LoginOutcome> => {
		if (!policy) return (await login()) as unknown as LoginOutcome;
		// Another process's token of this login, from the credential, before logging in; a new token is shared.
		const shared = sharedTokensOf(http, module, credential, settings);
		const { item, reused } = await store.obtain(key, policy, login, shared && (() => shared.read(store.clock.now())));
		if (!reused && shared && isTokenItem(item)) await shared.write(item, keptUntil(item), store.clock.now());
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
 * Logs in for one item of a node run, or hands out a still-valid token of the same login when the
 * node's Reuse Token option allows (the item then says `reused: true`; `fresh` never hands one out). Once a login is refused,
 * the other items of the same run with the same login get that refusal without the password
 * being sent again.
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
	return await loginThroughStore(node, module, credential, settings, secrets, {
		// Fresh: the token at hand was refused, so none is handed out; the new one replaces it.
		policy: policy && options.fresh ? { ...policy, readCache: false } : policy,
		run: node,
		timeoutMs: timeoutOption(node, itemIndex),
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
 * like any login's, so the next runs reuse it instead of asking for another code.
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

/** After a logout: no process hands out that token again, from its memory or from the credential. */
export async function forgetToken<C, S extends Record<string, unknown>>(http: HttpCapableContext, module: LoginModule<C, S>, credential: C, token: string): Promise<void> {
	tokenStore().forgetToken(token);
	await sharedTokensOf(http, module, credential, {} as S)?.forget(token);
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

/** A credential's `authenticate` when its session is an OAuth2-style access token (`sessionToken`). */
export const BEARER_SESSION_TOKEN: IAuthenticateGeneric = {
	type: 'generic',
	properties: { headers: { Authorization: '=Bearer {{ $credentials.sessionToken }}' } },
};

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

/**
 * What a credential keeps in its session field once its login stopped for a code it cannot wait for:
 * when the code was sent, a salt, and a slow digest of the values that asked for it. n8n keeps it in
 * the encrypted credential (and blanks it for the browser), so no process logs in with those values
 * again; changed values give another digest.
 */
const CODE_NEEDED_MARK = 'codeNeeded:';

/** scrypt's cost for the mark: a guess of the password tested against a mark costs what the check here costs (about 0.1 s). */
const MARK_SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** A digest of every value but the session under `salt`: it tells that a value changed, and keeps no value readable or cheaply guessed. */
function credentialValuesDigest(credentials: ICredentialDataDecryptedObject, salt: Buffer): string {
	return scryptSync(JSON.stringify(canonicalEntries(loginValues(credentials))), salt, 24, MARK_SCRYPT).toString('base64url');
}

/** The mark for a code sent at `sentAt` for these values. */
function codeNeededMark(credentials: ICredentialDataDecryptedObject, sentAt: Date): string {
	const salt = randomBytes(16);
	return `${CODE_NEEDED_MARK}${sentAt.toISOString()}|${salt.toString('base64url')}|${credentialValuesDigest(credentials, salt)}`;
}

/** Whether a mark's digest is of these values; a mark of version 0.4 (an unsalted SHA-256) is still read, so no second code goes out after an update. */
function markIsFor(credentials: ICredentialDataDecryptedObject, salt: string | undefined, digest: string | undefined): boolean {
	if (salt !== undefined && digest !== undefined) return credentialValuesDigest(credentials, Buffer.from(salt, 'base64url')) === digest;
	return salt !== undefined && salt === createHash('sha256').update(JSON.stringify(canonicalEntries(loginValues(credentials)))).digest('hex').slice(0, 32);
}

/** When a code was sent for exactly these values, read from the mark in the session field; undefined otherwise. */
function codeSentFor(credentials: ICredentialDataDecryptedObject, field: SessionField): Date | undefined {
	const session = credentials[field];
	if (typeof session !== 'string' || !session.startsWith(CODE_NEEDED_MARK)) return undefined;
	const [sentAt, salt, digest] = session.slice(CODE_NEEDED_MARK.length).split('|');
	if (!markIsFor(credentials, salt, digest)) return undefined;
	const when = new Date(sentAt);
	return Number.isNaN(when.getTime()) ? undefined : when;
}

/** The error of a credential whose login stopped for a code at `sentAt`: it says when the code went out and what to use. */
function codeNeededError<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, sentAt: Date, secrets: SecretCollector): Error {
	const problem = codeNeededProblemOf(module, 'credential', sentAt);
	return credentialError(problem, credentialFailureSentence(problem, secrets));
}

/**
 * `preAuthentication` of a credential that logs in by itself: logs in and returns the session for
 * n8n to keep in the encrypted credential. n8n runs it for the HTTP Request node and before the
 * credential's Test request, so the Test button checks the same login as the nodes; and it runs it
 * a second time when the first call or the request after it fails. So a failure is remembered
 * for that second call (a minute for a refusal), which gets the same error with nothing sent. A
 * login that stopped for a code (an SMS the provider sent) cannot finish here: the session field
 * keeps a mark of it, and no further login is sent with these values in any process.
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
	const remembered = store.recentCredentialFailure(key);
	if (remembered) throw remembered;
	const secrets = new SecretCollector();
	secrets.add(...module.secrets(credential));
	const codeSentAt = codeSentFor(credentials, session.field);
	if (codeSentAt) {
		const error = codeNeededError(module, codeSentAt, secrets);
		store.noteCredentialFailure(key, error, Infinity);
		throw error;
	}
	const context = loginContext(http, secrets);
	try {
		const outcome = await module.login(context, credential, settings);
		if (isPendingLogin(outcome)) {
			const sentAt = context.now();
			store.noteCredentialFailure(key, codeNeededError(module, sentAt, secrets), Infinity);
			// Not an error yet: returned, n8n keeps the mark in the credential; `sessionAuthentication`
			// then refuses to send it, and n8n's second call answers with the error above.
			return { [session.field]: codeNeededMark(credentials, sentAt) };
		}
		return { [session.field]: session.value(tokenOf(module, outcome, 'credential')) };
	} catch (error) {
		const failure = credentialError(error, credentialFailureSentence(error, secrets));
		const refused = error instanceof LoginProblem && error.details.kind === 'rejected';
		store.noteCredentialFailure(key, failure, refused ? CREDENTIAL_REFUSAL_MEMORY_MS : CREDENTIAL_FAILURE_MEMORY_MS);
		throw failure;
	}
}

/**
 * A credential's `authenticate` that puts its session into a header. While the session field holds
 * the mark of a login that stopped for a code, no request is sent: it fails with why (n8n's request
 * helpers differ in whether they ask `preAuthentication` again after that, so the message is given
 * here). A mark of other values sends the request without a session: the 401 makes n8n log in again.
 */
export function sessionAuthentication<C, S extends Record<string, unknown>>(module: LoginModule<C, S>, header: string, prefix = '') {
	const field = module.session?.field ?? 'sessionToken';
	return async (credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const session = typeof credentials[field] === 'string' ? credentials[field] : '';
		if (!session.startsWith(CODE_NEEDED_MARK)) return { ...request, headers: { ...request.headers, [header]: `${prefix}${session}` } };
		const codeSentAt = codeSentFor(credentials, field);
		if (!codeSentAt) return request;
		const secrets = new SecretCollector();
		secrets.add(...module.secrets(credentials as unknown as C));
		throw codeNeededError(module, codeSentAt, secrets);
	};
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
