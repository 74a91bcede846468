// Lint = n8n's community-package gate on the source. This is the configuration of n8n's own scanner,
// `npx @n8n/scan-community-package` (its `buildScanConfig()`, the same rules as `n8n-node lint`:
// @n8n/eslint-plugin-community-nodes `recommended` plus eslint-plugin-n8n-nodes-base's community,
// credentials and nodes rule sets, at the versions the scanner pins), over the files its source scan
// reads (package.json, nodes/, credentials/), with `eslint-disable` comments ignored as the scanner
// ignores them. Nothing is switched off here: a clean `npm run lint` means a clean source scan.
// scripts/communityScan.mjs runs the scanner's analysis itself, on the source and on the tarball.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// The scanner makes a temporary folder when it is loaded; have it removed when ESLint exits.
createRequire(scannerFile)('tmp').setGracefulCleanup();
const { buildScanConfig } = await import(pathToFileURL(scannerFile).href);

export default [
	// The scanner's SOURCE_FILE_PATTERNS: package.json and {nodes,credentials}/**/*.{js,ts,json}.
	{ ignores: ['**/*', '!package.json', '!nodes/', '!nodes/**', '!credentials/', '!credentials/**', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'] },
	{ linterOptions: { noInlineConfig: true } },
	...(await buildScanConfig()),
];
