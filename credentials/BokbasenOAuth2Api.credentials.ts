import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { BOKBASEN_AUTH_BASE_URLS, DEFAULT_BOKBASEN_AUDIENCE } from '../nodes/Bokbasen/protocol/clientCredentials';
import { environmentProperties } from './environmentProperties';

/**
 * Bokbasen's OAuth2 client credentials. The Test button lives in the Boknett Ticket node
 * (`testedBy`), so it runs the same login module as the node instead of a request rebuilt here.
 */
export class BokbasenOAuth2Api implements ICredentialType {
	name = 'bokbasenOAuth2Api';

	displayName = 'Bokbasen OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Boknett/boknett.svg', dark: 'file:../nodes/Boknett/boknett.dark.svg' };

	documentationUrl = 'https://bokbasen.jira.com/wiki/spaces/api';

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

}
