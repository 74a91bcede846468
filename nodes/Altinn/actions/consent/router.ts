/**
 * The Altinn Consent node's resources and their operations, one file each under the resource it acts
 * on (`<resource>/<op>.operation.ts`). A new operation is its file and a line here.
 */
import { NodeOperations } from '../../../shared/nodeOperations';
import { createConsentRequest } from './consentRequest/create.operation';
import { getConsentRequest } from './consentRequest/get.operation';
import { waitForDecision } from './consentRequest/waitForDecision.operation';

export const CONSENT_OPERATIONS = new NodeOperations([
	{
		option: { name: 'Consent Request', value: 'consentRequest', description: 'A request to a person or an organisation to consent to your reading their data' },
		operations: [createConsentRequest, getConsentRequest, waitForDecision],
	},
]);
