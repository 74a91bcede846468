import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { createConsentRequest } from './consentActions/create';
import { getConsentRequest } from './consentActions/get';
import { CONSENT_RETURN_WEBHOOKS, answerConsentReturn, waitUnlessDecided } from './consentActions/wait';
import { routeOperations } from './vendorActions';

type Operation = 'createConsentRequest' | 'getConsentRequest' | 'waitForDecision';

// Wait for Decision first reads each request as Get does; execute() then decides whether to wait.
const OPERATIONS = { createConsentRequest, getConsentRequest, waitForDecision: getConsentRequest };

const shownFor = (operations: Operation[]): INodeProperties['displayOptions'] => ({ show: { operation: operations } });

export class AltinnConsent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Consent',
		name: 'altinnConsent',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { createConsentRequest: "Create consent request", getConsentRequest: "Get consent request", waitForDecision: "Wait for the decision" }[$parameter["operation"]] }}',
		description: 'Ask a person or an organisation in Altinn 3 for consent to read their data (samtykke), and follow up on the request',
		defaults: { name: 'Altinn Consent' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents: asking a person for consent to their data is a person's decision, not a model's.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		// Wait for Decision: the person's browser, sent back by Altinn, resumes the execution here.
		webhooks: CONSENT_RETURN_WEBHOOKS,
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
					{
						name: 'Wait for Decision',
						value: 'waitForDecision',
						description: 'Pause the workflow until the person has accepted or rejected in Altinn, then output the request',
						action: 'Wait for the decision on a consent request',
					},
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
				placeholder: 'e.g. {{ $execution.resumeUrl }}',
				description:
					'Where Altinn sends the person after the decision, exactly as given. To go on in this workflow when the person is back, enter {{ $execution.resumeUrl }} and add Wait for Decision after the step that sends the link. Or your own page, with your own reference in it.',
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
				displayOptions: shownFor(['getConsentRequest', 'waitForDecision']),
			},
			{
				displayName:
					"Checks each request in Altinn first and goes on at once if the person has decided. Otherwise the execution pauses until the person's browser comes back to this execution's resume URL (Create's Redirect URL <code>{{ $execution.resumeUrl }}</code>), and then goes on with the requests as Altinn has them (status Accepted or Rejected). If the time limit passes first, the input items go on unchanged (status Created): to wait again, lead them through an If node back to this node.",
				name: 'waitNotice',
				type: 'notice',
				default: '',
				displayOptions: shownFor(['waitForDecision']),
			},
			{
				displayName: 'Time Limit (Minutes)',
				name: 'timeLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 43200 },
				default: 1440,
				description: 'How long to wait for the person to come back (at most 30 days). The request itself stays open in Altinn until its Valid To.',
				displayOptions: shownFor(['waitForDecision']),
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
			optionsCollection([], shownFor(['getConsentRequest', 'waitForDecision'])),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const checked = await routeOperations(this, OPERATIONS);
		if (this.getNodeParameter('operation', 0) !== 'waitForDecision') return checked;
		return await waitUnlessDecided(this, checked);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerConsentReturn(this);
	}
}
