/**
 * The operations of the nodes that call Altinn's vendor APIs (Altinn System User, Altinn Consent):
 * what each is given for one item (its parameters as trimmed text, the platform's address, the
 * vendor's session for a call's scope, a way to name what identifies the item should it fail), and
 * the router that runs each item through the operation it names. One file per operation lives in
 * `systemUserActions/` and `consentActions/`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { credentialFor } from '../shared/loginRunner';
import { LoginProblem } from '../shared/protocol/loginProblem';
import type { IdentifyItem } from '../shared/runItems';
import { runForEachItem, timeoutOption } from '../shared/runItems';
import type { SecretCollector } from '../shared/secrets';
import type { AltinnMaskinportenCredential } from './logins/maskinporten';
import { altinn3Endpoints } from './logins/maskinporten';
import { altinnVendorLogin } from './logins/vendor';
import type { VendorSession } from './vendorApi';
import { vendorSession } from './vendorApi';

export interface ActionContext {
	node: IExecuteFunctions;
	itemIndex: number;
	/** A parameter's value as trimmed text ('' when empty). */
	text(name: string): string;
	/** The Altinn 3 Maskinporten credential the item uses. */
	credential: AltinnMaskinportenCredential;
	platformUrl: string;
	/** The vendor's Maskinporten session for a call's scope (a token per scope, reused). */
	session(scope: string): Promise<VendorSession>;
	/** Where a value that must never be shown is noted (e.g. a person's national ID number in a request). */
	secrets: SecretCollector;
	identify: IdentifyItem;
}

/** Runs each item through the operation it names (its `operation` parameter), with the vendor's session. */
export async function routeOperations<O extends string>(
	node: IExecuteFunctions,
	operations: Record<O, (action: ActionContext) => Promise<IDataObject | IDataObject[]>>,
): Promise<INodeExecutionData[][]> {
	return await runForEachItem(node, async (itemIndex, secrets, identify) => {
		const credential = await credentialFor(node, altinnVendorLogin, itemIndex);
		const timeoutMs = timeoutOption(node, itemIndex);
		const operation = node.getNodeParameter('operation', itemIndex) as O;
		// A saved workflow may name an operation this version lacks: said plainly, never Object.prototype's.
		if (!Object.hasOwn(operations, operation)) {
			throw new LoginProblem({ kind: 'badInput', message: `Unknown operation "${String(operation)}"`, hint: 'Open the node and choose one of its operations.' });
		}
		return await operations[operation]({
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
