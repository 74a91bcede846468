/** How a Get operation finds its request: by its ID, or by system, customer and external reference. */
import type { HttpRequestSpec } from '../../shared/protocol/http';
import { checkOrganisationNumber } from '../protocol/orgNumber';
import type { VendorRequest } from '../vendorApi';
import type { ActionContext } from '../vendorActions';

export type Lookup = { by: 'requestId'; requestId: string } | { by: 'externalRef'; systemId: string; orgNo: string; externalRef?: string };

/** The request to read, built with the lookup the item's parameters give; the item is named by it should it fail. */
export function lookUp(action: ActionContext, build: (token: string, lookup: Lookup) => HttpRequestSpec): VendorRequest {
	const lookup: Lookup =
		action.node.getNodeParameter('lookupBy', action.itemIndex, 'requestId') === 'externalRef'
			? {
					by: 'externalRef',
					systemId: action.text('systemId'),
					orgNo: checkOrganisationNumber(action.text('customerOrgNumber'), "customer's organisation number"),
					externalRef: action.text('externalRef') || undefined,
				}
			: { by: 'requestId', requestId: action.text('requestId') };
	// A request that cannot be read fails with what it was looked up by.
	action.identify(
		lookup.by === 'requestId'
			? { requestId: lookup.requestId }
			: { systemId: lookup.systemId, orgNumber: lookup.orgNo, ...(lookup.externalRef ? { externalRef: lookup.externalRef } : {}) },
	);
	return (token) => build(token, lookup);
}
