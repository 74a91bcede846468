/** System User Request → List: every request of the system (standard or client), all pages. */
import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { SYSTEM_ID_PROPERTY } from '../../../descriptions';
import { VENDOR_CALLS } from '../../../protocol/vendorAnswers';
import { buildListSystemUserRequestsRequest } from '../../../protocol/vendorRequests';
import type { RequestType } from '../../../vendorApi';
import { checkVendorRequest, listAllSystemUserRequests, systemUserRequestItem } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { REQUEST_TYPE_PROPERTY } from '../fields';

async function handleItem(item: ItemContext): Promise<IDataObject[]> {
	const systemId = item.text('systemId');
	const requestType = item.node.getNodeParameter('requestType', item.itemIndex, 'standard') as RequestType;
	const agent = requestType === 'agent';
	checkVendorRequest((token) => buildListSystemUserRequestsRequest(item.platformUrl, token, systemId, { agent }));
	const vendor = await item.session(VENDOR_CALLS.listRequests.scope);
	return (await listAllSystemUserRequests(vendor, systemId, agent)).map((request) => systemUserRequestItem(request, requestType));
}

export const listRequests: NodeOperation = {
	option: { name: 'List', value: 'listRequests', description: 'Every request made for your system, one item each', action: 'List system user requests' },
	subtitle: 'List requests',
	properties: [SYSTEM_ID_PROPERTY, REQUEST_TYPE_PROPERTY],
	execute: eachItem(handleItem),
};
