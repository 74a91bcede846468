import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { boknettTicketLogin, DEFAULT_TICKET_SETTINGS } from '../nodes/Boknett/logins/ticket';
import { BOKNETT_BASE_URLS } from '../nodes/Boknett/protocol/tickets';
import { loginForCredential, sessionProperty } from '../nodes/shared/loginRunner';
import { environmentProperties } from './environmentProperties';

/**
 * Boknett's ticket login. Its Test button lives in the Boknett Ticket node (`testedBy`): it runs the
 * same login module as the node, then ends the test ticket again.
 */
export class BoknettApi implements ICredentialType {
	name = 'boknettApi';

	displayName = 'Boknett API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://bokbasen.jira.com/wiki/spaces/api/pages/2994962433';

	properties: INodeProperties[] = [
		sessionProperty('sessionTicket', 'Session Ticket'),
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
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Boknett {{ $credentials.sessionTicket }}',
				Date: '={{ $now.toUTC().toHTTP() }}',
			},
		},
	};

}
