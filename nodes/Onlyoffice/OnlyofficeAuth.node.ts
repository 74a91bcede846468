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
import { makeTokenItem } from '../shared/token';
import {
	buildAuthenticationRequest,
	onlyofficeAuthorizationHeaders,
	readAuthenticationAnswer,
	requireToken,
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
		icon: { light: 'file:onlyoffice.svg', dark: 'file:onlyoffice.dark.svg' },
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
			const result = requireToken(readAuthenticationAnswer(answer));
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
