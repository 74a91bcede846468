/**
 * The single place secrets are scrubbed. Every message that may contain text from a provider or an
 * HTTP client passes through a `SecretRedactor` built from the credential's secrets before it
 * reaches an error, an output item or a log line.
 */

import { xmlEscape } from './protocol/http';

export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words in messages; such secrets are weak anyway. */
const MIN_SECRET_LENGTH = 3;

/** The forms a secret takes on the wire: as is, URL- and form-encoded, XML-escaped, JSON-escaped. */
function encodedForms(secret: string): string[] {
	const forms = new Set<string>([
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		xmlEscape(secret),
		JSON.stringify(secret).slice(1, -1),
		Buffer.from(secret, 'utf8').toString('base64'),
	]);
	return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

export class SecretRedactor {
	private readonly forms: string[];

	constructor(secrets: ReadonlyArray<string | undefined | null>) {
		const all = new Set<string>();
		for (const secret of secrets) {
			if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
			for (const form of encodedForms(secret)) all.add(form);
		}
		// Longest first, so a secret that contains another is replaced whole.
		this.forms = [...all].sort((a, b) => b.length - a.length);
	}

	redact(text: string): string {
		let result = text;
		for (const form of this.forms) {
			if (result.includes(form)) result = result.split(form).join(REDACTED);
		}
		return result;
	}

	/** A copy of JSON-like data with every secret in its strings (keys included) redacted. */
	redactJson(value: unknown): unknown {
		if (typeof value === 'string') return this.redact(value);
		if (Array.isArray(value)) return value.map((entry) => this.redactJson(entry));
		if (typeof value === 'object' && value !== null) {
			return Object.fromEntries(
				Object.entries(value).map(([key, entry]) => [this.redact(key), this.redactJson(entry)]),
			);
		}
		return value;
	}
}

/** Collects the secrets one item's handling touches, so whatever it shows can be scrubbed of them. */
export class SecretCollector {
	private readonly secrets: string[] = [];

	add(...secrets: Array<string | undefined | null>): void {
		for (const secret of secrets) if (typeof secret === 'string') this.secrets.push(secret);
	}

	redactor(): SecretRedactor {
		return new SecretRedactor(this.secrets);
	}
}
