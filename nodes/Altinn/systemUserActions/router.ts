/**
 * The Altinn System User node's router: one file per operation, under the resource it acts on
 * (n8n's own larger nodes are laid out so). A new operation is a file here and a line below.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ActionContext } from '../vendorActions';
import { routeOperations } from '../vendorActions';
import { createChangeRequest } from './changeRequest/create';
import { getChangeRequest } from './changeRequest/get';
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
