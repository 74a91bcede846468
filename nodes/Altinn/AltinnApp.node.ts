import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL } from '../shared/descriptions';
import { APP_OPERATIONS } from './actions/app/router';

export class AltinnApp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn App',
		name: 'altinnApp',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: APP_OPERATIONS.subtitle(),
		description: 'File to an Altinn 3 app for your organisation or a customer, exactly once per Submission Key, and read the instance and its receipt',
		defaults: { name: 'Altinn App' },
		inputs: [NodeConnectionTypes.Main],
		// Submit sends filings the app finds wrong to a second output, with their issues and key (n8n's error
		// output would keep only the error's words): those items are a customer's data to correct, not a failure.
		outputs: `={{ $parameter["operation"] === "submit" ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Done" }, { type: "${NodeConnectionTypes.Main}", displayName: "Invalid Data" }] : ["${NodeConnectionTypes.Main}"] }}`,
		// Not a tool for AI agents: a filing to a public agency is made in an organisation's name and cannot be taken back.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		// Resource, Operation and each operation's fields: actions/app/<resource>/<op>.operation.ts.
		properties: APP_OPERATIONS.properties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await APP_OPERATIONS.execute(this);
	}
}
