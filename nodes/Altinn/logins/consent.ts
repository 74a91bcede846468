/**
 * Altinn 3 consent: a token for one consent that a person or an organisation accepted in Altinn, to
 * call the data provider's API with, unattended, until the consent ends. The same Maskinporten client
 * as the organisation's own login; the grant carries the consent and the data provider's scope, and
 * the Maskinporten token is the token (no exchange at Altinn). Used by Altinn Authenticate (Act For:
 * A Consent).
 */
import type { LoginModule } from '../../shared/loginModule';
import type { LoginContext } from '../../shared/loginModule';
import { CONSENT_CALLS, buildGetConsentRequest, checkConsentUsable, readConsentRequestAnswer } from '../protocol/consentRequests';
import type { ConsentParty } from '../protocol/consentToken';
import { checkConsentId, consentAuthorizationDetails, consentParty, consentPartyLabel, readConsentTokenAnswer } from '../protocol/consentToken';
import { readMaskinportenTokenAnswer } from '../protocol/maskinporten';
import type { AltinnMaskinportenCredential } from './maskinporten';
import { altinn3Endpoints, altinn3TokenItem, maskinportenGrantRequest } from './maskinporten';
import { VENDOR_TOKEN_REUSE } from './vendor';

export interface ConsentSettings extends Record<string, unknown> {
	/** The consent request's id (a GUID). */
	consentId: string;
	/**
	 * Who gave the consent: a national ID number or an organisation number (or Altinn's URN of either).
	 * Empty: read from the consent request at Altinn, so that no item need carry a person's number.
	 */
	from: string;
	/** The data provider's scope; empty: the credential's scopes. */
	scope: string;
}

/** What a consent token item says, beside the token: which consent, whose (never a full national ID number), its rights and end. */
export const CONSENT_TOKEN_KIND = 'maskinporten consent';

export const altinnConsentLogin: LoginModule<AltinnMaskinportenCredential, ConsentSettings> = {
	// The consent is in the settings, so each consent's token is stored apart.
	provider: 'altinn3-consent',
	credentialType: 'altinnMaskinportenApi',
	// A consent token is Maskinporten's own, often living 2 minutes: a 5-minute margin would never reuse it.
	reuseMarginMs: VENDOR_TOKEN_REUSE.marginMs,
	secrets: (credential) => [credential.privateKey, credential.enterprisePassword],
	async login(context, credential, settings) {
		const consentId = checkConsentId(settings.consentId);
		const from: ConsentParty = settings.from.trim() ? consentParty(settings.from) : await consentGiverOfOpenConsent(context, credential, consentId);
		// A person's national ID number is theirs to give: kept out of every error and item.
		if (from.kind === 'person') context.secrets.add(from.nationalIdNumber, from.urn);
		const detail = consentAuthorizationDetails(consentId, from);
		const { request, issuedAt, onBehalfOf } = maskinportenGrantRequest(context, credential, {
			scopes: settings.scope.trim() || credential.scopes,
			authorizationDetails: [detail],
		});
		const { token, consent } = readConsentTokenAnswer(await context.send(request), detail.id, from, issuedAt, onBehalfOf);
		const item = altinn3TokenItem(credential, { token: token.accessToken, expiresAt: token.expiresAt, scope: token.scope }, issuedAt, {
			tokenKind: CONSENT_TOKEN_KIND,
			actsFor: 'consent',
			consentId: consent.consentId,
			consentFrom: consentPartyLabel(from),
			consented: consent.consented,
			validTo: consent.validTo,
		});
		return { ...item, consentRights: consent.consentRights };
	},
};

/**
 * Who gave a consent, read from its request at Altinn (with the read scope's token, which never
 * leaves). A consent Altinn has as decided against (rejected, revoked, deleted) or past its Valid To
 * fails here, saying so, and no grant is sent for it.
 */
async function consentGiverOfOpenConsent(context: LoginContext, credential: AltinnMaskinportenCredential, consentId: string): Promise<ConsentParty> {
	const { request, issuedAt, onBehalfOf } = maskinportenGrantRequest(context, credential, { scopes: CONSENT_CALLS.get.scope });
	const token = readMaskinportenTokenAnswer(await context.send(request), issuedAt, onBehalfOf);
	context.secrets.add(token.accessToken);
	const answer = await context.send(buildGetConsentRequest(altinn3Endpoints(credential).platformUrl, token.accessToken, consentId));
	// The giver's number is noted as a secret before anything of the answer can reach an error.
	const { from, request: consent } = readConsentRequestAnswer(answer, CONSENT_CALLS.get);
	if (from.kind === 'person') context.secrets.add(from.nationalIdNumber, from.urn);
	checkConsentUsable(consent, context.now());
	return from;
}
