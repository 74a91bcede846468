/**
 * What every operation of the Altinn System User node is given for one item (router.ts makes it):
 * its parameters as trimmed text, the platform's address, the vendor's session for a call's scope,
 * and a way to name what identifies the item should it fail.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { IdentifyItem } from '../../shared/runItems';
import type { SecretCollector } from '../../shared/secrets';
import type { VendorSession } from '../vendorApi';

export interface ActionContext {
	node: IExecuteFunctions;
	itemIndex: number;
	/** A parameter's value as trimmed text ('' when empty). */
	text(name: string): string;
	platformUrl: string;
	/** The vendor's Maskinporten session for a call's scope (a token per scope, reused). */
	session(scope: string): Promise<VendorSession>;
	/** Where a value that must never be shown is noted (e.g. a person's national ID number in a request). */
	secrets: SecretCollector;
	identify: IdentifyItem;
}
