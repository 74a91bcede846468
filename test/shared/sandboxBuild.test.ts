/**
 * `npm start` runs the compiled copy of the sandbox scripts (.sandbox/build), not these sources:
 * compile them as it does and start every sandbox from there, so a path that only works from the
 * sources (such as a test fixture read relative to the file) fails here and not on a user's machine.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('starts every provider sandbox from the compiled scripts npm start uses', async () => {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.sandbox.json')], { cwd: ROOT });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const compiled = require(join(ROOT, '.sandbox', 'build', 'test', 'fakes', 'sandbox.js')) as typeof import('../fakes/sandbox');
	const sandboxes = await compiled.startSandboxes({ boknett: 0, onlyoffice: 0, altinn: 0, altinn3: 0, bokbasen: 0 });
	try {
		const credentials = compiled.sandboxCredentials(sandboxes);
		expect(credentials.map((credential) => credential.type).sort()).toEqual([
			'altinnApi',
			'altinnMaskinportenApi',
			'altinnSmsPinApi',
			'bokbasenOAuth2Api',
			'boknettApi',
			'onlyofficeApi',
			'onlyofficeApi',
			'onlyofficeApi',
		]);
		for (const fake of [sandboxes.boknett, sandboxes.onlyoffice, sandboxes.altinn, sandboxes.altinn3, sandboxes.bokbasen]) {
			expect((await fetch(`${fake.baseUrl}/`)).status).toBe(404);
		}
	} finally {
		await sandboxes.stop();
	}
}, 120_000);
