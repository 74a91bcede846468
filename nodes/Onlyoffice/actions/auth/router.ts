/** The ONLYOFFICE Auth node's operations, one file each (`<op>.operation.ts`). A new operation is its file and a line here. */
import { NodeOperations } from '../../../shared/nodeOperations';
import { logIn } from './logIn.operation';
import { logOut } from './logOut.operation';
import { waitForSmsCode } from './waitForSmsCode.operation';

export const AUTH_OPERATIONS = NodeOperations.withoutResource([logIn, logOut, waitForSmsCode]);
