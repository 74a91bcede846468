import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class BoknettApi implements ICredentialType {
	name = 'boknettApi';

	displayName = 'Boknett API';

	icon: Icon = 'file:../nodes/Boknett/boknett.svg';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#boknett-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://login.boknett.no' },
				{ name: 'Test', value: 'test', description: 'https://login.boknett.webbe.no' },
				{ name: 'Custom', value: 'custom', description: 'Any other address, such as a proxy or a local sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://login.boknett.no',
			description: 'Address of the Boknett login service, without /v1/tickets',
			displayOptions: { show: { environment: ['custom'] } },
		},
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
			baseURL:
				'={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "test" ? "https://login.boknett.webbe.no" : "https://login.boknett.no") }}',
			url: '/v1/tickets',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '={{ "username=" + encodeURIComponent($credentials.username) + "&password=" + encodeURIComponent($credentials.password) }}',
		},
	};
}
