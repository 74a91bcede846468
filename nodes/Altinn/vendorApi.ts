/**
 * One call to Altinn's vendor API as the Altinn System User node and its trigger make it: the
 * vendor's Maskinporten token for the scope the call needs (reused per scope), then the call. Also
 * the vendor API's whole lists (the walk through their pages is protocol/paging.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { LoginContext } from '../shared/loginModule';
import { loginContext, obtainToken } from '../shared/loginRunner';
import type { HttpAnswer, HttpRequestSpec } from '../shared/protocol/http';
import type { SecretCollector } from '../shared/secrets';
import type { HttpCapableContext } from '../shared/transport';
import type { AltinnMaskinportenCredential } from './logins/maskinporten';
import { altinn3Endpoints } from './logins/maskinporten';
import { VENDOR_TOKEN_REUSE, altinnVendorLogin } from './logins/vendor';
import { allPages } from './protocol/paging';
import { consumerOrgNumber } from './protocol/systemUserToken';
import type { SystemUser, SystemUserRequest } from './protocol/vendorRequests';
import { readSystemUserListAnswer, readSystemUserRequestListAnswer } from './protocol/vendorAnswers';
import { buildListSystemUserRequestsRequest, buildListSystemUsersRequest } from './protocol/vendorRequests';

/** A request builder waiting for the token: the node runs it once with a stand-in first, so bad input fails before any request. */
export type VendorRequest = (token: string) => HttpRequestSpec;

/** A stand-in token for checking a request's input; never sent. */
const INPUT_CHECK_TOKEN = 'input-check';

/** Runs a builder's own input checks (IDs, organisation number, rights) without a token, so nothing is sent for bad input. */
export function checkVendorRequest(build: VendorRequest): void {
	build(INPUT_CHECK_TOKEN);
}

export interface VendorSession {
	platformUrl: string;
	/** The organisation of the Maskinporten client (the token's `consumer` claim), or null where the token does not say. */
	consumerOrgNumber: string | null;
	/** Sends one request with the vendor's token for the call's scope. */
	send(build: VendorRequest): Promise<HttpAnswer>;
}

/**
 * The vendor's token for `scope` and a way to send with it. The token never leaves: it is noted as a
 * secret, so no error shows it.
 */
export async function vendorSession(
	http: HttpCapableContext,
	credential: AltinnMaskinportenCredential,
	scope: string,
	secrets: SecretCollector,
	options: { run?: object; timeoutMs?: number } = {},
): Promise<VendorSession> {
	const { platformUrl } = altinn3Endpoints(credential);
	const token = await obtainToken(http, altinnVendorLogin, credential, { scope }, secrets, { policy: VENDOR_TOKEN_REUSE, ...options });
	secrets.add(token.token);
	const context: LoginContext = loginContext(http, secrets, options.timeoutMs);
	return { platformUrl, consumerOrgNumber: consumerOrgNumber(token.token), send: async (build) => await context.send(build(token.token)) };
}

/** Every request of a system (standard or agent), all pages. */
export async function listAllSystemUserRequests(session: VendorSession, systemId: string, agent: boolean): Promise<SystemUserRequest[]> {
	return await allPages('system-user requests', async (next) => {
		const read = readSystemUserRequestListAnswer(await session.send((token) => buildListSystemUserRequestsRequest(session.platformUrl, token, systemId, { agent, next })));
		return { items: read.requests, next: read.next };
	});
}

/** Every system user of a system, all pages. */
export async function listAllSystemUsers(session: VendorSession, systemId: string): Promise<SystemUser[]> {
	return await allPages('system users', async (next) => {
		const read = readSystemUserListAnswer(await session.send((token) => buildListSystemUsersRequest(session.platformUrl, token, systemId, next)));
		return { items: read.systemUsers, next: read.next };
	});
}

export type RequestType = 'standard' | 'agent';

/**
 * A system-user request as an output item: Altinn's fields (`requestId` for its `id`) and which kind of request
 * it is. The customer is `orgNumber`, as in every Altinn token item (Altinn's own
 * name, `partyOrgNo`, is kept beside it); `newRequest` says whether this call made the request (Altinn answers an
 * identical request with the one it has), and is left out where nothing was asked to be made (reads, the trigger).
 */
export function systemUserRequestItem(request: SystemUserRequest, requestType: RequestType, madeByThisCall = false): IDataObject {
	const { created, ...fields } = request;
	return { ...fields, orgNumber: request.partyOrgNo, requestType, ...(madeByThisCall ? { newRequest: created } : {}) } as unknown as IDataObject;
}
