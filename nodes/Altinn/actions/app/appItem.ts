/**
 * What an operation of the Altinn App node is given for one item: the app, the organisation it files
 * for, and a session that sends with that organisation's system-user token (reused per customer until
 * it expires; a token Altinn refuses is dropped and one new login made). Tokens stay inside the node.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { credentialFor, forgetToken, loginContext, obtainToken } from '../../../shared/loginRunner';
import type { IdentifyItem, RoutedItem } from '../../../shared/runItems';
import { runForEachItemRouted, timeoutOption } from '../../../shared/runItems';
import type { SecretCollector } from '../../../shared/secrets';
import type { HttpCapableContext } from '../../../shared/transport';
import { tokenStore } from '../../../shared/tokenStore';
import { customerOrgNumberProperty } from '../../descriptions';
import type { AltinnMaskinportenCredential } from '../../logins/maskinporten';
import { altinn3Endpoints } from '../../logins/maskinporten';
import { altinnSystemUserLogin } from '../../logins/systemUser';
import type { AltinnApp, AppInstance } from '../../protocol/apps';
import { altinnApp } from '../../protocol/apps';
import type { FilingSession } from '../../protocol/filing';
import { checkOrganisationNumber } from '../../protocol/orgNumber';

export interface AppItem {
	node: IExecuteFunctions;
	itemIndex: number;
	/** A parameter's value as trimmed text ('' when empty). */
	text(name: string): string;
	app: AltinnApp;
	/** The organisation the item files for (its system user's token is used). */
	orgNumber: string;
	session: FilingSession;
	secrets: SecretCollector;
	identify: IdentifyItem;
}

/** The fields every Altinn App operation shows first: which app, and for whom. */
export const APP_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'App Owner',
		name: 'appOwner',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. skd',
		description: "The organisation that owns the app: the first part of its address (skd in https://skd.apps.altinn.no/skd/mva-melding)",
	},
	{
		displayName: 'App Name',
		name: 'appName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. mva-melding',
		description: "The app: the last part of its address (mva-melding in https://skd.apps.altinn.no/skd/mva-melding)",
	},
	customerOrgNumberProperty(
		"The organisation the filing is for: a customer that approved a system user for your system, or your own organisation through the system user it approved for itself (Altinn lets an organisation file only through a system user). 9 digits; use an expression for one filing per item.",
	),
];

/** Options every Altinn App operation has, beside Timeout. */
export const APP_OPTIONS: INodeProperties[] = [
	{
		displayName: 'App Base URL',
		name: 'appBaseUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. http://local.altinn.cloud/ttd/my-app',
		description: "The app's address up to and including /{owner}/{app}, for a local or custom app. Empty: Altinn's address for the credential's environment (a custom environment: the platform's address).",
	},
	{
		displayName: 'External Reference',
		name: 'externalRef',
		type: 'string',
		default: '',
		description: "The reference the customer's system user was requested with, when it was not the organisation number",
	},
];

/** Runs each item through `handleItem` with its app, organisation and session; the outputs as `handleItem` routes them. */
export function eachAppItem(outputs: number, handleItem: (item: AppItem) => Promise<RoutedItem | RoutedItem[]>): (node: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async (node) =>
		await runForEachItemRouted(node, outputs, async (itemIndex, secrets, identify) => {
			const text = (name: string) => String(node.getNodeParameter(name, itemIndex, '') ?? '').trim();
			const credential = await credentialFor(node, altinnSystemUserLogin, itemIndex);
			const { platformUrl } = altinn3Endpoints(credential);
			const app = altinnApp(text('appOwner'), text('appName'), credential.environment, platformUrl, text('options.appBaseUrl') || undefined);
			const orgNumber = checkOrganisationNumber(text('customerOrgNumber'), 'organisation number to file for');
			identify({ orgNumber });
			const session = filingSession(node, { credential, app, orgNumber, externalRef: text('options.externalRef'), secrets, timeoutMs: timeoutOption(node, itemIndex), run: node });
			return await handleItem({ node, itemIndex, text, app, orgNumber, session, secrets, identify });
		});
}

/**
 * A session that sends with the organisation's system-user token: made once and reused until it expires (in
 * this process, and through the credential in others); a token Altinn refuses is dropped and one new login made.
 */
export function filingSession(
	http: HttpCapableContext,
	options: { credential: AltinnMaskinportenCredential; app: AltinnApp; orgNumber: string; externalRef: string; secrets: SecretCollector; timeoutMs: number; run?: object },
): FilingSession {
	const { credential, secrets, timeoutMs, run } = options;
	const settings = { orgNumber: options.orgNumber, externalRef: options.externalRef };
	const context = loginContext(http, secrets, timeoutMs);
	const token = async () => {
		const item = await obtainToken(http, altinnSystemUserLogin, credential, settings, secrets, { run, timeoutMs });
		secrets.add(item.token);
		return item;
	};
	return {
		app: options.app,
		sleep: async (ms) => await tokenStore().clock.sleep(ms),
		send: async (build) => {
			const first = await token();
			const answer = await context.send(build(first.token));
			if (answer.statusCode !== 401) return answer;
			// A token Altinn no longer takes (revoked, or the system user changed) is dropped everywhere; a reused one
			// is replaced by one new login, as Output: Response does (tokenUse.ts). A fresh one refused says so as it is.
			await forgetToken(http, altinnSystemUserLogin, credential, first.token);
			if (first.reused !== true) return answer;
			return await context.send(build((await token()).token));
		},
	};
}

/** The item a filing or a read gives: the instance as Altinn has it, never a token. */
export function instanceItem(instance: AppInstance): IDataObject {
	const receipt = instance.data.find((element) => element.dataType === 'ref-data-as-pdf');
	return {
		instanceId: instance.instanceId,
		partyId: instance.partyId,
		instanceGuid: instance.instanceGuid,
		appId: instance.appId,
		orgNumber: instance.orgNumber,
		submissionKey: instance.submissionKey,
		currentTask: instance.currentTask ? { ...instance.currentTask } : null,
		ended: instance.ended,
		created: instance.created,
		lastChanged: instance.lastChanged,
		dataElements: instance.data.map((element) => ({ ...element })),
		receiptDataElementId: receipt?.id ?? null,
	};
}
