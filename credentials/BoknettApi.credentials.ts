import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { BOKNETT_BASE_URLS, buildCreateTicketRequest, readCreateTicketAnswer } from '../nodes/Boknett/protocol';
import { loginForSession, sessionProperty } from '../nodes/shared/credentialSession';
import { resolveBaseUrl } from '../nodes/shared/environment';
import { sendRequest } from '../nodes/shared/execution';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class BoknettApi implements ICredentialType {
	name = 'boknettApi';

	displayName = 'Boknett API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#boknett-api';

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
		return await loginForSession(this, 'boknett', credentials, async (context, secrets) => {
			const password = String(credentials.password ?? '');
			secrets.add(password);
			const baseUrl = resolveBaseUrl(String(credentials.environment), credentials.baseUrl as string | undefined, BOKNETT_BASE_URLS, 'Boknett');
			const answer = await sendRequest(context, buildCreateTicketRequest({ baseUrl, username: String(credentials.username ?? ''), password }));
			return { sessionTicket: readCreateTicketAnswer(answer).ticket };
		});
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

	// The Test button creates a ticket (201) with these credentials; an unused ticket expires by itself.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(BOKNETT_BASE_URLS),
			url: '/v1/tickets',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '={{ "username=" + encodeURIComponent($credentials.username) + "&password=" + encodeURIComponent($credentials.password) }}',
		},
	};
}
