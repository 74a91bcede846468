// `npm run figures`: runs the whole fault matrix and writes its figures to test/faults/FIGURES.md (the
// matrix itself, as `npm test` runs it, only checks that the committed figures are its own).
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['jest', 'test/faults/faultMatrix'], { stdio: 'inherit', env: { ...process.env, WRITE_FAULT_FIGURES: '1' } });
process.exit(result.status ?? 1);
