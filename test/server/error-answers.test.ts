import { afterEach, describe, expect, it } from 'vitest';
import { ProblemError } from '../../server/http/problem.ts';
import { PointsForbiddenError, PointsInputError, PointsTimeoutError } from '../../server/points/errors.ts';
import { storeEngines, type StoreEngine } from '../support/databases.ts';
import { createHarness, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

/** A harness whose `resolveOrder` hook throws `error`: an error from deep under a route. */
const throwing = (engine: StoreEngine, error: Error) =>
  createHarness(engine, {
    resolveOrder: async () => {
      throw error;
    },
  });

describe.each(storeEngines)('errors thrown under a route, answered by app.onError, on %s', (engine) => {
  it('a ProblemError is answered as its problem, in its code’s status', async () => {
    harness = await throwing(engine, new ProblemError('order_already_paid', 'Paid at the till.'));
    const res = await harness.checkout({ orderNumber: 'SHOP-1' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'order_already_paid', detail: 'Paid at the till.' });
  });

  it('a PointsError is mapped by its kind, whichever route threw it', async () => {
    harness = await throwing(engine, new PointsTimeoutError('Points did not answer in 30 s.'));
    const timeout = await harness.checkout({ orderNumber: 'SHOP-1' });
    expect(timeout.status).toBe(503);
    expect(await timeout.json()).toMatchObject({ code: 'points_unavailable' });
    await harness.close();
    harness = await throwing(engine, new PointsForbiddenError('Channel disabled.', { status: 403 }));
    const forbidden = await harness.checkout({ orderNumber: 'SHOP-1' });
    expect(forbidden.status).toBe(422);
    // A shopper's route says nothing of Points' words; the admin API (an operator) reads them.
    expect(await forbidden.json()).toMatchObject({
      code: 'points_rejected',
      detail: 'Points did not accept this order.',
    });
  });

  it("our own check of Points' rules is invalid_request, never points_rejected: Points was never called", async () => {
    const fields = { 'products.0.quantity': ['Must be a whole number'] };
    harness = await throwing(engine, new PointsInputError('Invalid checkout request: products', fields));
    const res = await harness.checkout({ orderNumber: 'SHOP-1' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      type: 'https://points-kit.dev/problems/invalid-request',
      title: 'Invalid request',
      status: 422,
      code: 'invalid_request',
      detail: 'This order is not valid.',
      errors: fields,
    });
  });

  it('any other error is a 500 internal_error that does not repeat its message', async () => {
    harness = await throwing(engine, new Error('connection to db-7 failed: password=hunter2'));
    const res = await harness.checkout({ orderNumber: 'SHOP-1' });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'internal_error' });
    expect(body).not.toContain('hunter2');
  });
});
