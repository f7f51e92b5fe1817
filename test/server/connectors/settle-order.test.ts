import { afterEach, describe, expect, it } from 'vitest';
import type { OrderFacts } from '../../../server/connectors/connector.ts';
import { findConnectorOrder, recordDelivery } from '../../../server/connectors/connector-orders.ts';
import { settleConnectorOrder, type SettleDependencies } from '../../../server/connectors/settle-order.ts';
import type { EarningLane } from '../../../server/earning/earning-lane.ts';
import { PointsServerError, PointsValidationError } from '../../../server/points/errors.ts';
import { createHarness, type Harness } from '../edge-harness.ts';

const key = 'woocommerce:shop.example:52';
const facts: OrderFacts = {
  storeId: 'shop.example',
  orderId: '52',
  paid: true,
  totalHalalas: 19_900,
  currency: 'SAR',
  phone: '500000061',
};

/** An earning lane whose every call throws `error`: what Points answered, without a Points that does. */
function failingLane(error: Error): EarningLane {
  return {
    earn: async () => {
      throw error;
    },
    retryStale: async () => 0,
  };
}

describe('settling a connector order when Points says no', () => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  async function settleWith(lane: EarningLane) {
    harness = await createHarness('sqlite');
    await recordDelivery(
      harness.store.db,
      { kind: 'order', platform: 'woocommerce', key, facts },
      Date.now(),
    );
    // Nothing was earned, so nothing is reversed: these calls must not happen.
    const notCalled = async (): Promise<never> => {
      throw new Error('no reversal expected');
    };
    const deps: SettleDependencies = {
      earning: lane,
      points: { refundOrder: notCalled, getOrder: notCalled },
    };
    return settleConnectorOrder(harness.edge.context, deps, key, 'paid');
  }

  it('skips an order whose phone Points rejects, with that reason, instead of failing it', async () => {
    await settleWith(
      failingLane(new PointsValidationError('invalid', { phone_number: ['The phone number is invalid.'] })),
    );
    expect(await findConnectorOrder(harness.store.db, key)).toMatchObject({
      outcome: 'skipped',
      reason: 'Points does not accept the phone number',
    });
  });

  it('fails an order Points rejects for another reason, with its message', async () => {
    await settleWith(
      failingLane(new PointsValidationError('The products field is required.', { products: ['x'] })),
    );
    const row = await findConnectorOrder(harness.store.db, key);
    expect(row).toMatchObject({ outcome: 'failed' });
    expect(row!.reason).toContain('The products field is required.');
  });

  it('throws (so the job retries) when Points could not answer', async () => {
    const unreachable = new PointsServerError('Points answered 503', { status: 503, outcomeUnknown: true });
    await expect(settleWith(failingLane(unreachable))).rejects.toBe(unreachable);
    expect(await findConnectorOrder(harness.store.db, key)).toMatchObject({ outcome: 'waiting' });
  });
});
