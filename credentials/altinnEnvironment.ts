import type { INodeProperties } from 'n8n-workflow';

/** The environment choice both Altinn credentials share. */
export const ALTINN_ENVIRONMENT_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{ name: 'Production', value: 'production', description: 'https://www.altinn.no' },
			{ name: 'Test (TT02)', value: 'test', description: 'https://tt02.altinn.no' },
			{ name: 'Custom', value: 'custom', description: 'Any other address, such as a proxy or a local sandbox' },
		],
		default: 'production',
	},
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://www.altinn.no',
		description: 'Address of the Altinn environment, without a path',
		displayOptions: { show: { environment: ['custom'] } },
	},
];

export const ALTINN_BASE_URL_EXPRESSION =
	'={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "test" ? "https://tt02.altinn.no" : "https://www.altinn.no") }}';
