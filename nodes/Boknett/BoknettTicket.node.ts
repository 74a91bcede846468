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
import { bearerHeaders } from '../shared/oauth2';
import { makeTokenItem } from '../shared/token';
import { processTokenCache } from '../shared/tokenCache';
import { loginWithReuse, tokenReuseOptions } from '../shared/tokenReuse';
import { BOKBASEN_AUTH_BASE_URLS, buildClientCredentialsRequest, readClientCredentialsAnswer } from './bokbasenOAuth2';
import {
	BOKNETT_BASE_URLS,
	TICKET_LIFETIME_MS,
	boknettAuthorizationHeaders,
	buildCreateTicketRequest,
	buildDeleteTicketRequest,
	readCreateTicketAnswer,
	readDeleteTicketAnswer,
} from './protocol';

interface BokbasenOAuth2Credential {
	environment: string;
	baseUrl?: string;
	clientId: string;
	clientSecret: string;
	audience: string;
}

type BoknettOperation = 'create' | 'delete' | 'oauth2Token';

const SUBTITLES: Record<BoknettOperation, string> = {
	create: 'Log in (create ticket)',
	delete: 'Log out (delete ticket)',
	oauth2Token: 'Get OAuth2 token',
};

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
		subtitle: `={{ $parameter["operation"] === "delete" ? "${SUBTITLES.delete}" : $parameter["operation"] === "oauth2Token" ? "${SUBTITLES.oauth2Token}" : "${SUBTITLES.create}" }}`,
		description: "Log in to Bokbasen: a Boknett ticket (TGT) for the older services, or an OAuth2 token for the new APIs",
		defaults: { name: 'Boknett Ticket' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'boknettApi', required: true, displayOptions: { show: { operation: ['create', 'delete'] } } },
			{ name: 'bokbasenOAuth2Api', required: true, displayOptions: { show: { operation: ['oauth2Token'] } } },
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
			const timeoutMs = timeoutOption(this, itemIndex);
			const operation = this.getNodeParameter('operation', itemIndex) as BoknettOperation;

			if (operation === 'oauth2Token') {
				const client = (await this.getCredentials('bokbasenOAuth2Api', itemIndex)) as unknown as BokbasenOAuth2Credential;
				secrets.add(client.clientSecret);
				const authBaseUrl = resolveBaseUrl(client.environment, client.baseUrl, BOKBASEN_AUTH_BASE_URLS, 'Bokbasen');
				return await loginWithReuse(this, itemIndex, { provider: 'bokbasen', credential: client }, async () => {
					const obtainedAt = new Date();
					const answer = await sendRequest(
						this,
						buildClientCredentialsRequest({ authBaseUrl, clientId: client.clientId, clientSecret: client.clientSecret, audience: client.audience }),
						timeoutMs,
					);
					const token = readClientCredentialsAnswer(answer, obtainedAt);
					return makeTokenItem({
						provider: 'bokbasen',
						environment: client.environment,
						token: token.accessToken,
						headers: bearerHeaders(token.accessToken),
						obtainedAt,
						expiresAt: token.expiresAt,
						extra: { audience: client.audience.trim() },
					});
				});
			}

			const credential = (await this.getCredentials('boknettApi', itemIndex)) as unknown as BoknettCredential;
			secrets.add(credential.password);
			const baseUrl = resolveBaseUrl(credential.environment, credential.baseUrl, BOKNETT_BASE_URLS, 'Boknett');

			if (operation === 'delete') {
				const ticketParameter = this.getNodeParameter('ticket', itemIndex, '');
				const ticket = typeof ticketParameter === 'string' ? ticketParameter : '';
				const answer = await sendRequest(this, buildDeleteTicketRequest(baseUrl, ticket), timeoutMs);
				const result = readDeleteTicketAnswer(answer);
				// A ticket that was logged out must never be handed out again.
				processTokenCache.forgetToken(ticket);
				return result;
			}

			const lifetimeMinutes = this.getNodeParameter('options.ticketLifetimeMinutes', itemIndex, 120) as number;
			const lifetimeMs = Math.min(TICKET_LIFETIME_MS, Math.max(1, lifetimeMinutes) * 60_000);
			const identity = { provider: 'boknett', credential, settings: { lifetimeMs } };
			return await loginWithReuse(this, itemIndex, identity, async () => {
				const obtainedAt = new Date();
				const answer = await sendRequest(
					this,
					buildCreateTicketRequest({ baseUrl, username: credential.username, password: credential.password }),
					timeoutMs,
				);
				const { ticket } = readCreateTicketAnswer(answer);
				return makeTokenItem({
					provider: 'boknett',
					environment: credential.environment,
					token: ticket,
					headers: boknettAuthorizationHeaders(ticket),
					obtainedAt,
					expiresAt: new Date(obtainedAt.getTime() + lifetimeMs),
				});
			});
		});
	}
}
