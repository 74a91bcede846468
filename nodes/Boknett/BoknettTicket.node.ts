import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL } from '../shared/descriptions';
import { TICKET_OPERATIONS } from './actions/ticket/router';

export class BoknettTicket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boknett Ticket',
		name: 'boknettTicket',
		icon: { light: 'file:boknett.svg', dark: 'file:boknett.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: TICKET_OPERATIONS.subtitle(),
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
		// Operation and each operation's fields: actions/ticket/<op>.operation.ts.
		properties: TICKET_OPERATIONS.properties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await TICKET_OPERATIONS.execute(this);
	}
}
