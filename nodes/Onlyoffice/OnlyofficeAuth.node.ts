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

import { NOT_AN_AI_AGENT_TOOL, optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { fieldOfStartingStep } from '../shared/codePage';
import { CODE_WAIT_WEBHOOKS, completeLoginAtWebhook, waitForCode } from '../shared/codeWait';
import { isPendingLogin, tokenOf } from '../shared/loginModule';
import { credentialFor, forgetToken, loginContext, loginForItem, storedToken } from '../shared/loginRunner';
import { tokenReuseOptions } from '../shared/reuseOptions';
import type { RoutedItem } from '../shared/runItems';
import { runForEachItem, runForEachItemRouted, timeoutOption } from '../shared/runItems';
import { checkOutputParameters, loginOutput, tokenOutputProperties } from '../shared/tokenUse';
import { onlyofficeCodePageText, onlyofficePasswordLogin } from './logins/password';
import { ONLYOFFICE_CODE_RULE, buildLogoutRequest, readLogoutAnswer } from './protocol/authentication';

/** What an ONLYOFFICE token gives away to whoever sees it. */
const TOKEN_HOLDS = 'An ONLYOFFICE token acts as the account for as long as the portal lets it live (a year by default) unless it is logged out.';

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
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Log In',
						value: 'logIn',
						description: 'Log in and output a token item; completes authenticator-app two-factor logins by itself',
						action: 'Log in',
					},
					{
						name: 'Log Out',
						value: 'logOut',
						description: 'End a token at the portal, so that nobody can use it any more (ONLYOFFICE tokens live for months)',
						action: 'Log out',
					},
					{
						name: 'Wait for SMS Code',
						value: 'waitForSmsCode',
						description: 'Pause until the SMS code is entered in a form or posted as JSON, then finish the login',
						action: 'Wait for an SMS code',
					},
				],
				default: 'logIn',
			},
			{
				displayName: 'SMS Code',
				name: 'smsCodeHandling',
				type: 'options',
				options: [
					{
						name: 'Stop With an Error',
						value: 'fail',
						description: 'For accounts that should never need a code: the node fails and says so',
					},
					{
						name: 'Wait for the Code',
						value: 'wait',
						description:
							'Output codeFormUrl and codeWebhookUrl instead of a token; a later ONLYOFFICE Auth node (Wait for SMS Code) finishes the login',
					},
				],
				default: 'fail',
				description: 'What to do when the portal answers the login by sending an SMS code',
				displayOptions: { show: { operation: ['logIn'] } },
			},
			{
				displayName: 'Code Needed Output',
				name: 'codeNeededOutput',
				type: 'boolean',
				default: true,
				description:
					'Whether logins that need an SMS code go to a second output ("Code Needed"), so that the step sending the code page runs only then, and a token (also a reused one) goes on from the first output',
				displayOptions: { show: { '@version': [2], operation: ['logIn'], smsCodeHandling: ['wait'] } },
			},
			{ ...tokenItemNotice('Authorization'), displayOptions: { show: { operation: ['logIn'], smsCodeHandling: ['fail'] } } },
			{
				displayName:
					'Outputs a token item when the portal gives a token (or a stored one is reused). When it sends an SMS code instead, the item is <code>{ status: "smsCodeSent", codeFormUrl, codeWebhookUrl, … }</code>: send <code>codeFormUrl</code> to the person, then add this node again with the operation Wait for SMS Code, which passes a token item straight through.',
				name: 'smsWaitNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['logIn'], smsCodeHandling: ['wait'] } },
			},
			{
				displayName:
					'The execution pauses here until the SMS code arrives at this execution\'s resume URL (the <code>codeFormUrl</code> page or <code>POST {"code": "…"}</code> to <code>codeWebhookUrl</code>), then logs in with it and outputs the token item. A code the portal refuses can be entered again.',
				name: 'waitNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['waitForSmsCode'] } },
			},
			{
				displayName: 'Time Limit (Minutes)',
				name: 'timeLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: 10,
				description: 'How long to wait for the code. ONLYOFFICE SMS codes are valid for 10 minutes.',
				displayOptions: { show: { operation: ['waitForSmsCode'] } },
			},
			...tokenOutputProperties({ operation: ['logIn'] }, TOKEN_HOLDS),
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				placeholder: 'Empty: the token of this credential\'s earlier logins',
				description:
					"The token to end, e.g. the token of a Log In item. Empty: the token this credential got at earlier logins, which n8n keeps between runs (also when the login node's Output is Response).",
				displayOptions: { show: { operation: ['logOut'] } },
			},
			optionsCollection(tokenReuseOptions(), { show: { operation: ['logIn'] } }),
			optionsCollection([], { show: { operation: ['logOut'] } }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0, 'logIn') as 'logIn' | 'logOut' | 'waitForSmsCode';
		if (operation === 'waitForSmsCode') {
			// A reused token needs no code: it goes straight on instead of waiting for an SMS never sent.
			const input = this.getInputData();
			if (input.length > 0 && input.every((item) => item.json.provider === 'onlyoffice' && typeof item.json.token === 'string')) {
				return [input];
			}
			return await waitForCode(this, this.getNodeParameter('timeLimitMinutes', 0, 10) as number);
		}
		if (operation === 'logOut') {
			return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
				const credential = await credentialFor(this, onlyofficePasswordLogin, itemIndex);
				secrets.add(...onlyofficePasswordLogin.secrets(credential));
				const given = String(this.getNodeParameter('token', itemIndex, '') ?? '').trim();
				const token = given || storedToken(this, onlyofficePasswordLogin, credential, {})?.token;
				if (!token) return { loggedOut: false, message: 'This credential has no token from earlier logins: nothing was sent' };
				secrets.add(token);
				const { send } = loginContext(this, secrets, timeoutOption(this, itemIndex));
				const result = readLogoutAnswer(await send(buildLogoutRequest(credential.portalUrl, token)));
				// A token that was logged out must never be handed out again.
				await forgetToken(this, onlyofficePasswordLogin, credential, token);
				return result;
			});
		}
		const split = this.getNodeParameter('smsCodeHandling', 0, 'fail') === 'wait' && this.getNodeParameter('codeNeededOutput', 0, false) === true;
		return await runForEachItemRouted(this, split ? 2 : 1, async (itemIndex, secrets): Promise<RoutedItem[]> => {
			const credential = await credentialFor(this, onlyofficePasswordLogin, itemIndex);
			checkOutputParameters(this, itemIndex);
			const outcome = await loginForItem(this, itemIndex, onlyofficePasswordLogin, credential, {}, secrets);
			if (isPendingLogin(outcome) && this.getNodeParameter('smsCodeHandling', itemIndex, 'fail') === 'wait') {
				// The token comes when the code does (see webhook()).
				const json: IDataObject = {
					...outcome.pending,
					codeFormUrl: this.evaluateExpression('{{ $execution.resumeFormUrl }}', itemIndex) as string,
					codeWebhookUrl: this.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) as string,
				};
				return [{ json, output: 1 }];
			}
			const token = tokenOf(onlyofficePasswordLogin, outcome, 'node');
			return (await loginOutput(this, itemIndex, onlyofficePasswordLogin, credential, {}, secrets, token)).map((item) => ({ ...item, output: 0 }));
		});
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
