/**
 * Each test starts with an empty token store, so a token one test obtained is never reused by the
 * next; tests of reuse run the node several times within one test.
 */
import { processTokenCache } from '../../nodes/shared/tokenCache';

beforeEach(() => processTokenCache.clear());
