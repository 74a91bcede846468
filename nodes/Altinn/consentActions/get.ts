/** Consent Request → Get: a request's status and events, by its ID. */
import type { IDataObject } from 'n8n-workflow';

import { CONSENT_CALLS, buildGetConsentRequest, readConsentRequestAnswer } from '../protocol/consentRequests';
import { checkConsentId } from '../protocol/consentToken';
import type { VendorRequest } from '../vendorApi';
import { checkVendorRequest } from '../vendorApi';
import type { ActionContext } from '../vendorActions';
import { consentRequestItem } from './create';

export async function getConsentRequest(action: ActionContext): Promise<IDataObject> {
	const consentRequestId = checkConsentId(action.text('consentRequestId'));
	action.identify({ consentRequestId });
	const build: VendorRequest = (token) => buildGetConsentRequest(action.platformUrl, token, consentRequestId);
	checkVendorRequest(build);
	const vendor = await action.session(CONSENT_CALLS.get.scope);
	const { from, request } = readConsentRequestAnswer(await vendor.send(build), CONSENT_CALLS.get);
	if (from.kind === 'person') action.secrets.add(from.nationalIdNumber, from.urn);
	return consentRequestItem(request);
}
