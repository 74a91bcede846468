/** Create Ticket (Log In): a Boknett ticket (TGT) as a token item, or the answer of one API call made with it. */
import type { NodeOperation } from '../../../shared/nodeOperations';
import { optionsCollection } from '../../../shared/descriptions';
import { credentialFor } from '../../../shared/loginRunner';
import { tokenReuseOptions } from '../../../shared/reuseOptions';
import { runForEachItemRouted } from '../../../shared/runItems';
import { loginOutput, tokenOutputProperties } from '../../../shared/tokenUse';
import { boknettTicketLogin } from '../../logins/ticket';
import { TICKET_LIFETIME_MS } from '../../protocol/tickets';
import { TOKEN_HOLDS } from './tokenHolds';

export const create: NodeOperation = {
	option: {
		name: 'Create Ticket (Log In)',
		value: 'create',
		description: 'Log in and output a token item with the ticket and ready-made headers',
		action: 'Create a ticket',
	},
	subtitle: 'Log in (create ticket)',
	properties: [
		...tokenOutputProperties({}, TOKEN_HOLDS),
		optionsCollection([
			{
				displayName: 'Ticket Lifetime (Minutes)',
				name: 'ticketLifetimeMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 120 },
				default: 120,
				description:
					'When the token item says the ticket expires. Boknett tickets live at most 2 hours; a shorter value makes later steps log in again earlier.',
			},
			...tokenReuseOptions(),
		]),
	],
	execute: async (node) =>
		await runForEachItemRouted(node, 1, async (itemIndex, secrets) => {
			const credential = await credentialFor(node, boknettTicketLogin, itemIndex);
			const lifetimeMinutes = node.getNodeParameter('options.ticketLifetimeMinutes', itemIndex, 120) as number;
			const lifetimeMs = Math.min(TICKET_LIFETIME_MS, Math.max(1, lifetimeMinutes) * 60_000);
			const items = await loginOutput(node, itemIndex, boknettTicketLogin, credential, { lifetimeMs }, secrets);
			return items.map((item) => ({ ...item, output: 0 }));
		}),
};
