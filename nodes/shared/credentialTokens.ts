/**
 * A node's tokens and holds shared with every n8n process through its credential (sharedTokens.ts
 * seals them). Reading is plain: the credential n8n hands a node holds the hidden field. Writing is
 * not: n8n lets a node save nothing into a credential except what the credential's
 * `preAuthentication` returns, and saves that whenever the credential's session is empty. So a node
 * asks n8n's request helper to run `preAuthentication` with the new field handed over and an empty
 * session; `loginForCredential` then returns the field (and the session as it was) instead of
 * logging in, and the request after it has an address no HTTP client sends to.
 *
 * That is safe only where n8n persists just the fields `preAuthentication` returns, into the
 * credential as stored (n8n 2.34 and later). Before that (n8n 1.x, 2.0 to 2.33) n8n saves the whole
 * credential as the node holds it, with every expression resolved, so an edit saved meanwhile would
 * be reverted and a `$secrets` expression stored as its value: there nothing is written, and tokens
 * and holds stay in each process's memory. Each write reads the stored credential first and merges
 * into it, and reads it again after, to write again (at most twice) if another process's write
 * crossed it.
 */
import * as workflow from 'n8n-workflow';
import type { IAdditionalCredentialOptions, ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { LoginHold } from './holds';
import { holdStands } from './holds';
import type { KeyCache, LoginIdentity } from './sharedTokens';
import { SHARED_TOKENS_FIELD, isForgotten, openSharedToken, sealSharedToken, withoutSharedToken } from './sharedTokens';
import { tokenStore } from './tokenStore';

/** The field that carries a hand-over into `preAuthentication`; never kept (it is returned empty). */
export const HAND_OVER_FIELD = 'handOverSharedTokens';

/** No protocol any HTTP client speaks: the request n8n sends after the hand-over fails at once, sending nothing. */
const HAND_OVER_URL = 'n8n-login-tokens-hand-over:saved';

/** Whether a request is the one after a hand-over: it carries no session (and is never sent). */
export function isHandOverRequest(request: { url?: string }): boolean {
	return request.url === HAND_OVER_URL;
}

/**
 * Whether this n8n persists only the fields `preAuthentication` returns (n8n 2.34 and later). Told by
 * what its n8n-workflow exports: `getCredentialActivationParameters` came with n8n-workflow 2.34.0,
 * the version n8n 2.34.0 ships, and is in no n8n-workflow paired with an n8n that saves the whole
 * credential (1.123.x, 2.0 to 2.33.x).
 */
export function n8nPersistsOnlyReturnedFields(): boolean {
	return typeof (workflow as Record<string, unknown>).getCredentialActivationParameters === 'function';
}

/** The tokens and the hold of one login in its credential, as a node sees them. */
export interface SharedTokens {
	/** Whether this process writes the field (n8n 2.34 and later); elsewhere it is only read. */
	writable: boolean;
	/** The token item stored for this login, if still within its time. */
	read(now: number): Record<string, unknown> | undefined;
	/** Whether some process forgot this token (logged out, refused): none hands it out again. */
	isForgotten(token: string, now: number): boolean;
	/** Stores this login's token item for every process, to be handed out until `until` at the latest. */
	write(item: Record<string, unknown>, until: number, now: number): Promise<void>;
	/** Removes every token of this credential whose value is `token`, and names it forgotten until `until`. */
	forget(token: string, until: number, now: number): Promise<void>;
	/** The hold on this login's values, if one stands. */
	readHold(now: number): LoginHold | undefined;
	/** Stores (or, undefined, lifts) the hold on this login's values for every process. */
	writeHold(hold: LoginHold | undefined, now: number): Promise<void>;
}

type RequestWithAuthentication = (
	this: unknown,
	credentialsType: string,
	requestOptions: IHttpRequestOptions,
	additionalCredentialOptions?: IAdditionalCredentialOptions,
) => Promise<unknown>;

/** The part of an n8n node context that can read its credential as stored and run its `preAuthentication`. */
interface CredentialSavingContext {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	helpers: { httpRequestWithAuthentication: RequestWithAuthentication };
}

function canSaveCredentials(context: unknown): context is CredentialSavingContext {
	const candidate = context as Partial<CredentialSavingContext> | null;
	return typeof candidate?.getNode === 'function' && typeof candidate.getCredentials === 'function' && typeof candidate.helpers?.httpRequestWithAuthentication === 'function';
}

/** A hold is kept in the field as the entry of these settings, one per credential values. */
const HOLD_SETTINGS = { hold: 'login' };

/** How long an entry of a hold that stands until the values change is kept: long past any token. */
const HOLD_KEPT_MS = 365 * 24 * 3600_000;

/**
 * The shared tokens of one login, or undefined where the node has no saved credential of that type.
 * Where it cannot write (an older n8n, a unit test's context) it still reads.
 */
export function sharedTokensFor(
	context: unknown,
	credentialType: string,
	sessionField: string,
	credential: ICredentialDataDecryptedObject,
	identity: LoginIdentity,
): SharedTokens | undefined {
	const saving = canSaveCredentials(context) && context.getNode().credentials?.[credentialType]?.id ? context : undefined;
	const writable = saving !== undefined && n8nPersistsOnlyReturnedFields();
	let field: unknown = credential[SHARED_TOKENS_FIELD];
	const store = tokenStore();
	const keys: KeyCache = (material, salt, derive) => store.derivedKey(material, salt, derive);
	const holdIdentity: LoginIdentity = { ...identity, settings: HOLD_SETTINGS };

	const handOver = async (next: string, session: unknown) => {
		if (!saving) return;
		const handed = JSON.stringify({ sharedTokens: next, session: typeof session === 'string' ? session : '' });
		const data: ICredentialDataDecryptedObject = { ...credential, [sessionField]: '', [SHARED_TOKENS_FIELD]: next, [HAND_OVER_FIELD]: handed };
		try {
			await saving.helpers.httpRequestWithAuthentication.call(saving, credentialType, { url: HAND_OVER_URL, method: 'GET' }, {
				credentialsDecrypted: { id: '', name: '', type: credentialType, data },
			});
		} catch {
			// Expected: the request after the hand-over cannot be sent. Had the hand-over itself failed,
			// the token would still serve this process; other processes would log in themselves.
		}
	};
	/** Writes `apply`'s field into the credential as stored now, until `satisfied` finds the change there (three tries). */
	const save = async (apply: (stored: unknown) => string | undefined, satisfied: (stored: unknown) => boolean) => {
		if (!saving || !writable) return;
		for (let attempt = 0; attempt < 3; attempt++) {
			const stored = await saving.getCredentials(credentialType);
			field = stored[SHARED_TOKENS_FIELD];
			if (satisfied(field)) return;
			const next = apply(field);
			if (next === undefined) return;
			await handOver(next, stored[sessionField]);
			field = next;
		}
	};
	return {
		writable,
		read: (now) => openSharedToken(field, identity, now, keys),
		isForgotten: (token, now) => isForgotten(field, identity, token, now, keys),
		write: async (item, until, now) =>
			await save(
				(stored) => sealSharedToken(stored, identity, item, until, now, keys),
				(stored) => openSharedToken(stored, identity, now, keys)?.token === item.token,
			),
		forget: async (token, until, now) =>
			await save(
				(stored) => withoutSharedToken(stored, identity, token, until, now, keys),
				(stored) => withoutSharedToken(stored, identity, token, until, now, keys) === undefined,
			),
		readHold: (now) => {
			const hold = openSharedToken(field, holdIdentity, now, keys) as LoginHold | undefined;
			return holdStands(hold, now) ? hold : undefined;
		},
		writeHold: async (hold, now) =>
			await save(
				(stored) => sealSharedToken(stored, holdIdentity, hold as unknown as Record<string, unknown> | undefined, hold?.until ?? now + HOLD_KEPT_MS, now, keys),
				(stored) => (openSharedToken(stored, holdIdentity, now, keys) as LoginHold | undefined)?.since === hold?.since,
			),
	};
}

/**
 * In `preAuthentication`: the fields a node handed over to be saved (the shared tokens, and the
 * session as it was), or undefined for a real login. The hand-over field is returned empty.
 */
export function handedOverFields(credentials: ICredentialDataDecryptedObject, sessionField: string): IDataObject | undefined {
	const handOver = credentials[HAND_OVER_FIELD];
	if (typeof handOver !== 'string' || handOver === '') return undefined;
	try {
		const { sharedTokens, session } = JSON.parse(handOver) as { sharedTokens?: unknown; session?: unknown };
		if (typeof sharedTokens !== 'string') return undefined;
		return { [sessionField]: typeof session === 'string' ? session : '', [SHARED_TOKENS_FIELD]: sharedTokens, [HAND_OVER_FIELD]: '' };
	} catch {
		return undefined;
	}
}
