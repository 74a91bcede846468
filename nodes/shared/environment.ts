import { LoginProblem } from './protocolTypes';

/** The environments every credential of this package offers; `custom` points at any URL (a proxy, a sandbox). */
export type EnvironmentChoice = 'production' | 'test' | 'custom';

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
	const trimmed = (customBaseUrl ?? '').trim();
	let parsed: URL | undefined;
	try {
		parsed = new URL(trimmed);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${serviceName} credential's Base URL is not a valid http(s) address`,
			hint: 'Open the credential and enter a full address such as https://example.com, or choose a standard environment.',
		});
	}
	return trimmed.replace(/\/+$/, '');
}
