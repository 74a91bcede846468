import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { fieldOfStartingStep } from '../shared/codePage';
import { CODE_WAIT_WEBHOOKS, completeLoginAtWebhook } from '../shared/codeWait';
import { NOT_AN_AI_AGENT_TOOL } from '../shared/descriptions';
import { SMS_CHALLENGE_OPERATIONS } from './actions/smsChallenge/router';
import { ALTINN_PIN_RULE, altinnPinPageText, altinnSmsPinLogin } from './logins/smsPin';

export class AltinnSmsChallenge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn SMS Challenge',
		name: 'altinnSmsChallenge',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		// What the canvas name does not say: what happens, and for how long the execution waits.
		subtitle:
			'={{ $parameter["operation"] === "waitForPin" ? "Waits up to " + $parameter["timeLimitMinutes"] + " min for the PIN" : "Makes Altinn send a PIN" }}',
		description: 'Make Altinn send a one-time PIN by SMS, then pause the workflow until someone hands the PIN in',
		defaults: { name: 'Altinn SMS Challenge' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents. It sends a person an SMS and pauses the execution until that person
		// answers, which an agent's tool call cannot wait for.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnSmsPinApi', required: true }],
		webhooks: CODE_WAIT_WEBHOOKS,
		// Operation and each operation's fields: actions/smsChallenge/<op>.operation.ts.
		properties: SMS_CHALLENGE_OPERATIONS.properties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await SMS_CHALLENGE_OPERATIONS.execute(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The page: the credential says which service and person, the Request PIN step before this one
		// (read from the waiting execution) until when the PIN is valid; what cannot be read is left out.
		return await completeLoginAtWebhook(this, altinnSmsPinLogin, {
			rule: ALTINN_PIN_RULE,
			word: 'PIN',
			pageText: (credential) =>
				altinnPinPageText(
					credential,
					fieldOfStartingStep(this, 'validTo', (parameters) => (parameters.operation ?? 'requestPin') === 'requestPin'),
					this.getTimezone(),
				),
		});
	}
}
