/**
 * Logins run by n8n itself for a credential (`preAuthentication`), so a plain HTTP Request node with
 * "Predefined Credential Type" logs in, keeps the session in the encrypted credential and logs in
 * again once after a 401. They use the same protocol code as the nodes.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

import type { HttpCapableContext } from './execution';
import { SecretCollector } from './execution';
import { LoginProblem, problemSentence } from './protocolTypes';
import type { SessionField } from './tokenReuse';
import { loginKey } from './tokenReuse';

/** The hidden, expirable field n8n fills from `preAuthentication` and empties when a request gets 401. */
export function sessionProperty(name: SessionField, displayName: string): INodeProperties {
	return { displayName, name, type: 'hidden', typeOptions: { expirable: true }, default: '' };
}

/**
 * n8n asks a credential to log in a second time when the first attempt fails (its request helper
 * retries once). A refused login is remembered this long, per credential, so that second call gets
 * the same error without sending the rejected password again.
 */
export const REFUSAL_MEMORY_MS = 60_000;

const recentRefusals = new Map<string, { message: string; until: number }>();

/**
 * Runs a login for n8n. A failure becomes a plain error whose message says what went wrong and what
 * to do, scrubbed of every secret the login used; n8n shows it on the HTTP Request node.
 */
export async function loginForSession<T>(
	helper: IHttpRequestHelper,
	provider: string,
	credentials: ICredentialDataDecryptedObject,
	login: (context: HttpCapableContext, secrets: SecretCollector) => Promise<T>,
): Promise<T> {
	const key = loginKey({ provider: `session:${provider}`, credential: credentials });
	const now = Date.now();
	const refused = recentRefusals.get(key);
	// A credential has no node to attach an n8n error to; n8n wraps these for the node that asked.
	if (refused && refused.until > now) throw new Error(refused.message);
	recentRefusals.delete(key);
	const secrets = new SecretCollector();
	try {
		return await login(helper, secrets);
	} catch (error) {
		const redactor = secrets.redactor();
		const text = error instanceof LoginProblem ? problemSentence(error) : error instanceof Error ? error.message : String(error);
		const message = redactor.redact(text);
		if (error instanceof LoginProblem && error.details.kind === 'rejected') {
			for (const [other, entry] of recentRefusals) if (entry.until <= now) recentRefusals.delete(other);
			recentRefusals.set(key, { message, until: now + REFUSAL_MEMORY_MS });
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw new Error(message);
	}
}
