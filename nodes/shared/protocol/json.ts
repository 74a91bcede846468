/** JSON objects as protocol readers meet them: a parsed value is checked before a field is read. */
export type JsonRecord = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonRecord(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object's entries sorted by name: the same values give the same JSON whatever order they were set in. */
export function canonicalEntries(value: Record<string, unknown>): Array<[string, unknown]> {
	return Object.keys(value)
		.sort()
		.map((name) => [name, value[name]]);
}
