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

import { optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { runForEachItem, timeoutOption } from '../shared/execution';
import { PIN_WAIT_WEBHOOKS, handleCodeWebhook, waitForCode } from '../shared/pinWait';
import type { TokenItem } from '../shared/token';
import { makeTokenItem } from '../shared/token';
import { DEFAULT_REUSE_POLICY, processTokenCache } from '../shared/tokenCache';
import { loginKey, loginWithReuse, tokenReuseOptions } from '../shared/tokenReuse';
import type { OnlyofficeCredential } from './login';
import { confirmCode, onlyofficeLogin, onlyofficeSecrets } from './login';
import { ONLYOFFICE_CODE_RULE, onlyofficeAuthorizationHeaders, requireToken, resolvePortalUrl } from './protocol';

function onlyofficeTokenItem(credential: OnlyofficeCredential, token: { token: string; expiresAt: Date | null }, obtainedAt: Date): TokenItem {
	return makeTokenItem({
		provider: 'onlyoffice',
		environment: new URL(resolvePortalUrl(credential.portalUrl)).host,
		token: token.token,
		headers: onlyofficeAuthorizationHeaders(token.token),
		obtainedAt,
		expiresAt: token.expiresAt,
	});
}

export class OnlyofficeAuth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ONLYOFFICE Auth',
		name: 'onlyofficeAuth',
		icon: { light: 'file:onlyoffice.svg', dark: 'file:onlyoffice.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "waitForSmsCode" ? "Wait for SMS code" : "Log in" }}',
		description: 'Log in to an ONLYOFFICE Workspace or DocSpace portal and get a token for later API calls',
		defaults: { name: 'ONLYOFFICE Auth' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'onlyofficeApi', required: true }],
		webhooks: PIN_WAIT_WEBHOOKS,
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
						name: 'Wait for SMS Code',
						value: 'waitForSmsCode',
						description: 'Pause until the SMS code is entered in a form or posted as JSON, then finish the login',
						action: 'Wait for an SMS code',
					},
				],
				default: 'logIn',
			},
			{ ...tokenItemNotice('Authorization'), displayOptions: { show: { operation: ['logIn'] } } },
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
			optionsCollection(tokenReuseOptions(), { show: { operation: ['logIn'] } }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0, 'logIn') as 'logIn' | 'waitForSmsCode';
		if (operation === 'waitForSmsCode') {
			// A reused token needs no code: it goes straight on instead of waiting for an SMS never sent.
			const input = this.getInputData();
			if (input.length > 0 && input.every((item) => item.json.provider === 'onlyoffice' && typeof item.json.token === 'string')) {
				return [input];
			}
			return await waitForCode(this, this.getNodeParameter('timeLimitMinutes', 0, 10) as number);
		}
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = (await this.getCredentials('onlyofficeApi', itemIndex)) as unknown as OnlyofficeCredential;
			secrets.add(...onlyofficeSecrets(credential));
			const timeoutMs = timeoutOption(this, itemIndex);
			return await loginWithReuse(this, itemIndex, { provider: 'onlyoffice', credential }, async () => {
				const obtainedAt = new Date();
				const answer = await onlyofficeLogin(this, credential, secrets, timeoutMs);
				if (answer.kind === 'secondFactor' && answer.method === 'sms' && this.getNodeParameter('smsCodeHandling', itemIndex, 'fail') === 'wait') {
					// Not a token, so it is not stored: the token comes when the code does (see webhook()).
					return {
						status: 'smsCodeSent',
						phoneNoise: answer.phoneNoise ?? null,
						codeExpiresAt: answer.codeExpiresAt ? answer.codeExpiresAt.toISOString() : null,
						codeFormUrl: this.evaluateExpression('{{ $execution.resumeFormUrl }}', itemIndex) as string,
						codeWebhookUrl: this.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) as string,
					};
				}
				return onlyofficeTokenItem(credential, requireToken(answer), obtainedAt);
			});
		});
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCodeWebhook(this, {
			rule: ONLYOFFICE_CODE_RULE,
			text: { title: 'ONLYOFFICE code', prompt: 'Type the code the ONLYOFFICE portal sent you by SMS:' },
			onCode: async (code, secrets) => {
				const credential = (await this.getCredentials('onlyofficeApi')) as unknown as OnlyofficeCredential;
				secrets.add(...onlyofficeSecrets(credential));
				const obtainedAt = new Date();
				const token = await confirmCode(this, credential, code, 'sms');
				const item = onlyofficeTokenItem(credential, token, obtainedAt);
				// Stored like any login's token, so the next runs reuse it instead of asking for another SMS code.
				processTokenCache.remember(loginKey({ provider: 'onlyoffice', credential }), item, DEFAULT_REUSE_POLICY);
				return item;
			},
		});
	}
}
