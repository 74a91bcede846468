/** Get OAuth2 Token: Bokbasen's client-credentials token for its new APIs (a provider of its own, offered here). */
import { bokbasenClientCredentialsLogin } from '../../../Bokbasen/logins/clientCredentials';
import type { NodeOperation } from '../../../shared/nodeOperations';
import { optionsCollection } from '../../../shared/descriptions';
import { credentialFor } from '../../../shared/loginRunner';
import { tokenReuseOptions } from '../../../shared/reuseOptions';
import { runForEachItemRouted } from '../../../shared/runItems';
import { loginOutput, tokenOutputProperties } from '../../../shared/tokenUse';
import { TOKEN_HOLDS } from './tokenHolds';

export const oauth2Token: NodeOperation = {
	option: {
		name: 'Get OAuth2 Token',
		value: 'oauth2Token',
		description: "Bokbasen's current login for its new APIs: a client-credentials token with a Bearer header",
		action: 'Get an access token',
	},
	subtitle: 'Get OAuth2 token',
	properties: [...tokenOutputProperties({}, TOKEN_HOLDS), optionsCollection(tokenReuseOptions())],
	execute: async (node) =>
		await runForEachItemRouted(node, 1, async (itemIndex, secrets) => {
			const credential = await credentialFor(node, bokbasenClientCredentialsLogin, itemIndex);
			const items = await loginOutput(node, itemIndex, bokbasenClientCredentialsLogin, credential, {}, secrets);
			return items.map((item) => ({ ...item, output: 0 }));
		}),
};
