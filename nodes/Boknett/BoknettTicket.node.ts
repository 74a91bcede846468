import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { bokbasenClientCredentialsLogin } from '../Bokbasen/logins/clientCredentials';
import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { tokenOf } from '../shared/loginModule';
import { credentialFor, forgetToken, loginContext, loginForItem } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import { runForEachItem, timeoutOption } from '../shared/runItems';
import { boknettBaseUrl, boknettTicketLogin } from './logins/ticket';
import { TICKET_LIFETIME_MS, buildDeleteTicketRequest, readDeleteTicketAnswer } from './protocol/tickets';

type BoknettOperation = 'create' | 'delete' | 'oauth2Token';

const SUBTITLES: Record<BoknettOperation, string> = {
	create: 'Log in (create ticket)',
	delete: 'Log out (delete ticket)',
	oauth2Token: 'Get OAuth2 token',
};

export class BoknettTicket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boknett Ticket',
		name: 'boknettTicket',
		icon: { light: 'file:boknett.svg', dark: 'file:boknett.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ $parameter["operation"] === "delete" ? "${SUBTITLES.delete}" : $parameter["operation"] === "oauth2Token" ? "${SUBTITLES.oauth2Token}" : "${SUBTITLES.create}" }}`,
		description: "Log in to Bokbasen: a Boknett ticket (TGT) for the older services, or an OAuth2 token for the new APIs",
		defaults: { name: 'Boknett Ticket' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents. Its output is a live Boknett ticket or Bokbasen token, which an agent
		// would hand to a language model.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [
			{ name: 'boknettApi', required: true, displayOptions: { show: { operation: ['create', 'delete'] } } },
			{
				name: 'bokbasenOAuth2Api',
				required: true,
				displayOptions: { show: { operation: ['oauth2Token'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create Ticket (Log In)',
						value: 'create',
						description: 'Log in and output a token item with the ticket and ready-made headers',
						action: 'Create a ticket',
					},
					{
						name: 'Delete Ticket (Log Out)',
						value: 'delete',
						description: 'Log out: end a ticket before it expires',
						action: 'Delete a ticket',
					},
					{
						name: 'Get OAuth2 Token',
						value: 'oauth2Token',
						description: "Bokbasen's current login for its new APIs: a client-credentials token with a Bearer header",
						action: 'Get an access token',
					},
				],
				default: 'create',
			},
			{
				displayName: 'Ticket',
				name: 'ticket',
				type: 'string',
				default: '={{ $json.token }}',
				required: true,
				description: 'The ticket (TGT) to end. By default the token of the incoming token item.',
				displayOptions: { show: { operation: ['delete'] } },
			},
			optionsCollection([
				{
					displayName: 'Ticket Lifetime (Minutes)',
					name: 'ticketLifetimeMinutes',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 120 },
					default: 120,
					description:
						'When the token item says the ticket expires. Boknett tickets live at most 2 hours; a shorter value makes later steps log in again earlier.',
					displayOptions: { show: { '/operation': ['create'] } },
				},
				...tokenReuseOptions({ '/operation': ['create', 'oauth2Token'] }),
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const operation = this.getNodeParameter('operation', itemIndex) as BoknettOperation;

			if (operation === 'oauth2Token') {
				const client = await credentialFor(this, bokbasenClientCredentialsLogin, itemIndex);
				return tokenOf(bokbasenClientCredentialsLogin, await loginForItem(this, itemIndex, bokbasenClientCredentialsLogin, client, {}, secrets), 'node');
			}

			const credential = await credentialFor(this, boknettTicketLogin, itemIndex);
			if (operation === 'delete') {
				secrets.add(...boknettTicketLogin.secrets(credential));
				const ticketParameter = this.getNodeParameter('ticket', itemIndex, '');
				const ticket = typeof ticketParameter === 'string' ? ticketParameter : '';
				const { send } = loginContext(this, secrets, timeoutOption(this, itemIndex));
				const result = readDeleteTicketAnswer(await send(buildDeleteTicketRequest(boknettBaseUrl(credential), ticket)));
				// A ticket that was logged out must never be handed out again.
				await forgetToken(this, boknettTicketLogin, credential, ticket);
				return result;
			}

			const lifetimeMinutes = this.getNodeParameter('options.ticketLifetimeMinutes', itemIndex, 120) as number;
			const lifetimeMs = Math.min(TICKET_LIFETIME_MS, Math.max(1, lifetimeMinutes) * 60_000);
			return tokenOf(boknettTicketLogin, await loginForItem(this, itemIndex, boknettTicketLogin, credential, { lifetimeMs }, secrets), 'node');
		});
	}
}
