/**
 * System User Request → Create: asks a customer (for a client system user, the facilitator) to
 * approve a system user for the system. Altinn answers an identical request with the one it has.
 */
import type { IDataObject } from 'n8n-workflow';

import { checkOrganisationNumber } from '../../protocol/orgNumber';
import { VENDOR_CALLS, readSystemUserRequestAnswer } from '../../protocol/vendorAnswers';
import { accessPackagesFromUrns, buildCreateAgentSystemUserRequest, buildCreateSystemUserRequest, rightsFromResourceIds } from '../../protocol/vendorRequests';
import type { RequestType, VendorRequest } from '../../vendorApi';
import { checkVendorRequest, systemUserRequestItem } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';

export async function createRequest(action: ActionContext): Promise<IDataObject> {
	const { text } = action;
	const requestType = action.node.getNodeParameter('requestType', action.itemIndex, 'standard') as RequestType;
	// Checked here, before the rights, so a wrong number is what the person hears about first.
	const partyOrgNo = checkOrganisationNumber(text('customerOrgNumber'), "customer's organisation number");
	action.identify({ orgNumber: partyOrgNo, ...(text('externalRef') ? { externalRef: text('externalRef') } : {}) });
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
		agent ? buildCreateAgentSystemUserRequest(action.platformUrl, token, request) : buildCreateSystemUserRequest(action.platformUrl, token, { ...request, rights });
	checkVendorRequest(build);
	const vendor = await action.session(VENDOR_CALLS.createRequest.scope);
	return systemUserRequestItem(readSystemUserRequestAnswer(await vendor.send(build), VENDOR_CALLS.createRequest), requestType, true);
}
