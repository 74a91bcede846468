import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { SYSTEM_USER_OPERATIONS } from './actions/systemUser/router';

export class AltinnSystemUser implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn System User',
		name: 'altinnSystemUser',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: SYSTEM_USER_OPERATIONS.subtitle(),
		description: "Ask customers to approve a system user for your system in Altinn 3, and follow up on the requests (Altinn's vendor API)",
		defaults: { name: 'Altinn System User' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents: Create Request and Create Change Request ask a third party for
		// authority to act for it, a step a person should decide on, not a model.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		// Resource, Operation and each operation's fields: actions/systemUser/<resource>/<op>.operation.ts.
		properties: [...SYSTEM_USER_OPERATIONS.properties(), optionsCollection()],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await SYSTEM_USER_OPERATIONS.execute(this);
	}
}
