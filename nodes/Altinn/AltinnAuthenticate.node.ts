import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { tokenOf } from '../shared/loginModule';
import { credentialFor, loginForItem } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import { runForEachItem } from '../shared/runItems';
import { altinnMaskinportenLogin } from './logins/maskinporten';
import { altinnPasswordLogin } from './logins/password';
import { altinnSystemUserLogin } from './logins/systemUser';

type AltinnLogin = 'maskinporten' | 'systemUser' | 'password';

const PASSWORD_NOTICE =
	'Altinn shut Altinn 2, with this password login, down on 19 June 2026: use Altinn 3 System User (for customers) or Altinn 3 (Maskinporten) (for your own organisation).';

export class AltinnAuthenticate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Authenticate',
		name: 'altinnAuthenticate',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		// Version 2 makes Altinn 3 the default; workflows made with version 1 keep the password login.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ $parameter["authentication"] === "systemUser" ? "System user for " + $parameter["customerOrgNumber"] : $parameter["authentication"] === "maskinporten" ? "Altinn 3 (Maskinporten)" : "Altinn 2 password login (retired)" }}',
		description: 'Log in to Altinn 3 through Maskinporten, as your organisation or as a customer\'s system user (or the retired Altinn 2 password login)',
		defaults: { name: 'Altinn Authenticate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents. Its output is a live Altinn token, which an agent would hand to a
		// language model; and logging in for an organisation or a customer is a person's decision.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [
			{
				name: 'altinnMaskinportenApi',
				required: true,
				displayOptions: { show: { authentication: ['maskinporten', 'systemUser'] } },
			},
			{ name: 'altinnApi', required: true, displayOptions: { show: { authentication: ['password'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Altinn 3 (Maskinporten)',
						value: 'maskinporten',
						description: 'As your own organisation: Maskinporten token exchanged for an Altinn token (Bearer)',
					},
					{
						name: 'Altinn 3 System User',
						value: 'systemUser',
						description: 'For a customer who approved a system user for your system: a token per customer, unattended',
					},
					{
						name: 'Altinn 2 Password (Retired)',
						value: 'password',
						description: 'Username and password for the Altinn 2 REST API (auth cookie)',
					},
				],
				default: 'maskinporten',
				displayOptions: { show: { '@version': [2] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Altinn 3 (Maskinporten)', value: 'maskinporten' },
					{ name: 'Altinn 2 Password (Retired)', value: 'password' },
				],
				default: 'password',
				displayOptions: { show: { '@version': [1] } },
			},
			{
				displayName: 'Customer Organisation Number',
				name: 'customerOrgNumber',
				type: 'string',
				default: '',
				required: true,
				placeholder: '310547891',
				description:
					'The customer to act for: 9 digits. Use an expression that reads each item\'s organisation number to get one token per customer, item by item. The customer must have approved a system user for your system.',
				displayOptions: { show: { authentication: ['systemUser'] } },
			},
			{
				displayName: 'External Reference',
				name: 'externalRef',
				type: 'string',
				default: '',
				description: 'Only when the request to the customer was made with an external reference: the same reference',
				displayOptions: { show: { authentication: ['systemUser'] } },
			},
			{
				...tokenItemNotice(
					'Authorization',
					'The item also carries <code>orgNumber</code>, <code>systemUserId</code> and <code>systemId</code>. Tokens are reused per customer.',
				),
				name: 'systemUserNotice',
				displayOptions: { show: { authentication: ['systemUser'] } },
			},
			{ ...tokenItemNotice('Authorization'), name: 'bearerNotice', displayOptions: { show: { authentication: ['maskinporten'] } } },
			{ ...tokenItemNotice('Cookie, ApiKey, Accept', PASSWORD_NOTICE), displayOptions: { show: { authentication: ['password'] } } },
			optionsCollection(tokenReuseOptions()),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const login = this.getNodeParameter('authentication', itemIndex) as AltinnLogin;
			if (login === 'systemUser') {
				const credential = await credentialFor(this, altinnSystemUserLogin, itemIndex);
				const settings = {
					orgNumber: String(this.getNodeParameter('customerOrgNumber', itemIndex, '')).trim(),
					externalRef: String(this.getNodeParameter('externalRef', itemIndex, '')).trim(),
				};
				return tokenOf(altinnSystemUserLogin, await loginForItem(this, itemIndex, altinnSystemUserLogin, credential, settings, secrets), 'node');
			}
			if (login === 'maskinporten') {
				const credential = await credentialFor(this, altinnMaskinportenLogin, itemIndex);
				return tokenOf(altinnMaskinportenLogin, await loginForItem(this, itemIndex, altinnMaskinportenLogin, credential, {}, secrets), 'node');
			}
			const credential = await credentialFor(this, altinnPasswordLogin, itemIndex);
			return tokenOf(altinnPasswordLogin, await loginForItem(this, itemIndex, altinnPasswordLogin, credential, {}, secrets), 'node');
		});
	}
}
