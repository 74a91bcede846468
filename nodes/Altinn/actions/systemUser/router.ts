/**
 * The Altinn System User node's resources and their operations, one file each under the resource it
 * acts on (`<resource>/<op>.operation.ts`). A new operation is its file and a line here.
 */
import { NodeOperations } from '../../../shared/nodeOperations';
import { createChangeRequest } from './changeRequest/create.operation';
import { getChangeRequest } from './changeRequest/get.operation';
import { createRequest } from './request/create.operation';
import { getRequest } from './request/get.operation';
import { listRequests } from './request/list.operation';
import { listSystemUsers } from './systemUser/list.operation';

export const SYSTEM_USER_OPERATIONS = new NodeOperations([
	{
		option: { name: 'System User Request', value: 'request', description: 'A request to a customer to approve a system user for your system' },
		operations: [createRequest, getRequest, listRequests],
	},
	{
		option: { name: 'Change Request', value: 'changeRequest', description: 'Added or removed rights on a system user a customer already approved' },
		operations: [createChangeRequest, getChangeRequest],
	},
	{
		option: { name: 'System User', value: 'systemUser', description: 'The system users customers have approved for your system' },
		operations: [listSystemUsers],
	},
]);
