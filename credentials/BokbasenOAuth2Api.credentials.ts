import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { BOKBASEN_AUTH_BASE_URLS, DEFAULT_BOKBASEN_AUDIENCE } from '../nodes/Boknett/bokbasenOAuth2';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class BokbasenOAuth2Api implements ICredentialType {
	name = 'bokbasenOAuth2Api';

	displayName = 'Bokbasen OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#bokbasen-oauth2-api';

	properties: INodeProperties[] = [
		...environmentProperties(BOKBASEN_AUTH_BASE_URLS),
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: DEFAULT_BOKBASEN_AUDIENCE,
			description: 'The Bokbasen API the token is for, as Bokbasen gave it to you (one per credential)',
			required: true,
		},
	];

	// The Test button asks for a token: 200 means the client, secret and audience fit together.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(BOKBASEN_AUTH_BASE_URLS),
			url: '/oauth/token',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: {
				client_id: '={{ $credentials.clientId }}',
				client_secret: '={{ $credentials.clientSecret }}',
				audience: '={{ $credentials.audience }}',
				grant_type: 'client_credentials',
			},
			json: true,
		},
	};
}
