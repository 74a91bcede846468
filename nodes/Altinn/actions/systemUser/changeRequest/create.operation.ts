/** Change Request → Create: asks a customer to add or remove rights on a system user it approved. */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { NodeOperation } from '../../../../shared/nodeOperations';
import { VENDOR_CALLS, readChangeRequestAnswer } from '../../../protocol/vendorAnswers';
import { accessPackagesFromUrns, buildCreateChangeRequest, rightsFromResourceIds } from '../../../protocol/vendorRequests';
import type { VendorRequest } from '../../../vendorApi';
import { checkVendorRequest } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { REDIRECT_URL_PROPERTY } from '../fields';

async function handleItem(item: ItemContext): Promise<IDataObject> {
	const { text } = item;
	const change = {
		correlationId: text('correlationId') || randomUUID(),
		systemUserId: text('systemUserId'),
		requiredRights: rightsFromResourceIds(text('requiredRights')),
		unwantedRights: rightsFromResourceIds(text('unwantedRights')),
		requiredAccessPackages: accessPackagesFromUrns(text('requiredAccessPackages')),
		unwantedAccessPackages: accessPackagesFromUrns(text('unwantedAccessPackages')),
		redirectUrl: text('redirectUrl') || undefined,
	};
	const build: VendorRequest = (token) => buildCreateChangeRequest(item.platformUrl, token, change);
	checkVendorRequest(build);
	const vendor = await item.session(VENDOR_CALLS.createChangeRequest.scope);
	return { ...readChangeRequestAnswer(await vendor.send(build), VENDOR_CALLS.createChangeRequest) } as unknown as IDataObject;
}

const listOf = (displayName: string, name: string, description: string) => ({ displayName, name, type: 'string' as const, default: '', description });

export const createChangeRequest: NodeOperation = {
	option: {
		name: 'Create',
		value: 'createChangeRequest',
		description: 'Ask the customer to approve added or removed rights on an existing system user',
		action: 'Create a change request',
	},
	subtitle: 'Create change request',
	properties: [
		{
			displayName: 'System User ID',
			name: 'systemUserId',
			type: 'string',
			default: '',
			required: true,
			description: 'The system user to change (a UUID), e.g. from List System Users or a token item',
		},
		listOf('Required Rights (Resource IDs)', 'requiredRights', 'Resource IDs the system user is to have, separated by commas'),
		listOf('Unwanted Rights (Resource IDs)', 'unwantedRights', 'Resource IDs the system user is no longer to have, separated by commas'),
		listOf('Required Access Packages', 'requiredAccessPackages', 'Access package URNs the system user is to have, separated by commas'),
		listOf('Unwanted Access Packages', 'unwantedAccessPackages', 'Access package URNs the system user is no longer to have, separated by commas'),
		listOf(
			'Correlation ID',
			'correlationId',
			'A UUID of your own for this change request: asking again with the same one returns the same change request instead of a new one. Empty: a new UUID for each item.',
		),
		REDIRECT_URL_PROPERTY,
	],
	execute: eachItem(handleItem),
};
