import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { altinnSmsPinLogin } from '../nodes/Altinn/logins/smsPin';
import { ALTINN_BASE_URLS } from '../nodes/Altinn/protocol/rest';
import { CHALLENGE_SERVICE_ENDPOINT } from '../nodes/Altinn/protocol/soap';
import { savedSecretProperty } from '../nodes/shared/descriptions';
import { checkServiceForCredential, sessionProperty } from '../nodes/shared/loginRunner';
import { baseUrlExpression, environmentProperties } from './environmentProperties';

/**
 * The Altinn 2 SMS PIN login (Altinn 2 was shut down on 19 June 2026; kept for existing workflows).
 * Its Test button must not request a PIN, which would send the person an SMS: n8n runs
 * `preAuthentication` first, which checks Altinn's authentication service the way the nodes do (and
 * says when a real Altinn host no longer has it), then reads the service's description.
 */
export class AltinnSmsPinApi implements ICredentialType {
	name = 'altinnSmsPinApi';

	displayName = 'Altinn SMS PIN API';

	icon: Icon = { light: 'file:../nodes/Altinn/altinn.svg', dark: 'file:../nodes/Altinn/altinn.dark.svg' };

	documentationUrl = 'https://altinn.github.io/docs/api/';

	properties: INodeProperties[] = [
		sessionProperty('serviceCheckedAt', 'Service Checked At'),
		{
			displayName:
				'Test checks what it can without Altinn sending anyone an SMS: that the values are filled in and shaped right (a national ID number of 11 digits) and that Altinn\'s authentication service answers at this address. It cannot check the passwords: the first PIN request does.',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		...environmentProperties(ALTINN_BASE_URLS, { test: 'Test (TT02)' }),
		{
			displayName: 'PIN Type',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'SMS PIN', value: 'SMSPin', description: 'Altinn sends a one-time code by SMS' },
				{ name: 'Altinn PIN (Letter)', value: 'AltinnPin', description: 'A code from the letter of codes Altinn sent by post' },
			],
			default: 'SMSPin',
		},
		{
			displayName: 'System ID',
			name: 'systemUserName',
			type: 'string',
			default: '',
			description: 'The end-user system ID ("fagsystem-ID") registered under Advanced settings in Altinn. Optional.',
		},
		{
			displayName: 'System Password',
			name: 'systemPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The password of the end-user system. Optional.',
		},
		{
			displayName: 'National ID Number (SSN)',
			// A secret by this package's rules, so masked; the name says so (n8n's lint unmasks what it does not see as secret).
			name: 'secretNationalIdNumber',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The fødselsnummer of the person who gets the PIN. Kept in this encrypted credential only; never put in workflow data.',
			required: true,
		},
		// Versions 0.1.0 to 0.3.0 saved the national ID number as `userSsn`: still read, never shown.
		savedSecretProperty('userSsn'),
		{
			displayName: 'User Password',
			name: 'userPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The password registered under Advanced settings in the person\'s Altinn profile',
			required: true,
		},
	];

	/** For the Test button: n8n calls this when the credential has not been checked yet. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await checkServiceForCredential(this, altinnSmsPinLogin, credentials, 'serviceCheckedAt');
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(ALTINN_BASE_URLS),
			url: `${CHALLENGE_SERVICE_ENDPOINT}?wsdl`,
			method: 'GET',
		},
	};
}
