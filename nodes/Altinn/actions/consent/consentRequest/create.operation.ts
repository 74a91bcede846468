/**
 * Consent Request → Create: asks a person (by national ID number) or an organisation for consent to
 * named data until a date. The output has the address the person opens to decide (`viewUri`); a
 * person's national ID number is not repeated in it.
 */
import type { IDataObject } from 'n8n-workflow';

import { optionsCollection } from '../../../../shared/descriptions';
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { LoginProblem } from '../../../../shared/protocol/loginProblem';
import type { CreateConsentRequest } from '../../../protocol/consentRequests';
import { CONSENT_CALLS, buildCreateConsentRequest, checkRepeatedRequestOpen, metadataFromText, readConsentRequestAnswer } from '../../../protocol/consentRequests';
import { consentParty } from '../../../protocol/consentToken';
import { keyOfClient } from '../../../protocol/maskinporten';
import { checkOrganisationNumber } from '../../../protocol/orgNumber';
import { checkVendorRequest } from '../../../vendorApi';
import type { ItemContext } from '../../itemContext';
import { eachItem } from '../../itemContext';
import { consentRequestItem } from '../items';

async function handleItem(action: ItemContext): Promise<IDataObject> {
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

export const createConsentRequest: NodeOperation = {
	option: {
		name: 'Create',
		value: 'createConsentRequest',
		description: 'Ask for consent: outputs the address (viewUri) the person opens in Altinn to decide',
		action: 'Create a consent request',
	},
	subtitle: 'Create consent request',
	properties: [
		{
			displayName: 'Ask (Person or Organisation)',
			name: 'consentFrom',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.nationalIdNumber }}',
			description:
				"Whom to ask: a person's national ID number (11 digits) or an organisation number (9 digits). Checked before anything is sent. A person's number never appears in this node's output or errors.",
		},
		{
			displayName: 'Resource ID',
			name: 'consentResource',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. standard-samtykke-for-dele-data',
			description: "The consent resource in Altinn's resource register that names the data (the data provider publishes it)",
		},
		{
			displayName: 'Metadata',
			name: 'metadata',
			type: 'string',
			default: '',
			placeholder: 'e.g. inntektsaar=2025',
			description: 'What the resource asks for, as key=value pairs separated by commas (or a JSON object), e.g. the income year',
		},
		{
			displayName: 'Valid To',
			name: 'validTo',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'The last moment the consent may be used. Must be in the future.',
		},
		{
			displayName: 'Redirect URL',
			name: 'redirectUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $execution.resumeUrl }}',
			description:
				'Where Altinn sends the person after the decision, exactly as given. To go on in this workflow when the person is back, enter {{ $execution.resumeUrl }} and add Wait for Decision after the step that sends the link. Or your own page, with your own reference in it.',
		},
		{
			displayName: 'Message to the Person',
			name: 'requestMessage',
			type: 'string',
			default: '',
			description: 'Optional: a sentence Altinn shows with the request, e.g. why you ask',
		},
		optionsCollection([
			{
				displayName: 'Consent Request ID',
				name: 'consentRequestId',
				type: 'string',
				default: '',
				description:
					"An ID of your own for the request (a GUID). Empty: one made from the request's contents, so the same request sent again gets the one Altinn has instead of asking twice.",
			},
			{
				displayName: 'Show in Altinn Inbox',
				name: 'showInInbox',
				type: 'boolean',
				default: false,
				description: "Whether the request is also listed in the person's Altinn inbox (otherwise only the link you send leads to it)",
			},
			{
				displayName: 'Your Organisation Number',
				name: 'consumerOrgNumber',
				type: 'string',
				default: '',
				description: "The organisation the consent is given to: the Maskinporten client's. Empty: read from the Maskinporten token.",
			},
		]),
	],
	execute: eachItem(handleItem),
};
