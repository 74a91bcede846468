import type { INodeProperties } from 'n8n-workflow';

interface KnownEnvironments {
	production: string;
	test: string;
}

/** The Environment choice (production, test, custom) and the Base URL shown for custom. */
export function environmentProperties(baseUrls: KnownEnvironments, testName = 'Test'): INodeProperties[] {
	return [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: baseUrls.production },
				{ name: testName, value: 'test', description: baseUrls.test },
				{ name: 'Custom', value: 'custom', description: 'Any other address, such as a proxy or a local sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: baseUrls.production,
			description: 'Address of the service, without a path',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];
}

/** The same choice as an expression, for a credential's Test request. */
export function baseUrlExpression(baseUrls: KnownEnvironments): string {
	return `={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "test" ? "${baseUrls.test}" : "${baseUrls.production}") }}`;
}
