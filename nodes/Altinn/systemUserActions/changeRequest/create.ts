/** Change Request → Create: asks a customer to add or remove rights on a system user it approved. */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { VENDOR_CALLS, readChangeRequestAnswer } from '../../protocol/vendorAnswers';
import { accessPackagesFromUrns, buildCreateChangeRequest, rightsFromResourceIds } from '../../protocol/vendorRequests';
import type { VendorRequest } from '../../vendorApi';
import { checkVendorRequest } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';

export async function createChangeRequest(action: ActionContext): Promise<IDataObject> {
	const { text } = action;
	const change = {
		correlationId: text('correlationId') || randomUUID(),
		systemUserId: text('systemUserId'),
		requiredRights: rightsFromResourceIds(text('requiredRights')),
		unwantedRights: rightsFromResourceIds(text('unwantedRights')),
		requiredAccessPackages: accessPackagesFromUrns(text('requiredAccessPackages')),
		unwantedAccessPackages: accessPackagesFromUrns(text('unwantedAccessPackages')),
		redirectUrl: text('redirectUrl') || undefined,
	};
	const build: VendorRequest = (token) => buildCreateChangeRequest(action.platformUrl, token, change);
	checkVendorRequest(build);
	const vendor = await action.session(VENDOR_CALLS.createChangeRequest.scope);
	return { ...readChangeRequestAnswer(await vendor.send(build), VENDOR_CALLS.createChangeRequest) } as unknown as IDataObject;
}
