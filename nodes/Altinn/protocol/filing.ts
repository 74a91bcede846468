/**
 * A filing in an Altinn 3 app, exactly once per Submission Key: the instance is found by the key kept in
 * its data values before anything is created, and every step that creates or moves something is
 * looked up after a failure instead of sent blind. A run after any interruption (a gateway's 502, a
 * worker killed between two steps) finds the instance and continues from the step it reached.
 *
 * Where Altinn leaves a gap (read from app-lib-dotnet and altinn-storage): Storage has no lookup by a data
 * value, so the organisation's instances of the app are listed and compared here; two executions in
 * different processes that both find nothing both create, so after creating the list is read again and
 * the younger instance, still a draft, is deleted by the one that made it.
 */
import type { HttpAnswer, HttpRequestSpec } from '../../shared/protocol/http';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import type { AltinnApp, AppInstance, DataToStore, ValidationIssue } from './apps';
import { allPages } from './paging';
import {
	APP_CALLS,
	AppProblem,
	actionFor,
	buildAddDataRequest,
	buildCreateInstanceRequest,
	buildDeleteInstanceRequest,
	buildFindInstancesRequest,
	buildGetInstanceRequest,
	buildGetProcessRequest,
	buildProcessNextRequest,
	buildReplaceDataRequest,
	buildValidateRequest,
	readDeleteAnswer,
	readInstanceAnswer,
	readInstancePage,
	readProcessAnswer,
	readStoredDataAnswer,
	readValidationAnswer,
} from './apps';

/** Sends a request built with the token of the party that files (the customer's system user). */
export interface FilingSession {
	app: AltinnApp;
	send(build: (token: string) => HttpRequestSpec): Promise<HttpAnswer>;
	/** Waits between looks after a failure (a test's clock makes it instant). */
	sleep(ms: number): Promise<void>;
}

export interface Filing {
	/** The organisation the filing is for (whose system user files). */
	orgNumber: string;
	submissionKey: string;
	/** Data elements to store in the data task, one per data type (an existing one of the type is replaced). */
	data: DataToStore[];
	/** Stop when the process reaches this task (its ID in the app's process), instead of going on to the end. */
	stopAtTask?: string;
}

/**
 * completed: the process ended; waitingForAppOwner: the app owner's feedback step; stoppedAtTask: the task
 * named to stop at; invalid: the app found errors in the data (nothing moved on); anotherRunIsFiling: another
 * execution created the key's instance at the same moment and goes on with it (this one made none).
 */
export type FilingOutcome = 'completed' | 'waitingForAppOwner' | 'stoppedAtTask' | 'invalid' | 'anotherRunIsFiling';

export interface FilingResult {
	instance: AppInstance;
	/** Whether this run created the instance (false: an earlier run, or another execution at the same time, did). */
	newInstance: boolean;
	outcome: FilingOutcome;
	/** The app's validation issues where the filing stopped on them (errors first). */
	issues: ValidationIssue[];
	/** What this run did, in order (e.g. created, stored model, validated, confirm). */
	steps: string[];
}

/** Looks after a step failed in a way that leaves it unknown whether Altinn acted: at once, then after 1 s and 3 s. */
const LOOK_DELAYS_MS = [0, 1000, 3000];

/** More steps than any app's process has; a process that never ends stops here. */
const MAX_STEPS = 25;

/** Whether a failure leaves it unknown whether Altinn acted (a gateway's 5xx, a time-out), so that a look must come before sending again. */
function outcomeUnknown(error: unknown): boolean {
	return error instanceof LoginProblem && error.details.kind === 'unavailable';
}

/** A step's result or its failure, so that what follows a failure is decided outside a catch. */
async function settled<T>(work: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await work };
	} catch (error) {
		return { error };
	}
}

async function sendFor<T>(session: FilingSession, build: (token: string) => HttpRequestSpec, read: (answer: HttpAnswer) => T): Promise<T> {
	return read(await session.send(build));
}

/** The live instances (not deleted) of the organisation in the app that carry this key, oldest first. */
export async function instancesWithKey(session: FilingSession, orgNumber: string, submissionKey: string): Promise<AppInstance[]> {
	const found = (await filedInstances(session, orgNumber)).filter((instance) => instance.submissionKey === submissionKey);
	const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
	return found.sort((a, b) => order(a.created ?? '', b.created ?? '') || order(a.instanceId, b.instanceId));
}

/** Every live instance of the organisation in the app that carries a Submission Key (those this package filed). */
export async function filedInstances(session: FilingSession, orgNumber: string): Promise<AppInstance[]> {
	const listed = await allPages("the organisation's instances", async (next) => {
		const read = await sendFor(session, (token) => buildFindInstancesRequest(session.app, token, orgNumber, next), readInstancePage);
		return { items: read.instances, next: read.next };
	});
	// A deleted draft frees its key; a filing that ended stays filed even when a person deleted it from the inbox.
	// (A list that never ends stops the run: deciding "not found" on it could file twice.)
	return listed.filter((instance) => instance.submissionKey !== null && !instance.hardDeleted && (!instance.softDeleted || instance.ended !== null));
}

export async function readInstance(session: FilingSession, instanceId: string): Promise<AppInstance> {
	return await sendFor(session, (token) => buildGetInstanceRequest(session.app, token, instanceId), (answer) => readInstanceAnswer(answer, APP_CALLS.get));
}

/** Looks for the key's instances a few times (Altinn may be slow to list what it just made), oldest first. */
async function lookForKey(session: FilingSession, filing: Filing): Promise<AppInstance[]> {
	for (const delay of LOOK_DELAYS_MS) {
		if (delay > 0) await session.sleep(delay);
		const look = await settled(instancesWithKey(session, filing.orgNumber, filing.submissionKey));
		if ('error' in look && !outcomeUnknown(look.error)) throw look.error;
		if ('value' in look && look.value.length > 0) return look.value;
	}
	return [];
}

/**
 * The key's instance: the one found, or one made now. A create that failed in a way that leaves it
 * unknown is looked up, never sent again in the same run; one made while another execution made its own
 * gives way to the older one.
 */
export async function findOrCreateInstance(
	session: FilingSession,
	filing: Filing,
	steps: string[],
): Promise<{ instance: AppInstance; newInstance: boolean; gaveWay?: boolean }> {
	const [existing] = await instancesWithKey(session, filing.orgNumber, filing.submissionKey);
	if (existing) return { instance: existing, newInstance: false };
	const create = await settled(sendFor(session, (token) => buildCreateInstanceRequest(session.app, token, filing), (answer) => readInstanceAnswer(answer, APP_CALLS.create)));
	if ('error' in create) {
		if (!outcomeUnknown(create.error)) throw create.error;
		const made = await lookForKey(session, filing);
		if (made.length === 0) {
			throw new LoginProblem({
				...(create.error as LoginProblem).details,
				hint: 'Altinn made no instance for this key as far as it lists now. Run the node again later: it looks for the key first, so it files once.',
			});
		}
		// Which of them is this run's is unknown: the oldest stays; younger drafts nobody has stored data in go
		// (another execution's own check would delete its younger one just the same).
		const [oldest, ...younger] = made;
		for (const draft of younger) await deleteDraft(session, filing.orgNumber, draft, steps);
		steps.push('created (found after a failed answer)');
		return { instance: oldest, newInstance: younger.length === 0 };
	}
	const created = create.value;
	steps.push('created');
	// Another execution may have made one for the same key at the same moment: the oldest stays.
	const withKey = await instancesWithKey(session, filing.orgNumber, filing.submissionKey);
	const oldest = withKey[0];
	if (oldest && oldest.instanceId !== created.instanceId) {
		await deleteDraft(session, filing.orgNumber, created, steps);
		steps.push('gave way to the older instance of the key');
		return { instance: oldest, newInstance: false, gaveWay: true };
	}
	return { instance: created, newInstance: true };
}

/**
 * Deletes a younger instance of the key while it is a draft in its first task (an app may have made form
 * data in it already; its maker gives way to the older one all the same); one already gone counts as
 * deleted. One that has moved on is left, and said.
 */
async function deleteDraft(session: FilingSession, orgNumber: string, draft: AppInstance, steps: string[]): Promise<void> {
	if (draft.ended || (draft.currentTask?.flow ?? 2) > 2) {
		steps.push(`left the younger instance ${draft.instanceId} of the key: it has moved past its first task`);
		return;
	}
	const deleted = await settled(sendFor(session, (token) => buildDeleteInstanceRequest(session.app, token, draft.instanceId, true), readDeleteAnswer));
	if ('error' in deleted) {
		// Gone already (another execution deleted it, as its own check told it): Storage answers 403 or 404 for it.
		const stillThere = (await filedInstances(session, orgNumber)).some((instance) => instance.instanceId === draft.instanceId);
		if (stillThere) throw deleted.error;
	}
	steps.push(`deleted the younger draft ${draft.instanceId} of the key`);
}

/** Stores each data element: an unlocked element of the type is replaced, else one is added (looked up after an unknown failure, never added twice). */
export async function storeData(session: FilingSession, instance: AppInstance, data: DataToStore[], steps: string[]): Promise<AppInstance> {
	let current = instance;
	// Each data type is given once, so the elements as read before storing serve every entry; the instance is
	// read again once at the end, for what was stored.
	for (const element of data) {
		const existing = current.data.find((stored) => stored.dataType === element.dataType && !stored.locked);
		if (existing) {
			await sendFor(session, (token) => buildReplaceDataRequest(session.app, token, current.instanceId, existing.id, element), readStoredDataAnswer);
			steps.push(`replaced ${element.dataType}`);
			continue;
		}
		const add = await settled(sendFor(session, (token) => buildAddDataRequest(session.app, token, current.instanceId, element), readStoredDataAnswer));
		if ('error' in add) {
			// A gateway's failure leaves it unknown whether the element was stored; a 409 may be another execution's element of the type.
			const conflict = add.error instanceof AppProblem && add.error.details.httpCode === 409;
			if (!outcomeUnknown(add.error) && !conflict) throw add.error;
			// Stored or not: the instance says; a stored one is replaced with the same contents. One it does not show
			// yet may still be on its way (a time-out, a 504): not added again in this run; a later run reads first.
			current = await readInstance(session, current.instanceId);
			const stored = current.data.find((candidate) => candidate.dataType === element.dataType && !candidate.locked);
			if (!stored) {
				throw new LoginProblem({
					...(add.error as LoginProblem).details,
					hint: 'Altinn may still be storing it. Run the node again later: it reads the filing first, so the data is stored once.',
				});
			}
			await sendFor(session, (token) => buildReplaceDataRequest(session.app, token, current.instanceId, stored.id, element), readStoredDataAnswer);
		}
		steps.push(`stored ${element.dataType}`);
	}
	return data.length > 0 ? await readInstance(session, current.instanceId) : current;
}

/**
 * Moves the process on from the instance's current task once (with the action the task asks for, or the one
 * given). After a failure that leaves it unknown, the process is read: a move that happened is taken as
 * done; one that did not is not sent again in this run, since Altinn may still be working on it and would
 * apply a second move to whatever task is current when it arrives (a later run reads the state first).
 */
export async function moveOn(session: FilingSession, instance: AppInstance, steps: string[], givenAction?: string): Promise<void> {
	const task = instance.currentTask;
	if (!task) return;
	const action = givenAction ?? actionFor(task);
	const what = action ?? `completed ${task.elementId}`;
	const next = await settled(sendFor(session, (token) => buildProcessNextRequest(session.app, token, instance.instanceId, action), (answer) => readProcessAnswer(answer, APP_CALLS.next)));
	if ('value' in next) {
		steps.push(what);
		return;
	}
	if (!outcomeUnknown(next.error)) throw next.error;
	for (const delay of LOOK_DELAYS_MS) {
		if (delay > 0) await session.sleep(delay);
		const now = await settled(sendFor(session, (token) => buildGetProcessRequest(session.app, token, instance.instanceId), (answer) => readProcessAnswer(answer)));
		if ('value' in now && (now.value.ended || now.value.currentTask?.elementId !== task.elementId || now.value.currentTask?.flow !== task.flow)) {
			steps.push(`${what} (found after a failed answer)`);
			return;
		}
	}
	throw new LoginProblem({
		...(next.error as LoginProblem).details,
		hint: 'Altinn may still be moving the filing on. Run the node again later: it reads where the filing is first, so no step is taken twice.',
	});
}

const errorsOf = (issues: ValidationIssue[]) => issues.filter((issue) => issue.severity === 'error');

/**
 * Files once for the key: finds or creates the instance, stores the data in the data task, validates
 * (errors stop the filing, nothing moved on), and moves the process on (confirm, sign) until it ends,
 * reaches the app owner's feedback step, or the task named to stop at.
 */
export async function fileOnce(session: FilingSession, filing: Filing): Promise<FilingResult> {
	const steps: string[] = [];
	const { instance: found, newInstance, gaveWay } = await findOrCreateInstance(session, filing, steps);
	// The execution that made the older instance goes on with it; two going on at once would race each step.
	if (gaveWay) return { instance: found, newInstance: false, outcome: 'anotherRunIsFiling', issues: [], steps };
	let instance = newInstance ? found : await readInstance(session, found.instanceId);
	let dataStored = false;
	for (let step = 0; step < MAX_STEPS; step++) {
		const task = instance.currentTask;
		const result = (outcome: FilingOutcome, issues: ValidationIssue[] = []): FilingResult => ({ instance, newInstance, outcome, issues, steps });
		if (instance.ended || !task) return result('completed');
		if (filing.stopAtTask && task.elementId === filing.stopAtTask) return result('stoppedAtTask');
		if (task.altinnTaskType === 'feedback') return result('waitingForAppOwner');
		if (task.altinnTaskType === 'data' && !dataStored) {
			instance = await storeData(session, instance, filing.data, steps);
			dataStored = true;
			const issues = await sendFor(session, (token) => buildValidateRequest(session.app, token, instance.instanceId), readValidationAnswer);
			steps.push('validated');
			if (errorsOf(issues).length > 0) return result('invalid', [...errorsOf(issues), ...issues.filter((issue) => issue.severity !== 'error')]);
		}
		const moved = await settled(moveOn(session, instance, steps));
		if ('error' in moved) {
			if (moved.error instanceof AppProblem && moved.error.issues.length > 0) return result('invalid', moved.error.issues);
			throw moved.error;
		}
		instance = await readInstance(session, instance.instanceId);
	}
	throw new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `The app's process did not end within ${MAX_STEPS} steps`,
		hint: 'Read the instance (Get Instance) to see where it is; name the task to stop at (Stop at Task) if the process loops.',
	});
}
