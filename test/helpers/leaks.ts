/**
 * The leak check every node test uses: everything a node produced (output items, errors with
 * their message, description, JSON form and cause chain) is turned into text, what that text encodes
 * is decoded and added to it (JWT and other base64 or base64url segments at any offset, URL-encoding,
 * XML entities, JSON escapes), and the whole is searched for each secret in every form it takes on
 * the wire and for its fast hashes. Written apart from the package's own redactor, so that a gap in
 * one is not hidden by the same gap in the other.
 */
import { createHash } from 'node:crypto';

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
		.map((value) => (value instanceof Error ? errorText(value, new Set()) : typeof value === 'string' ? value : JSON.stringify(value)))
		.join('\n');
}

/** Mostly text: decoded noise (a base64 run that encodes no text) is left out, so a short PIN is not found in it by chance. */
function isText(decoded: string): boolean {
	if (decoded.length < 6) return false;
	const printable = decoded.replace(/[^\x20-\x7e\u00a0-\u024f\n\r\t]/g, '');
	return printable.length >= decoded.length * 0.9;
}

/** Every way a run of base64 or base64url characters can be read: from each of its first four characters. */
function base64Readings(run: string): string[] {
	const standard = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
	const readings: string[] = [];
	for (let offset = 0; offset < 4 && standard.length - offset >= 8; offset++) {
		const bytes = Buffer.from(standard.slice(offset), 'base64');
		for (const decoded of [bytes.toString('utf8'), bytes.toString('latin1')]) if (isText(decoded)) readings.push(decoded);
	}
	return readings;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** What the text encodes, one layer down: base64 runs (JWT segments included), percent-escapes, XML entities, JSON escapes. */
function decodedLayer(text: string): string[] {
	const found: string[] = [];
	for (const run of text.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? []) found.push(...base64Readings(run));
	if (/%[0-9a-f]{2}/i.test(text)) found.push(text.replace(/\+/g, ' ').replace(/(%[0-9a-f]{2})+/gi, (escaped) => {
		try {
			return decodeURIComponent(escaped);
		} catch {
			return escaped;
		}
	}));
	if (/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/i.test(text)) {
		found.push(text.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (entity, name: string) =>
			name.startsWith('#x') || name.startsWith('#X') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : XML_ENTITIES[name.toLowerCase()] ?? entity,
		));
	}
	if (/\\u[0-9a-f]{4}|\\"/i.test(text)) found.push(text.replace(/\\u([0-9a-f]{4})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(["\\/])/g, '$1'));
	return found;
}

/** The text and what it encodes, three layers down (a number in JSON in a JWT's payload in a URL is two). */
export function withDecodedForms(text: string): string {
	const all = [text];
	let layer = [text];
	for (let depth = 0; depth < 3 && layer.length > 0; depth++) {
		layer = layer.flatMap(decodedLayer);
		all.push(...layer);
	}
	return all.join('\n');
}

/** The fast hashes of a secret, each as hex and base64: a digest of a secret lets anyone check a guess of it at once. */
function fastHashes(secret: string): string[] {
	return ['md5', 'sha1', 'sha256', 'sha512'].flatMap((algorithm) => {
		const digest = createHash(algorithm).update(secret, 'utf8').digest();
		return [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')];
	});
}

function forms(secret: string): string[] {
	return [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
		secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
		Buffer.from(secret).toString('base64'),
		...fastHashes(secret),
	];
}

/**
 * Whether the text holds this form of a secret. A secret of digits only (a PIN, a national ID number)
 * counts only as a whole number, not inside a longer one: a random 5-digit PIN is otherwise found,
 * by chance, inside a timestamp or a token's expiry (1796312345 holds six 5-digit numbers).
 */
function holds(text: string, form: string): boolean {
	if (/^\d+$/.test(form)) return new RegExp(`(?<!\\d)${form}(?!\\d)`).test(text);
	// A hex digest counts in upper case too.
	return text.includes(form) || (/^[0-9a-f]{32,}$/.test(form) && text.toLowerCase().includes(form));
}

/** The secrets (by name) found anywhere in the values, decoded or not; an empty list means no leak. */
export function leakedSecrets(values: unknown[], secrets: Record<string, string>): string[] {
	const text = withDecodedForms(everythingIn(values));
	return Object.entries(secrets)
		.filter(([, secret]) => forms(secret).some((form) => holds(text, form)))
		.map(([name]) => name);
}
