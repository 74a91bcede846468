/** System User → List: every system user customers have approved for the system, all pages. */
import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { SYSTEM_ID_PROPERTY } from '../../../descriptions';
import { VENDOR_CALLS } from '../../../protocol/vendorAnswers';
import type { SystemUser } from '../../../protocol/vendorRequests';
import { buildListSystemUsersRequest } from '../../../protocol/vendorRequests';
import { checkVendorRequest, listAllSystemUsers } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';

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

async function handleItem(item: ItemContext): Promise<IDataObject[]> {
	const systemId = item.text('systemId');
	checkVendorRequest((token) => buildListSystemUsersRequest(item.platformUrl, token, systemId));
	const vendor = await item.session(VENDOR_CALLS.listSystemUsers.scope);
	return (await listAllSystemUsers(vendor, systemId)).map(systemUserItem);
}

export const listSystemUsers: NodeOperation = {
	option: {
		name: 'List',
		value: 'listSystemUsers',
		description: 'One item per system user (Altinn asks for the scope altinn:authentication/systemregister.write here)',
		action: 'List system users',
	},
	subtitle: 'List system users',
	properties: [SYSTEM_ID_PROPERTY],
	execute: eachItem(handleItem),
};
