import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { createConsentRequest } from './consentActions/create';
import { getConsentRequest } from './consentActions/get';
import { routeOperations } from './systemUserActions/router';

type Operation = 'createConsentRequest' | 'getConsentRequest';

const OPERATIONS = { createConsentRequest, getConsentRequest };

const shownFor = (operations: Operation[]): INodeProperties['displayOptions'] => ({ show: { operation: operations } });

export class AltinnConsent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Consent',
		name: 'altinnConsent',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "createConsentRequest" ? "Create consent request" : "Get consent request" }}',
		description: 'Ask a person or an organisation in Altinn 3 for consent to read their data (samtykke), and follow up on the request',
		defaults: { name: 'Altinn Consent' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents: asking a person for consent to their data is a person's decision, not a model's.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Consent Request', value: 'consentRequest', description: 'A request to a person or an organisation to consent to your reading their data' }],
				default: 'consentRequest',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create',
						value: 'createConsentRequest',
						description: 'Ask for consent: outputs the address (viewUri) the person opens in Altinn to decide',
						action: 'Create a consent request',
					},
					{ name: 'Get', value: 'getConsentRequest', description: "A request's status and what happened to it", action: 'Get a consent request' },
				],
				default: 'createConsentRequest',
			},
			{
				displayName: 'Ask (Person or Organisation)',
				name: 'consentFrom',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. {{ $json.nationalIdNumber }}',
				description:
					"Whom to ask: a person's national ID number (11 digits) or an organisation number (9 digits). Checked before anything is sent. A person's number never appears in this node's output or errors.",
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Resource ID',
				name: 'consentResource',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. standard-samtykke-for-dele-data',
				description: "The consent resource in Altinn's resource register that names the data (the data provider publishes it)",
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'string',
				default: '',
				placeholder: 'e.g. inntektsaar=2025',
				description: 'What the resource asks for, as key=value pairs separated by commas (or a JSON object), e.g. the income year',
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Valid To',
				name: 'validTo',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'The last moment the consent may be used. Must be in the future.',
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Redirect URL',
				name: 'redirectUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. https://example.no/consent-done?ref=123',
				description: 'Where Altinn sends the person after the decision, exactly as given: put your own reference in it',
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Message to the Person',
				name: 'requestMessage',
				type: 'string',
				default: '',
				description: 'Optional: a sentence Altinn shows with the request, e.g. why you ask',
				displayOptions: shownFor(['createConsentRequest']),
			},
			{
				displayName: 'Consent Request ID',
				name: 'consentRequestId',
				type: 'string',
				default: '={{ $json.consentRequestId }}',
				required: true,
				description: 'The ID of the request (a GUID), e.g. from Create or the Altinn Consent Trigger',
				displayOptions: shownFor(['getConsentRequest']),
			},
			{
				...optionsCollection(
					[
						{
							displayName: 'Consent Request ID',
							name: 'consentRequestId',
							type: 'string',
							default: '',
							description:
								"An ID of your own for the request (a GUID). Empty: one made from the request's contents, so the same request sent again gets the one Altinn has instead of asking twice.",
						},
						{
							displayName: 'Show in Altinn Inbox',
							name: 'showInInbox',
							type: 'boolean',
							default: false,
							description: "Whether the request is also listed in the person's Altinn inbox (otherwise only the link you send leads to it)",
						},
						{
							displayName: 'Your Organisation Number',
							name: 'consumerOrgNumber',
							type: 'string',
							default: '',
							description: "The organisation the consent is given to: the Maskinporten client's. Empty: read from the Maskinporten token.",
						},
					],
					shownFor(['createConsentRequest']),
				),
			},
			optionsCollection([], shownFor(['getConsentRequest'])),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, OPERATIONS);
	}
}
