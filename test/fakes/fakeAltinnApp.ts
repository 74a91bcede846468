/**
 * A fake Altinn 3 app and Storage's instance query, beside the fakes of Maskinporten, the token exchange,
 * system users and consent (it extends them, so a system user's token for a customer is the real thing of
 * the fakes). Built from app-lib-dotnet's Instances, Data, Validate and Process controllers and
 * altinn-storage's InstancesController: an instance template with data values, data elements with content
 * types, size and count limits, validation issues with numeric severity, a process of tasks (data,
 * confirmation, feedback) with the locks and the PDF receipt a data task leaves, 409 with `validationIssues`
 * from process next, and Storage's paged list with absolute `next` links.
 *
 * Apps live at `{baseUrl}/{org}/{app}`, Storage at `{baseUrl}/storage/api/v1/instances` (as Altinn's local
 * test environment serves them at one address).
 */
import { randomUUID } from 'node:crypto';

import { FakeAltinnConsent } from './fakeAltinnConsent';
import { jwtPayload } from './fakeAltinnSystemUser';
import type { RecordedRequest, Reply } from './fakeServer';
import { header, json } from './fakeServer';

type JsonRecord = Record<string, unknown>;

export interface FakeDataType {
	id: string;
	allowedContentTypes: string[];
	/** In MB, as applicationmetadata.json gives it. */
	maxSize?: number;
	maxCount?: number;
	minCount?: number;
	/** The task whose data it is (locked when the task ends). */
	taskId?: string;
}

export interface FakeTask {
	id: string;
	type: 'data' | 'confirmation' | 'signing' | 'feedback';
	name?: string;
}

export interface FakeIssue {
	severity: 1 | 2 | 3;
	code: string;
	field: string;
	description: string;
}

export interface FakeApp {
	appId: string;
	dataTypes: FakeDataType[];
	process: FakeTask[];
	/** Rules on a form data element's JSON (the app's own validators). */
	validate?: (dataType: string, content: unknown) => FakeIssue[];
}

export interface FakeDataElement {
	id: string;
	dataType: string;
	contentType: string;
	filename: string | null;
	bytes: Buffer;
	locked: boolean;
	created: string;
	lastChanged: string;
}

export interface FakeInstance {
	partyId: string;
	guid: string;
	appId: string;
	orgNumber: string;
	dataValues: Record<string, string>;
	created: string;
	lastChanged: string;
	/** Index into the app's process; -1 once ended. */
	taskIndex: number;
	flow: number;
	ended: string | null;
	softDeleted: boolean;
	hardDeleted: boolean;
	data: FakeDataElement[];
}

/** A step the fake does and then answers 502 for, as a gateway that fails after the app acted. */
export type AfterWorkFailure = 'create' | 'addData' | 'next';

const STORAGE = '/storage/api/v1/instances';
const PDF_TYPE = 'ref-data-as-pdf';

const problemJson = (status: number, title: string, detail?: string, extra: JsonRecord = {}): Reply => ({
	...json(status, { type: 'https://tools.ietf.org/html/rfc9110', title, status, ...(detail ? { detail } : {}), ...extra }),
	headers: { 'Content-Type': 'application/problem+json; charset=utf-8' },
});

const textReply = (status: number, body: string): Reply => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body });

/** The monthly-report app of the sandbox's example and the tests: a data task, then a confirmation; the data model's turnover must be zero or more. */
export function monthlyReportApp(): FakeApp {
	return {
		appId: 'ttd/monthly-report',
		dataTypes: [
			{ id: 'model', allowedContentTypes: ['application/json', 'application/xml'], maxCount: 1, minCount: 1, maxSize: 1, taskId: 'Task_1' },
			{ id: 'vedlegg', allowedContentTypes: ['application/pdf'], maxCount: 5, maxSize: 10, taskId: 'Task_1' },
			{ id: 'ref-data-as-pdf', allowedContentTypes: ['application/pdf'] },
		],
		process: [
			{ id: 'Task_1', type: 'data', name: 'Utfylling' },
			{ id: 'Task_2', type: 'confirmation', name: 'Bekreftelse' },
		],
		validate: (dataType, content) => {
			const turnover = (content as { turnover?: unknown } | undefined)?.turnover;
			return dataType === 'model' && (typeof turnover !== 'number' || turnover < 0)
				? [{ severity: 1, code: 'turnover.invalid', field: 'turnover', description: 'Omsetning må være et tall på null eller mer' }]
				: [];
		},
	};
}

export class FakeAltinnApps extends FakeAltinnConsent {
	readonly apps = new Map<string, FakeApp>();

	readonly instances = new Map<string, FakeInstance>();

	/** Register: organisation number → party ID. */
	readonly parties = new Map<string, string>();

	/** Steps that do their work and then answer 502, once each per entry. */
	readonly failAfterWork: AfterWorkFailure[] = [];

	/** Instances per page of Storage's list: small, so paging is exercised. */
	instancePageSize = 2;

	private nextPartyId = 50_001_000;

	addApp(app: FakeApp): FakeApp {
		this.apps.set(app.appId, app);
		return app;
	}

	/** The organisation in Altinn's register (a party ID for it). */
	addParty(orgNumber: string): string {
		const existing = this.parties.get(orgNumber);
		if (existing) return existing;
		const partyId = String(this.nextPartyId++);
		this.parties.set(orgNumber, partyId);
		return partyId;
	}

	/** The live instances of an app for an organisation (what a person would see in Altinn). */
	liveInstances(appId: string, orgNumber?: string): FakeInstance[] {
		return [...this.instances.values()].filter((instance) => instance.appId === appId && !instance.hardDeleted && !instance.softDeleted && (!orgNumber || instance.orgNumber === orgNumber));
	}

	/** The app owner completes its feedback step: the process moves on (to the end). */
	completeFeedback(instance: FakeInstance): void {
		const app = this.apps.get(instance.appId);
		if (!app || instance.taskIndex < 0 || app.process[instance.taskIndex].type !== 'feedback') throw new Error('fake: the instance is not in a feedback task');
		this.advance(app, instance);
	}

	/** Answers 503 to every request from the one `at` matches (after `skip` such) until `up()`: a service gone, as for a killed worker nothing further arrives. */
	goDownAt(at: (request: RecordedRequest) => boolean, skip = 0): void {
		this.downAt = { at, skip };
	}

	up(): void {
		this.downAt = undefined;
		this.isDown = false;
	}

	private downAt: { at: (request: RecordedRequest) => boolean; skip: number } | undefined;

	private isDown = false;

	/**
	 * A fault for the first request `at` matches: its reply instead of the app's. `afterWork`: the app acts
	 * first, then this reply goes out in place of its answer (a gateway that failed after); 'later': the reply
	 * goes out now and the app acts `laterMs` after (work still in flight when the caller gave up).
	 */
	faultAt(at: (request: RecordedRequest) => boolean, reply: Reply, afterWork: boolean | 'later' = false): void {
		this.fault = { at, reply, afterWork };
	}

	/** How long after a 'later' fault the app acts. */
	laterMs = 500;

	private fault: { at: (request: RecordedRequest) => boolean; reply: Reply; afterWork: boolean | 'later' } | undefined;

	protected handle(request: RecordedRequest): Reply {
		const fault = this.fault && this.fault.at(request) ? this.fault : undefined;
		if (fault) {
			this.fault = undefined;
			if (fault.afterWork === 'later') {
				setTimeout(() => this.handle(request), this.laterMs);
				return fault.reply;
			}
			if (!fault.afterWork) return fault.reply;
			this.handle(request);
			return fault.reply;
		}
		if (this.downAt && !this.isDown && this.downAt.at(request)) {
			if (this.downAt.skip === 0) this.isDown = true;
			else this.downAt.skip--;
		}
		if (this.isDown) return { status: 503, reason: 'Service Unavailable', body: '' };
		if (request.path === STORAGE) return this.storageQuery(request);
		const route = /^\/([a-z0-9-]+)\/([a-z0-9-]+)\/instances(?:\/(\d+)\/([0-9a-f-]{36}))?(\/.*)?$/.exec(request.path);
		if (route && this.apps.has(`${route[1]}/${route[2]}`)) {
			const app = this.apps.get(`${route[1]}/${route[2]}`)!;
			return this.appRoute(request, app, route[3], route[4], route[5] ?? '');
		}
		return super.handle(request);
	}

	// --- Who calls ---------------------------------------------------------------------------------

	/** The organisation a system user's Altinn token acts for, or the reply Altinn gives instead. */
	private caller(request: RecordedRequest, scope: string): { orgNumber: string } | Reply {
		const bearer = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
		if (!this.altinnTokens.has(bearer)) return { status: 401, reason: 'Unauthorized', body: '' };
		const claims = jwtPayload(bearer) ?? {};
		if (!String(claims.scope ?? '').split(' ').includes(scope)) return { status: 403, reason: 'Forbidden', body: '' };
		const details = Array.isArray(claims.authorization_details) ? (claims.authorization_details as JsonRecord[]) : [];
		const org = details.find((detail) => detail.type === 'urn:altinn:systemuser')?.systemuser_org as JsonRecord | undefined;
		const orgNumber = typeof org?.ID === 'string' ? org.ID.replace(/^0192:/, '') : undefined;
		if (!orgNumber) return problemJson(403, 'Forbidden');
		return { orgNumber };
	}

	// --- The app -------------------------------------------------------------------------------------

	private appRoute(request: RecordedRequest, app: FakeApp, partyId: string | undefined, guid: string | undefined, rest: string): Reply {
		const write = request.method !== 'GET';
		const who = this.caller(request, write ? 'altinn:instances.write' : 'altinn:instances.read');
		if ('status' in who) return who;
		if (!partyId || !guid) {
			if (request.method === 'POST' && rest === '') return this.create(request, app, who.orgNumber);
			return problemJson(405, 'Method Not Allowed');
		}
		const instance = this.instances.get(`${partyId}/${guid}`);
		// Storage answers 403 for an instance it does not have (or the caller may not see).
		if (!instance || instance.appId !== app.appId || instance.hardDeleted) return problemJson(403, 'Forbidden');
		if (instance.orgNumber !== who.orgNumber) return problemJson(403, 'Forbidden');
		if (rest === '' && request.method === 'GET') return json(200, this.instanceJson(instance, true));
		if (rest === '' && request.method === 'DELETE') return this.remove(request, instance);
		if (rest === '/data' && request.method === 'POST') return this.addData(request, app, instance);
		const dataRoute = /^\/data\/([0-9a-f-]{36})$/.exec(rest);
		if (dataRoute && request.method === 'PUT') return this.replaceData(request, app, instance, dataRoute[1]);
		if (dataRoute && request.method === 'GET') return this.download(instance, dataRoute[1]);
		if (rest === '/validate' && request.method === 'GET') {
			if (instance.taskIndex < 0) return problemJson(409, 'Validation error', 'Unable to validate instance without a started process.');
			return json(200, this.issues(app, instance));
		}
		if (rest === '/process' && request.method === 'GET') return json(200, this.processJson(app, instance, true));
		if (rest === '/process/next' && request.method === 'PUT') return this.next(request, app, instance);
		return problemJson(404, 'Not Found');
	}

	private create(request: RecordedRequest, app: FakeApp, callerOrg: string): Reply {
		let template: JsonRecord;
		try {
			template = JSON.parse(request.body) as JsonRecord;
		} catch {
			return problemJson(400, 'Error reading request');
		}
		const owner = (template.instanceOwner ?? {}) as JsonRecord;
		const orgNumber = typeof owner.organisationNumber === 'string' ? owner.organisationNumber : undefined;
		if (!orgNumber) return textReply(400, 'Error: instanceOwnerPartyId query parameter is empty and InstanceOwner is missing from instance template. You must populate instanceOwnerPartyId or InstanceOwner');
		const partyId = this.parties.get(orgNumber);
		if (!partyId) return textReply(404, `Cannot lookup party: Failed to lookup party by organisationNumber: ${orgNumber}. The exception was: 404 - Not Found`);
		// The PDP: a system user may instantiate only for the organisation it acts for.
		if (orgNumber !== callerOrg) return problemJson(403, 'Forbidden');
		const now = new Date().toISOString();
		const dataValues = (template.dataValues ?? {}) as Record<string, string>;
		const instance: FakeInstance = {
			partyId,
			guid: randomUUID(),
			appId: app.appId,
			orgNumber,
			dataValues: { ...dataValues },
			created: now,
			lastChanged: now,
			taskIndex: 0,
			flow: 2,
			ended: null,
			softDeleted: false,
			hardDeleted: false,
			data: [],
		};
		this.instances.set(`${partyId}/${instance.guid}`, instance);
		if (this.takeFailure('create')) return { status: 502, reason: 'Bad Gateway', body: '' };
		const body = this.instanceJson(instance, true);
		return { ...json(201, body), headers: { 'Content-Type': 'application/json; charset=utf-8', Location: String((body.selfLinks as JsonRecord).apps) } };
	}

	private remove(request: RecordedRequest, instance: FakeInstance): Reply {
		const now = new Date().toISOString();
		if (new URL(request.url, 'http://x').searchParams.get('hard') === 'true') instance.hardDeleted = true;
		instance.softDeleted = true;
		instance.lastChanged = now;
		return json(200, this.instanceJson(instance, false));
	}

	private addData(request: RecordedRequest, app: FakeApp, instance: FakeInstance): Reply {
		const dataTypeId = new URL(request.url, 'http://x').searchParams.get('dataType') ?? '';
		const dataType = app.dataTypes.find((candidate) => candidate.id === dataTypeId);
		if (!dataType) return problemJson(400, 'Data Type Not Found', `Could not find the specified data type: "${dataTypeId}" in applicationmetadata.json`);
		if (dataType.id === PDF_TYPE) return problemJson(403, 'Forbidden', `Data element of type ${PDF_TYPE} cannot be modified`);
		if (instance.ended || instance.softDeleted) return problemJson(409, 'Instance Not Active', `Cannot update data element of archived or deleted instance ${instance.partyId}/${instance.guid}`);
		const checked = this.checkContent(request, dataType);
		if (checked) return checked;
		if (dataType.maxCount && instance.data.filter((element) => element.dataType === dataType.id).length >= dataType.maxCount) {
			return problemJson(409, 'Max Count Exceeded', `Cannot create more than ${dataType.maxCount} data elements of type ${dataType.id}`);
		}
		const now = new Date().toISOString();
		const element: FakeDataElement = {
			id: randomUUID(),
			dataType: dataType.id,
			contentType: (header(request, 'content-type') ?? '').split(';')[0].trim(),
			filename: /filename="?([^";]+)"?/.exec(header(request, 'content-disposition') ?? '')?.[1] ?? null,
			bytes: request.rawBody,
			locked: false,
			created: now,
			lastChanged: now,
		};
		instance.data.push(element);
		instance.lastChanged = now;
		if (this.takeFailure('addData')) return { status: 502, reason: 'Bad Gateway', body: '' };
		return { ...json(201, this.dataElementJson(instance, element)) };
	}

	private replaceData(request: RecordedRequest, app: FakeApp, instance: FakeInstance, id: string): Reply {
		const element = instance.data.find((candidate) => candidate.id === id);
		if (!element) return problemJson(404, 'Data Element Not Found');
		const dataType = app.dataTypes.find((candidate) => candidate.id === element.dataType)!;
		if (instance.ended || instance.softDeleted) return problemJson(409, 'Instance Not Active');
		// Storage refuses to overwrite a locked element; the app maps it to a bare Conflict.
		if (element.locked) return problemJson(409, 'Conflict');
		const checked = this.checkContent(request, dataType);
		if (checked) return checked;
		element.bytes = request.rawBody;
		element.contentType = (header(request, 'content-type') ?? '').split(';')[0].trim();
		element.lastChanged = new Date().toISOString();
		return json(201, this.dataElementJson(instance, element));
	}

	private checkContent(request: RecordedRequest, dataType: FakeDataType): Reply | undefined {
		const contentType = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
		if (!contentType) return problemJson(400, 'Missing content type');
		if (request.rawBody.length === 0) return problemJson(400, 'Invalid data', 'Invalid data provided. Error: The file is zero bytes.');
		if (dataType.maxSize && request.rawBody.length > dataType.maxSize * 1024 * 1024) return problemJson(413, 'Request too large');
		if (dataType.allowedContentTypes.length > 0 && !dataType.allowedContentTypes.includes(contentType)) {
			return problemJson(400, 'File validation failed', 'Common checks failed', {
				uploadValidationIssues: [
					{ severity: 1, code: 'ContentTypeNotAllowed', field: dataType.id, description: `Invalid content type: ${contentType}. Please try another file. Permitted content types include: ${dataType.allowedContentTypes.join(', ')}`, source: 'DataRestrictionValidation' },
				],
			});
		}
		return undefined;
	}

	private download(instance: FakeInstance, id: string): Reply {
		const element = instance.data.find((candidate) => candidate.id === id);
		if (!element) return problemJson(404, 'Data Element Not Found');
		return {
			status: 200,
			headers: { 'Content-Type': element.contentType, ...(element.filename ? { 'Content-Disposition': `attachment; filename=${element.filename}` } : {}) },
			body: element.bytes,
		};
	}

	/** The current task's issues: the default task validator (counts), the element validator (content types), the app's own rules. */
	private issues(app: FakeApp, instance: FakeInstance): JsonRecord[] {
		const task = app.process[instance.taskIndex];
		const issues: JsonRecord[] = [];
		for (const dataType of app.dataTypes.filter((candidate) => candidate.taskId === task.id)) {
			const elements = instance.data.filter((element) => element.dataType === dataType.id);
			if (dataType.minCount && elements.length < dataType.minCount) issues.push({ severity: 1, code: 'TooFewDataElementsOfType', field: dataType.id, description: 'TooFewDataElementsOfType', dataElementId: null, source: 'DefaultTaskValidator' });
			if (dataType.maxCount && elements.length > dataType.maxCount) issues.push({ severity: 1, code: 'TooManyDataElementsOfType', field: dataType.id, description: 'TooManyDataElementsOfType', dataElementId: null, source: 'DefaultTaskValidator' });
			for (const element of elements) {
				let content: unknown;
				try {
					content = JSON.parse(element.bytes.toString('utf8'));
				} catch {
					content = undefined;
				}
				for (const issue of app.validate?.(dataType.id, content) ?? []) issues.push({ ...issue, dataElementId: element.id, source: 'Custom' });
			}
		}
		return issues;
	}

	private next(request: RecordedRequest, app: FakeApp, instance: FakeInstance): Reply {
		if (instance.taskIndex < 0) return problemJson(409, 'Conflict', 'Process is ended.');
		const task = app.process[instance.taskIndex];
		const action = request.body ? ((JSON.parse(request.body) as JsonRecord).action as string | undefined) : undefined;
		// The app's policy: the app owner answers a feedback step; a confirmation takes confirm, a data task write.
		const allowed = task.type === 'feedback' ? [] : task.type === 'confirmation' ? ['confirm'] : task.type === 'signing' ? ['sign', 'write', 'reject'] : ['write'];
		if (task.type === 'feedback' || (action !== undefined && !allowed.includes(action))) {
			return problemJson(403, 'Unauthorized', `User is not authorized to perform process next. Task ID: ${task.id}. Task type: ${task.type}. Action: ${action ?? 'null'}.`);
		}
		if (task.type === 'data') {
			const errors = this.issues(app, instance).filter((issue) => issue.severity === 1);
			if (errors.length > 0) {
				return problemJson(409, 'Validation failed for task', `${errors.length} validation errors found for task ${task.id}`, { validationIssues: errors });
			}
		}
		this.advance(app, instance);
		if (this.takeFailure('next')) return { status: 502, reason: 'Bad Gateway', body: '' };
		return json(200, this.processJson(app, instance, true));
	}

	/** Ends the current task (its data locked; a data task leaves the PDF receipt) and starts the next, or ends the process. */
	private advance(app: FakeApp, instance: FakeInstance): void {
		const task = app.process[instance.taskIndex];
		const now = new Date().toISOString();
		for (const element of instance.data) {
			if (app.dataTypes.find((dataType) => dataType.id === element.dataType)?.taskId === task.id) element.locked = true;
		}
		if (task.type === 'data') {
			instance.data.push({ id: randomUUID(), dataType: PDF_TYPE, contentType: 'application/pdf', filename: `${app.appId.split('/')[1]}.pdf`, bytes: Buffer.from(`%PDF-1.7 receipt for ${instance.guid}\n%%EOF\n`), locked: false, created: now, lastChanged: now });
		}
		instance.flow += 1;
		instance.lastChanged = now;
		if (instance.taskIndex + 1 < app.process.length) {
			instance.taskIndex += 1;
		} else {
			instance.taskIndex = -1;
			instance.ended = now;
		}
	}

	private takeFailure(step: AfterWorkFailure): boolean {
		const index = this.failAfterWork.indexOf(step);
		if (index < 0) return false;
		this.failAfterWork.splice(index, 1);
		return true;
	}

	// --- Storage --------------------------------------------------------------------------------------

	private storageQuery(request: RecordedRequest): Reply {
		if (request.method !== 'GET') return problemJson(405, 'Method Not Allowed');
		const who = this.caller(request, 'altinn:instances.read');
		if ('status' in who) return who;
		const query = new URL(request.url, 'http://x').searchParams;
		const identifier = header(request, 'x-ai-instanceowneridentifier');
		if (!identifier && !query.get('instanceOwner.partyId')) return textReply(400, 'Either InstanceOwnerPartyId or InstanceOwnerIdentifier need to be defined.');
		const orgNumber = /^organisation:(\d{9})$/.exec(identifier ?? '')?.[1];
		if (identifier && !orgNumber) return textReply(400, 'Invalid InstanceOwnerIdentifier.');
		const partyId = orgNumber ? this.parties.get(orgNumber) : query.get('instanceOwner.partyId');
		const appId = query.get('appId');
		// A system user sees only its own organisation's instances, never hard-deleted ones.
		const all = [...this.instances.values()].filter(
			(instance) => instance.partyId === partyId && instance.orgNumber === who.orgNumber && (!appId || instance.appId === appId) && !instance.hardDeleted,
		);
		// Newest change first, as Storage orders by default.
		all.sort((a, b) => b.lastChanged.localeCompare(a.lastChanged) || a.guid.localeCompare(b.guid));
		const size = Math.min(Number(query.get('size') ?? 100) || 100, this.instancePageSize);
		const start = Number(query.get('continuationToken') ?? 0) || 0;
		const page = all.slice(start, start + size);
		const nextQuery = new URLSearchParams(query);
		nextQuery.set('continuationToken', String(start + size));
		const self = `${this.baseUrl}${request.url}`;
		return json(200, {
			count: page.length,
			self,
			...(start + size < all.length ? { next: `${this.baseUrl}${STORAGE}?${nextQuery.toString()}` } : {}),
			instances: page.map((instance) => this.instanceJson(instance, false)),
		});
	}

	// --- JSON as Altinn writes it ------------------------------------------------------------------

	private dataElementJson(instance: FakeInstance, element: FakeDataElement): JsonRecord {
		const apps = `${this.baseUrl}/${instance.appId}/instances/${instance.partyId}/${instance.guid}/data/${element.id}`;
		return {
			id: element.id,
			instanceGuid: instance.guid,
			dataType: element.dataType,
			filename: element.filename,
			contentType: element.contentType,
			selfLinks: { apps, platform: `${this.baseUrl}/storage/api/v1/instances/${instance.partyId}/${instance.guid}/data/${element.id}` },
			size: element.bytes.length,
			locked: element.locked,
			isRead: true,
			created: element.created,
			lastChanged: element.lastChanged,
		};
	}

	private processJson(app: FakeApp, instance: FakeInstance, fromApp: boolean): JsonRecord {
		const task = instance.taskIndex >= 0 ? app.process[instance.taskIndex] : undefined;
		return {
			started: instance.created,
			startEvent: 'StartEvent_1',
			currentTask: task
				? {
						flow: instance.flow,
						started: instance.lastChanged,
						elementId: task.id,
						name: task.name ?? task.id,
						altinnTaskType: task.type,
						flowType: 'CompleteCurrentMoveToNext',
						...(fromApp ? { read: true, write: task.type !== 'feedback', actions: {}, userActions: [] } : {}),
					}
				: null,
			ended: instance.ended,
			endEvent: instance.ended ? 'EndEvent_1' : null,
		};
	}

	/** An instance: as the app writes it (nulls kept) or as Storage's list does (nulls left out, enums as strings). */
	private instanceJson(instance: FakeInstance, fromApp: boolean): JsonRecord {
		const app = this.apps.get(instance.appId)!;
		const id = `${instance.partyId}/${instance.guid}`;
		const full: JsonRecord = {
			id,
			instanceOwner: { partyId: instance.partyId, personNumber: null, organisationNumber: instance.orgNumber },
			appId: instance.appId,
			org: instance.appId.split('/')[0],
			selfLinks: { apps: `${this.baseUrl}/${instance.appId}/instances/${id}`, platform: `${this.baseUrl}/storage/api/v1/instances/${id}` },
			dueBefore: null,
			visibleAfter: instance.created,
			process: this.processJson(app, instance, false),
			status: {
				isArchived: instance.ended !== null,
				archived: instance.ended,
				isSoftDeleted: instance.softDeleted,
				isHardDeleted: instance.hardDeleted,
				readStatus: fromApp ? 1 : 'Read',
				substatus: null,
			},
			data: instance.data.map((element) => this.dataElementJson(instance, element)),
			dataValues: Object.keys(instance.dataValues).length > 0 ? instance.dataValues : null,
			created: instance.created,
			lastChanged: instance.lastChanged,
		};
		if (fromApp) return full;
		return JSON.parse(JSON.stringify(full, (_key, value: unknown) => (value === null ? undefined : value))) as JsonRecord;
	}
}

