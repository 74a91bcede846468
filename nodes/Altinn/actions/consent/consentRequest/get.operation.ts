/** Consent Request → Get: a request's status and events, by its ID (Wait for Decision reads each request so first). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../../shared/descriptions';
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { CONSENT_CALLS, buildGetConsentRequest, readConsentRequestAnswer } from '../../../protocol/consentRequests';
import { checkConsentId } from '../../../protocol/consentToken';
import type { VendorRequest } from '../../../vendorApi';
import { checkVendorRequest } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { consentRequestItem } from '../items';

export async function readConsentRequestItem(action: ItemContext): Promise<IDataObject> {
	const consentRequestId = checkConsentId(action.text('consentRequestId'));
	action.identify({ consentRequestId });
	const build: VendorRequest = (token) => buildGetConsentRequest(action.platformUrl, token, consentRequestId);
	checkVendorRequest(build);
	const vendor = await action.session(CONSENT_CALLS.get.scope);
	const { from, request } = readConsentRequestAnswer(await vendor.send(build), CONSENT_CALLS.get);
	if (from.kind === 'person') action.secrets.add(from.nationalIdNumber, from.urn);
	return consentRequestItem(request);
}

/** The Consent Request ID field, as Get and Wait for Decision ask for it. */
export const CONSENT_REQUEST_ID_PROPERTY: INodeProperties = {
	displayName: 'Consent Request ID',
	name: 'consentRequestId',
	type: 'string',
	default: '={{ $json.consentRequestId }}',
	required: true,
	description: 'The ID of the request (a GUID), e.g. from Create or the Altinn Consent Trigger',
};

export const getConsentRequest: NodeOperation = {
	option: { name: 'Get', value: 'getConsentRequest', description: "A request's status and what happened to it", action: 'Get a consent request' },
	subtitle: 'Get consent request',
	properties: [CONSENT_REQUEST_ID_PROPERTY, optionsCollection()],
	execute: eachItem(readConsentRequestItem),
};
