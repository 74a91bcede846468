import type { INodeProperties } from 'n8n-workflow';

/** The customer's organisation number, as the Altinn nodes ask for it; each says what it is for. */
export function customerOrgNumberProperty(description: string): INodeProperties {
	return {
		displayName: 'Customer Organisation Number',
		name: 'customerOrgNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '310547891',
		description,
	};
}
