/**
 * The leak check every node test uses: everything a node produced (output items, errors with
 * their message, description, JSON form and cause chain) is turned into text and searched for
 * each secret in every form it takes on the wire.
 */

function errorText(error: unknown, seen: Set<unknown>): string {
	if (typeof error !== 'object' || error === null || seen.has(error)) return String(error);
	seen.add(error);
	const parts: string[] = [];
	for (const key of Object.getOwnPropertyNames(error)) {
		const value = (error as Record<string, unknown>)[key];
		if (key === 'node' || key === 'stack') continue;
		if (typeof value === 'object' && value !== null) parts.push(errorText(value, seen));
		else parts.push(String(value));
	}
	try {
		parts.push(JSON.stringify(error));
	} catch {
		// Circular structures are covered by the property walk above.
	}
	return parts.join('\n');
}

/** Text of anything a node produced, for searching. */
export function everythingIn(values: unknown[]): string {
	return values
		.map((value) => (value instanceof Error ? errorText(value, new Set()) : JSON.stringify(value)))
		.join('\n');
}

function forms(secret: string): string[] {
	return [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
		secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
		Buffer.from(secret).toString('base64'),
	];
}

/**
 * Whether the text holds this form of a secret. A secret of digits only (a PIN, a national ID number)
 * counts only as a whole number, not inside a longer one: a random 5-digit PIN is otherwise found,
 * by chance, inside a timestamp or a token's expiry (1796312345 holds six 5-digit numbers).
 */
function holds(text: string, form: string): boolean {
	if (!/^\d+$/.test(form)) return text.includes(form);
	return new RegExp(`(?<!\\d)${form}(?!\\d)`).test(text);
}

/** The secrets (by name) found anywhere in the values; an empty list means no leak. */
export function leakedSecrets(values: unknown[], secrets: Record<string, string>): string[] {
	const text = everythingIn(values);
	return Object.entries(secrets)
		.filter(([, secret]) => forms(secret).some((form) => holds(text, form)))
		.map(([name]) => name);
}
