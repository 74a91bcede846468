/**
 * Altinn 3 system users, reading the vendor API's answers: the requests, change requests and system
 * users, and Altinn's problem documents (`Problem.cs` codes) as errors that say what to do.
 *
 * Sources (read for facts): Altinn/altinn-authentication `src/Core/Problems/Problem.cs` and the
 * controllers named in vendorRequests.ts.
 */
import type { HttpAnswer } from '../../shared/protocol/http';
import { looksLikeHtml, statusLine, textExcerpt } from '../../shared/protocol/http';
import type { JsonRecord } from '../../shared/protocol/json';
import { isJsonRecord as isRecord } from '../../shared/protocol/json';
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { quoted } from '../../shared/protocol/nationalIdNumber';
import type { AccessPackage, ChangeRequest, SystemUserPage, SystemUserRequest, SystemUserRequestPage, SystemUserRight } from './vendorRequests';
import { CHANGE_REQUEST_STATUSES, SCOPE_SYSTEMREGISTER_WRITE, SCOPE_SYSTEMUSER_REQUEST_READ, SCOPE_SYSTEMUSER_REQUEST_WRITE, SYSTEM_USER_REQUEST_STATUSES } from './vendorRequests';

/** What the step was, for messages, and which scope it needs. */
export interface VendorCall {
	action: string;
	scope: string;
	/** The message when Altinn answers 404 (e.g. "no such request"). */
	notFound: string;
	/** What to check when Altinn answers 401 or 403 without a code of its own. */
	refusedHint?: string;
}

export const VENDOR_CALLS = {
	createRequest: { action: 'create the system-user request', scope: SCOPE_SYSTEMUSER_REQUEST_WRITE, notFound: 'Altinn does not know the system or the address' },
	getRequest: { action: 'read the system-user request', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'There is no such system-user request' },
	createChangeRequest: { action: 'create the change request', scope: SCOPE_SYSTEMUSER_REQUEST_WRITE, notFound: 'There is no such system user' },
	getChangeRequest: { action: 'read the change request', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'There is no such change request' },
	listRequests: { action: 'list the system-user requests of the system', scope: SCOPE_SYSTEMUSER_REQUEST_READ, notFound: 'Altinn does not know this system' },
	listSystemUsers: { action: 'list the system users of the system', scope: SCOPE_SYSTEMREGISTER_WRITE, notFound: 'Altinn does not know this system' },
} as const satisfies Record<string, VendorCall>;

/** Hints for the problem codes of Problem.cs that a vendor can act on. */
const PROBLEM_HINTS: Readonly<Record<string, string>> = {
	'AUTH-00001': 'Ask only for rights your system is registered with, on resources that may be delegated.',
	'AUTH-00004': 'The customer already has a system user for this system and reference: use it (log in with the customer\'s org no), or ask with another external reference.',
	'AUTH-00006': 'The customer already approved this: log in with the customer\'s org no (and the same external reference).',
	'AUTH-00007': 'A request for this customer and reference is waiting: look it up by external reference and send its confirmUrl again.',
	'AUTH-00008': 'The earlier request was denied: delete it in Altinn or ask with another external reference.',
	'AUTH-00009': 'The customer rejected the earlier request: delete it in Altinn or ask with another external reference.',
	'AUTH-00010': 'Check the request ID.',
	'AUTH-00011': 'Check the system ID: it must be registered in Altinn\'s system register for this environment (test or production).',
	'AUTH-00015': 'Check the system user ID.',
	'AUTH-00021': 'The redirect URL must match one of your system\'s allowed redirect URLs (the query string may differ). Register it with the system, or leave it empty.',
	'AUTH-00023': `Altinn could not find your organisation in the token: send the Maskinporten token itself (not an exchanged Altinn token), with scope ${SCOPE_SYSTEMUSER_REQUEST_WRITE}.`,
	'AUTH-00026': 'Your system has no allowed redirect URLs: register one with the system, or leave the redirect URL empty.',
	'AUTH-00059': 'Ask for at least one right or access package.',
	// Altinn's consent problems (Altinn.Authorization.Api.Contracts `Problems.cs`).
	'AM-00000': 'The consent request was made for another organisation than the one of this Maskinporten client.',
	'AM-00001': 'Check the consent ID, and that the environment (test or production) is the one the request was made in.',
	'AM-00003': 'Check the organisation number: Altinn does not know it.',
	'AM-00004': 'Check the national ID number: Altinn does not know this person.',
	'AM-00005': 'Give exactly one resource per right, the ID of a consent resource in Altinn\'s resource register (e.g. standard-samtykke-for-dele-data).',
	'AM-00006': 'Give only the metadata the resource defines (e.g. inntektsaar).',
	'AM-00007': 'Give every metadata key a value.',
	'AM-00008': 'Give every metadata key the resource asks for (e.g. inntektsaar=2025).',
	'AM-00009': 'Ask for resources of the same consent template in one request, or make one request per resource.',
	'AM-00016': 'This consent ID is already used for another person or organisation: leave Consent ID empty to have a new one made.',
};

interface ProblemDocument {
	code?: string;
	title?: string;
	detail?: string;
	errors: string[];
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** An RFC 9457 problem document (ASP.NET's ProblemDetails, with Altinn's `code`), or undefined. */
function readProblemDocument(answer: HttpAnswer): ProblemDocument | undefined {
	let json: unknown;
	try {
		json = JSON.parse(answer.body);
	} catch {
		return undefined;
	}
	if (!isRecord(json)) return undefined;
	const code = text(json.code) ?? text(json.errorCode);
	const title = text(json.title);
	if (!code && !title) return undefined;
	// Validation problems list their errors as `validationErrors` or `errors` (array of {code, detail} or ASP.NET's {field: [messages]}).
	const errors: string[] = [];
	for (const list of [json.validationErrors, json.errors]) {
		if (Array.isArray(list)) {
			for (const entry of list) {
				if (!isRecord(entry)) continue;
				const words = [text(entry.code) ?? text(entry.errorCode), text(entry.detail) ?? text(entry.title)].filter(Boolean).join(': ');
				if (words) errors.push(words);
			}
		} else if (isRecord(list)) {
			for (const [field, messages] of Object.entries(list)) {
				if (Array.isArray(messages)) errors.push(`${field}: ${messages.filter((m) => typeof m === 'string').join(' ')}`);
			}
		}
	}
	return { code, title, detail: text(json.detail), errors };
}

function problemWords(problem: ProblemDocument): string {
	const head = [problem.code, problem.title].filter(Boolean).join(': ');
	const detail = problem.detail && problem.detail !== problem.title ? ` (${problem.detail})` : '';
	const errors = problem.errors.length > 0 ? ` [${problem.errors.join('; ')}]` : '';
	return `${head}${detail}${errors}`;
}

/** Any answer that is not a success: a problem that says what Altinn said and what to do. */
function vendorProblem(answer: HttpAnswer, call: VendorCall): LoginProblem {
	const code = answer.statusCode;
	const problem = readProblemDocument(answer);
	const providerMessage = problem ? problemWords(problem) : textExcerpt(answer);
	// Own keys only: a code such as "constructor" is unknown, not Object.prototype's.
	const knownHint = problem?.code && Object.hasOwn(PROBLEM_HINTS, problem.code) ? PROBLEM_HINTS[problem.code] : undefined;
	// A gateway's error page (502, 504) is Altinn being down, not a wrong address: it falls to the 5xx answer below.
	if (looksLikeHtml(answer) && code < 500) {
		return new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn answered with a web page when asked to ${call.action} (${statusLine(answer)})`,
			hint: 'Check the platform address (e.g. https://platform.tt02.altinn.no for test); a proxy or login page may be in the way.',
			httpCode: code,
		});
	}
	const status = statusLine(answer);
	const refusal = (kind: LoginProblem['details']['kind'], message: string, hint: string) =>
		new LoginProblem({ kind, message, hint, httpCode: code, providerMessage });
	if (code === 401 || code === 403) {
		return refusal(
			'rejected',
			`Altinn did not let this token ${call.action} (${status})`,
			knownHint ??
				call.refusedHint ??
				`The Maskinporten token must carry the scope ${call.scope}, and the system must belong to the organisation of the Maskinporten client. Ask Digdir for the scope if the client lacks it. Send the Maskinporten token itself, not an exchanged Altinn token.`,
		);
	}
	if (code === 404) return refusal('rejected', `${call.notFound} (${status})`, knownHint ?? 'Check the IDs, and that the environment (test or production) is the one the request was made in.');
	if (code >= 500) return refusal('unavailable', `Altinn failed to ${call.action} (${status})`, 'Altinn has a problem. Try again later.');
	if (code >= 400) {
		return refusal(
			'rejected',
			`Altinn refused to ${call.action} (${status})`,
			knownHint ?? 'Read Altinn\'s message beside this one; check the system ID, the organisation number, the rights and the redirect URL.',
		);
	}
	return refusal('unexpectedAnswer', `Altinn answered with an unexpected status when asked to ${call.action} (${status})`, 'Check the platform address in the credential.');
}

/** The JSON of a 200 or 201 answer; any other answer is the problem it says. */
export function successJson(answer: HttpAnswer, call: VendorCall): unknown {
	if (answer.statusCode !== 200 && answer.statusCode !== 201) throw vendorProblem(answer, call);
	if (looksLikeHtml(answer)) throw vendorProblem(answer, call);
	const parsed = parseJson(answer.body);
	if (!parsed.ok) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's answer when asked to ${call.action} is not valid JSON (${statusLine(answer)})`,
			hint: 'Check the platform address in the credential; a proxy may be in the way.',
			httpCode: answer.statusCode,
		});
	}
	return parsed.value;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(body) as unknown };
	} catch {
		return { ok: false };
	}
}

/** An answer whose JSON lacks what the call needs. */
export function malformed(call: VendorCall, what: string, answer: HttpAnswer): LoginProblem {
	return new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn's answer when asked to ${call.action} has ${what}`,
		hint: 'Altinn may have changed its API. Report it to the maintainers of this node.',
		httpCode: answer.statusCode,
		providerMessage: textExcerpt(answer),
	});
}

/** A non-blank string as given, else null. */
export function nullableText(value: unknown): string | null {
	return typeof value === 'string' && value.trim() ? value : null;
}

function readRights(value: unknown): SystemUserRight[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).map((right) => {
		// .NET serialises `Resource` as `resource`; older examples print it capitalised.
		const resource = (right.resource ?? right.Resource) as unknown;
		const pairs = Array.isArray(resource) ? resource.filter(isRecord) : [];
		return {
			...(typeof right.action === 'string' ? { action: right.action } : {}),
			resource: pairs.map((pair) => ({ id: String(pair.id ?? ''), value: String(pair.value ?? '') })),
		};
	});
}

function readAccessPackages(value: unknown): AccessPackage[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).flatMap((entry) => (typeof entry.urn === 'string' ? [{ urn: entry.urn }] : []));
}

function readStatus<T extends string>(value: unknown, known: readonly T[], call: VendorCall, answer: HttpAnswer): T {
	const status = typeof value === 'string' ? known.find((candidate) => candidate.toLowerCase() === value.toLowerCase()) : undefined;
	if (status === undefined) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn reported a status this node does not know ("${quoted(value, 40)}") when asked to ${call.action}`,
			hint: `The known statuses are ${known.join(', ')}. Altinn may have added one: report it to the maintainers of this node, and check the request in Altinn meanwhile.`,
			httpCode: answer.statusCode,
		});
	}
	return status;
}

/**
 * What a system-user request and a change request both say: their ID and status, the system and the
 * customer, the page where a person decides and where the browser goes after.
 */
function requestFields<T extends string>(json: JsonRecord, id: string, statuses: readonly T[], call: VendorCall, answer: HttpAnswer) {
	return {
		requestId: id,
		status: readStatus(json.status, statuses, call, answer),
		confirmUrl: nullableText(json.confirmUrl),
		externalRef: nullableText(json.externalRef),
		systemId: String(json.systemId ?? ''),
		partyOrgNo: String(json.partyOrgNo ?? ''),
		redirectUrl: nullableText(json.redirectUrl),
	};
}

/** One request as Altinn describes it, in an answer of its own or as an entry of a list. */
function systemUserRequestFrom(json: unknown, created: boolean, call: VendorCall, answer: HttpAnswer): SystemUserRequest {
	if (!isRecord(json) || typeof json.id !== 'string' || !json.id) throw malformed(call, 'no request ID', answer);
	return {
		...requestFields(json, json.id, SYSTEM_USER_REQUEST_STATUSES, call, answer),
		rights: readRights(json.rights),
		accessPackages: readAccessPackages(json.accessPackages),
		created,
		createdAt: nullableText(json.created),
	};
}

/** The answer to creating or reading a system-user request (standard or agent). */
export function readSystemUserRequestAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.getRequest): SystemUserRequest {
	return systemUserRequestFrom(successJson(answer, call), answer.statusCode === 201, call, answer);
}

/** One page of a system's requests: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
export function readSystemUserRequestListAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.listRequests): SystemUserRequestPage {
	const { items, next } = readPage(successJson(answer, call), call, answer, 'no list of system-user requests');
	return { requests: items.map((item) => systemUserRequestFrom(item, false, call, answer)), next };
}

/** Altinn's `Paginated<T>`: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
function readPage(json: unknown, call: VendorCall, answer: HttpAnswer, what: string): { items: unknown[]; next: string | null } {
	if (Array.isArray(json)) return { items: json, next: null };
	if (isRecord(json) && Array.isArray(json.data)) return { items: json.data, next: isRecord(json.links) ? nullableText(json.links.next) : null };
	throw malformed(call, what, answer);
}

/** The answer to creating or reading a change request; `NoChangeNeeded` when nothing would change. */
export function readChangeRequestAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.getChangeRequest): ChangeRequest {
	const json = successJson(answer, call);
	if (!isRecord(json) || typeof json.id !== 'string' || !json.id) throw malformed(call, 'no change request ID', answer);
	return {
		...requestFields(json, json.id, CHANGE_REQUEST_STATUSES, call, answer),
		systemUserId: String(json.systemUserId ?? ''),
		requiredRights: readRights(json.requiredRights),
		unwantedRights: readRights(json.unwantedRights),
		requiredAccessPackages: readAccessPackages(json.requiredAccessPackages),
		unwantedAccessPackages: readAccessPackages(json.unwantedAccessPackages),
		created: answer.statusCode === 201,
	};
}

/** One page of a system's system users: `{links: {next}, data: [...]}`; a bare array is read as one last page. */
export function readSystemUserListAnswer(answer: HttpAnswer, call: VendorCall = VENDOR_CALLS.listSystemUsers): SystemUserPage {
	const { items, next } = readPage(successJson(answer, call), call, answer, 'no list of system users');
	const systemUsers = items.map((item) => {
		if (!isRecord(item) || typeof item.id !== 'string') throw malformed(call, 'a system user without an ID', answer);
		return {
			id: item.id,
			systemId: String(item.systemId ?? ''),
			reporteeOrgNo: String(item.reporteeOrgNo ?? ''),
			externalRef: nullableText(item.externalRef),
			integrationTitle: nullableText(item.integrationTitle),
			created: nullableText(item.created),
		};
	});
	return { systemUsers, next };
}

