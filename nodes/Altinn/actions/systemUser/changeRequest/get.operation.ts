/** Change Request → Get: a change request's status, by its ID or by system, customer and external reference. */
import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { VENDOR_CALLS, readChangeRequestAnswer } from '../../../protocol/vendorAnswers';
import { buildGetChangeRequest, buildGetChangeRequestByExternalRef } from '../../../protocol/vendorRequests';
import { checkVendorRequest } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { LOOKUP_PROPERTIES, lookUp } from '../fields';

async function handleItem(item: ItemContext): Promise<IDataObject> {
	const build = lookUp(item, (token, lookup) =>
		lookup.by === 'requestId' ? buildGetChangeRequest(item.platformUrl, token, lookup.requestId) : buildGetChangeRequestByExternalRef(item.platformUrl, token, lookup),
	);
	checkVendorRequest(build);
	const vendor = await item.session(VENDOR_CALLS.getChangeRequest.scope);
	return { ...readChangeRequestAnswer(await vendor.send(build), VENDOR_CALLS.getChangeRequest) } as unknown as IDataObject;
}

export const getChangeRequest: NodeOperation = {
	option: { name: 'Get', value: 'getChangeRequest', description: 'Read the status of a change request', action: 'Get a change request' },
	subtitle: 'Get change request',
	properties: LOOKUP_PROPERTIES,
	execute: eachItem(handleItem),
};
