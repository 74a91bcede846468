/** Log Out: ends a token at the portal (the given one, or the one this credential's logins keep); no process hands it out again. */
import type { IDataObject } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/descriptions';
import { credentialFor, forgetToken, loginContext, storedToken } from '../../../shared/loginRunner';
import type { NodeOperation } from '../../../shared/nodeOperations';
import { runForEachItem, timeoutOption } from '../../../shared/runItems';
import { onlyofficePasswordLogin } from '../../logins/password';
import { buildLogoutRequest, readLogoutAnswer } from '../../protocol/authentication';

export const logOut: NodeOperation = {
	option: {
		name: 'Log Out',
		value: 'logOut',
		description: 'End a token at the portal, so that nobody can use it any more (ONLYOFFICE tokens live for months)',
		action: 'Log out',
	},
	properties: [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: "Empty: the token of this credential's earlier logins",
			description:
				"The token to end, e.g. the token of a Log In item. Empty: the token this credential got at earlier logins, which n8n keeps between runs (also when the login node's Output is Response).",
		},
		optionsCollection(),
	],
	execute: async (node) =>
		await runForEachItem(node, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = await credentialFor(node, onlyofficePasswordLogin, itemIndex);
			secrets.add(...onlyofficePasswordLogin.secrets(credential));
			const given = String(node.getNodeParameter('token', itemIndex, '') ?? '').trim();
			const token = given || storedToken(node, onlyofficePasswordLogin, credential, {})?.token;
			if (!token) return { loggedOut: false, message: 'This credential has no token from earlier logins: nothing was sent' };
			secrets.add(token);
			const { send } = loginContext(node, secrets, timeoutOption(node, itemIndex));
			const result = readLogoutAnswer(await send(buildLogoutRequest(credential.portalUrl, token)));
			// A token that was logged out must never be handed out again.
			await forgetToken(node, onlyofficePasswordLogin, credential, token);
			return result;
		}),
};
