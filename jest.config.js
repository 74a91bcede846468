/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Run on their own, last in npm test: queue mode (npm run test:queue) and the real browser (npm run
	// test:browser: what a person sees on n8n 2.41.1, and the editor on both n8n lines), after the browser is installed.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/queueMode', '/test/e2e/browser', '/test/e2e/editorLogins'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	globalSetup: '<rootDir>/test/helpers/globalSetup.js',
	globalTeardown: '<rootDir>/test/helpers/globalTeardown.js',
};
