/** The Altinn SMS Challenge node's operations, one file each (`<op>.operation.ts`). A new operation is its file and a line here. */
import { NodeOperations } from '../../../shared/nodeOperations';
import { requestPin } from './requestPin.operation';
import { waitForPin } from './waitForPin.operation';

export const SMS_CHALLENGE_OPERATIONS = NodeOperations.withoutResource([requestPin, waitForPin]);
