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
import { AUTH_OPERATIONS } from './actions/auth/router';
import { onlyofficeCodePageText, onlyofficePasswordLogin } from './logins/password';
import { ONLYOFFICE_CODE_RULE } from './protocol/authentication';

/** Whether the node has the Code Needed output: version 2, Log In, waiting for the code, and the option on. */
const SPLIT_OUTPUTS =
	'$parameter["operation"] !== "waitForSmsCode" && $parameter["smsCodeHandling"] === "wait" && $parameter["codeNeededOutput"] === true';

export class OnlyofficeAuth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ONLYOFFICE Auth',
		name: 'onlyofficeAuth',
		icon: { light: 'file:onlyoffice.svg', dark: 'file:onlyoffice.dark.svg' },
		group: ['transform'],
		// Version 2 sends logins that need an SMS code to a second output, so a reused token can never
		// reach the step that sends the code page; version-1 workflows keep one output.
		version: [1, 2],
		defaultVersion: 2,
		// What the canvas name does not say: the SMS-code handling, and for how long the execution waits.
		subtitle:
			'={{ $parameter["operation"] === "waitForSmsCode" ? "Waits up to " + $parameter["timeLimitMinutes"] + " min for the code" : $parameter["smsCodeHandling"] === "wait" ? "Log in; an SMS code is waited for" : "Log in" }}',
		description: 'Log in to an ONLYOFFICE Workspace or DocSpace portal and get a token for later API calls',
		defaults: { name: 'ONLYOFFICE Auth' },
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ ${SPLIT_OUTPUTS} ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Token" }, { type: "${NodeConnectionTypes.Main}", displayName: "Code Needed" }] : ["${NodeConnectionTypes.Main}"] }}`,
		// Not a tool for AI agents. Its output is a live ONLYOFFICE token, which an agent would hand to a
		// language model, and its SMS login waits for a person.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'onlyofficeApi', required: true }],
		webhooks: CODE_WAIT_WEBHOOKS,
		// Operation and each operation's fields: actions/auth/<op>.operation.ts.
		properties: AUTH_OPERATIONS.properties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await AUTH_OPERATIONS.execute(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The page: the credential says which portal and account, the Log In step before this one (read
		// from the waiting execution) until when the code is valid; what cannot be read is left out.
		return await completeLoginAtWebhook(this, onlyofficePasswordLogin, {
			rule: ONLYOFFICE_CODE_RULE,
			word: 'code',
			pageText: (credential) =>
				onlyofficeCodePageText(
					credential,
					fieldOfStartingStep(this, 'codeExpiresAt', (parameters) => parameters.operation !== 'waitForSmsCode'),
					this.getTimezone(),
				),
		});
	}
}
