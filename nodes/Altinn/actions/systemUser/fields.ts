/**
 * Fields more than one Altinn System User operation shows, and how a Get operation finds its request: by
 * its ID, or by system, customer and external reference.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { HttpRequestSpec } from '../../../shared/protocol/http';
import { SYSTEM_ID_PROPERTY, customerOrgNumberProperty } from '../../descriptions';
import { checkOrganisationNumber } from '../../protocol/orgNumber';
import type { VendorRequest } from '../../vendorApi';
import type { ItemContext } from '../itemContext';

export type Lookup = { by: 'requestId'; requestId: string } | { by: 'externalRef'; systemId: string; orgNo: string; externalRef?: string };

const byExternalRef = { show: { lookupBy: ['externalRef'] } };

/** Look Up By, and what each choice asks for. */
export const LOOKUP_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookupBy',
		type: 'options',
		options: [
			{ name: 'Request ID', value: 'requestId' },
			{ name: 'System, Organisation and External Reference', value: 'externalRef' },
		],
		default: 'requestId',
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		default: '={{ $json.requestId }}',
		required: true,
		description: 'The ID Altinn gave the request (a UUID), e.g. from Create Request',
		displayOptions: { show: { lookupBy: ['requestId'] } },
	},
	{ ...SYSTEM_ID_PROPERTY, displayOptions: byExternalRef },
	{
		...customerOrgNumberProperty(
			"The customer (for Client (Agent): the accountant or other facilitator) who is to approve: 9 digits. Use an expression that reads each item's organisation number for one request per item. Checked before anything is sent.",
		),
		displayOptions: byExternalRef,
	},
	{
		displayName: 'External Reference',
		name: 'externalRef',
		type: 'string',
		default: '',
		description: 'The reference the request was made with; empty means the organisation number, as Altinn does',
		displayOptions: byExternalRef,
	},
];

/** The request to read, built with the lookup the item's parameters give; the item is named by it should it fail. */
export function lookUp(item: ItemContext, build: (token: string, lookup: Lookup) => HttpRequestSpec): VendorRequest {
	const lookup: Lookup =
		item.node.getNodeParameter('lookupBy', item.itemIndex, 'requestId') === 'externalRef'
			? {
					by: 'externalRef',
					systemId: item.text('systemId'),
					orgNo: checkOrganisationNumber(item.text('customerOrgNumber'), "customer's organisation number"),
					externalRef: item.text('externalRef') || undefined,
				}
			: { by: 'requestId', requestId: item.text('requestId') };
	// A request that cannot be read fails with what it was looked up by.
	item.identify(
		lookup.by === 'requestId'
			? { requestId: lookup.requestId }
			: { systemId: lookup.systemId, orgNumber: lookup.orgNo, ...(lookup.externalRef ? { externalRef: lookup.externalRef } : {}) },
	);
	return (token) => build(token, lookup);
}

/** Standard or Client (Agent): which of Altinn's two request kinds an operation makes or reads. */
export const REQUEST_TYPE_PROPERTY: INodeProperties = {
	displayName: 'Request Type',
	name: 'requestType',
	type: 'options',
	options: [
		{ name: 'Standard', value: 'standard', description: 'The customer approves a system user for itself' },
		{
			name: 'Client (Agent)',
			value: 'agent',
			description: 'An accountant or other facilitator approves a system user that acts for its own clients (access packages only)',
		},
	],
	default: 'standard',
};

/** Where the person's browser goes after deciding on a request. */
export const REDIRECT_URL_PROPERTY: INodeProperties = {
	displayName: 'Redirect URL',
	name: 'redirectUrl',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/altinn/done',
	description:
		"Where the person's browser goes after deciding; it must match one of your system's allowed redirect URLs (the query string may differ). It only says the person is done: read the status with Get Request.",
};
