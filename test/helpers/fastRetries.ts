/**
 * Runs before every test file: retries keep their rules (which failures, how many times) but wait
 * 1 ms instead of seconds, so tests of unavailable services stay fast. Tests never assert timings.
 */
import { setRetryPolicy } from '../../nodes/shared/execution';

setRetryPolicy({ firstDelayMs: 1 });
