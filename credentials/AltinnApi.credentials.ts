import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { altinnPasswordLogin } from '../nodes/Altinn/logins/password';
import { ALTINN_BASE_URLS } from '../nodes/Altinn/protocol/rest';
import { loginForCredential, sessionAuthentication, sessionProperty, sharedTokensProperty } from '../nodes/shared/loginRunner';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class AltinnApi implements ICredentialType {
	name = 'altinnApi';

	displayName = 'Altinn API';

	icon: Icon = { light: 'file:../nodes/Altinn/altinn.svg', dark: 'file:../nodes/Altinn/altinn.dark.svg' };

	documentationUrl = 'https://altinn.github.io/docs/api/';

	properties: INodeProperties[] = [
		sessionProperty('sessionCookie', 'Session Cookie'),
		sharedTokensProperty(),
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

	/** For the HTTP Request node: n8n calls this when the stored cookie is missing or a request got 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await loginForCredential(this, altinnPasswordLogin, credentials, {});
	}

	// The auth cookie, the API key and the answer format Altinn's REST API wants; a cookie of values since changed is not sent.
	authenticate = sessionAuthentication(altinnPasswordLogin, (cookie, credentials) => ({ Cookie: cookie, ApiKey: String(credentials.apiKey ?? ''), Accept: 'application/hal+json' }));

	// The Test button: n8n first logs in through preAuthentication (the same login as the node), then
	// reads the user's message box with the cookie and API key, as later calls will.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(ALTINN_BASE_URLS),
			url: '/api/my/messages',
			method: 'GET',
		},
	};
}
