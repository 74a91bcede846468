/**
 * Consent Request → Create: asks a person (by national ID number) or an organisation for consent to
 * named data until a date. The output has the address the person opens to decide (`viewUri`); a
 * person's national ID number is not repeated in it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ConsentRequest, CreateConsentRequest } from '../protocol/consentRequests';
import { CONSENT_CALLS, buildCreateConsentRequest, checkRepeatedRequestOpen, metadataFromText, readConsentRequestAnswer } from '../protocol/consentRequests';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { consentParty } from '../protocol/consentToken';
import { keyOfClient } from '../protocol/maskinporten';
import { checkOrganisationNumber } from '../protocol/orgNumber';
import { checkVendorRequest } from '../vendorApi';
import type { ActionContext } from '../vendorActions';

/** A consent request as an output item: Altinn's fields, whose consent (never a full national ID number), and whether this call made it. */
export function consentRequestItem(request: ConsentRequest, madeByThisCall?: boolean): IDataObject {
	return { ...request, ...(madeByThisCall === undefined ? {} : { newRequest: madeByThisCall }) } as unknown as IDataObject;
}

export async function createConsentRequest(action: ActionContext): Promise<IDataObject> {
	const { text } = action;
	const from = consentParty(text('consentFrom'), 'person or organisation asked');
	if (from.kind === 'person') action.secrets.add(from.nationalIdNumber, from.urn);
	const message = text('requestMessage');
	const ownOrgNumber = text('options.consumerOrgNumber') ? checkOrganisationNumber(text('options.consumerOrgNumber'), 'your organisation number') : undefined;
	// Made once per item: deriving it reads the private key.
	const idKey = keyOfClient(action.credential.privateKey, 'consent request id');
	const request = (toOrgNumber: string): CreateConsentRequest => ({
		id: text('options.consentRequestId') || undefined,
		idKey,
		from,
		toOrgNumber,
		validTo: text('validTo'),
		rights: [{ resource: text('consentResource'), metadata: metadataFromText(text('metadata')) }],
		redirectUrl: text('redirectUrl'),
		requestMessage: message ? { nb: message, en: message } : undefined,
		showInInbox: action.node.getNodeParameter('options.showInInbox', action.itemIndex, false) as boolean,
	});
	// Bad input fails before any token is asked for.
	checkVendorRequest((token) => buildCreateConsentRequest(action.platformUrl, token, request(ownOrgNumber ?? ''), new Date()));
	const vendor = await action.session(CONSENT_CALLS.create.scope);
	// The consent is given to the organisation of the Maskinporten client: Altinn refuses any other.
	const toOrgNumber = ownOrgNumber ?? vendor.consumerOrgNumber;
	if (!toOrgNumber) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The Maskinporten token does not say which organisation it belongs to',
			hint: 'Give your organisation number (the one of the Maskinporten client) in Options → Your Organisation Number.',
		});
	}
	const answer = await vendor.send((token) => buildCreateConsentRequest(action.platformUrl, token, request(toOrgNumber), new Date()));
	const { request: created } = readConsentRequestAnswer(answer, CONSENT_CALLS.create, from);
	action.identify({ consentRequestId: created.consentRequestId });
	const madeByThisCall = answer.statusCode === 201;
	if (!madeByThisCall) checkRepeatedRequestOpen(created);
	return consentRequestItem(created, madeByThisCall);
}
