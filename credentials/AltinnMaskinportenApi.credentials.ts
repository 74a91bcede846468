import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { altinnMaskinportenLogin } from '../nodes/Altinn/logins/maskinporten';
import { ALTINN3_ENVIRONMENTS } from '../nodes/Altinn/protocol/maskinporten';
import { bearerSessionAuthentication, loginForCredential, sessionProperty, sharedTokensProperty } from '../nodes/shared/loginRunner';

/**
 * Altinn 3 through Maskinporten. Its own login (`preAuthentication`: the same login module as
 * Altinn Authenticate) signs the grant, gets the Maskinporten token and exchanges it for an Altinn
 * token, which n8n keeps in the credential and sends as a Bearer token: so the HTTP Request node
 * can call Altinn 3 APIs with it, and the Test button checks the whole login.
 */
export class AltinnMaskinportenApi implements ICredentialType {
	name = 'altinnMaskinportenApi';

	displayName = 'Altinn 3 Maskinporten API';

	icon: Icon = { light: 'file:../nodes/Altinn/altinn.svg', dark: 'file:../nodes/Altinn/altinn.dark.svg' };

	documentationUrl = 'https://docs.digdir.no/docs/Maskinporten/maskinporten_guide_apikonsument';

	properties: INodeProperties[] = [
		sessionProperty('sessionToken', 'Altinn Token'),
		sharedTokensProperty(),
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: `${ALTINN3_ENVIRONMENTS.production.maskinportenUrl} and ${ALTINN3_ENVIRONMENTS.production.platformUrl}`,
				},
				{
					name: 'Test (TT02)',
					value: 'test',
					description: `${ALTINN3_ENVIRONMENTS.test.maskinportenUrl} and ${ALTINN3_ENVIRONMENTS.test.platformUrl}`,
				},
				{ name: 'Custom', value: 'custom', description: 'Other addresses, such as a proxy or a local sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Maskinporten URL',
			name: 'maskinportenUrl',
			type: 'string',
			default: '',
			placeholder: ALTINN3_ENVIRONMENTS.production.maskinportenUrl,
			description: 'Maskinporten\'s address without a path; the grant\'s audience is this address with a trailing slash',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Altinn Platform URL',
			name: 'platformUrl',
			type: 'string',
			default: '',
			placeholder: ALTINN3_ENVIRONMENTS.production.platformUrl,
			description: 'Altinn platform address without a path, where the Maskinporten token is exchanged',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description: 'The integration\'s client ID from Maskinporten (Samarbeidsportalen)',
			required: true,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----…',
			description: 'The RSA private key (PEM) that signs the grant. Line breaks may be lost when pasting; the node restores them.',
			required: true,
		},
		// A key ID is public (it names the registered public key). A certificate chain is public too, but
		// n8n's rules treat certificate fields as secrets: masking it costs only a glance at its value.
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			description: 'The kid of the public key registered for the client in Maskinporten. Leave empty when you give a certificate chain.',
		},
		{
			displayName: 'Certificate Chain',
			name: 'certificateChain',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only when signing with a business certificate (virksomhetssertifikat) instead of a registered key: the certificate and its intermediates as PEM, leaf first. Line breaks lost when pasting are restored.',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: '',
			placeholder: 'altinn:serviceowner/instances.read',
			description: 'The scopes to ask for, separated by spaces; they must be granted to the client',
			required: true,
		},
		{
			displayName: 'On Behalf Of (Organisation Number)',
			name: 'onBehalfOf',
			type: 'string',
			default: '',
			placeholder: 'e.g. 313876144',
			description:
				"Only when your organisation runs this for another one (e.g. an operator for a bank): that organisation's number. It must have delegated the scopes to your organisation in Altinn (API delegation). Tokens, consent requests and consents are then that organisation's (Maskinporten's consumer_org). Leave empty to act for the client's own organisation.",
		},
		{
			displayName: 'Enterprise Username',
			name: 'enterpriseUsername',
			type: 'string',
			default: '',
			description: 'Optional: an Altinn enterprise user (virksomhetsbruker) to act as. Leave empty to act as the organisation.',
		},
		{
			displayName: 'Enterprise Password',
			name: 'enterprisePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { hide: { enterpriseUsername: [''] } },
		},
	];

	/** For the HTTP Request node and the Test button: n8n calls this when the token is missing or a request got 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await loginForCredential(this, altinnMaskinportenLogin, credentials, {});
	}

	authenticate = bearerSessionAuthentication(altinnMaskinportenLogin);

	// Altinn's own token refresh (GET authentication/api/v1/refresh) answers 200 only for a valid Altinn token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? $credentials.platformUrl.trim().replace(/\\/+$/, "") : $credentials.environment === "test" ? "${ALTINN3_ENVIRONMENTS.test.platformUrl}" : "${ALTINN3_ENVIRONMENTS.production.platformUrl}" }}`,
			url: '/authentication/api/v1/refresh',
			method: 'GET',
		},
	};
}
