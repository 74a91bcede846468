/** System User Request → Get: a request's status, by its ID or by system, customer and external reference. */
import type { IDataObject } from 'n8n-workflow';

import { VENDOR_CALLS, readSystemUserRequestAnswer } from '../../protocol/vendorAnswers';
import { buildGetSystemUserRequest, buildGetSystemUserRequestByExternalRef } from '../../protocol/vendorRequests';
import type { RequestType } from '../../vendorApi';
import { checkVendorRequest, systemUserRequestItem } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';
import { lookUp } from '../lookup';

export async function getRequest(action: ActionContext): Promise<IDataObject> {
	const requestType = action.node.getNodeParameter('requestType', action.itemIndex, 'standard') as RequestType;
	const agent = requestType === 'agent';
	const build = lookUp(action, (token, lookup) =>
		lookup.by === 'requestId'
			? buildGetSystemUserRequest(action.platformUrl, token, lookup.requestId, agent)
			: buildGetSystemUserRequestByExternalRef(action.platformUrl, token, { ...lookup, agent }),
	);
	checkVendorRequest(build);
	const vendor = await action.session(VENDOR_CALLS.getRequest.scope);
	return systemUserRequestItem(readSystemUserRequestAnswer(await vendor.send(build), VENDOR_CALLS.getRequest), requestType);
}
