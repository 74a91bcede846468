import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { tokenOf } from '../shared/loginModule';
import { credentialFor, loginForItem, credentialTestFor } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import { runForEachItem } from '../shared/runItems';
import { altinnMaskinportenLogin } from './logins/maskinporten';
import { altinnPasswordLogin } from './logins/password';

type AltinnLogin = 'maskinporten' | 'password';

const PASSWORD_NOTICE = 'Altinn announced that Altinn 2, with this password login, shuts down on 19 June 2026: use Altinn 3 (Maskinporten).';

export class AltinnAuthenticate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Authenticate',
		name: 'altinnAuthenticate',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		// Version 2 makes Altinn 3 the default; workflows made with version 1 keep the password login.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["authentication"] === "maskinporten" ? "Altinn 3 (Maskinporten)" : "Altinn 2 password login" }}',
		description: 'Log in to Altinn: Altinn 3 through Maskinporten, or the Altinn 2 REST API with a username and password',
		defaults: { name: 'Altinn Authenticate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'altinnMaskinportenApi',
				required: true,
				testedBy: 'altinnMaskinportenApiTest',
				displayOptions: { show: { authentication: ['maskinporten'] } },
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
						description: 'A system login: Maskinporten token exchanged for an Altinn token (Bearer)',
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
			{ ...tokenItemNotice('Authorization'), name: 'bearerNotice', displayOptions: { show: { authentication: ['maskinporten'] } } },
			{ ...tokenItemNotice('Cookie, ApiKey, Accept', PASSWORD_NOTICE), displayOptions: { show: { authentication: ['password'] } } },
			optionsCollection(tokenReuseOptions()),
		],
	};

	methods = {
		credentialTest: {
			/** Runs the credential's Test through the same login module as this node. */
			altinnMaskinportenApiTest: credentialTestFor(altinnMaskinportenLogin, {}),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const login = this.getNodeParameter('authentication', itemIndex) as AltinnLogin;
			if (login === 'maskinporten') {
				const credential = await credentialFor(this, altinnMaskinportenLogin, itemIndex);
				return tokenOf(altinnMaskinportenLogin, await loginForItem(this, itemIndex, altinnMaskinportenLogin, credential, {}, secrets), 'node');
			}
			const credential = await credentialFor(this, altinnPasswordLogin, itemIndex);
			return tokenOf(altinnPasswordLogin, await loginForItem(this, itemIndex, altinnPasswordLogin, credential, {}, secrets), 'node');
		});
	}
}
