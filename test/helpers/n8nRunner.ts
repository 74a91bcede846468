/**
 * Runs one of our nodes through n8n's real execution code: n8n-core's ExecuteContext and
 * WebhookContext with the real `helpers.httpRequest`, a real Workflow (so parameter defaults and
 * expressions resolve as in n8n), and credentials handed in as n8n would decrypt them.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an encryption key into the user folder on first use: keep it out of $HOME.
// jest's global set-up normally provides one for the whole run.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-login-tokens-test-'));

import { ExecuteContext, PollContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ICredentials,
	ICredentialType,
	IConnections,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow, createRunExecutionData } from 'n8n-workflow';

import { AltinnApi } from '../../credentials/AltinnApi.credentials';
import { AltinnMaskinportenApi } from '../../credentials/AltinnMaskinportenApi.credentials';
import { AltinnSmsPinApi } from '../../credentials/AltinnSmsPinApi.credentials';
import { BokbasenOAuth2Api } from '../../credentials/BokbasenOAuth2Api.credentials';
import { BoknettApi } from '../../credentials/BoknettApi.credentials';
import { OnlyofficeApi } from '../../credentials/OnlyofficeApi.credentials';

export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

/** The package's credential types, by name, for what n8n's credentials helper does with them. */
const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
	[new AltinnApi(), new AltinnMaskinportenApi(), new AltinnSmsPinApi(), new BokbasenOAuth2Api(), new BoknettApi(), new OnlyofficeApi()].map((type) => [type.name, type]),
);

/**
 * Credentials as n8n's credentials helper keeps them for one run: decrypted copies for the node, and
 * `preAuthentication` run as n8n runs it (when the credential's expirable field is empty or a
 * request found it expired), its result saved into the stored credential (`saved`).
 */
class InMemoryCredentialsHelper extends ICredentialsHelper {
	constructor(readonly saved: CredentialsByType) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** As n8n's credentials helper: a credential type's own `authenticate` function sets the request's session. */
	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions) {
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		return typeof authenticate === 'function' ? await authenticate(credentials, requestOptions) : requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = CREDENTIAL_TYPES[typeName];
		const expirable = type?.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
		if (!type?.preAuthentication || !expirable) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (this.saved[typeName]) Object.assign(this.saved[typeName], output);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.saved[type];
		if (!found) throw new Error(`No test credential of type ${type}`);
		return { ...found };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export const WAITING_BASE_URL = 'http://127.0.0.1:5678/webhook-waiting';
export const FORM_WAITING_BASE_URL = 'http://127.0.0.1:5678/form-waiting';

export interface RunOptions {
	parameters?: INodeParameters;
	credentials?: CredentialsByType;
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** "Continue (using error output)" instead of the regular output, with continueOnFail. */
	errorOutput?: boolean;
	executionId?: string;
	/** The signed-URL token n8n 2.x adds to resume URLs; null for an n8n 1.x-style execution without one. */
	resumeToken?: string | null;
	/** The node's version in the workflow; 1 unless a test says otherwise. */
	typeVersion?: number;
	/** Nodes before the node under test, a chain in this order ending at it, with what each output in this execution. */
	upstream?: UpstreamNode[];
	/** The workflow's time zone setting. */
	timezone?: string;
	/** The ID of the credential the node names, by type (`<type>-id` unless given): two IDs, two credentials. */
	credentialIds?: Record<string, string>;
	/** How the execution was started: 'manual' (a person's Execute, the default) or 'trigger' (an active workflow's trigger). */
	mode?: 'manual' | 'trigger';
}

export interface UpstreamNode {
	name: string;
	/** The node's type; the node under test's own type unless given. */
	type?: string;
	parameters?: INodeParameters;
	/** The items it output in this execution; it did not run when absent. */
	output?: IDataObject[];
	/** The output those items left from and the next node is connected to; 0 unless given. */
	outputIndex?: number;
}

export interface NodeHarness {
	/** The credentials as the run left them saved (what `preAuthentication` returned is kept, as n8n keeps it). */
	savedCredentials: CredentialsByType;
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
	runExecutionData: IRunExecutionData;
	statusChanges: string[];
	mode: 'manual' | 'trigger';
}

const NODE_NAME = 'Node Under Test';

function makeNodeTypes(nodeType: INodeType): INodeTypes {
	return {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
}

export function createHarness(nodeType: INodeType, options: RunOptions = {}): NodeHarness {
	const credentialTypes = (nodeType.description.credentials ?? []).map((credential) => credential.name);
	const nodeCredentials: INode['credentials'] = {};
	for (const type of credentialTypes) nodeCredentials[type] = { id: options.credentialIds?.[type] ?? `${type}-id`, name: `Test ${type}` };
	const node: INode = {
		id: 'node-under-test',
		name: NODE_NAME,
		type: `n8n-nodes-login-tokens.${nodeType.description.name}`,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters ?? {},
		credentials: nodeCredentials,
		onError: options.continueOnFail ? (options.errorOutput ? 'continueErrorOutput' : 'continueRegularOutput') : 'stopWorkflow',
	};
	const upstream = options.upstream ?? [];
	const upstreamNodes: INode[] = upstream.map((before, index) => ({
		id: `upstream-${index}`,
		name: before.name,
		type: before.type ?? node.type,
		typeVersion: node.typeVersion,
		position: [0, 0],
		parameters: before.parameters ?? {},
	}));
	const connections: IConnections = {};
	upstream.forEach((before, index) => {
		const outputs: IConnections[string]['main'] = Array.from({ length: (before.outputIndex ?? 0) + 1 }, () => []);
		outputs[before.outputIndex ?? 0] = [{ node: upstream[index + 1]?.name ?? NODE_NAME, type: 'main', index: 0 }];
		connections[before.name] = { main: outputs };
	});
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test workflow',
		nodes: [...upstreamNodes, node],
		connections,
		active: false,
		nodeTypes: makeNodeTypes(nodeType),
		settings: options.timezone ? { timezone: options.timezone } : undefined,
	});
	const statusChanges: string[] = [];
	const executionId = options.executionId ?? '4711';
	const additionalData = {
		// A copy: what a run saves stays in its harness (harness.savedCredentials), never in a test's constants.
		credentialsHelper: new InMemoryCredentialsHelper(structuredClone(options.credentials ?? {})),
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: FORM_WAITING_BASE_URL,
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: WAITING_BASE_URL,
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		setExecutionStatus: (status: string) => statusChanges.push(status),
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = createRunExecutionData({ resumeToken: options.resumeToken ?? undefined });
	if (options.resumeToken === null) delete runExecutionData.resumeToken;
	upstream.forEach((before, index) => {
		if (!before.output) return;
		const main: INodeExecutionData[][] = Array.from({ length: (before.outputIndex ?? 0) + 1 }, () => []);
		main[before.outputIndex ?? 0] = before.output.map((json) => ({ json }));
		runExecutionData.resultData.runData[before.name] = [{ startTime: 0, executionTime: 0, executionIndex: index, source: [], data: { main } }];
	});
	const { saved } = additionalData.credentialsHelper as InMemoryCredentialsHelper;
	return { savedCredentials: saved, workflow, node: workflow.getNode(NODE_NAME) as INode, additionalData, runExecutionData, statusChanges, mode: options.mode ?? 'manual' };
}

export interface ExecuteResult {
	output: INodeExecutionData[][] | null;
	harness: NodeHarness;
}

/** n8n's ExecuteContext for the harness's node, as WorkflowExecute makes it for one run with these input items. */
function executeContextFor(harness: NodeHarness, input: INodeExecutionData[]): ExecuteContext {
	const executeData: IExecuteData = { node: harness.node, data: { main: [input] }, source: null };
	return new ExecuteContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		harness.mode,
		harness.runExecutionData,
		0,
		input,
		{ main: [input] },
		executeData,
		[],
	);
}

/**
 * n8n's own `helpers.httpRequest` (from a real ExecuteContext), as n8n hands it to a credential's
 * `preAuthentication`, so credential logins are tested with the client n8n gives them.
 */
export function n8nHttpRequestHelper(): IHttpRequestHelper {
	const placeholder: INodeType = {
		description: {
			displayName: 'Placeholder',
			name: 'placeholder',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			properties: [],
		},
	};
	const context = executeContextFor(createHarness(placeholder), [{ json: {} }]);
	return { helpers: { httpRequest: context.helpers.httpRequest } };
}

/** Runs the node's `execute` once, as n8n's WorkflowExecute would for one node with these input items. */
export async function executeNode(nodeType: INodeType, options: RunOptions = {}): Promise<ExecuteResult> {
	return await prepareExecution(nodeType, options)();
}

/**
 * Runs the node's `execute` once and settles: its output or the error it threw, and in either case
 * the harness, whose saved credentials are what the run left for the next (a failed run saves too).
 */
export async function executeNodeSettled(nodeType: INodeType, options: RunOptions = {}): Promise<{ output: INodeExecutionData[][] | null; error?: unknown; harness: NodeHarness }> {
	const harness = createHarness(nodeType, options);
	const context = executeContextFor(harness, options.input ?? [{ json: {} }]);
	const execute = nodeType.execute;
	if (!execute) throw new Error('node has no execute method');
	try {
		return { output: (await execute.call(context)) as INodeExecutionData[][] | null, harness };
	} catch (error) {
		return { output: null, error, harness };
	}
}

/**
 * Sets up everything n8n has ready before a node runs (workflow, context) and returns the run
 * itself, so a benchmark can time the node's own `execute` apart from the set-up.
 */
export function prepareExecution(nodeType: INodeType, options: RunOptions = {}): () => Promise<ExecuteResult> {
	const harness = createHarness(nodeType, options);
	const context = executeContextFor(harness, options.input ?? [{ json: {} }]);
	const execute = nodeType.execute;
	if (!execute) throw new Error('node has no execute method');
	return async () => ({ output: (await execute.call(context)) as INodeExecutionData[][] | null, harness });
}

export interface WebhookCall {
	method: 'GET' | 'POST';
	body?: unknown;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	/** The webhook description entry to call; n8n picks it by method and path. */
	webhookName?: string;
	/** The input items of the waiting node, as n8n keeps them on the waiting execution's stack. */
	waitingInput?: IDataObject[];
}

export interface RecordedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: string;
	ended: boolean;
}

/**
 * Calls the node's `webhook()` as n8n's waiting-webhook handler does when a request reaches the
 * resume URL of a waiting execution. The express request and response are minimal stand-ins
 * that record what the node sends back.
 */
export async function callWebhook(
	harness: NodeHarness,
	nodeType: INodeType,
	call: WebhookCall,
): Promise<{ result: IWebhookResponseData; response: RecordedResponse }> {
	const response: RecordedResponse = { statusCode: 200, headers: {}, body: '', ended: false };
	const responseObject = {
		status(code: number) {
			response.statusCode = code;
			return responseObject;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return responseObject;
		},
		header(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return responseObject;
		},
		set(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return responseObject;
		},
		type(value: string) {
			response.headers['content-type'] = value;
			return responseObject;
		},
		send(body: unknown) {
			response.body = typeof body === 'string' ? body : JSON.stringify(body);
			response.ended = true;
			return responseObject;
		},
		json(body: unknown) {
			response.headers['content-type'] = 'application/json';
			response.body = JSON.stringify(body);
			response.ended = true;
			return responseObject;
		},
		end(body?: unknown) {
			if (typeof body === 'string') response.body = body;
			response.ended = true;
			return responseObject;
		},
	};
	const headers = { 'content-type': 'application/json', ...(call.headers ?? {}) };
	const requestObject = {
		method: call.method,
		body: call.body ?? {},
		headers,
		query: call.query ?? {},
		params: {},
	};
	if (call.waitingInput) {
		const items = call.waitingInput.map((json) => ({ json }));
		harness.runExecutionData.executionData = {
			...(harness.runExecutionData.executionData ?? { contextData: {}, metadata: {}, waitingExecution: {}, waitingExecutionSource: null }),
			nodeExecutionStack: [{ node: harness.node, data: { main: [items] }, source: null }],
		};
	}
	harness.additionalData.httpRequest = requestObject as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	harness.additionalData.httpResponse = responseObject as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
	const description = (nodeType.description.webhooks ?? []).find(
		(webhook) => webhook.httpMethod === call.method && (!call.webhookName || webhook.name === call.webhookName),
	);
	if (!description) throw new Error(`node has no ${call.method} webhook`);
	const webhookData: IWebhookData = {
		httpMethod: call.method,
		node: harness.node.name,
		path: '',
		webhookDescription: description,
		workflowId: 'test-workflow',
		workflowExecuteAdditionalData: harness.additionalData,
	};
	const context = new WebhookContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		'webhook',
		webhookData,
		[],
		harness.runExecutionData,
	);
	if (!nodeType.webhook) throw new Error('node has no webhook method');
	const result = await nodeType.webhook.call(context);
	return { result, response };
}

export interface PollOptions {
	parameters?: INodeParameters;
	credentials?: CredentialsByType;
	/** 'trigger' as for an active workflow, 'manual' as for "Fetch test event". */
	mode?: 'trigger' | 'manual';
	/** The node's static data; the poll changes it in place, as n8n's own object. */
	staticData?: IDataObject;
}

/**
 * Runs a polling node's `poll()` once through n8n-core's PollContext, as n8n's poll trigger executor
 * calls it: the node's static data comes from `staticData` (a test keeps it, or serialises it, between
 * polls, as n8n saves it with the workflow).
 */
export async function pollNode(nodeType: INodeType, options: PollOptions = {}): Promise<INodeExecutionData[][] | null> {
	const harness = createHarness(nodeType, { parameters: options.parameters, credentials: options.credentials });
	const mode = options.mode ?? 'trigger';
	const staticData = options.staticData ?? {};
	const context = new PollContext(
		harness.workflow,
		harness.node,
		harness.additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		undefined,
		undefined,
		undefined,
		undefined,
		() => staticData,
	);
	if (!nodeType.poll) throw new Error('node has no poll method');
	return await nodeType.poll.call(context);
}
