import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	ALTINN_BASE_URLS,
	buildPasswordLoginRequest,
	hasCharactersAltinnMayRefuse,
	readPasswordLoginAnswer,
} from '../nodes/Altinn/protocol/rest';
import { loginForSession, sessionProperty } from '../nodes/shared/credentialSession';
import { resolveBaseUrl } from '../nodes/shared/environment';
import { sendRequest } from '../nodes/shared/execution';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

export class AltinnApi implements ICredentialType {
	name = 'altinnApi';

	displayName = 'Altinn API';

	icon: Icon = { light: 'file:../nodes/Altinn/altinn.svg', dark: 'file:../nodes/Altinn/altinn.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-login-tokens#altinn-api';

	properties: INodeProperties[] = [
		sessionProperty('sessionCookie', 'Session Cookie'),
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
		return await loginForSession(this, 'altinn', credentials, async (context, secrets) => {
			const password = String(credentials.password ?? '');
			const apiKey = credentials.apiKey ? String(credentials.apiKey) : undefined;
			secrets.add(password, apiKey, String(credentials.username ?? ''));
			const baseUrl = resolveBaseUrl(String(credentials.environment), credentials.baseUrl as string | undefined, ALTINN_BASE_URLS, 'Altinn');
			const answer = await sendRequest(
				context,
				buildPasswordLoginRequest({ baseUrl, username: String(credentials.username ?? ''), password, apiKey }),
			);
			const cookie = readPasswordLoginAnswer(answer, { now: new Date(), passwordHasDoubtfulCharacters: hasCharactersAltinnMayRefuse(password) });
			return { sessionCookie: `${cookie.name}=${cookie.value}` };
		});
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Cookie: '={{ $credentials.sessionCookie }}',
				ApiKey: '={{ $credentials.apiKey }}',
				Accept: 'application/hal+json',
			},
		},
	};

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
