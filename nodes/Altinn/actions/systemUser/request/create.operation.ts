/**
 * System User Request → Create: asks a customer (for a client system user, the facilitator) to
 * approve a system user for the system. Altinn answers an identical request with the one it has.
 */
import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { SYSTEM_ID_PROPERTY, customerOrgNumberProperty } from '../../../descriptions';
import { checkOrganisationNumber } from '../../../protocol/orgNumber';
import { VENDOR_CALLS, readSystemUserRequestAnswer } from '../../../protocol/vendorAnswers';
import { accessPackagesFromUrns, buildCreateAgentSystemUserRequest, buildCreateSystemUserRequest, rightsFromResourceIds } from '../../../protocol/vendorRequests';
import type { RequestType, VendorRequest } from '../../../vendorApi';
import { checkVendorRequest, systemUserRequestItem } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { REDIRECT_URL_PROPERTY, REQUEST_TYPE_PROPERTY } from '../fields';

async function handleItem(item: ItemContext): Promise<IDataObject> {
	const { text } = item;
	const requestType = item.node.getNodeParameter('requestType', item.itemIndex, 'standard') as RequestType;
	// Checked here, before the rights, so a wrong number is what the person hears about first.
	const partyOrgNo = checkOrganisationNumber(text('customerOrgNumber'), "customer's organisation number");
	item.identify({ orgNumber: partyOrgNo, ...(text('externalRef') ? { externalRef: text('externalRef') } : {}) });
	const request = {
		systemId: text('systemId'),
		partyOrgNo,
		externalRef: text('externalRef') || undefined,
		accessPackages: accessPackagesFromUrns(text('accessPackages')),
		redirectUrl: text('redirectUrl') || undefined,
	};
	const agent = requestType === 'agent';
	const rights = agent ? [] : rightsFromResourceIds(text('rights'));
	const build: VendorRequest = (token) =>
		agent ? buildCreateAgentSystemUserRequest(item.platformUrl, token, request) : buildCreateSystemUserRequest(item.platformUrl, token, { ...request, rights });
	checkVendorRequest(build);
	const vendor = await item.session(VENDOR_CALLS.createRequest.scope);
	return systemUserRequestItem(readSystemUserRequestAnswer(await vendor.send(build), VENDOR_CALLS.createRequest), requestType, true);
}

export const createRequest: NodeOperation = {
	option: {
		name: 'Create',
		value: 'createRequest',
		description: 'Ask a customer to approve a system user for your system; outputs the confirmUrl to send to them',
		action: 'Create a system user request',
	},
	subtitle: 'Create request',
	properties: [
		SYSTEM_ID_PROPERTY,
		REQUEST_TYPE_PROPERTY,
		customerOrgNumberProperty(
			"The customer (for Client (Agent): the accountant or other facilitator) who is to approve: 9 digits. Use an expression that reads each item's organisation number for one request per item. Checked before anything is sent.",
		),
		{
			displayName: 'Rights (Resource IDs)',
			name: 'rights',
			type: 'string',
			default: '',
			placeholder: 'ske-mva-melding, app_ttd_example',
			description: 'Resource IDs from the resource registry, separated by commas; your system must be registered with them. Give rights, access packages or both.',
			displayOptions: { show: { requestType: ['standard'] } },
		},
		{
			displayName: 'Access Packages',
			name: 'accessPackages',
			type: 'string',
			default: '',
			placeholder: 'urn:altinn:accesspackage:regnskapsforer-lonn',
			description: 'Access package URNs, separated by commas; your system must be registered with them',
		},
		{
			displayName: 'External Reference',
			name: 'externalRef',
			type: 'string',
			default: '',
			description:
				"Your own reference, when one customer is to have more than one system user for your system (e.g. per department). Altinn uses the organisation number when empty; logins for the customer must then give the same reference.",
		},
		REDIRECT_URL_PROPERTY,
	],
	execute: eachItem(handleItem),
};
