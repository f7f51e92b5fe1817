import { describe } from 'vitest';
import { engines, sharedDatabase } from '../support/databases.ts';
import { storeRateLimiterCases } from '../support/rate-limiter-cases.ts';

describe.each(engines)('the store-backed rate limiter on %s', (engine) => {
  storeRateLimiterCases(() => sharedDatabase(engine));
});
