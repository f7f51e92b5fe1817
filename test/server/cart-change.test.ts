import { afterEach, describe, expect, it } from 'vitest';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

const receipts = async (h: Harness) =>
  (await h.store.db.selectFrom('webhook_receipts').select(['event', 'status']).execute()).map(
    (r) => `${r.event}:${r.status}`,
  );

/** Starts (or restarts) the checkout of ORD-6001 for `total`; answers the Points order of that session. */
async function checkoutFor(h: Harness, total: string) {
  const res = await h.checkout({
    orderToken: await h.orderToken({ order_number: 'ORD-6001', total_price: total, products: [] }),
  });
  expect(res.status).toBe(200);
  return h.sandbox.findOrderByNumber('ORD-6001')!;
}

/** The shopper's browser coming back to our callback from `session`, as the sandbox sends it. */
function callbackFrom(h: Harness, session: { uuid: string; callback_url: string | null }) {
  const url = new URL(session.callback_url!);
  url.searchParams.set('order_uuid', session.uuid);
  return h.edge.app.request(`${url.pathname}${url.search}`);
}

describe.each(storeEngines)('a cart change during checkout on %s', (engine) => {
  it("the replaced session's cancellation leaves the order pending, untold, and the new session pays it", async () => {
    harness = await createHarness(engine);
    const first = await checkoutFor(harness, '100.00');
    const second = await checkoutFor(harness, '120.00');
    expect(second.uuid).not.toBe(first.uuid);
    expect(harness.sandbox.getOrder(first.uuid)?.order_status).toBe('cancelled');
    await harness.settle();

    expect(await findOrder(harness.store.db, 'ORD-6001')).toMatchObject({
      state: 'pending',
      points_uuid: null,
      expected_total_halalas: 12_000,
    });
    expect(await receipts(harness)).toEqual(['cancelled:ignored']);
    expect(harness.notifications).toHaveLength(0);

    // The shopper comes back from the old session's page: not the failure page, and nothing changes.
    const back = await callbackFrom(harness, first);
    expect(back.status).toBe(303);
    expect(new URL(back.headers.get('location')!).pathname).not.toBe('/failed');
    expect((await findOrder(harness.store.db, 'ORD-6001'))?.state).toBe('pending');

    await harness.sandbox.completeCheckout('ORD-6001', { phone: '500000002' });
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-6001')).toMatchObject({
      state: 'confirmed',
      points_uuid: second.uuid,
      settled_total_halalas: 12_000,
    });
    expect(harness.notifications).toHaveLength(1);
    const told = (await harness.notifications[0]!.json()) as { data: Record<string, unknown> };
    expect(told.data).toMatchObject({ state: 'confirmed', previousState: 'pending' });
  });

  it('the replaced session is not the one the order waits on even when Points reports it before it answers', async () => {
    // Points cancels the old session and its webhook is processed before the new session's answer arrives.
    const onCheckout = () => harness.settle();
    harness = await createHarness(engine, {
      pointsFetch: async (input, init) => {
        const res = await harness.sandbox.app.fetch(new Request(input, init));
        if (String(input).includes('/orders/checkout/')) await onCheckout();
        return res;
      },
    });
    await checkoutFor(harness, '100.00');
    await checkoutFor(harness, '120.00');
    expect(await receipts(harness)).toEqual(['cancelled:ignored']);
    expect(await findOrder(harness.store.db, 'ORD-6001')).toMatchObject({
      state: 'pending',
      points_uuid: null,
    });
    expect(harness.notifications).toHaveLength(0);
  });

  it('a cart changed back to its first total: the first session is still not the one the order waits on', async () => {
    harness = await createHarness(engine);
    const first = await checkoutFor(harness, '100.00');
    await checkoutFor(harness, '120.00');
    const third = await checkoutFor(harness, '100.00');
    await harness.settle();
    expect(await receipts(harness)).toEqual(['cancelled:ignored', 'cancelled:ignored']);
    expect((await findOrder(harness.store.db, 'ORD-6001'))?.state).toBe('pending');
    expect(harness.notifications).toHaveLength(0);
    expect(first.total_price).toBe(third.total_price);
  });

  it("the current session's own cancellation still cancels the order", async () => {
    harness = await createHarness(engine);
    await checkoutFor(harness, '100.00');
    const current = await checkoutFor(harness, '120.00');
    const cancel = await harness.sandbox.app.request(`/api/v1/orders/${current.uuid}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': harness.sandbox.options.privateKey },
      body: '{}',
    });
    expect(cancel.status).toBe(200);
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-6001')).toMatchObject({
      state: 'cancelled',
      points_uuid: current.uuid,
    });
    expect((await receipts(harness)).sort()).toEqual(['cancelled:ignored', 'cancelled:processed']);
    expect(harness.notifications).toHaveLength(1);
  });
});
