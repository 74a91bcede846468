import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection, tokenItemNotice } from '../shared/descriptions';
import type { LoginModule } from '../shared/loginModule';
import { credentialFor } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import type { RoutedItem } from '../shared/runItems';
import { runForEachItemRouted } from '../shared/runItems';
import { loginOutput, tokenOutputProperties } from '../shared/tokenUse';
import { customerOrgNumberProperty } from './descriptions';
import { altinnConsentLogin } from './logins/consent';
import { altinnMaskinportenLogin } from './logins/maskinporten';
import { altinnPasswordLogin } from './logins/password';
import { altinnSystemUserLogin } from './logins/systemUser';

type AltinnLogin = 'maskinporten' | 'systemUser' | 'consent' | 'password';

const PASSWORD_NOTICE =
	'Altinn shut Altinn 2, with this password login, down on 19 June 2026: use Altinn 3 (Maskinporten), acting for your organisation or for a customer.';

const PASSWORD_DESCRIPTION = 'Username and password for the Altinn 2 REST API (auth cookie)';

/** The customer a system-user login acts for (shown for version 2's and version 3's system-user choice). */
const CUSTOMER_FIELDS: INodeProperties[] = [
	customerOrgNumberProperty(
		"The customer to act for: 9 digits. Use an expression that reads each item's organisation number to get one token per customer, item by item. The customer must have approved a system user for your system.",
	),
	{
		displayName: 'External Reference',
		name: 'externalRef',
		type: 'string',
		default: '',
		description: 'Only when the request to the customer was made with an external reference: the same reference',
	},
];

const SYSTEM_USER_ITEM_NOTICE = tokenItemNotice(
	'Authorization',
	'The item also carries <code>actsFor</code>, <code>orgNumber</code>, <code>systemUserId</code> and <code>systemId</code>. Tokens are reused per customer.',
);

/** The consent a consent login uses (version 3, Act For: A Consent). */
const CONSENT_FIELDS: INodeProperties[] = [
	{
		displayName: 'Consent ID',
		name: 'consentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 77ed8698-e619-4066-9eb4-5c1eb3f165a1',
		description: "The consent request's ID: the output of the Altinn Consent node's Create Consent Request, or an expression that reads it from each item",
	},
	{
		displayName: 'Consent Given By',
		name: 'consentFrom',
		type: 'string',
		default: '',
		placeholder: 'Empty: read from the consent request',
		description:
			"Who gave the consent: a person's national ID number (11 digits) or an organisation number (9 digits), as in the request. Empty: read from the consent request at Altinn (needs the scope altinn:consentrequests.read), so that no item needs to carry a person's number. It never appears in this node's output or errors.",
	},
	{
		displayName: 'Data Provider Scope',
		name: 'consentScope',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. skatteetaten:inntekt',
		description: "The data provider's Maskinporten scope the token is for. Your Maskinporten client must have it.",
	},
];

const CONSENT_ITEM_NOTICE = tokenItemNotice(
	'Authorization',
	"A Maskinporten token carrying the consent, for the data provider's API. The item also carries <code>actsFor</code>, <code>consentId</code>, <code>consentFrom</code> (an organisation's number, or only the last two digits of a person's national ID number), <code>consented</code>, <code>validTo</code> and <code>consentRights</code>. Tokens are reused per consent.",
);

/** What an Altinn 3 token gives away to whoever reads it (a JWT is readable by anyone: it is signed, not encrypted). */
const TOKEN_HOLDS =
	"Anyone who sees an Altinn token can act with it until it expires, and read it: a consent token carries the full national ID number of the person who gave the consent. Choose Response for consents, so that neither is saved with the execution.";

const ORGANISATION_ITEM_NOTICE = tokenItemNotice('Authorization', 'The item also carries <code>actsFor</code>.');

/**
 * Which login a node runs. From version 3 the login (one per credential type, so that n8n's editor,
 * which folds "Authentication" into the credential selector, can tell them apart) and whom it acts
 * for are two fields; versions 1 and 2 kept both in "Authentication", as their workflows were saved.
 */
export function altinnLoginOf(version: number, authentication: string, actFor: string): AltinnLogin {
	if (version >= 3 && authentication === 'maskinporten') return actFor === 'customer' ? 'systemUser' : actFor === 'consent' ? 'consent' : 'maskinporten';
	return authentication as AltinnLogin;
}

export class AltinnAuthenticate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Authenticate',
		name: 'altinnAuthenticate',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		// Version 2 made Altinn 3 the default; version 3 asks whom Altinn 3 acts for in a field of its own.
		// Workflows made with earlier versions keep running as they were saved.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle:
			'={{ $parameter["authentication"] === "systemUser" || ($parameter["authentication"] === "maskinporten" && $parameter["actFor"] === "customer") ? "System user for customer " + $parameter["customerOrgNumber"] : $parameter["authentication"] === "maskinporten" && $parameter["actFor"] === "consent" ? "Consent token" : $parameter["authentication"] === "maskinporten" ? "Altinn 3, as your organisation" : "Altinn 2 password login (retired)" }}',
		description: 'Log in to Altinn 3 through Maskinporten, as your organisation, as a customer\'s system user or with a consent (or the retired Altinn 2 password login)',
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
						description: 'Maskinporten token exchanged for an Altinn token (Bearer), for your organisation or for a customer',
					},
					{ name: 'Altinn 2 Password (Retired)', value: 'password', description: PASSWORD_DESCRIPTION },
				],
				default: 'maskinporten',
				displayOptions: { show: { '@version': [3] } },
			},
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
					{ name: 'Altinn 2 Password (Retired)', value: 'password', description: PASSWORD_DESCRIPTION },
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
				displayName: 'Act For',
				name: 'actFor',
				type: 'options',
				options: [
					{
						name: 'Your Organisation',
						value: 'organisation',
						description: 'The organisation that owns the Maskinporten client (or the enterprise user in the credential)',
					},
					{
						name: 'A Customer (System User)',
						value: 'customer',
						description: 'A customer who approved a system user for your system in Altinn: one token per customer, unattended',
					},
					{
						name: 'A Consent',
						value: 'consent',
						description: "A person or organisation that accepted your consent request in Altinn: a token for the data provider's API, per consent, until the consent ends",
					},
				],
				default: 'organisation',
				description: 'Whom the Altinn token acts for',
				displayOptions: { show: { '@version': [3], authentication: ['maskinporten'] } },
			},
			{
				displayName:
					'This is version 2 of the node, whose Authentication field holds the system-user choice; n8n\'s editor shows that field as the credential, so choosing the credential again sets the node back to acting for your organisation. Replace it with a new Altinn Authenticate node, which has an Act For field.',
				name: 'version2Notice',
				type: 'notice',
				default: '',
				displayOptions: { show: { '@version': [2], authentication: ['systemUser'] } },
			},
			...CUSTOMER_FIELDS.map((field) => ({ ...field, displayOptions: { show: { '@version': [2], authentication: ['systemUser'] } } })),
			...CUSTOMER_FIELDS.map((field) => ({ ...field, displayOptions: { show: { '@version': [3], authentication: ['maskinporten'], actFor: ['customer'] } } })),
			...CONSENT_FIELDS.map((field) => ({ ...field, displayOptions: { show: { '@version': [3], authentication: ['maskinporten'], actFor: ['consent'] } } })),
			{ ...CONSENT_ITEM_NOTICE, name: 'consentNotice', displayOptions: { show: { '@version': [3], authentication: ['maskinporten'], actFor: ['consent'] } } },
			{ ...SYSTEM_USER_ITEM_NOTICE, name: 'systemUserNotice', displayOptions: { show: { '@version': [2], authentication: ['systemUser'] } } },
			{ ...SYSTEM_USER_ITEM_NOTICE, name: 'systemUserNotice', displayOptions: { show: { '@version': [3], authentication: ['maskinporten'], actFor: ['customer'] } } },
			{ ...ORGANISATION_ITEM_NOTICE, name: 'bearerNotice', displayOptions: { show: { '@version': [1, 2], authentication: ['maskinporten'] } } },
			{ ...ORGANISATION_ITEM_NOTICE, name: 'bearerNotice', displayOptions: { show: { '@version': [3], authentication: ['maskinporten'], actFor: ['organisation'] } } },
			{ ...tokenItemNotice('Cookie, ApiKey, Accept', PASSWORD_NOTICE), displayOptions: { show: { authentication: ['password'] } } },
			...tokenOutputProperties({ '@version': [3], authentication: ['maskinporten'] }, TOKEN_HOLDS),
			optionsCollection(tokenReuseOptions()),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItemRouted(this, 1, async (itemIndex, secrets, identify): Promise<RoutedItem[]> => {
			const login = altinnLoginOf(
				this.getNode().typeVersion,
				this.getNodeParameter('authentication', itemIndex) as string,
				this.getNodeParameter('actFor', itemIndex, 'organisation') as string,
			);
			const items = async <C, S extends Record<string, unknown>>(module: LoginModule<C, S>, settings: S) =>
				(await loginOutput(this, itemIndex, module, await credentialFor(this, module, itemIndex), settings, secrets)).map((item) => ({ ...item, output: 0 }));
			if (login === 'systemUser') {
				const settings = {
					orgNumber: String(this.getNodeParameter('customerOrgNumber', itemIndex, '')).trim(),
					externalRef: String(this.getNodeParameter('externalRef', itemIndex, '')).trim(),
				};
				// A customer who has not approved fails with its number, for a workflow to ask that customer.
				identify({ actsFor: 'customer', orgNumber: settings.orgNumber, ...(settings.externalRef ? { externalRef: settings.externalRef } : {}) });
				return await items(altinnSystemUserLogin, settings);
			}
			if (login === 'consent') {
				const settings = {
					consentId: String(this.getNodeParameter('consentId', itemIndex, '')).trim(),
					from: String(this.getNodeParameter('consentFrom', itemIndex, '')).trim(),
					scope: String(this.getNodeParameter('consentScope', itemIndex, '')).trim(),
				};
				// A consent that does not hold fails with its id, for a workflow to ask again.
				identify({ actsFor: 'consent', consentId: settings.consentId });
				return await items(altinnConsentLogin, settings);
			}
			if (login === 'maskinporten') return await items(altinnMaskinportenLogin, {});
			return await items(altinnPasswordLogin, {});
		});
	}
}
