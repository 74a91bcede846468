// The package in a real n8n of the current line (see realN8nSuite.ts).
import { realN8nSuite } from './realN8nSuite';

realN8nSuite('2.41.1');
