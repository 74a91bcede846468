/** System User Request → List: every request of the system (standard or client), all pages. */
import type { IDataObject } from 'n8n-workflow';

import { buildListSystemUserRequestsRequest } from '../../protocol/vendorRequests';
import { VENDOR_CALLS } from '../../protocol/vendorAnswers';
import type { RequestType } from '../../vendorApi';
import { checkVendorRequest, listAllSystemUserRequests, systemUserRequestItem } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';

export async function listRequests(action: ActionContext): Promise<IDataObject[]> {
	const systemId = action.text('systemId');
	const requestType = action.node.getNodeParameter('requestType', action.itemIndex, 'standard') as RequestType;
	const agent = requestType === 'agent';
	checkVendorRequest((token) => buildListSystemUserRequestsRequest(action.platformUrl, token, systemId, { agent }));
	const vendor = await action.session(VENDOR_CALLS.listRequests.scope);
	return (await listAllSystemUserRequests(vendor, systemId, agent)).map((request) => systemUserRequestItem(request, requestType));
}
