// One n8n user folder for the whole test run (n8n-core writes an encryption key there), removed afterwards.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-login-tokens-test-'));
};
