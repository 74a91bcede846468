import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection, tokenItemNotice } from '../shared/descriptions';
import { resolveBaseUrl } from '../shared/environment';
import { SecretCollector, contextFromLegacyRequest, runForEachItem, sendRequest, timeoutOption } from '../shared/execution';
import { LoginProblem, problemSentence } from '../shared/protocolTypes';
import { bearerHeaders } from '../shared/oauth2';
import { makeTokenItem } from '../shared/token';
import { loginWithReuse, tokenReuseOptions } from '../shared/tokenReuse';
import type { AltinnMaskinportenCredential } from './altinn3Login';
import { loginWithMaskinporten, maskinportenSecrets } from './altinn3Login';
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

type AltinnLogin = 'maskinporten' | 'password';

const PASSWORD_NOTICE = 'Altinn announced that Altinn 2, with this password login, shuts down on 19 June 2026: use Altinn 3 (Maskinporten).';

export class AltinnAuthenticate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn Authenticate',
		name: 'altinnAuthenticate',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		// Version 2 makes Altinn 3 the default; workflows made with version 1 keep the password login.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["authentication"] === "maskinporten" ? "Altinn 3 (Maskinporten)" : "Altinn 2 password login" }}',
		description: 'Log in to Altinn: Altinn 3 through Maskinporten, or the Altinn 2 REST API with a username and password',
		defaults: { name: 'Altinn Authenticate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'altinnMaskinportenApi',
				required: true,
				testedBy: 'altinnMaskinportenApiTest',
				displayOptions: { show: { authentication: ['maskinporten'] } },
			},
			{ name: 'altinnApi', required: true, displayOptions: { show: { authentication: ['password'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Altinn 3 (Maskinporten)',
						value: 'maskinporten',
						description: 'A system login: Maskinporten token exchanged for an Altinn token (Bearer)',
					},
					{
						name: 'Altinn 2 Password (Retired)',
						value: 'password',
						description: 'Username and password for the Altinn 2 REST API (auth cookie)',
					},
				],
				default: 'maskinporten',
				displayOptions: { show: { '@version': [2] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Altinn 3 (Maskinporten)', value: 'maskinporten' },
					{ name: 'Altinn 2 Password (Retired)', value: 'password' },
				],
				default: 'password',
				displayOptions: { show: { '@version': [1] } },
			},
			{ ...tokenItemNotice('Authorization'), name: 'bearerNotice', displayOptions: { show: { authentication: ['maskinporten'] } } },
			{ ...tokenItemNotice('Cookie, ApiKey, Accept', PASSWORD_NOTICE), displayOptions: { show: { authentication: ['password'] } } },
			optionsCollection(tokenReuseOptions()),
		],
	};

	methods = {
		credentialTest: {
			/** Runs the whole Altinn 3 login once: the only way to know the key, kid, scopes and user fit. */
			async altinnMaskinportenApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secrets = new SecretCollector();
				try {
					await loginWithMaskinporten(
						// n8n gives credential tests only the legacy request helper; the adapter keeps our HTTP policy.
						// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
						contextFromLegacyRequest(this.helpers.request),
						credential.data as unknown as AltinnMaskinportenCredential,
						secrets,
					);
					return { status: 'OK', message: 'Maskinporten and Altinn accepted the client' };
				} catch (error) {
					const text = error instanceof LoginProblem ? problemSentence(error) : 'The login failed unexpectedly';
					return { status: 'Error', message: secrets.redactor().redact(text) };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const login = this.getNodeParameter('authentication', itemIndex) as AltinnLogin;
			const timeoutMs = timeoutOption(this, itemIndex);
			if (login === 'maskinporten') {
				const credential = (await this.getCredentials('altinnMaskinportenApi', itemIndex)) as unknown as AltinnMaskinportenCredential;
				secrets.add(...maskinportenSecrets(credential));
				return await loginWithReuse(this, itemIndex, { provider: 'altinn3', credential }, async () => {
					const obtainedAt = new Date();
					const altinn = await loginWithMaskinporten(this, credential, secrets, timeoutMs);
					return makeTokenItem({
						provider: 'altinn3',
						environment: credential.environment,
						token: altinn.token,
						headers: bearerHeaders(altinn.token),
						obtainedAt,
						expiresAt: altinn.expiresAt,
						extra: { scope: altinn.scope ?? null },
					});
				});
			}

			const credential = (await this.getCredentials('altinnApi', itemIndex)) as unknown as AltinnCredential;
			secrets.add(credential.password, credential.apiKey, credential.username);
			const baseUrl = resolveBaseUrl(credential.environment, credential.baseUrl, ALTINN_BASE_URLS, 'Altinn');
			return await loginWithReuse(this, itemIndex, { provider: 'altinn', credential }, async () => {
				const obtainedAt = new Date();
				const answer = await sendRequest(
					this,
					buildPasswordLoginRequest({
						baseUrl,
						username: credential.username,
						password: credential.password,
						apiKey: credential.apiKey,
					}),
					timeoutMs,
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
		});
	}
}
