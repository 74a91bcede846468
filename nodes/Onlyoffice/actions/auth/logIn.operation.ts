/**
 * Log In: a token item, or the answer of one API call made with the token. An SMS code the portal sends
 * instead fails the item, or (SMS Code: Wait for the Code) goes out as what is needed to ask for it, on
 * the Code Needed output in version 2.
 */
import type { IDataObject } from 'n8n-workflow';

import { optionsCollection, tokenItemNotice } from '../../../shared/descriptions';
import { isPendingLogin, tokenOf } from '../../../shared/loginModule';
import { credentialFor, loginForItem } from '../../../shared/loginRunner';
import type { NodeOperation } from '../../../shared/nodeOperations';
import { tokenReuseOptions } from '../../../shared/reuseOptions';
import type { RoutedItem } from '../../../shared/runItems';
import { runForEachItemRouted } from '../../../shared/runItems';
import { checkOutputParameters, loginOutput, tokenOutputProperties } from '../../../shared/tokenUse';
import { onlyofficePasswordLogin } from '../../logins/password';

/** What an ONLYOFFICE token gives away to whoever sees it. */
const TOKEN_HOLDS = 'An ONLYOFFICE token acts as the account for as long as the portal lets it live (a year by default) unless it is logged out.';

export const logIn: NodeOperation = {
	option: {
		name: 'Log In',
		value: 'logIn',
		description: 'Log in and output a token item; completes authenticator-app two-factor logins by itself',
		action: 'Log in',
	},
	properties: [
		{
			displayName: 'SMS Code',
			name: 'smsCodeHandling',
			type: 'options',
			options: [
				{
					name: 'Stop With an Error',
					value: 'fail',
					description: 'For accounts that should never need a code: the node fails and says so',
				},
				{
					name: 'Wait for the Code',
					value: 'wait',
					description:
						'Output codeFormUrl and codeWebhookUrl instead of a token; a later ONLYOFFICE Auth node (Wait for SMS Code) finishes the login',
				},
			],
			default: 'fail',
			description: 'What to do when the portal answers the login by sending an SMS code',
		},
		{
			displayName: 'Code Needed Output',
			name: 'codeNeededOutput',
			type: 'boolean',
			default: true,
			description:
				'Whether logins that need an SMS code go to a second output ("Code Needed"), so that the step sending the code page runs only then, and a token (also a reused one) goes on from the first output',
			displayOptions: { show: { '@version': [2], smsCodeHandling: ['wait'] } },
		},
		{ ...tokenItemNotice('Authorization'), displayOptions: { show: { smsCodeHandling: ['fail'] } } },
		{
			displayName:
				'Outputs a token item when the portal gives a token (or a stored one is reused). When it sends an SMS code instead, the item is <code>{ status: "smsCodeSent", codeFormUrl, codeWebhookUrl, … }</code>: send <code>codeFormUrl</code> to the person, then add this node again with the operation Wait for SMS Code, which passes a token item straight through.',
			name: 'smsWaitNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { smsCodeHandling: ['wait'] } },
		},
		...tokenOutputProperties({}, TOKEN_HOLDS),
		optionsCollection(tokenReuseOptions()),
	],
	execute: async (node) => {
		const split = node.getNodeParameter('smsCodeHandling', 0, 'fail') === 'wait' && node.getNodeParameter('codeNeededOutput', 0, false) === true;
		return await runForEachItemRouted(node, split ? 2 : 1, async (itemIndex, secrets): Promise<RoutedItem[]> => {
			const credential = await credentialFor(node, onlyofficePasswordLogin, itemIndex);
			checkOutputParameters(node, itemIndex);
			const outcome = await loginForItem(node, itemIndex, onlyofficePasswordLogin, credential, {}, secrets);
			if (isPendingLogin(outcome) && node.getNodeParameter('smsCodeHandling', itemIndex, 'fail') === 'wait') {
				// The token comes when the code does (the node's webhook).
				const json: IDataObject = {
					...outcome.pending,
					codeFormUrl: node.evaluateExpression('{{ $execution.resumeFormUrl }}', itemIndex) as string,
					codeWebhookUrl: node.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) as string,
				};
				return [{ json, output: 1 }];
			}
			const token = tokenOf(onlyofficePasswordLogin, outcome, 'node');
			return (await loginOutput(node, itemIndex, onlyofficePasswordLogin, credential, {}, secrets, token)).map((item) => ({ ...item, output: 0 }));
		});
	},
};
