/**
 * Checks of what a credential or a workflow hands a login, made before anything is sent: a known
 * environment or a usable address, values present and free of characters that would break a request.
 */
import { LoginProblem } from './loginProblem';

/**
 * The base URL for a credential's environment. A custom URL must be http(s) and is returned without
 * a trailing slash, so that protocol code can join paths to it.
 */
export function resolveBaseUrl(
	environment: string,
	customBaseUrl: string | undefined,
	knownBaseUrls: Readonly<Record<string, string>>,
	serviceName: string,
): string {
	if (environment !== 'custom') {
		const known = knownBaseUrls[environment];
		if (known) return known;
		throw new LoginProblem({
			kind: 'badInput',
			message: `Unknown ${serviceName} environment "${environment}"`,
			hint: `Open the credential and choose one of: ${[...Object.keys(knownBaseUrls), 'custom'].join(', ')}.`,
		});
	}
	const baseUrl = httpUrlWithoutTrailingSlash(customBaseUrl);
	if (baseUrl) return baseUrl;
	throw new LoginProblem({
		kind: 'badInput',
		message: `The ${serviceName} credential's Base URL is not a valid http(s) address`,
		hint: 'Open the credential and enter a full address such as https://example.com, or choose a standard environment.',
	});
}

/** The address trimmed and without trailing slashes, or undefined when it is not an http(s) URL. */
export function httpUrlWithoutTrailingSlash(value: string | undefined): string | undefined {
	const trimmed = (value ?? '').trim();
	try {
		const parsed = new URL(trimmed);
		if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return trimmed.replace(/\/+$/, '');
	} catch {
		// Not a URL at all.
	}
	return undefined;
}

/**
 * Checks a login's values before anything is sent: all present, none with a line break or other
 * control character (which could split a header or a form field).
 */
export function requireLoginValues(credentialName: string, values: Record<string, string | undefined>): void {
	const missing = Object.entries(values).filter(([, value]) => !value).map(([name]) => name);
	if (missing.length > 0) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${credentialName} credential has no ${missing.join(' and no ')}`,
			hint: `Open the ${credentialName} credential and fill in the ${missing.join(' and the ')}.`,
		});
	}
	refuseControlCharacters(credentialName, values);
}

/**
 * Refuses values with a line break or another control character before anything is sent: they
 * could split a header or a form field, or break an XML document.
 */
export function refuseControlCharacters(credentialName: string, values: Record<string, string | undefined>): void {
	const unsafe = Object.entries(values).filter(([, value]) => hasControlCharacters(value ?? '')).map(([name]) => name);
	if (unsafe.length > 0) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${unsafe.join(' or ')} in the ${credentialName} credential contains a line break or another control character`,
			hint: 'Open the credential and retype the value; pasted values sometimes carry a trailing line break.',
		});
	}
}

/**
 * Control characters (CR/LF included, and the C1 range with NEL) cannot be sent safely in a
 * header, form or XML value: they split headers and lines, or are not allowed in XML at all.
 */
export function hasControlCharacters(value: string): boolean {
	return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}
