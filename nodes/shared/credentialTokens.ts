/**
 * A node's tokens shared with every n8n process through its credential (sharedTokens.ts seals
 * them). Reading is plain: the credential n8n hands a node holds the hidden field. Writing is not:
 * n8n lets a node save nothing into a credential except what the credential's `preAuthentication`
 * returns, and saves that (encrypted) whenever the credential's session is empty. So a node asks
 * n8n's request helper to run `preAuthentication` with the new field handed over and an empty
 * session; `loginForCredential` then returns the field (and the session as it was) instead of
 * logging in, and the request after it has an address no HTTP client sends to.
 */
import type { IAdditionalCredentialOptions, ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { KeyCache, LoginIdentity } from './sharedTokens';
import { SHARED_TOKENS_FIELD, openSharedToken, sealSharedToken, withoutSharedToken } from './sharedTokens';
import { tokenStore } from './tokenStore';

/** The field that carries a hand-over into `preAuthentication`; never kept (it is returned empty). */
export const HAND_OVER_FIELD = 'handOverSharedTokens';

/** No protocol any HTTP client speaks: the request n8n sends after the hand-over fails at once, sending nothing. */
const HAND_OVER_URL = 'n8n-login-tokens-hand-over:saved';

/** The tokens of one login in its credential, as a node sees them. */
export interface SharedTokens {
	/** The token item stored for this login, if still within its time. */
	read(now: number): Record<string, unknown> | undefined;
	/** Stores this login's token item for every process, to be handed out until `until` at the latest. */
	write(item: Record<string, unknown>, until: number, now: number): Promise<void>;
	/** Removes every token of this credential whose value is `token` (it was logged out). */
	forget(token: string): Promise<void>;
}

type RequestWithAuthentication = (
	this: unknown,
	credentialsType: string,
	requestOptions: IHttpRequestOptions,
	additionalCredentialOptions?: IAdditionalCredentialOptions,
) => Promise<unknown>;

/** The part of an n8n node context that can run a credential's `preAuthentication` and save what it returns. */
interface CredentialSavingContext {
	getNode(): INode;
	helpers: { httpRequestWithAuthentication: RequestWithAuthentication };
}

function canSaveCredentials(context: unknown): context is CredentialSavingContext {
	const candidate = context as Partial<CredentialSavingContext> | null;
	return typeof candidate?.getNode === 'function' && typeof candidate.helpers?.httpRequestWithAuthentication === 'function';
}

/**
 * The shared tokens of one login, or undefined where they cannot be shared: a context that cannot
 * save its credential (a unit test's), or a node without a saved credential of that type.
 */
export function sharedTokensFor(
	context: unknown,
	credentialType: string,
	sessionField: string,
	credential: ICredentialDataDecryptedObject,
	identity: LoginIdentity,
): SharedTokens | undefined {
	if (!canSaveCredentials(context) || !context.getNode().credentials?.[credentialType]?.id) return undefined;
	let field: unknown = credential[SHARED_TOKENS_FIELD];
	const store = tokenStore();
	const keys: KeyCache = (material, salt, derive) => store.derivedKey(material, salt, derive);
	const save = async (next: string) => {
		field = next;
		const handOver = JSON.stringify({ sharedTokens: next, session: credential[sessionField] ?? '' });
		const data: ICredentialDataDecryptedObject = { ...credential, [sessionField]: '', [SHARED_TOKENS_FIELD]: next, [HAND_OVER_FIELD]: handOver };
		try {
			await context.helpers.httpRequestWithAuthentication.call(context, credentialType, { url: HAND_OVER_URL, method: 'GET' }, {
				credentialsDecrypted: { id: '', name: '', type: credentialType, data },
			});
		} catch {
			// Expected: the request after the hand-over cannot be sent. Had the hand-over itself failed,
			// the token would still serve this process; other processes would log in themselves.
		}
	};
	return {
		read: (now) => openSharedToken(field, identity, now, keys),
		write: async (item, until, now) => await save(sealSharedToken(field, identity, item, until, now, keys)),
		forget: async (token) => {
			const next = withoutSharedToken(field, identity, token, keys);
			if (next !== undefined) await save(next);
		},
	};
}

/**
 * In `preAuthentication`: the fields a node handed over to be saved (the shared tokens, and the
 * session as it was), or undefined for a real login. The hand-over field is returned empty, since
 * n8n 1.x saves every field it was given.
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
