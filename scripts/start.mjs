// `npm start`: builds the package. Running it in a local n8n with the provider sandboxes comes next
// (see the README); until then this says how to load the build into an n8n of your own.
import { spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(`
Built into dist/. To try the nodes in an n8n of your own:
  npm pack
  npm install --prefix ~/.n8n/nodes ./n8n-nodes-login-tokens-*.tgz --omit=peer
  then restart n8n and search the node panel for "Altinn", "Boknett" or "ONLYOFFICE".
`);
