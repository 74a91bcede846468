/**
 * What an operation of the Altinn System User and Altinn Consent nodes is given for one item: its
 * parameters as trimmed text, the platform's address, the organisation's Maskinporten session for a
 * call's scope, and a way to name what identifies the item should it fail. `eachItem` makes an
 * operation's `execute` from a handler of one item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { credentialFor } from '../../shared/loginRunner';
import type { IdentifyItem } from '../../shared/runItems';
import { runForEachItem, timeoutOption } from '../../shared/runItems';
import type { SecretCollector } from '../../shared/secrets';
import type { AltinnMaskinportenCredential } from '../logins/maskinporten';
import { altinn3Endpoints } from '../logins/maskinporten';
import { altinnVendorLogin } from '../logins/vendor';
import type { VendorSession } from '../vendorApi';
import { vendorSession } from '../vendorApi';

export interface ItemContext {
	node: IExecuteFunctions;
	itemIndex: number;
	/** A parameter's value as trimmed text ('' when empty). */
	text(name: string): string;
	/** The Altinn 3 Maskinporten credential the item uses. */
	credential: AltinnMaskinportenCredential;
	platformUrl: string;
	/** The organisation's Maskinporten session for a call's scope (a token per scope, reused). */
	session(scope: string): Promise<VendorSession>;
	/** Where a value that must never be shown is noted (e.g. a person's national ID number in a request). */
	secrets: SecretCollector;
	identify: IdentifyItem;
}

export type ItemOperation = (item: ItemContext) => Promise<IDataObject | IDataObject[]>;

/** An operation's `execute`: each item through `handleItem`, one output item (or a list) per input item. */
export function eachItem(handleItem: ItemOperation): (node: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async (node) =>
		await runForEachItem(node, async (itemIndex, secrets, identify) => {
			const credential = await credentialFor(node, altinnVendorLogin, itemIndex);
			const timeoutMs = timeoutOption(node, itemIndex);
			return await handleItem({
				node,
				itemIndex,
				text: (name) => String(node.getNodeParameter(name, itemIndex, '') ?? '').trim(),
				credential,
				platformUrl: altinn3Endpoints(credential).platformUrl,
				session: async (scope) => await vendorSession(node, credential, scope, secrets, { run: node, timeoutMs }),
				secrets,
				identify,
			});
		});
}
