import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, earn, makeSandbox, startCheckout, type TestSandbox } from './helpers.ts';

type State =
  | 'new'
  | 'authorized'
  | 'captured'
  | 'approved'
  | 'cancelled'
  | 'partially_refunded'
  | 'fully_refunded'
  | 'earning_approved';
type Action = 'authorize' | 'capture' | 'complete' | 'cancel' | 'refund';

let sandbox: TestSandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.close());

async function post(uuid: string, action: string, body: unknown = {}) {
  return api(sandbox, 'POST', `/v1/orders/${uuid}/${action}`, body);
}

/** Builds an order of 100 SAR in `state` through the API only. */
async function orderIn(state: State): Promise<string> {
  if (state === 'earning_approved') return (await earn(sandbox, { total_price: 100 })).body.data.uuid;
  const { uuid } = await startCheckout(sandbox, { total_price: 100 });
  const steps: Record<Exclude<State, 'earning_approved'>, Array<[string, unknown?]>> = {
    new: [],
    authorized: [['authorize']],
    captured: [['authorize'], ['capture']],
    approved: [['complete']],
    cancelled: [['cancel']],
    partially_refunded: [['complete'], ['refund', { amount: 40 }]],
    fully_refunded: [['complete'], ['refund']],
  };
  for (const [action, body] of steps[state]) expect((await post(uuid, action, body)).status).toBe(200);
  expect(sandbox.getOrder(uuid)?.order_status).toBe(state);
  return uuid;
}

/** §3.2 precondition table: the state after the action, or the exact 400 message. */
const table: Record<State, Record<Action, { to: string } | { refused: string }>> = {
  new: {
    authorize: { to: 'authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { to: 'approved' },
    cancel: { to: 'cancelled' },
    refund: { refused: 'Order cannot be refunded' },
  },
  authorized: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { to: 'captured' },
    complete: { to: 'approved' },
    cancel: { to: 'cancelled' },
    refund: { refused: 'Order cannot be refunded' },
  },
  captured: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Order already fully paid' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { to: 'fully_refunded' },
  },
  approved: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Order is already completed' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { to: 'fully_refunded' },
  },
  cancelled: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Order cannot be completed' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { refused: 'Order cannot be refunded' },
  },
  partially_refunded: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Order cannot be completed' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { to: 'fully_refunded' },
  },
  fully_refunded: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Order cannot be completed' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { refused: 'Order cannot be refunded' },
  },
  earning_approved: {
    authorize: { refused: 'Order cannot be authorized' },
    capture: { refused: 'Order cannot be captured' },
    complete: { refused: 'Only replacing orders can be completed' },
    cancel: { refused: 'Order cannot be cancelled' },
    refund: { to: 'fully_refunded' },
  },
};

const cases = Object.entries(table).flatMap(([state, actions]) =>
  Object.entries(actions).map(([action, expected]) => [state as State, action as Action, expected] as const),
);

describe('financial state machine (§3.2)', () => {
  it.each(cases)('%s → %s', async (state, action, expected) => {
    const uuid = await orderIn(state);
    const res = await post(uuid, action);
    if ('to' in expected) {
      expect(res.status).toBe(200);
      expect(res.body.data.order_status).toBe(expected.to);
    } else {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ status: false, message: expected.refused, appended_data: {} });
      expect(sandbox.getOrder(uuid)?.order_status).toBe(state === 'earning_approved' ? 'approved' : state);
    }
  });
});

describe('refund amounts', () => {
  it('partial refunds then the remainder; proportional points on earning orders', async () => {
    const { body } = await earn(sandbox, { total_price: 150.75, phone_number: '500000002' });
    const uuid = body.data.uuid;
    expect(sandbox.customer('500000002')?.balance).toBe(1508);
    const partial = await post(uuid, 'refund', { amount: 25, reason: 'One item returned' });
    expect(partial.body.data.order_status).toBe('partially_refunded');
    expect(sandbox.getOrder(uuid)).toMatchObject({ refunded_amount: 25, refunded_points: 250 });
    expect(sandbox.customer('500000002')?.balance).toBe(1258);
    expect((await post(uuid, 'refund', { amount: 125.76 })).body.message).toBe(
      'Refund amount exceeds the remaining refundable amount',
    );
    const rest = await post(uuid, 'refund', { amount: 125.75 });
    expect(rest.body.data.order_status).toBe('fully_refunded');
    expect(sandbox.getOrder(uuid)).toMatchObject({ refunded_amount: 150.75, refunded_points: 1508 });
    expect(sandbox.customer('500000002')?.balance).toBe(0);
  });

  it('zero amount is refused while money remains; negative is a 422', async () => {
    const uuid = await orderIn('approved');
    expect((await post(uuid, 'refund', { amount: 0 })).body.message).toBe(
      'Refund amount must be greater than zero',
    );
    expect((await post(uuid, 'refund', { amount: -1 })).status).toBe(422);
  });

  it('a full refund of a redeemed checkout gives the points back', async () => {
    const { uuid, sessionId } = await startCheckout(sandbox, { total_price: 100 });
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 1000 });
    expect(sandbox.customer('500000001')?.balance).toBe(4000);
    await post(uuid, 'refund');
    expect(sandbox.customer('500000001')?.balance).toBe(5000);
  });
});

describe('operation bodies', () => {
  it('complete stores payment_method; a bad one is a 422', async () => {
    const uuid = await orderIn('new');
    const bad = await post(uuid, 'complete', { payment_method: 2 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual({ payment_method: ['The selected payment method is invalid.'] });
    expect((await post(uuid, 'complete', { payment_method: '2' })).status).toBe(200);
    expect(sandbox.getOrder(uuid)?.payment_method).toBe('2');
  });

  it('cancel stores the reason (default and given); a long one is a 422', async () => {
    const a = await orderIn('new');
    await post(a, 'cancel');
    expect(sandbox.getOrder(a)?.cancel_reason).toBe('Order cancelled via API');
    const b = await orderIn('authorized');
    expect((await post(b, 'cancel', { reason: 'x'.repeat(501) })).status).toBe(422);
    await post(b, 'cancel', { reason: 'Out of stock' });
    expect(sandbox.getOrder(b)?.cancel_reason).toBe('Out of stock');
  });

  it('auto-refund: replacing orders only, not cancelled or fully refunded', async () => {
    const uuid = await orderIn('captured');
    expect(sandbox.fireAutoRefund(uuid).order_status).toBe('fully_refunded');
    expect(() => sandbox.fireAutoRefund(uuid)).toThrow(/auto-refunded/);
    const earning = await orderIn('earning_approved');
    expect(() => sandbox.fireAutoRefund(earning)).toThrow(/auto-refunded/);
    expect(() => sandbox.fireAutoRefund('nope')).toThrow('Order not found');
  });
});
