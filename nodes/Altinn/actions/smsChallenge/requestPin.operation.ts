/** Request PIN: Altinn sends the person a one-time PIN by SMS (GetAuthenticationChallenge); the item says where to hand it in. */
import type { IDataObject } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/descriptions';
import { isPendingLogin } from '../../../shared/loginModule';
import { credentialFor, loginForItem } from '../../../shared/loginRunner';
import type { NodeOperation } from '../../../shared/nodeOperations';
import { runForEachItem } from '../../../shared/runItems';
import { altinnSmsPinLogin } from '../../logins/smsPin';

export const requestPin: NodeOperation = {
	option: { name: 'Request PIN', value: 'requestPin', description: 'Ask Altinn to send the one-time PIN (GetAuthenticationChallenge)', action: 'Request a PIN' },
	properties: [
		{
			displayName:
				'Outputs <code>pinFormUrl</code> (a page where a person types the PIN) and <code>pinWebhookUrl</code> (for <code>POST {"pin": "…"}</code> from an SMS gateway). Send one of them with an e-mail or chat node, then add this node again with the operation Wait for PIN.',
			name: 'requestNotice',
			type: 'notice',
			default: '',
		},
		optionsCollection(),
	],
	execute: async (node) =>
		await runForEachItem(node, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = await credentialFor(node, altinnSmsPinLogin, itemIndex);
			const outcome = await loginForItem(node, itemIndex, altinnSmsPinLogin, credential, {}, secrets);
			if (!isPendingLogin(outcome)) return outcome;
			return {
				...outcome.pending,
				pinFormUrl: node.evaluateExpression('{{ $execution.resumeFormUrl }}', itemIndex) as string,
				pinWebhookUrl: node.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) as string,
			};
		}),
};
