/**
 * Logins run by n8n itself for a credential (`preAuthentication`), so a plain HTTP Request node with
 * "Predefined Credential Type" logs in, keeps the session in the encrypted credential and logs in
 * again once after a 401. They use the same protocol code as the nodes.
 */
import type { IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

import type { HttpCapableContext } from './execution';
import { SecretCollector } from './execution';
import { LoginProblem } from './protocolTypes';

/** The hidden credential fields that hold a session; they identify no login, so token reuse ignores them. */
export const SESSION_FIELDS = ['sessionTicket', 'sessionCookie', 'sessionToken'] as const;

export type SessionField = (typeof SESSION_FIELDS)[number];

/** The hidden, expirable field n8n fills from `preAuthentication` and empties when a request gets 401. */
export function sessionProperty(name: SessionField, displayName: string): INodeProperties {
	return { displayName, name, type: 'hidden', typeOptions: { expirable: true }, default: '' };
}

/**
 * Runs a login for n8n. A failure becomes a plain error whose message says what went wrong and what
 * to do, scrubbed of every secret the login used; n8n shows it on the HTTP Request node.
 */
export async function loginForSession<T>(
	helper: IHttpRequestHelper,
	login: (context: HttpCapableContext, secrets: SecretCollector) => Promise<T>,
): Promise<T> {
	const secrets = new SecretCollector();
	try {
		return await login(helper, secrets);
	} catch (error) {
		const redactor = secrets.redactor();
		const text = error instanceof LoginProblem ? `${error.details.message}. ${error.details.hint}` : error instanceof Error ? error.message : String(error);
		// A credential has no node to attach an n8n error to; n8n wraps this one for the node that asked.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw new Error(redactor.redact(text));
	}
}
