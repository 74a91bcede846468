// n8n's own lint rules for community packages: eslint-plugin-n8n-nodes-base (nodes, credentials,
// package.json) and @n8n/eslint-plugin-community-nodes. Where a rule conflicts with what the package
// needs, the README's "Lint" section says which and why; nothing is silenced in code.
import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const legacy = n8nNodesBase.configs;

export default [
	{ ignores: ['dist/**', '.sandbox/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...legacy.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...legacy.credentials.rules },
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...legacy.nodes.rules },
	},
	{
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	// Rules that conflict with what this package needs; the README's "Lint" section gives the reasons.
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		rules: {
			'@n8n/community-nodes/node-usable-as-tool': 'off',
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/AltinnSmsPinApi.credentials.ts'],
		rules: { 'n8n-nodes-base/cred-class-field-display-name-missing-api': 'off' },
	},
];
