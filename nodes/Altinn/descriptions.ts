import type { INodeProperties } from 'n8n-workflow';

/** Your system's ID in Altinn's system register, as the System User node and its trigger ask for it. */
export const SYSTEM_ID_PROPERTY: INodeProperties = {
	displayName: 'System ID',
	name: 'systemId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '991825827_payroll',
	description: "Your system's ID in Altinn's system register: your organisation number, an underscore and a name",
};

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
