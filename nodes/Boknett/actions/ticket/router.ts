/** The Boknett Ticket node's operations, one file each (`<op>.operation.ts`). A new operation is its file and a line here. */
import { NodeOperations } from '../../../shared/nodeOperations';
import { create } from './create.operation';
import { deleteTicket } from './delete.operation';
import { oauth2Token } from './oauth2Token.operation';

export const TICKET_OPERATIONS = NodeOperations.withoutResource([create, deleteTicket, oauth2Token]);
