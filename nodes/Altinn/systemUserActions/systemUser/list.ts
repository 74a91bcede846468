/** System User → List: every system user customers have approved for the system, all pages. */
import type { IDataObject } from 'n8n-workflow';

import type { SystemUser } from '../../protocol/vendorRequests';
import { buildListSystemUsersRequest } from '../../protocol/vendorRequests';
import { VENDOR_CALLS } from '../../protocol/vendorAnswers';
import { checkVendorRequest, listAllSystemUsers } from '../../vendorApi';
import type { ActionContext } from '../../vendorActions';

export async function listSystemUsers(action: ActionContext): Promise<IDataObject[]> {
	const systemId = action.text('systemId');
	checkVendorRequest((token) => buildListSystemUsersRequest(action.platformUrl, token, systemId));
	const vendor = await action.session(VENDOR_CALLS.listSystemUsers.scope);
	return (await listAllSystemUsers(vendor, systemId)).map(systemUserItem);
}

function systemUserItem(systemUser: SystemUser): IDataObject {
	// `id` is named for what it is, as in token items; the rest keeps Altinn's words.
	return {
		systemUserId: systemUser.id,
		systemId: systemUser.systemId,
		reporteeOrgNo: systemUser.reporteeOrgNo,
		externalRef: systemUser.externalRef,
		integrationTitle: systemUser.integrationTitle,
		created: systemUser.created,
	};
}
