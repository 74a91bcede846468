import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import type { OnlyofficeCredential } from '../nodes/Onlyoffice/login';
import { onlyofficeLogin } from '../nodes/Onlyoffice/login';
import { requireToken } from '../nodes/Onlyoffice/protocol';
import { loginForSession, sessionProperty } from '../nodes/shared/credentialSession';
import { LoginProblem } from '../nodes/shared/protocolTypes';

export class OnlyofficeApi implements ICredentialType {
	name = 'onlyofficeApi';

	displayName = 'ONLYOFFICE API';

	icon: Icon = { light: 'file:../nodes/Onlyoffice/onlyoffice.svg', dark: 'file:../nodes/Onlyoffice/onlyoffice.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#onlyoffice-api';

	properties: INodeProperties[] = [
		sessionProperty('sessionToken', 'Session Token'),
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

	/**
	 * For the HTTP Request node: n8n calls this when the stored token is missing or a request got 401.
	 * An authenticator-app account is completed from the secret; an SMS-code account cannot be, here.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await loginForSession(this, 'onlyoffice', credentials, async (context, secrets) => {
			const answer = await onlyofficeLogin(context, credentials as unknown as OnlyofficeCredential, secrets);
			if (answer.kind === 'secondFactor' && answer.method === 'sms') {
				throw new LoginProblem({
					kind: 'secondFactorRequired',
					message: 'This ONLYOFFICE account requires an SMS code, which a request node cannot wait for',
					hint: 'Log in with the ONLYOFFICE Auth node (SMS Code: Wait for the Code, then Wait for SMS Code) and send its token item\'s headers.',
				});
			}
			return { sessionToken: requireToken(answer).token };
		});
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{ $credentials.sessionToken }}' } },
	};

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
