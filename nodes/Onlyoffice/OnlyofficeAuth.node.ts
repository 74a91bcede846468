import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { runForEachItem, sendRequest, timeoutOption } from '../shared/execution';
import { LoginProblem } from '../shared/protocolTypes';
import { makeTokenItem } from '../shared/token';
import {
	buildAuthenticationRequest,
	onlyofficeAuthorizationHeaders,
	readAuthenticationAnswer,
	resolvePortalUrl,
} from './protocol';

interface OnlyofficeCredential {
	portalUrl: string;
	username: string;
	password: string;
}

export class OnlyofficeAuth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ONLYOFFICE Auth',
		name: 'onlyofficeAuth',
		icon: 'file:onlyoffice.svg',
		group: ['transform'],
		version: 1,
		subtitle: 'Log in',
		description: 'Log in to an ONLYOFFICE Workspace or DocSpace portal and get a token for later API calls',
		defaults: { name: 'ONLYOFFICE Auth' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'onlyofficeApi', required: true }],
		properties: [
			tokenItemNotice('Authorization'),
			optionsCollection(),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = (await this.getCredentials('onlyofficeApi', itemIndex)) as unknown as OnlyofficeCredential;
			secrets.add(credential.password);
			const obtainedAt = new Date();
			const answer = await sendRequest(
				this,
				buildAuthenticationRequest(credential),
				timeoutOption(this, itemIndex),
			);
			const result = readAuthenticationAnswer(answer);
			if (result.kind === 'secondFactor') {
				throw new LoginProblem({
					kind: 'secondFactorRequired',
					message:
						result.method === 'sms'
							? 'This ONLYOFFICE account requires two-factor login: the portal has sent an SMS code'
							: 'This ONLYOFFICE account requires two-factor login with an authenticator app',
					hint: 'This version of the node cannot complete two-factor login yet. Use an account without two-factor authentication for automations, or ask the portal administrator for one.',
				});
			}
			return makeTokenItem({
				provider: 'onlyoffice',
				environment: new URL(resolvePortalUrl(credential.portalUrl)).host,
				token: result.token,
				headers: onlyofficeAuthorizationHeaders(result.token),
				obtainedAt,
				expiresAt: result.expiresAt,
			});
		});
	}
}
