import { describe } from 'vitest';
import {
  limitsAcrossInstancesCases,
  secondEdge,
  storeRateLimiterCases,
} from '../support/rate-limiter-cases.ts';
import { createHarness } from '../server/edge-harness.ts';
import { sharedD1Stores } from './miniflare-d1.ts';

// Two store handles on one D1 database are two isolates: the counts they keep must be one.
describe('the store-backed rate limiter on D1', () => {
  storeRateLimiterCases(sharedD1Stores);
});

describe('rate limits across two edge servers on one D1 database', () => {
  limitsAcrossInstancesCases(async (env) => {
    const shared = await sharedD1Stores();
    const harness = await createHarness('sqlite', { env, store: shared.first });
    const second = await secondEdge(harness, shared.second);
    return {
      harness,
      second,
      async close() {
        await second.worker.stop();
        await harness.close();
        await shared.close();
      },
    };
  });
});
