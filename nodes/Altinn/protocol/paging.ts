/**
 * Altinn's paged lists (system users and their requests, consent events, an app's instances in Storage):
 * the walk through every page, and the one rule for following a page's `next` link: only on the platform
 * the first page came from, since the token goes with it.
 */
import { LoginProblem } from '../../shared/protocol/loginProblem';

/** More pages than any list holds; a server that keeps linking on is stopped here. */
const MAX_PAGES = 500;

/**
 * Every item of a paged list: `readPage` sends for one page (`next`: Altinn's link, null for the
 * first) and reads it. A link seen before, or more pages than any list has, stops with an error.
 */
export async function allPages<T>(what: string, readPage: (next: string | null) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
	const items: T[] = [];
	const visited = new Set<string>();
	let next: string | null = null;
	for (let page = 0; page < MAX_PAGES; page++) {
		const read = await readPage(next);
		items.push(...read.items);
		if (!read.next) return items;
		if (visited.has(read.next)) break;
		visited.add(read.next);
		next = read.next;
	}
	throw new LoginProblem({
		kind: 'unexpectedAnswer',
		message: `Altinn kept linking to further pages of ${what}`,
		hint: 'Check the platform address in the credential; report it to the maintainers of this node if it persists.',
	});
}

/**
 * The address of the next page Altinn linked to, if it is on the same platform (origin) as the first
 * page: the token goes with it, so a link elsewhere is refused rather than followed.
 */
export function nextPageUrl(first: string, next: string, what: string): string {
	let url: URL | undefined;
	try {
		url = new URL(next, first);
	} catch {
		url = undefined;
	}
	if (!url || url.origin !== new URL(first).origin) {
		throw new LoginProblem({
			kind: 'unexpectedAnswer',
			message: `Altinn's link to the next page of ${what} points to another address, so it was not followed`,
			hint: 'Check the platform address; the token is only sent to the Altinn platform it came for.',
		});
	}
	return url.toString();
}
