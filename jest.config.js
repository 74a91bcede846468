/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	setupFiles: ['<rootDir>/test/helpers/fastRetries.ts'],
	globalSetup: '<rootDir>/test/helpers/globalSetup.js',
	globalTeardown: '<rootDir>/test/helpers/globalTeardown.js',
	setupFilesAfterEnv: ['<rootDir>/test/helpers/freshTokenCache.ts'],
};
