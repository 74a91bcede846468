import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { bokbasenClientCredentialsLogin } from '../Bokbasen/logins/clientCredentials';
import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import type { LoginModule } from '../shared/loginModule';
import { credentialFor, forgetToken, loginContext } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import type { RoutedItem } from '../shared/runItems';
import { runForEachItemRouted, timeoutOption } from '../shared/runItems';
import { loginOutput, tokenOutputProperties } from '../shared/tokenUse';
import { boknettBaseUrl, boknettTicketLogin } from './logins/ticket';
import { TICKET_LIFETIME_MS, buildDeleteTicketRequest, readDeleteTicketAnswer } from './protocol/tickets';

type BoknettOperation = 'create' | 'delete' | 'oauth2Token';

const SUBTITLES: Record<BoknettOperation, string> = {
	create: 'Log in (create ticket)',
	delete: 'Log out (delete ticket)',
	oauth2Token: 'Get OAuth2 token',
};

/** What a Boknett ticket or Bokbasen token gives away to whoever sees it. */
const TOKEN_HOLDS = 'A Boknett ticket acts as the account for up to 2 hours (unless deleted), a Bokbasen token until it expires.';

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
			...tokenOutputProperties({ operation: ['create', 'oauth2Token'] }, TOKEN_HOLDS),
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
		return await runForEachItemRouted(this, 1, async (itemIndex, secrets): Promise<RoutedItem[]> => {
			const operation = this.getNodeParameter('operation', itemIndex) as BoknettOperation;
			const output = async <C, S extends Record<string, unknown>>(module: LoginModule<C, S>, credential: C, settings: S) =>
				(await loginOutput(this, itemIndex, module, credential, settings, secrets)).map((item) => ({ ...item, output: 0 }));

			if (operation === 'oauth2Token') {
				return await output(bokbasenClientCredentialsLogin, await credentialFor(this, bokbasenClientCredentialsLogin, itemIndex), {});
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
				return [{ json: result, output: 0 }];
			}

			const lifetimeMinutes = this.getNodeParameter('options.ticketLifetimeMinutes', itemIndex, 120) as number;
			const lifetimeMs = Math.min(TICKET_LIFETIME_MS, Math.max(1, lifetimeMinutes) * 60_000);
			return await output(boknettTicketLogin, credential, { lifetimeMs });
		});
	}
}
