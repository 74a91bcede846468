/** A consent request as an output item, as the Altinn Consent node and its trigger give it. */
import type { IDataObject } from 'n8n-workflow';

import type { ConsentRequest } from '../../protocol/consentRequests';

/** Altinn's fields, whose consent (never a full national ID number), and whether this call made it. */
export function consentRequestItem(request: ConsentRequest, madeByThisCall?: boolean): IDataObject {
	return { ...request, ...(madeByThisCall === undefined ? {} : { newRequest: madeByThisCall }) } as unknown as IDataObject;
}
