/** System User Request → Get: a request's status, by its ID or by system, customer and external reference. */
import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { VENDOR_CALLS, readSystemUserRequestAnswer } from '../../../protocol/vendorAnswers';
import { buildGetSystemUserRequest, buildGetSystemUserRequestByExternalRef } from '../../../protocol/vendorRequests';
import type { RequestType } from '../../../vendorApi';
import { checkVendorRequest, systemUserRequestItem } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { LOOKUP_PROPERTIES, REQUEST_TYPE_PROPERTY, lookUp } from '../fields';

async function handleItem(item: ItemContext): Promise<IDataObject> {
	const requestType = item.node.getNodeParameter('requestType', item.itemIndex, 'standard') as RequestType;
	const agent = requestType === 'agent';
	const build = lookUp(item, (token, lookup) =>
		lookup.by === 'requestId'
			? buildGetSystemUserRequest(item.platformUrl, token, lookup.requestId, agent)
			: buildGetSystemUserRequestByExternalRef(item.platformUrl, token, { ...lookup, agent }),
	);
	checkVendorRequest(build);
	const vendor = await item.session(VENDOR_CALLS.getRequest.scope);
	return systemUserRequestItem(readSystemUserRequestAnswer(await vendor.send(build), VENDOR_CALLS.getRequest), requestType);
}

export const getRequest: NodeOperation = {
	option: {
		name: 'Get',
		value: 'getRequest',
		description: 'Read the status of a request (New, Accepted, Rejected, Denied, Timedout)',
		action: 'Get a system user request',
	},
	subtitle: 'Get request',
	properties: [REQUEST_TYPE_PROPERTY, ...LOOKUP_PROPERTIES],
	execute: eachItem(handleItem),
};
