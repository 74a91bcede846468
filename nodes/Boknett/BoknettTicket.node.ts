import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection } from '../shared/descriptions';
import { resolveBaseUrl } from '../shared/environment';
import { runForEachItem, sendRequest, timeoutOption } from '../shared/execution';
import { makeTokenItem } from '../shared/token';
import {
	BOKNETT_BASE_URLS,
	TICKET_LIFETIME_MS,
	boknettAuthorizationHeaders,
	buildCreateTicketRequest,
	buildDeleteTicketRequest,
	readCreateTicketAnswer,
	readDeleteTicketAnswer,
} from './protocol';

interface BoknettCredential {
	environment: string;
	baseUrl?: string;
	username: string;
	password: string;
}

export class BoknettTicket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boknett Ticket',
		name: 'boknettTicket',
		icon: { light: 'file:boknett.svg', dark: 'file:boknett.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "delete" ? "Log out (delete ticket)" : "Log in (create ticket)" }}',
		description: "Log in to Bokbasen's Boknett and get a ticket (TGT) for later API calls, or log out",
		defaults: { name: 'Boknett Ticket' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'boknettApi', required: true }],
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
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = (await this.getCredentials('boknettApi', itemIndex)) as unknown as BoknettCredential;
			secrets.add(credential.password);
			const baseUrl = resolveBaseUrl(credential.environment, credential.baseUrl, BOKNETT_BASE_URLS, 'Boknett');
			const timeoutMs = timeoutOption(this, itemIndex);
			const operation = this.getNodeParameter('operation', itemIndex) as 'create' | 'delete';

			if (operation === 'delete') {
				const ticketParameter = this.getNodeParameter('ticket', itemIndex, '');
				const ticket = typeof ticketParameter === 'string' ? ticketParameter : '';
				const answer = await sendRequest(this, buildDeleteTicketRequest(baseUrl, ticket), timeoutMs);
				return readDeleteTicketAnswer(answer);
			}

			const obtainedAt = new Date();
			const answer = await sendRequest(
				this,
				buildCreateTicketRequest({ baseUrl, username: credential.username, password: credential.password }),
				timeoutMs,
			);
			const { ticket } = readCreateTicketAnswer(answer);
			const lifetimeMinutes = this.getNodeParameter('options.ticketLifetimeMinutes', itemIndex, 120) as number;
			const lifetimeMs = Math.min(TICKET_LIFETIME_MS, Math.max(1, lifetimeMinutes) * 60_000);
			return makeTokenItem({
				provider: 'boknett',
				environment: credential.environment,
				token: ticket,
				headers: boknettAuthorizationHeaders(ticket),
				obtainedAt,
				expiresAt: new Date(obtainedAt.getTime() + lifetimeMs),
			});
		});
	}
}
