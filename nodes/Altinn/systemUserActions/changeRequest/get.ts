/** Change Request → Get: a change request's status, by its ID or by system, customer and external reference. */
import type { IDataObject } from 'n8n-workflow';

import { VENDOR_CALLS, readChangeRequestAnswer } from '../../protocol/vendorAnswers';
import { buildGetChangeRequest, buildGetChangeRequestByExternalRef } from '../../protocol/vendorRequests';
import { checkVendorRequest } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';
import { lookUp } from '../lookup';

export async function getChangeRequest(action: ActionContext): Promise<IDataObject> {
	const build = lookUp(action, (token, lookup) =>
		lookup.by === 'requestId'
			? buildGetChangeRequest(action.platformUrl, token, lookup.requestId)
			: buildGetChangeRequestByExternalRef(action.platformUrl, token, lookup),
	);
	checkVendorRequest(build);
	const vendor = await action.session(VENDOR_CALLS.getChangeRequest.scope);
	return { ...readChangeRequestAnswer(await vendor.send(build), VENDOR_CALLS.getChangeRequest) } as unknown as IDataObject;
}
