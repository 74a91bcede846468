import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { BOKNETT_BASE_URLS } from '../nodes/Boknett/protocol';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class BoknettApi implements ICredentialType {
	name = 'boknettApi';

	displayName = 'Boknett API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#boknett-api';

	properties: INodeProperties[] = [
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
