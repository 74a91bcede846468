/**
 * Boknett ticket login: username and password buy a ticket (TGT) that later calls send as
 * `Authorization: Boknett <TGT>`. Used by Boknett Ticket (Create Ticket), the Boknett API
 * credential's preAuthentication and its Test button.
 */
import type { LoginModule } from '../../shared/loginModule';
import { resolveBaseUrl } from '../../shared/protocol/inputChecks';
import { makeTokenItem } from '../../shared/tokenItem';
import {
	BOKNETT_BASE_URLS,
	TICKET_LIFETIME_MS,
	boknettAuthorizationHeaders,
	buildCreateTicketRequest,
	readCreateTicketAnswer,
} from '../protocol/tickets';

export interface BoknettCredential {
	environment: string;
	baseUrl?: string;
	username: string;
	password: string;
}

export interface BoknettTicketSettings extends Record<string, unknown> {
	/** When the token item says the ticket expires; at most the 2 hours Bokbasen documents. */
	lifetimeMs: number;
}

export const DEFAULT_TICKET_SETTINGS: BoknettTicketSettings = { lifetimeMs: TICKET_LIFETIME_MS };

export function boknettBaseUrl(credential: BoknettCredential): string {
	return resolveBaseUrl(credential.environment, credential.baseUrl, BOKNETT_BASE_URLS, 'Boknett');
}

export const boknettTicketLogin: LoginModule<BoknettCredential, BoknettTicketSettings> = {
	provider: 'boknett',
	// A refused password counts as a failed login: held, never resent.
	reachesPerson: true,
	credentialType: 'boknettApi',
	secrets: (credential) => [credential.password],
	async login({ send, now }, credential, settings) {
		const baseUrl = boknettBaseUrl(credential);
		const obtainedAt = now();
		const answer = await send(buildCreateTicketRequest({ baseUrl, username: credential.username, password: credential.password }));
		const { ticket } = readCreateTicketAnswer(answer);
		return makeTokenItem({
			provider: 'boknett',
			environment: credential.environment,
			token: ticket,
			headers: boknettAuthorizationHeaders(ticket),
			obtainedAt,
			expiresAt: new Date(obtainedAt.getTime() + Math.min(TICKET_LIFETIME_MS, settings.lifetimeMs)),
		});
	},
	session: { field: 'sessionTicket', value: (token) => token.token },
};
