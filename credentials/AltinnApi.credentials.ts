import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { ALTINN_BASE_URLS } from '../nodes/Altinn/protocol/rest';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class AltinnApi implements ICredentialType {
	name = 'altinnApi';

	displayName = 'Altinn API';

	icon: Icon = { light: 'file:../nodes/Altinn/altinn.svg', dark: 'file:../nodes/Altinn/altinn.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#altinn-api';

	properties: INodeProperties[] = [
		...environmentProperties(ALTINN_BASE_URLS, { test: 'Test (TT02)' }),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The API key Altinn gave your application. Sent with the login when set, and on every later call.',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'The username registered in Altinn, or the national ID number (fødselsnummer)',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The password registered under Advanced settings in your Altinn profile',
			required: true,
		},
	];

	// Logs in with the password; a 2xx means Altinn accepted it.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(ALTINN_BASE_URLS),
			url: '/api/authentication/authenticatewithpassword',
			method: 'POST',
			headers: {
				'Content-Type': 'application/hal+json',
				Accept: 'application/hal+json',
				ApiKey: '={{ $credentials.apiKey }}',
			},
			body: { UserName: '={{ $credentials.username }}', UserPassword: '={{ $credentials.password }}' },
			json: true,
		},
	};
}
