import type { INodeProperties } from 'n8n-workflow';

/** A service's standard environments by value (`production` first), each with its base URL. */
type KnownEnvironments = Readonly<Record<string, string>>;

function titleCase(value: string): string {
	return value.charAt(0).toUpperCase() + value.slice(1);
}

/**
 * The Environment choice (the service's standard environments, then custom) and the Base URL shown
 * for custom. `displayNames` overrides an environment's label, e.g. `{ test: 'Test (TT02)' }`.
 */
export function environmentProperties(
	baseUrls: KnownEnvironments,
	displayNames: Readonly<Record<string, string>> = {},
): INodeProperties[] {
	return [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				...Object.entries(baseUrls).map(([value, url]) => ({
					name: displayNames[value] ?? titleCase(value),
					value,
					description: url,
				})),
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
	const known = Object.entries(baseUrls).reduceRight(
		(otherwise, [value, url]) => `($credentials.environment === "${value}" ? "${url}" : ${otherwise})`,
		`"${baseUrls.production}"`,
	);
	return `={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ${known} }}`;
}
