/**
 * The fault matrix's rows: one per node (and operation), each provider's in its own file. A new
 * provider or node joins the matrix by adding a target in a file of its own here (see shared.ts for
 * what a target holds) and listing it below.
 */
import { altinnAuthenticate, altinnSmsChallenge, altinnSoapRequest } from './altinn2';
import { altinn3Authenticate } from './altinn3';
import { altinn3ConsentCreate, altinn3ConsentToken } from './altinn3Consent';
import { altinn3SystemUserAuthenticate, altinn3SystemUserGetRequest } from './altinn3SystemUser';
import { bokbasenToken } from './bokbasen';
import { boknettCreate, boknettDelete } from './boknett';
import { onlyofficeAuth, onlyofficeAuthenticator } from './onlyoffice';
import type { NodeTarget } from './shared';

export type { Fakes, NodeTarget, Overrides } from './shared';
export { INJECTION, soapChildren } from './shared';
export { MATRIX_PIN } from './altinn2';

export const TARGETS: NodeTarget[] = [
	boknettCreate,
	boknettDelete,
	onlyofficeAuth,
	altinnAuthenticate,
	altinnSmsChallenge,
	altinnSoapRequest,
	altinn3Authenticate,
	altinn3SystemUserAuthenticate,
	altinn3SystemUserGetRequest,
	altinn3ConsentToken,
	altinn3ConsentCreate,
	bokbasenToken,
	onlyofficeAuthenticator,
];
