/**
 * The vendor's own Maskinporten token for Altinn's vendor APIs (system register, system-user
 * requests, change requests, the list of a system's system users). Those APIs want the Maskinporten
 * token itself, not one exchanged at Altinn (`VENDOR_API_TOKEN`): they find the vendor by the
 * token's `consumer` claim. Each call needs its own scope, so the scope is a setting and tokens are
 * stored per scope. Same credential as the organisation's own login (altinnMaskinportenApi).
 * Used by the Altinn System User node and its trigger.
 */
import type { LoginModule } from '../../shared/loginModule';
import type { ReusePolicy } from '../../shared/tokenStore';
import { readMaskinportenTokenAnswer } from '../protocol/maskinporten';
import { VENDOR_API_TOKEN } from '../protocol/vendorRequests';
import type { AltinnMaskinportenCredential } from './maskinporten';
import { altinn3TokenItem, maskinportenGrantRequest } from './maskinporten';

export interface VendorTokenSettings extends Record<string, unknown> {
	/** The scope the call needs (e.g. altinn:authentication/systemuser.request.read); empty: the credential's scopes. */
	scope: string;
}

/**
 * How vendor tokens are reused. Maskinporten tokens often live only 120 seconds, so the 5-minute
 * margin of login nodes would never reuse one; a vendor call takes seconds, so a token with half a
 * minute left is still good for it.
 */
export const VENDOR_TOKEN_REUSE: ReusePolicy = { readCache: true, marginMs: 30_000, withoutExpiryMs: 60_000 };

export const altinnVendorLogin: LoginModule<AltinnMaskinportenCredential, VendorTokenSettings> = {
	// The scope is in the settings, so each scope's token is stored apart.
	provider: 'altinn3-vendor',
	credentialType: 'altinnMaskinportenApi',
	secrets: (credential) => [credential.privateKey, credential.enterprisePassword],
	async login(context, credential, settings) {
		// The call's own scope: the credential's list may lack it, or hold scopes this call should not carry.
		const { request, issuedAt, onBehalfOf } = maskinportenGrantRequest(context, credential, { scopes: settings.scope.trim() || credential.scopes });
		const token = readMaskinportenTokenAnswer(await context.send(request), issuedAt, onBehalfOf);
		return altinn3TokenItem(credential, { token: token.accessToken, expiresAt: token.expiresAt, scope: token.scope }, issuedAt, {
			tokenKind: VENDOR_API_TOKEN,
		});
	},

};
