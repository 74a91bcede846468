// The package in a real n8n of the 1.x line, which many still run (see realN8nSuite.ts).
import { realN8nSuite } from './realN8nSuite';

realN8nSuite('1.123.81');
