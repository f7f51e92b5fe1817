import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../server/runtime/workers/worker.ts';
import type { ExecutionContext } from '../../server/runtime/workers/worker-env.ts';
import { openD1Store } from '../../server/store/d1-store.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { edgeUrl, storeUrl, testSecrets } from '../server/edge-harness.ts';
import { startD1 } from './miniflare-d1.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

/** What Cloudflare gives each event: here, `waitUntil` keeps the promises, which is all the isolate waits for. */
function executionContext() {
  const kept: Array<Promise<unknown>> = [];
  const ctx = {
    waitUntil: (promise: Promise<unknown>) => void kept.push(promise),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  return { ctx, kept };
}

describe('alerts in a Worker', () => {
  it('are written to D1 inside waitUntil, so the isolate is not let go before the row is there', async () => {
    const started = await startD1();
    dispose = started.dispose;
    const store = openD1Store(started.d1);
    await migrateToLatest(store);
    const env = {
      DB: started.d1,
      LOG_LEVEL: 'silent',
      POINTS_ENV: 'sandbox',
      POINTS_API_BASE_URL: 'http://127.0.0.1:4010/api',
      POINTS_PUBLIC_KEY: 'sandbox_public_key_demo',
      POINTS_PRIVATE_KEY: 'sandbox_private_key_demo',
      POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      ORDER_TOKEN_SECRET: testSecrets.orderToken,
      PUBLIC_URL: edgeUrl,
      STORE_ORIGINS: storeUrl,
      RETURN_URL_SUCCESS: `${storeUrl}/thanks`,
      RETURN_URL_PENDING: `${storeUrl}/pending`,
      RETURN_URL_FAILURE: `${storeUrl}/failed`,
    };
    const worker = createWorkerHandler();
    const { ctx, kept } = executionContext();
    // Five deliveries with a wrong secret: the fifth raises webhook_verification_failed.
    for (let i = 0; i < 5; i++) {
      const answer = await worker.fetch(
        new Request(`${edgeUrl}/webhooks/points`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-webhook-secret': 'test-wrong' },
          body: '{}',
        }),
        env,
        ctx,
      );
      expect(answer.status).toBe(401);
    }
    // Only what the Worker handed to waitUntil: without it, the write would still be in flight.
    await Promise.all(kept);
    const rows = await store.db.selectFrom('alerts').select(['kind', 'count', 'firings']).execute();
    expect(rows).toEqual([{ kind: 'webhook_verification_failed', count: 5, firings: 1 }]);
  });
});
