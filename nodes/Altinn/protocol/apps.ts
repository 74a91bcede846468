/**
 * Altinn 3 apps (a form is an app: `https://{org}.apps.altinn.no/{org}/{app}`): the requests a filing
 * sends (instances, data elements, validation, the process) and Storage's instance query, and their
 * answers read into plain values or a LoginProblem that says what to do.
 *
 * Sources (read for facts): Altinn/app-lib-dotnet `src/Altinn.App.Api/Controllers/{Instances,Data,
 * Validate,Process}Controller.cs`, `Models/Validation/ValidationIssueSeverity.cs`; Altinn/altinn-storage
 * `src/Storage/Controllers/InstancesController.cs` (`GetInstances`), `src/Storage.Interface/Models/`.
 */
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { fileNameOf } from '../../shared/protocol/apiRequest';
import { headerValue, looksLikeHtml, statusLine, textExcerpt } from '../../shared/protocol/http';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { isNationalIdNumber, maskNationalIdNumbers, quoted } from '../../shared/protocol/nationalIdNumber';
import { nextPageUrl } from './paging';

/** The name under which the Submission Key is kept in the instance's data values (not one of an app's data fields). */
export const SUBMISSION_DATA_VALUE = 'n8nSubmissionKey';

/** A data element's file may be large: a bound all the same. */
export const APP_ANSWER_MAX_BYTES = 64 * 1024 * 1024;

/** Where an app lives and what it is called. */
export interface AltinnApp {
	/** `org/app`, as Altinn names it (`appId`). */
	appId: string;
	/** The app's address, up to and including `/{org}/{app}`. */
	appUrl: string;
	/** Altinn's platform (Storage), for the instance query. */
	platformUrl: string;
}

const APP_NAME_PART = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * The app's address: Altinn's own for production and test, or for a custom environment the platform's
 * host (as Altinn's local test environment serves apps and platform at one address); a base URL given
 * by the user wins.
 */
export function altinnApp(org: string, app: string, environment: string, platformUrl: string, baseUrl?: string): AltinnApp {
	const owner = org.trim().toLowerCase();
	const name = app.trim().toLowerCase();
	for (const [value, what, example] of [
		[owner, 'App Owner', 'skd'],
		[name, 'App Name', 'mva-melding'],
	] as const) {
		if (!APP_NAME_PART.test(value)) {
			throw new LoginProblem({
				kind: 'badInput',
				message: `The ${what} ${quoted(value, 40) ? `"${quoted(value, 40)}"` : '(empty)'} is not an Altinn name`,
				hint: `Give the part of the app's address it names, in small letters, digits and hyphens (e.g. ${example} in https://skd.apps.altinn.no/skd/mva-melding).`,
			});
		}
	}
	const path = `/${owner}/${name}`;
	let appUrl: string;
	if (baseUrl) appUrl = baseUrl.replace(/\/+$/, '');
	else if (environment === 'production') appUrl = `https://${owner}.apps.altinn.no${path}`;
	else if (environment === 'test') appUrl = `https://${owner}.apps.tt02.altinn.no${path}`;
	else appUrl = `${platformUrl.replace(/\/+$/, '')}${path}`;
	return { appId: `${owner}/${name}`, appUrl, platformUrl: platformUrl.replace(/\/+$/, '') };
}

/**
 * The Submission Key as it is kept on the instance: what the workflow named the filing by. It is shown to
 * the app owner and kept in n8n's items, so a national ID number is refused.
 */
export function checkSubmissionKey(value: string): string {
	const key = value.trim();
	if (!key) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The Submission Key is empty',
			hint: 'Name each filing by what makes it one, e.g. {{ $json.orgNumber }}-2026-11: a run that finds an instance with the same key continues it instead of filing again.',
		});
	}
	if (key.length > 200) {
		throw new LoginProblem({ kind: 'badInput', message: `The Submission Key is ${key.length} characters long`, hint: 'Keep it under 200 characters, e.g. the organisation number and the period.' });
	}
	const digitRuns = key.match(/(?<!\d)\d{11}(?!\d)/g) ?? [];
	if (digitRuns.some(isNationalIdNumber)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: 'The Submission Key holds a national ID number',
			hint: "The key is kept on the instance, where the app owner sees it, and in n8n's items: name the filing by something else, e.g. your case number and the period.",
		});
	}
	return key;
}

export interface AppDataElement {
	id: string;
	dataType: string;
	contentType: string | null;
	filename: string | null;
	size: number | null;
	locked: boolean;
	created: string | null;
	lastChanged: string | null;
}

export interface AppTask {
	elementId: string;
	name: string | null;
	/** data, confirmation, signing, feedback, or another kind an app defines. */
	altinnTaskType: string | null;
	flow: number | null;
}

export interface AppInstance {
	/** `{partyId}/{instanceGuid}`. */
	instanceId: string;
	partyId: string;
	instanceGuid: string;
	appId: string;
	orgNumber: string | null;
	submissionKey: string | null;
	created: string | null;
	lastChanged: string | null;
	currentTask: AppTask | null;
	/** When the process ended (then the instance is archived and its data locked). */
	ended: string | null;
	endEvent: string | null;
	softDeleted: boolean;
	hardDeleted: boolean;
	data: AppDataElement[];
}

export interface ValidationIssue {
	severity: 'error' | 'warning' | 'informational' | 'success' | 'fixed' | 'unspecified';
	code: string | null;
	field: string | null;
	description: string | null;
	dataElementId: string | null;
	source: string | null;
}

/** What a step was, for messages. */
export interface AppCall {
	action: string;
	/** What a 404 means for this step. */
	notFound: string;
}

export const APP_CALLS = {
	create: { action: 'create the instance', notFound: 'Altinn does not know the app, or the organisation to file for' },
	get: { action: 'read the instance', notFound: 'There is no such instance' },
	delete: { action: 'delete the instance', notFound: 'There is no such instance' },
	find: { action: "list the organisation's instances of the app", notFound: 'Altinn does not know the platform address' },
	upload: { action: 'store the data element', notFound: 'There is no such instance, or the app has no such data type' },
	download: { action: 'read the data element', notFound: 'There is no such data element' },
	validate: { action: 'validate the instance', notFound: 'There is no such instance' },
	process: { action: "read the instance's process", notFound: 'There is no such instance' },
	next: { action: 'move the process to its next step', notFound: 'There is no such instance' },
} as const satisfies Record<string, AppCall>;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, Accept: 'application/json' });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An instance ID as Altinn gives it: `{partyId}/{instanceGuid}`. */
export function checkInstanceId(value: string): string {
	const id = value.trim();
	const [partyId, guid, ...rest] = id.split('/');
	if (rest.length > 0 || !/^\d{1,12}$/.test(partyId ?? '') || !GUID.test(guid ?? '')) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `"${quoted(id, 80)}" is not an Altinn instance ID`,
			hint: "Give the instance's ID as Altinn gives it, e.g. 50001337/0a1b2c3d-…: the instanceId of an earlier step's output.",
		});
	}
	return id;
}

function checkGuid(value: string, what: string): string {
	const id = value.trim();
	if (!GUID.test(id)) throw new LoginProblem({ kind: 'badInput', message: `"${quoted(id, 80)}" is not a ${what} (a GUID)`, hint: `Give the ${what} as Altinn gives it, e.g. from Get Instance.` });
	return id;
}

/** Create an instance for an organisation, the Submission Key in its data values: one JSON instance template (the only create that keeps data values). */
export function buildCreateInstanceRequest(app: AltinnApp, token: string, owner: { orgNumber: string; submissionKey: string; dueBefore?: string }): HttpRequestSpec {
	const template = {
		instanceOwner: { organisationNumber: owner.orgNumber },
		dataValues: { [SUBMISSION_DATA_VALUE]: owner.submissionKey },
		...(owner.dueBefore ? { dueBefore: owner.dueBefore } : {}),
	};
	return {
		method: 'POST',
		url: `${app.appUrl}/instances`,
		headers: { ...bearer(token), 'Content-Type': 'application/json' },
		body: JSON.stringify(template),
		// A 502 may come after the instance was made: the filing looks it up by its key before creating again.
		lookBeforeResending: true,
	};
}

export function buildGetInstanceRequest(app: AltinnApp, token: string, instanceId: string): HttpRequestSpec {
	return { method: 'GET', url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}`, headers: bearer(token) };
}

export function buildDeleteInstanceRequest(app: AltinnApp, token: string, instanceId: string, hard: boolean): HttpRequestSpec {
	return { method: 'DELETE', url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}?hard=${hard}`, headers: bearer(token) };
}

/**
 * One page of the organisation's instances of the app, from Storage (the app's own active list carries no
 * data values): the first, or the one Altinn's `next` link names, which must be on the same platform.
 */
export function buildFindInstancesRequest(app: AltinnApp, token: string, orgNumber: string, next: string | null): HttpRequestSpec {
	const first = `${app.platformUrl}/storage/api/v1/instances?appId=${encodeURIComponent(app.appId)}&size=100`;
	return {
		method: 'GET',
		url: next === null ? first : nextPageUrl(first, next, "the organisation's instances"),
		headers: { ...bearer(token), 'X-Ai-InstanceOwnerIdentifier': `organisation:${orgNumber}` },
		maxResponseBytes: APP_ANSWER_MAX_BYTES,
	};
}

export interface DataToStore {
	dataType: string;
	contentType: string;
	filename: string;
	body: string | Buffer;
}

/**
 * The file name as the app reads it (it prefers `filename*`, RFC 5987): UTF-8 for names like Årsrapport.pdf,
 * and a plain ASCII fallback for anything that reads only `filename`.
 */
export function contentDisposition(filename: string): string {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	const encoded = encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function dataHeaders(token: string, data: DataToStore): Record<string, string> {
	// The current app API asks binary data for a file name; form data ignores it.
	return { ...bearer(token), 'Content-Type': data.contentType, 'Content-Disposition': contentDisposition(data.filename) };
}

const bodyOf = (data: DataToStore): Pick<HttpRequestSpec, 'body' | 'bodyBytes'> => (typeof data.body === 'string' ? { body: data.body } : { bodyBytes: data.body });

/** A new data element of a type (the `?dataType=` form every app version takes). */
export function buildAddDataRequest(app: AltinnApp, token: string, instanceId: string, data: DataToStore): HttpRequestSpec {
	if (!/^[A-Za-z0-9_.-]{1,100}$/.test(data.dataType)) {
		throw new LoginProblem({ kind: 'badInput', message: `"${quoted(data.dataType, 60)}" is not a data type ID`, hint: "Give the data type's ID as the app's applicationmetadata.json names it, e.g. model or vedlegg." });
	}
	return {
		method: 'POST',
		url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/data?dataType=${encodeURIComponent(data.dataType)}`,
		headers: dataHeaders(token, data),
		...bodyOf(data),
		// A 502 may come after the element was stored: the filing reads the instance before adding again.
		lookBeforeResending: true,
	};
}

/** The contents of an existing data element replaced (the same request twice leaves the same element). */
export function buildReplaceDataRequest(app: AltinnApp, token: string, instanceId: string, dataElementId: string, data: DataToStore): HttpRequestSpec {
	return { method: 'PUT', url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/data/${checkGuid(dataElementId, 'data element ID')}`, headers: dataHeaders(token, data), ...bodyOf(data) };
}

export function buildDownloadDataRequest(app: AltinnApp, token: string, instanceId: string, dataElementId: string): HttpRequestSpec {
	return {
		method: 'GET',
		url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/data/${checkGuid(dataElementId, 'data element ID')}`,
		headers: { Authorization: `Bearer ${token}`, Accept: '*/*' },
		maxResponseBytes: APP_ANSWER_MAX_BYTES,
	};
}

export function buildValidateRequest(app: AltinnApp, token: string, instanceId: string): HttpRequestSpec {
	return { method: 'GET', url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/validate`, headers: bearer(token) };
}

export function buildGetProcessRequest(app: AltinnApp, token: string, instanceId: string): HttpRequestSpec {
	return { method: 'GET', url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/process`, headers: bearer(token) };
}

/** Move the process on from its current task; `action` where the task asks for one (confirm, sign, reject). */
export function buildProcessNextRequest(app: AltinnApp, token: string, instanceId: string, action?: string): HttpRequestSpec {
	return {
		method: 'PUT',
		url: `${app.appUrl}/instances/${checkInstanceId(instanceId)}/process/next`,
		headers: { ...bearer(token), 'Content-Type': 'application/json' },
		body: action ? JSON.stringify({ action }) : '',
		// A 502 may come after the process moved: the filing reads the process before sending again.
		lookBeforeResending: true,
	};
}

// ---- Answers ----

function parseJson(body: string): unknown {
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

const SEVERITIES: Record<string, ValidationIssue['severity']> = {
	0: 'unspecified',
	1: 'error',
	2: 'warning',
	3: 'informational',
	4: 'fixed',
	5: 'success',
};

/** One validation issue: severity as the number Altinn sends (or its name, as older apps wrote it). */
function readIssue(value: JsonRecord): ValidationIssue {
	const raw = value.severity;
	const severity = typeof raw === 'number' ? SEVERITIES[raw] : typeof raw === 'string' ? (Object.values(SEVERITIES).find((name) => name === raw.toLowerCase()) ?? SEVERITIES[raw]) : undefined;
	// An app's own words may quote what was filed, a person's number included.
	const masked = (field: unknown) => {
		const words = text(field);
		return words === null ? null : maskNationalIdNumbers(words);
	};
	return {
		severity: severity ?? 'unspecified',
		code: masked(value.code),
		field: masked(value.field),
		description: masked(value.description),
		dataElementId: text(value.dataElementId),
		source: text(value.source),
	};
}

export function readIssues(value: unknown): ValidationIssue[] {
	return Array.isArray(value) ? value.filter(isJsonRecord).map(readIssue) : [];
}

/** An answer that is not a success, as what Altinn said and what to do. */
export class AppProblem extends LoginProblem {
	constructor(
		details: LoginProblem['details'],
		/** The issues a 409 from process next (or a failed upload) listed. */
		readonly issues: ValidationIssue[] = [],
	) {
		super(details);
	}
}

function providerWords(answer: HttpAnswer, json: unknown, issues: ValidationIssue[]): string | undefined {
	if (looksLikeHtml(answer)) return undefined;
	if (isJsonRecord(json)) {
		// The issues say what to correct (a content type, a size); the title alone does not.
		const said = issues.map((issue) => issue.description ?? issue.code).filter(Boolean);
		const words = [[text(json.title), text(json.detail)].filter(Boolean).join(': '), ...said].filter(Boolean).join(' — ');
		if (words) return words;
	}
	return textExcerpt(answer) || undefined;
}

/** Any answer other than the success a step expects: a problem saying what Altinn said and what to do. */
export function appProblem(answer: HttpAnswer, call: AppCall): AppProblem {
	const code = answer.statusCode;
	const json = parseJson(answer.body);
	const status = statusLine(answer);
	const issues = isJsonRecord(json) ? readIssues(json.validationIssues ?? json.uploadValidationIssues) : [];
	const base = { httpCode: code, providerMessage: providerWords(answer, json, issues) };
	if (code === 401) {
		return new AppProblem({ ...base, kind: 'rejected', message: `Altinn refused the token when asked to ${call.action} (${status})`, hint: 'A new token was refused too: check the scopes in the credential (altinn:instances.read and altinn:instances.write) and that the system user still has the app\'s right.' });
	}
	if (code === 403) {
		return new AppProblem({
			...base,
			kind: 'rejected',
			message: `Altinn did not let the system user ${call.action} (${status})`,
			hint: "Altinn answers so when the instance does not exist (check the Instance ID), or when the system user lacks the rights this app needs for this step (the app's resource, or an access package that gives it): ask the customer to approve a change request with them. A task the app owner handles (feedback) only the app owner moves on.",
		});
	}
	if (code === 404) {
		return new AppProblem({ ...base, kind: 'rejected', message: `${call.notFound} (${status})`, hint: 'Check App Owner and App Name, the organisation number, the IDs, and that the environment (test or production) is the one the app runs in.' });
	}
	if (code === 409 && issues.length > 0) {
		return new AppProblem({ ...base, kind: 'rejected', message: `The app found errors in the filing, so it did not ${call.action}`, hint: 'Correct the data the issues name, then run the node again: the filing continues where it stopped.' }, issues);
	}
	if (code === 409) {
		return new AppProblem({ ...base, kind: 'rejected', message: `The app could not ${call.action} in the instance's present state (${status})`, hint: 'Read the instance (Get Instance): it may have moved on, ended, or have data that is locked.' });
	}
	if (code === 429) {
		return new AppProblem({ ...base, kind: 'unavailable', message: `Altinn asked to slow down when asked to ${call.action} (${status})`, hint: 'Run the node again later, or with fewer items at once.' });
	}
	if (code >= 500) return new AppProblem({ ...base, kind: 'unavailable', message: `Altinn failed to ${call.action} (${status})`, hint: 'Altinn has a problem. Run the node again later: the filing continues where it stopped.' });
	if (code >= 400) {
		return new AppProblem({ ...base, kind: 'rejected', message: `Altinn refused to ${call.action} (${status})`, hint: "Read Altinn's message beside this one: it names what to correct (a data type, a content type, a size)." }, issues);
	}
	return new AppProblem({ ...base, kind: 'unexpectedAnswer', message: `Altinn answered with an unexpected status when asked to ${call.action} (${status})`, hint: 'Check App Owner, App Name and the environment.' });
}

/** The JSON of a success answer (200 or 201), or the problem the answer says. */
function successJson(answer: HttpAnswer, call: AppCall): unknown {
	if (answer.statusCode !== 200 && answer.statusCode !== 201) throw appProblem(answer, call);
	const json = looksLikeHtml(answer) ? undefined : parseJson(answer.body);
	if (json === undefined) {
		throw new AppProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's answer when asked to ${call.action} is not JSON (${statusLine(answer)})`,
			hint: 'Check App Owner, App Name and the environment; a proxy or login page may be in the way.',
			httpCode: answer.statusCode,
		});
	}
	return json;
}

function malformed(call: AppCall, what: string, answer: HttpAnswer): AppProblem {
	return new AppProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn's answer when asked to ${call.action} has ${what}`,
		hint: 'The app may run a version of Altinn this node does not know. Report it to the maintainers of this node.',
		httpCode: answer.statusCode,
		providerMessage: textExcerpt(answer),
	});
}

function readTask(value: unknown): AppTask | null {
	if (!isJsonRecord(value) || !text(value.elementId)) return null;
	return { elementId: String(value.elementId), name: text(value.name), altinnTaskType: text(value.altinnTaskType), flow: typeof value.flow === 'number' ? value.flow : null };
}

function readDataElement(value: JsonRecord): AppDataElement {
	return {
		id: String(value.id ?? ''),
		dataType: String(value.dataType ?? ''),
		contentType: text(value.contentType),
		filename: text(value.filename),
		size: typeof value.size === 'number' ? value.size : null,
		locked: value.locked === true,
		created: text(value.created),
		lastChanged: text(value.lastChanged),
	};
}

function instanceOf(value: unknown): AppInstance | null {
	if (!isJsonRecord(value) || typeof value.id !== 'string') return null;
	const [partyId, instanceGuid] = value.id.split('/');
	if (!partyId || !instanceGuid) return null;
	const owner = isJsonRecord(value.instanceOwner) ? value.instanceOwner : {};
	const process = isJsonRecord(value.process) ? value.process : {};
	const status = isJsonRecord(value.status) ? value.status : {};
	const dataValues = isJsonRecord(value.dataValues) ? value.dataValues : {};
	return {
		instanceId: value.id,
		partyId,
		instanceGuid,
		appId: String(value.appId ?? ''),
		orgNumber: text(owner.organisationNumber),
		submissionKey: text(dataValues[SUBMISSION_DATA_VALUE]),
		created: text(value.created),
		lastChanged: text(value.lastChanged),
		currentTask: readTask(process.currentTask),
		ended: text(process.ended),
		endEvent: text(process.endEvent),
		softDeleted: status.isSoftDeleted === true,
		hardDeleted: status.isHardDeleted === true,
		data: Array.isArray(value.data) ? value.data.filter(isJsonRecord).map(readDataElement) : [],
	};
}

export function readInstanceAnswer(answer: HttpAnswer, call: AppCall): AppInstance {
	const instance = instanceOf(successJson(answer, call));
	if (!instance) throw malformed(call, 'no instance ID', answer);
	return instance;
}

/** One page of Storage's instance list: `{ count, self, next, instances }`. */
export function readInstancePage(answer: HttpAnswer): { instances: AppInstance[]; next: string | null } {
	const json = successJson(answer, APP_CALLS.find);
	if (!isJsonRecord(json) || !Array.isArray(json.instances)) throw malformed(APP_CALLS.find, 'no list of instances', answer);
	const instances = json.instances.map(instanceOf).filter((instance): instance is AppInstance => instance !== null);
	return { instances, next: text(json.next) };
}

/** The data element an upload made or replaced: the element itself (201), or the current API's `newDataElementId` (200). */
export function readStoredDataAnswer(answer: HttpAnswer): { dataElementId: string } {
	const json = successJson(answer, APP_CALLS.upload);
	const id = isJsonRecord(json) ? text(json.newDataElementId) ?? text(json.id) : null;
	if (!id) throw malformed(APP_CALLS.upload, 'no data element ID', answer);
	return { dataElementId: id };
}

export function readValidationAnswer(answer: HttpAnswer): ValidationIssue[] {
	const json = successJson(answer, APP_CALLS.validate);
	if (!Array.isArray(json)) throw malformed(APP_CALLS.validate, 'no list of issues', answer);
	return readIssues(json);
}

export interface ProcessState {
	currentTask: AppTask | null;
	ended: string | null;
	endEvent: string | null;
}

export function readProcessAnswer(answer: HttpAnswer, call: AppCall = APP_CALLS.process): ProcessState {
	const json = successJson(answer, call);
	if (!isJsonRecord(json)) throw malformed(call, 'no process state', answer);
	return { currentTask: readTask(json.currentTask), ended: text(json.ended), endEvent: text(json.endEvent) };
}

export function readDeleteAnswer(answer: HttpAnswer): void {
	if (answer.statusCode !== 200 && answer.statusCode !== 204) throw appProblem(answer, APP_CALLS.delete);
}

/** A data element's contents, as a file. */
export function readDownloadAnswer(answer: HttpAnswer): { bytes: Buffer; mimeType: string; fileName: string | undefined } {
	if (answer.statusCode !== 200) throw appProblem(answer, APP_CALLS.download);
	return {
		bytes: answer.bytes ?? Buffer.from(answer.body, 'utf8'),
		mimeType: (headerValue(answer, 'content-type') ?? 'application/octet-stream').split(';')[0].trim(),
		fileName: fileNameOf(answer),
	};
}

/** Which action moves a task of this kind on, when it asks for one. */
export function actionFor(task: AppTask): string | undefined {
	if (task.altinnTaskType === 'confirmation') return 'confirm';
	if (task.altinnTaskType === 'signing') return 'sign';
	return undefined;
}
