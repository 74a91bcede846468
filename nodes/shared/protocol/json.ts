/** JSON objects as protocol readers meet them: a parsed value is checked before a field is read. */
export type JsonRecord = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonRecord(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
