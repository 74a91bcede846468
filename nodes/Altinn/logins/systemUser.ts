/**
 * Altinn 3 system user: the vendor's system gets a token for one customer, unattended, once a person
 * at the customer has approved a system user for the system in Altinn. The same Maskinporten client
 * as the organisation's own login; the grant carries `authorization_details` for the customer, and
 * the token is exchanged at Altinn. Used by Altinn Authenticate (Altinn 3 System User).
 */
import type { LoginModule } from '../../shared/loginModule';
import type { AltinnMaskinportenCredential } from './maskinporten';
import { altinn3TokenItem, maskinportenAltinnToken } from './maskinporten';

export interface SystemUserSettings extends Record<string, unknown> {
	/** The customer's organisation number (9 digits with the modulus-11 check). */
	orgNumber: string;
	/** The reference the request to the customer was made with, when one was given. */
	externalRef: string;
}

export const altinnSystemUserLogin: LoginModule<AltinnMaskinportenCredential, SystemUserSettings> = {
	// The customer is in the settings, so each customer's token is stored apart.
	provider: 'altinn3-systemuser',
	credentialType: 'altinnMaskinportenApi',
	secrets: (credential) => [credential.privateKey, credential.enterprisePassword],
	async login(context, credential, settings) {
		const obtainedAt = context.now();
		const altinn = await maskinportenAltinnToken(
			context,
			// A system user acts for the customer: an enterprise user in the same credential plays no part.
			{ ...credential, enterpriseUsername: '', enterprisePassword: '' },
			{ orgNumber: settings.orgNumber, externalRef: settings.externalRef || undefined },
		);
		const facts = altinn.systemUser;
		return altinn3TokenItem(credential, altinn, obtainedAt, {
			actsFor: 'customer',
			orgNumber: facts?.orgNumber ?? settings.orgNumber.replace(/\s+/g, ''),
			systemUserId: facts?.systemUserId ?? null,
			systemId: facts?.systemId ?? null,
		});
	},
};
