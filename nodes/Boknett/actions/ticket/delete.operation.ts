/** Delete Ticket (Log Out): ends a Boknett ticket before it expires; no process hands it out again. */
import type { NodeOperation } from '../../../shared/nodeOperations';
import { optionsCollection } from '../../../shared/descriptions';
import { credentialFor, forgetToken, loginContext } from '../../../shared/loginRunner';
import { runForEachItem, timeoutOption } from '../../../shared/runItems';
import { boknettBaseUrl, boknettTicketLogin } from '../../logins/ticket';
import { buildDeleteTicketRequest, readDeleteTicketAnswer } from '../../protocol/tickets';

export const deleteTicket: NodeOperation = {
	option: { name: 'Delete Ticket (Log Out)', value: 'delete', description: 'Log out: end a ticket before it expires', action: 'Delete a ticket' },
	subtitle: 'Log out (delete ticket)',
	properties: [
		{
			displayName: 'Ticket',
			name: 'ticket',
			type: 'string',
			default: '={{ $json.token }}',
			required: true,
			description: 'The ticket (TGT) to end. By default the token of the incoming token item.',
		},
		optionsCollection(),
	],
	execute: async (node) =>
		await runForEachItem(node, async (itemIndex, secrets) => {
			const credential = await credentialFor(node, boknettTicketLogin, itemIndex);
			secrets.add(...boknettTicketLogin.secrets(credential));
			const ticketParameter = node.getNodeParameter('ticket', itemIndex, '');
			const ticket = typeof ticketParameter === 'string' ? ticketParameter : '';
			const { send } = loginContext(node, secrets, timeoutOption(node, itemIndex));
			const result = readDeleteTicketAnswer(await send(buildDeleteTicketRequest(boknettBaseUrl(credential), ticket)));
			// A ticket that was logged out must never be handed out again.
			await forgetToken(node, boknettTicketLogin, credential, ticket);
			return result;
		}),
};
