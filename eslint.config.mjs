// The lint is n8n's community-package gate itself: the configuration `@n8n/scan-community-package`
// builds for its analysis (its own versions of eslint-plugin-n8n-nodes-base and
// @n8n/eslint-plugin-community-nodes, with its rule levels), over the files it scans, with
// eslint-disable comments ignored as the scanner ignores them. So a clean `npm run lint` is a clean
// scan of the source; test/shared/communityGate.test.ts checks that this stays true.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// Loading the scanner makes a temporary folder; have it removed when ESLint exits.
createRequire(scannerFile)('tmp').setGracefulCleanup();
const { buildScanConfig } = await import(pathToFileURL(scannerFile).href);

export default [
	// What the scanner lints in a source checkout: package.json and {nodes,credentials}/**/*.{js,ts,json}.
	{ ignores: ['**/*', '!package.json', '!nodes/', '!nodes/**/', '!nodes/**/*.{js,ts,json}', '!credentials/', '!credentials/**/', '!credentials/**/*.{js,ts,json}'] },
	...(await buildScanConfig()),
	{ linterOptions: { noInlineConfig: true } },
];
