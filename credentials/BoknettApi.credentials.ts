import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { boknettTicketLogin, DEFAULT_TICKET_SETTINGS } from '../nodes/Boknett/logins/ticket';
import { BOKNETT_BASE_URLS, boknettAuthorizationHeaders } from '../nodes/Boknett/protocol/tickets';
import { loginForCredential, sessionAuthentication, sessionProperty, sharedTokensProperty } from '../nodes/shared/loginRunner';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

/**
 * Boknett's ticket login. The Test button is n8n's own: it runs `preAuthentication` (the same login
 * module as the node) whenever the credential holds no ticket, then the Test request.
 */
export class BoknettApi implements ICredentialType {
	name = 'boknettApi';

	displayName = 'Boknett API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://bokbasen.jira.com/wiki/spaces/api/pages/2994962433';

	properties: INodeProperties[] = [
		sessionProperty('sessionTicket', 'Session Ticket'),
		sharedTokensProperty(),
		...environmentProperties(BOKNETT_BASE_URLS),
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];

	/** For the HTTP Request node: n8n calls this when the stored ticket is missing or a request got 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await loginForCredential(this, boknettTicketLogin, credentials, DEFAULT_TICKET_SETTINGS);
	}

	// Boknett wants the request time beside the ticket (RFC 1123, within 15 minutes of its clock).
	// Boknett wants the ticket and a Date within 15 minutes of its clock; a ticket of values since changed is not sent.
	authenticate = sessionAuthentication(boknettTicketLogin, (ticket) => ({ ...boknettAuthorizationHeaders(ticket), Date: new Date().toUTCString() }));

	// The check is the login itself (preAuthentication, above). Boknett's ticket service has only the
	// login and the logout, and answers anything else with 405: this request only confirms that the
	// address is that service, whatever status it gives.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(BOKNETT_BASE_URLS),
			url: '/v1/tickets',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
	};
}
