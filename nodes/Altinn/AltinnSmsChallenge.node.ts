import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { fieldOfStartingStep } from '../shared/codePage';
import { CODE_WAIT_WEBHOOKS, completeLoginAtWebhook, waitForCode } from '../shared/codeWait';
import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { isPendingLogin } from '../shared/loginModule';
import { credentialFor, loginForItem } from '../shared/loginRunner';
import { runForEachItem } from '../shared/runItems';
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
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Request PIN',
						value: 'requestPin',
						description: 'Ask Altinn to send the one-time PIN (GetAuthenticationChallenge)',
						action: 'Request a PIN',
					},
					{
						name: 'Wait for PIN',
						value: 'waitForPin',
						description: 'Pause until the PIN is entered in a form or posted as JSON, then output it as a token item',
						action: 'Wait for a PIN',
					},
				],
				default: 'requestPin',
			},
			{
				displayName:
					'Outputs <code>pinFormUrl</code> (a page where a person types the PIN) and <code>pinWebhookUrl</code> (for <code>POST {"pin": "…"}</code> from an SMS gateway). Send one of them with an e-mail or chat node, then add this node again with the operation Wait for PIN.',
				name: 'requestNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['requestPin'] } },
			},
			{
				displayName:
					'The execution pauses here until the PIN arrives at this execution\'s resume URL. If the time limit passes first, n8n goes on with the input items unchanged and the Altinn SOAP Request node reports that no PIN arrived.',
				name: 'waitNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['waitForPin'] } },
			},
			{
				displayName: 'Time Limit (Minutes)',
				name: 'timeLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 480 },
				default: 30,
				description: 'How long to wait for the PIN. A PIN is valid 30 minutes after it was requested.',
				displayOptions: { show: { operation: ['waitForPin'] } },
			},
			optionsCollection([], { show: { operation: ['requestPin'] } }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as 'requestPin' | 'waitForPin';
		if (operation === 'waitForPin') {
			return await waitForCode(this, this.getNodeParameter('timeLimitMinutes', 0, 30) as number);
		}
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = await credentialFor(this, altinnSmsPinLogin, itemIndex);
			const outcome = await loginForItem(this, itemIndex, altinnSmsPinLogin, credential, {}, secrets);
			if (!isPendingLogin(outcome)) return outcome;
			return {
				...outcome.pending,
				pinFormUrl: this.evaluateExpression('{{ $execution.resumeFormUrl }}', itemIndex) as string,
				pinWebhookUrl: this.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) as string,
			};
		});
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
