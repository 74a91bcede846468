/** Wait for PIN: the execution pauses until the PIN arrives at its resume URL (the node's webhook takes it). */
import { waitForCode } from '../../../shared/codeWait';
import { waitProperties } from '../../../shared/descriptions';
import type { NodeOperation } from '../../../shared/nodeOperations';

export const waitForPin: NodeOperation = {
	option: {
		name: 'Wait for PIN',
		value: 'waitForPin',
		description: 'Pause until the PIN is entered in a form or posted as JSON, then output it as a token item',
		action: 'Wait for a PIN',
	},
	properties: [
		...waitProperties(
			"The execution pauses here until the PIN arrives at this execution's resume URL. If the time limit passes first, n8n goes on with the input items unchanged and the Altinn SOAP Request node reports that no PIN arrived.",
			{ defaultMinutes: 30, maxMinutes: 480, description: 'How long to wait for the PIN. A PIN is valid 30 minutes after it was requested.' },
		),
	],
	execute: async (node) => await waitForCode(node, node.getNodeParameter('timeLimitMinutes', 0, 30) as number),
};
