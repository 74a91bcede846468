import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL } from '../shared/descriptions';
import { CONSENT_RETURN_WEBHOOKS, answerConsentReturn } from './actions/consent/consentRequest/waitForDecision.operation';
import { CONSENT_OPERATIONS } from './actions/consent/router';

export class AltinnConsent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Consent',
		name: 'altinnConsent',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: CONSENT_OPERATIONS.subtitle(),
		description: 'Ask a person or an organisation in Altinn 3 for consent to read their data (samtykke), and follow up on the request',
		defaults: { name: 'Altinn Consent' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents: asking a person for consent to their data is a person's decision, not a model's.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		// Wait for Decision: the person's browser, sent back by Altinn, resumes the execution here.
		webhooks: CONSENT_RETURN_WEBHOOKS,
		// Resource, Operation and each operation's fields: actions/consent/<resource>/<op>.operation.ts.
		properties: CONSENT_OPERATIONS.properties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await CONSENT_OPERATIONS.execute(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerConsentReturn(this);
	}
}
