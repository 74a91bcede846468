import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { bokbasenClientCredentialsLogin } from '../nodes/Bokbasen/logins/clientCredentials';
import { BOKBASEN_AUTH_BASE_URLS, DEFAULT_BOKBASEN_AUDIENCE } from '../nodes/Bokbasen/protocol/clientCredentials';
import { bearerSessionAuthentication, loginForCredential, sessionProperty, sharedTokensProperty } from '../nodes/shared/loginRunner';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

/**
 * Bokbasen's OAuth2 client credentials. Its own login (`preAuthentication`: the same login module as
 * Boknett Ticket's Get OAuth2 Token) gets the token, which n8n keeps in the credential and sends as
 * a Bearer token, so the HTTP Request node can call the audience's API with it.
 */
export class BokbasenOAuth2Api implements ICredentialType {
	name = 'bokbasenOAuth2Api';

	displayName = 'Bokbasen OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://bokbasen.jira.com/wiki/spaces/api';

	properties: INodeProperties[] = [
		sessionProperty('sessionToken', 'Access Token'),
		sharedTokensProperty(),
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

	/** For the HTTP Request node and the Test button: n8n calls this when the token is missing or a request got 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await loginForCredential(this, bokbasenClientCredentialsLogin, credentials, {});
	}

	authenticate = bearerSessionAuthentication(bokbasenClientCredentialsLogin);

	// The check is the login itself (preAuthentication, above): the token server refuses a wrong
	// client or an audience it lacks. Each audience is a different API, so there is no one call to
	// read with the token; this request only confirms that the address is the token server.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(BOKBASEN_AUTH_BASE_URLS),
			url: '/.well-known/openid-configuration',
			method: 'GET',
		},
	};
}
