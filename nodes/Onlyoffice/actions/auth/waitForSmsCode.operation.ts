/**
 * Wait for SMS Code: the execution pauses until the code arrives at its resume URL (the node's webhook
 * finishes the login with it). Token items, when Log In reused a token, go straight on.
 */
import { waitForCode } from '../../../shared/codeWait';
import { waitProperties } from '../../../shared/descriptions';
import type { NodeOperation } from '../../../shared/nodeOperations';

export const waitForSmsCode: NodeOperation = {
	option: {
		name: 'Wait for SMS Code',
		value: 'waitForSmsCode',
		description: 'Pause until the SMS code is entered in a form or posted as JSON, then finish the login',
		action: 'Wait for an SMS code',
	},
	properties: [
		...waitProperties(
			'The execution pauses here until the SMS code arrives at this execution\'s resume URL (the <code>codeFormUrl</code> page or <code>POST {"code": "…"}</code> to <code>codeWebhookUrl</code>), then logs in with it and outputs the token item. A code the portal refuses can be entered again.',
			{ defaultMinutes: 10, maxMinutes: 60, description: 'How long to wait for the code. ONLYOFFICE SMS codes are valid for 10 minutes.' },
		),
	],
	execute: async (node) => {
		// A reused token needs no code: it goes straight on instead of waiting for an SMS never sent.
		const input = node.getInputData();
		if (input.length > 0 && input.every((item) => item.json.provider === 'onlyoffice' && typeof item.json.token === 'string')) {
			return [input];
		}
		return await waitForCode(node, node.getNodeParameter('timeLimitMinutes', 0, 10) as number);
	},
};
