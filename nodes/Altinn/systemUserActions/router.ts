/**
 * The Altinn System User node's router: one file per operation, under the resource it acts on
 * (n8n's own larger nodes are laid out so). A new operation is a file here and a line below.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { credentialFor } from '../../shared/loginRunner';
import { runForEachItem, timeoutOption } from '../../shared/runItems';
import { altinn3Endpoints } from '../logins/maskinporten';
import { altinnVendorLogin } from '../logins/vendor';
import { vendorSession } from '../vendorApi';
import { createChangeRequest } from './changeRequest/create';
import { getChangeRequest } from './changeRequest/get';
import type { ActionContext } from './context';
import { createRequest } from './request/create';
import { getRequest } from './request/get';
import { listRequests } from './request/list';
import { listSystemUsers } from './systemUser/list';

export type Operation = 'createRequest' | 'getRequest' | 'listRequests' | 'listSystemUsers' | 'createChangeRequest' | 'getChangeRequest';

const OPERATIONS: Record<Operation, (action: ActionContext) => Promise<IDataObject | IDataObject[]>> = {
	createRequest,
	getRequest,
	listRequests,
	listSystemUsers,
	createChangeRequest,
	getChangeRequest,
};

export async function route(node: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperations(node, OPERATIONS);
}

/** Runs each item through the operation it names (its `operation` parameter), with the vendor's session; the Altinn Consent node routes the same way. */
export async function routeOperations<O extends string>(
	node: IExecuteFunctions,
	operations: Record<O, (action: ActionContext) => Promise<IDataObject | IDataObject[]>>,
): Promise<INodeExecutionData[][]> {
	return await runForEachItem(node, async (itemIndex, secrets, identify) => {
		const credential = await credentialFor(node, altinnVendorLogin, itemIndex);
		const timeoutMs = timeoutOption(node, itemIndex);
		const operation = node.getNodeParameter('operation', itemIndex) as O;
		return await operations[operation]({
			node,
			itemIndex,
			text: (name) => String(node.getNodeParameter(name, itemIndex, '') ?? '').trim(),
			platformUrl: altinn3Endpoints(credential).platformUrl,
			session: async (scope) => await vendorSession(node, credential, scope, secrets, { run: node, timeoutMs }),
			secrets,
			identify,
		});
	});
}
