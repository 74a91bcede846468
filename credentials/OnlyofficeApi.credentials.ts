import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class OnlyofficeApi implements ICredentialType {
	name = 'onlyofficeApi';

	displayName = 'ONLYOFFICE API';

	icon: Icon = { light: 'file:../nodes/Onlyoffice/onlyoffice.svg', dark: 'file:../nodes/Onlyoffice/onlyoffice.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#onlyoffice-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourportal.onlyoffice.com',
			description: 'Address of your ONLYOFFICE Workspace or DocSpace portal',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'name@example.com',
			description: 'The e-mail address you log in to the portal with',
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
		{
			displayName: 'Authenticator Secret',
			name: 'totpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for accounts with two-factor login by authenticator app: the secret key shown when the app was linked (Base32, e.g. JBSW Y3DP …). The node then computes the 6-digit code itself.',
		},
	];

	// A portal that asks for a second factor still answers 200: the Test button then confirms the password.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.portalUrl.replace(/\\/+$/, "") }}',
			url: '/api/2.0/authentication',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { userName: '={{ $credentials.username }}', password: '={{ $credentials.password }}' },
			json: true,
		},
	};
}
