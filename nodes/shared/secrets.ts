/**
 * The single place secrets are scrubbed. Every message that may contain text from a provider or an
 * HTTP client passes through a `SecretRedactor` built from the credential's secrets before it
 * reaches an error, an output item or a log line.
 */
import { createHash } from 'node:crypto';

import { xmlEscape } from './protocol/http';

export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words in messages; such secrets are weak anyway. */
const MIN_SECRET_LENGTH = 3;

/** The fast hashes whose digest of a secret gives the secret away (a guess is checked in no time). */
const FAST_HASHES = ['md5', 'sha1', 'sha256', 'sha512'] as const;

/** The forms a secret takes on the wire: as is, URL- and form-encoded, XML-escaped, JSON-escaped, base64, and its fast hashes. */
function encodedForms(secret: string): string[] {
	const forms = new Set<string>([
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		xmlEscape(secret),
		JSON.stringify(secret).slice(1, -1),
		Buffer.from(secret, 'utf8').toString('base64'),
		Buffer.from(secret, 'utf8').toString('base64url'),
	]);
	for (const hash of FAST_HASHES) {
		const digest = createHash(hash).update(secret, 'utf8').digest();
		for (const form of [digest.toString('hex'), digest.toString('hex').toUpperCase(), digest.toString('base64'), digest.toString('base64url')]) forms.add(form);
	}
	return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Runs of base64 or base64url long enough to carry a secret: a JWT's segments, a base64 blob. A
 * secret inside one is found only once it is decoded, so each run is decoded before it is searched.
 */
const ENCODED_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/** The texts a base64 run may encode, read from each of its first four characters (a secret may sit at any offset of what was encoded). */
export function decodedTexts(run: string): string[] {
	const bare = run.replace(/=+$/, '');
	const texts: string[] = [];
	for (let offset = 0; offset < 4 && bare.length - offset >= 4; offset++) {
		const bytes = Buffer.from(bare.slice(offset).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		texts.push(bytes.toString('latin1'), bytes.toString('utf8'));
	}
	return texts;
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

	private holdsSecret(text: string): boolean {
		return this.forms.some((form) => text.includes(form));
	}

	/**
	 * The text with every form of a secret replaced, and every base64 run (a JWT's segment among them)
	 * that decodes to text holding a secret replaced whole: a token that carries a national ID number
	 * is the number.
	 */
	redact(text: string): string {
		if (this.forms.length === 0) return text;
		// Encoded runs first, so that one whose aligned part is a secret's own base64 goes whole.
		let result = text.replace(ENCODED_RUN, (run) => (decodedTexts(run).some((decoded) => this.holdsSecret(decoded)) ? REDACTED : run));
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
