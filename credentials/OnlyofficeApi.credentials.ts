import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { onlyofficePasswordLogin } from '../nodes/Onlyoffice/logins/password';
import { onlyofficeAuthorizationHeaders } from '../nodes/Onlyoffice/protocol/authentication';
import { loginForCredential, sessionAuthentication, sessionProperty, sharedTokensProperty } from '../nodes/shared/loginRunner';

/**
 * ONLYOFFICE's password login with its second factors. The Test button is n8n's own: it runs
 * `preAuthentication` (the same login module as the node) whenever the credential holds no token,
 * then reads the user's profile with the token. An account that asks for an SMS code at each login
 * fails it with a message that points to the ONLYOFFICE Auth node, which can wait for the code, and
 * sends no further login (so no further SMS) until one of the credential's values changes.
 */
export class OnlyofficeApi implements ICredentialType {
	name = 'onlyofficeApi';

	displayName = 'ONLYOFFICE API';

	icon: Icon = { light: 'file:../nodes/Onlyoffice/onlyoffice.svg', dark: 'file:../nodes/Onlyoffice/onlyoffice.dark.svg' };

	documentationUrl = 'https://api.onlyoffice.com/';

	properties: INodeProperties[] = [
		sessionProperty('sessionToken', 'Session Token'),
		sharedTokensProperty(),
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
		return await loginForCredential(this, onlyofficePasswordLogin, credentials, {});
	}

	/** The token as ONLYOFFICE takes it, when its session was made with the values as saved; never the hold of a login that sent an SMS code (see loginForCredential). */
	authenticate = sessionAuthentication(onlyofficePasswordLogin, (token) => onlyofficeAuthorizationHeaders(token));

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.portalUrl.trim().replace(/\\/+$/, "") }}',
			url: '/api/2.0/people/@self',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
	};
}
