import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { SYSTEM_ID_PROPERTY, customerOrgNumberProperty } from './descriptions';
import type { Operation } from './systemUserActions/router';
import { route } from './systemUserActions/router';

const SUBTITLES: Record<Operation, string> = {
	createRequest: 'Create request',
	getRequest: 'Get request',
	listRequests: 'List requests',
	listSystemUsers: 'List system users',
	createChangeRequest: 'Create change request',
	getChangeRequest: 'Get change request',
};

/** Shown for these operations only (and, when given, these lookups). */
function shownFor(operations: Operation[], lookupBy?: Array<'requestId' | 'externalRef'>): INodeProperties['displayOptions'] {
	return { show: { operation: operations, ...(lookupBy ? { lookupBy } : {}) } };
}

const CUSTOMER_ORG_NUMBER = customerOrgNumberProperty(
	"The customer (for Client (Agent): the accountant or other facilitator) who is to approve: 9 digits. Use an expression that reads each item's organisation number for one request per item. Checked before anything is sent.",
);

const EXTERNAL_REFERENCE_LOOKUP: INodeProperties = {
	displayName: 'External Reference',
	name: 'externalRef',
	type: 'string',
	default: '',
	description: 'The reference the request was made with; empty means the organisation number, as Altinn does',
};

const REQUEST_ID: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '={{ $json.requestId }}',
	required: true,
	description: 'The ID Altinn gave the request (a UUID), e.g. from Create Request',
};

export class AltinnSystemUser implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn System User',
		name: 'altinnSystemUser',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(SUBTITLES)}[$parameter["operation"]] }}`,
		description: "Ask customers to approve a system user for your system in Altinn 3, and follow up on the requests (Altinn's vendor API)",
		defaults: { name: 'Altinn System User' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents: Create Request and Create Change Request ask a third party for
		// authority to act for it, a step a person should decide on, not a model.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Change Request', value: 'changeRequest', description: 'Added or removed rights on a system user a customer already approved' },
					{ name: 'System User', value: 'systemUser', description: 'The system users customers have approved for your system' },
					{ name: 'System User Request', value: 'request', description: 'A request to a customer to approve a system user for your system' },
				],
				default: 'request',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create',
						value: 'createRequest',
						description: 'Ask a customer to approve a system user for your system; outputs the confirmUrl to send to them',
						action: 'Create a system user request',
					},
					{
						name: 'Get',
						value: 'getRequest',
						description: 'Read the status of a request (New, Accepted, Rejected, Denied, Timedout)',
						action: 'Get a system user request',
					},
					{
						name: 'List',
						value: 'listRequests',
						description: 'Every request made for your system, one item each',
						action: 'List system user requests',
					},
				],
				default: 'createRequest',
				displayOptions: { show: { resource: ['request'] } },
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create',
						value: 'createChangeRequest',
						description: 'Ask the customer to approve added or removed rights on an existing system user',
						action: 'Create a change request',
					},
					{
						name: 'Get',
						value: 'getChangeRequest',
						description: 'Read the status of a change request',
						action: 'Get a change request',
					},
				],
				default: 'createChangeRequest',
				displayOptions: { show: { resource: ['changeRequest'] } },
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'List',
						value: 'listSystemUsers',
						description: 'One item per system user (Altinn asks for the scope altinn:authentication/systemregister.write here)',
						action: 'List system users',
					},
				],
				default: 'listSystemUsers',
				displayOptions: { show: { resource: ['systemUser'] } },
			},
			{ ...SYSTEM_ID_PROPERTY, displayOptions: shownFor(['createRequest', 'listRequests', 'listSystemUsers']) },
			{
				displayName: 'Request Type',
				name: 'requestType',
				type: 'options',
				options: [
					{ name: 'Standard', value: 'standard', description: 'The customer approves a system user for itself' },
					{
						name: 'Client (Agent)',
						value: 'agent',
						description: 'An accountant or other facilitator approves a system user that acts for its own clients (access packages only)',
					},
				],
				default: 'standard',
				displayOptions: shownFor(['createRequest', 'getRequest', 'listRequests']),
			},
			{
				displayName: 'Look Up By',
				name: 'lookupBy',
				type: 'options',
				options: [
					{ name: 'Request ID', value: 'requestId' },
					{ name: 'System, Organisation and External Reference', value: 'externalRef' },
				],
				default: 'requestId',
				displayOptions: shownFor(['getRequest', 'getChangeRequest']),
			},
			{ ...REQUEST_ID, displayOptions: shownFor(['getRequest', 'getChangeRequest'], ['requestId']) },
			{ ...SYSTEM_ID_PROPERTY, displayOptions: shownFor(['getRequest', 'getChangeRequest'], ['externalRef']) },
			{ ...CUSTOMER_ORG_NUMBER, displayOptions: shownFor(['createRequest']) },
			{ ...CUSTOMER_ORG_NUMBER, displayOptions: shownFor(['getRequest', 'getChangeRequest'], ['externalRef']) },
			{ ...EXTERNAL_REFERENCE_LOOKUP, displayOptions: shownFor(['getRequest', 'getChangeRequest'], ['externalRef']) },
			{
				displayName: 'Rights (Resource IDs)',
				name: 'rights',
				type: 'string',
				default: '',
				placeholder: 'ske-mva-melding, app_ttd_example',
				description: 'Resource IDs from the resource registry, separated by commas; your system must be registered with them. Give rights, access packages or both.',
				displayOptions: { show: { operation: ['createRequest'], requestType: ['standard'] } },
			},
			{
				displayName: 'Access Packages',
				name: 'accessPackages',
				type: 'string',
				default: '',
				placeholder: 'urn:altinn:accesspackage:regnskapsforer-lonn',
				description: 'Access package URNs, separated by commas; your system must be registered with them',
				displayOptions: shownFor(['createRequest']),
			},
			{
				displayName: 'External Reference',
				name: 'externalRef',
				type: 'string',
				default: '',
				description:
					"Your own reference, when one customer is to have more than one system user for your system (e.g. per department). Altinn uses the organisation number when empty; logins for the customer must then give the same reference.",
				displayOptions: shownFor(['createRequest']),
			},
			{
				displayName: 'System User ID',
				name: 'systemUserId',
				type: 'string',
				default: '',
				required: true,
				description: 'The system user to change (a UUID), e.g. from List System Users or a token item',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Required Rights (Resource IDs)',
				name: 'requiredRights',
				type: 'string',
				default: '',
				description: 'Resource IDs the system user is to have, separated by commas',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Unwanted Rights (Resource IDs)',
				name: 'unwantedRights',
				type: 'string',
				default: '',
				description: 'Resource IDs the system user is no longer to have, separated by commas',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Required Access Packages',
				name: 'requiredAccessPackages',
				type: 'string',
				default: '',
				description: 'Access package URNs the system user is to have, separated by commas',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Unwanted Access Packages',
				name: 'unwantedAccessPackages',
				type: 'string',
				default: '',
				description: 'Access package URNs the system user is no longer to have, separated by commas',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Correlation ID',
				name: 'correlationId',
				type: 'string',
				default: '',
				description:
					'A UUID of your own for this change request: asking again with the same one returns the same change request instead of a new one. Empty: a new UUID for each item.',
				displayOptions: shownFor(['createChangeRequest']),
			},
			{
				displayName: 'Redirect URL',
				name: 'redirectUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/altinn/done',
				description:
					"Where the person's browser goes after deciding; it must match one of your system's allowed redirect URLs (the query string may differ). It only says the person is done: read the status with Get Request.",
				displayOptions: shownFor(['createRequest', 'createChangeRequest']),
			},
			optionsCollection(),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
