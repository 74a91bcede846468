import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { resolveBaseUrl } from '../shared/environment';
import { runForEachItem, sendRequest, timeoutOption } from '../shared/execution';
import { makeTokenItem } from '../shared/token';
import {
	ALTINN_BASE_URLS,
	altinnRestHeaders,
	buildPasswordLoginRequest,
	hasCharactersAltinnMayRefuse,
	readPasswordLoginAnswer,
} from './protocol/rest';

interface AltinnCredential {
	environment: string;
	baseUrl?: string;
	apiKey?: string;
	username: string;
	password: string;
}

export class AltinnAuthenticate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Authenticate',
		name: 'altinnAuthenticate',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Log in with password',
		description: 'Log in to the Altinn REST API with a username and password and get the auth cookie for later calls',
		defaults: { name: 'Altinn Authenticate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altinnApi', required: true }],
		properties: [
			tokenItemNotice('Cookie, ApiKey, Accept', 'Altinn announced that Altinn 2 shuts down on 19 June 2026.'),
			optionsCollection(),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = (await this.getCredentials('altinnApi', itemIndex)) as unknown as AltinnCredential;
			secrets.add(credential.password, credential.apiKey, credential.username);
			const baseUrl = resolveBaseUrl(credential.environment, credential.baseUrl, ALTINN_BASE_URLS, 'Altinn');
			const obtainedAt = new Date();
			const answer = await sendRequest(
				this,
				buildPasswordLoginRequest({
					baseUrl,
					username: credential.username,
					password: credential.password,
					apiKey: credential.apiKey,
				}),
				timeoutOption(this, itemIndex),
			);
			const cookie = readPasswordLoginAnswer(answer, {
				now: obtainedAt,
				passwordHasDoubtfulCharacters: hasCharactersAltinnMayRefuse(credential.password),
			});
			return makeTokenItem({
				provider: 'altinn',
				environment: credential.environment,
				token: cookie.value,
				headers: altinnRestHeaders(cookie, credential.apiKey),
				obtainedAt,
				expiresAt: cookie.expiresAt,
				extra: { cookieName: cookie.name },
			});
		});
	}
}
