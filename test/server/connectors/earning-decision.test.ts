import { describe, expect, it } from 'vitest';
import type { OrderFacts } from '../../../server/connectors/connector.ts';
import { decideOrder, decideReview, type DoneAtPoints } from '../../../server/connectors/earning-decision.ts';
import { mergeOrderFacts } from '../../../server/connectors/facts.ts';

const nothingYet: DoneAtPoints = { earned: false, pending: false, earnedHalalas: 0, reversedHalalas: 0 };
const earned = (reversedHalalas = 0): DoneAtPoints => ({
  earned: true,
  pending: false,
  earnedHalalas: 19_900,
  reversedHalalas,
});
const order = (facts: Partial<OrderFacts> = {}): OrderFacts => ({
  storeId: 's',
  orderId: '1',
  totalHalalas: 19_900,
  currency: 'SAR',
  phone: '500000002',
  ...facts,
});

describe('when an order earns', () => {
  it('earns a paid order on the default trigger, and waits for completion on `completed`', () => {
    expect(decideOrder(order({ paid: true }), nothingYet, 'paid')).toEqual({
      action: 'earn',
      totalHalalas: 19_900,
    });
    expect(decideOrder(order({ paid: true }), nothingYet, 'completed')).toEqual({
      action: 'wait',
      reason: 'waiting for completion',
    });
    expect(decideOrder(order({ paid: true, completed: true }), nothingYet, 'completed')).toMatchObject({
      action: 'earn',
    });
    expect(decideOrder(order({ completed: true }), nothingYet, 'completed')).toMatchObject({
      action: 'wait',
    });
  });

  it('earns cash on delivery only once delivered, whatever the trigger', () => {
    for (const trigger of ['paid', 'completed'] as const) {
      expect(decideOrder(order({ cashOnDelivery: true, paid: true }), nothingYet, trigger)).toEqual({
        action: 'wait',
        reason: 'cash on delivery: waiting for delivery',
      });
      expect(
        decideOrder(order({ cashOnDelivery: true, completed: true }), nothingYet, trigger),
      ).toMatchObject({
        action: 'earn',
      });
    }
  });

  it('skips what must never earn, saying why', () => {
    const cases: Array<[Partial<OrderFacts>, string]> = [
      [{ paid: true, test: true }, 'a test order'],
      [{ paid: true, cancelled: true }, 'cancelled before it earned'],
      [{ paid: true, fullyRefunded: true }, 'refunded before it earned'],
      [{ paid: true, refunds: [{ id: 'r', halalas: 19_900 }] }, 'refunded before it earned'],
      [{ paid: true, currency: 'kwd' }, 'paid in KWD, not SAR'],
      [{ paid: true, paidWithPoints: true }, 'paid with Points'],
      [{ paid: true, totalHalalas: 0 }, 'nothing was paid'],
      [{ paid: true, phone: null }, 'no Saudi mobile number on the order'],
    ];
    for (const [facts, reason] of cases) {
      expect(decideOrder(order(facts), nothingYet, 'paid'), reason).toEqual({ action: 'skip', reason });
    }
  });

  it('waits for a total a refund-only delivery did not carry', () => {
    expect(decideOrder(order({ paid: true, totalHalalas: undefined }), nothingYet, 'paid')).toMatchObject({
      action: 'wait',
    });
  });
});

describe('what an earned order reverses', () => {
  it('reverses only what was refunded since, and the rest in full on cancellation', () => {
    const refunded = order({ paid: true, refunds: [{ id: 'a', halalas: 5000 }] });
    expect(decideOrder(refunded, earned(), 'paid')).toEqual({
      action: 'reverse',
      halalas: 5000,
      full: false,
    });
    expect(decideOrder(refunded, earned(5000), 'paid')).toEqual({ action: 'none' });
    const more = mergeOrderFacts(refunded, order({ refunds: [{ id: 'b', halalas: 2500 }] }));
    expect(decideOrder(more, earned(5000), 'paid')).toEqual({
      action: 'reverse',
      halalas: 2500,
      full: false,
    });
    expect(decideOrder(order({ cancelled: true }), earned(7500), 'paid')).toEqual({
      action: 'reverse',
      halalas: 12_400,
      full: true,
    });
  });

  it('never reverses more than was earned, and nothing for a pending earning', () => {
    const over = order({ refunds: [{ id: 'a', halalas: 50_000 }] });
    expect(decideOrder(over, earned(), 'paid')).toEqual({ action: 'reverse', halalas: 19_900, full: true });
    expect(decideOrder(over, { ...nothingYet, pending: true }, 'paid')).toEqual({ action: 'none' });
  });
});

describe('facts only move one way', () => {
  it('keeps paid, cancelled and refunds through a stale delivery, and counts a refund told twice once', () => {
    const first = order({ paid: true, refunds: [{ id: 'a', halalas: 5000 }] });
    const stale = order({ paid: false, phone: null, refunds: [{ id: 'a', halalas: 5000 }] });
    const merged = mergeOrderFacts(mergeOrderFacts(first, order({ cancelled: true })), stale);
    expect(merged).toMatchObject({ paid: true, cancelled: true, phone: '500000002' });
    expect(merged.refunds).toEqual([{ id: 'a', halalas: 5000 }]);
  });
});

describe('reviews', () => {
  it('earn once, and only with a phone', () => {
    const review = { storeId: 's', reviewId: 'r', phone: '500000002' };
    expect(decideReview(review, nothingYet)).toMatchObject({ action: 'earn' });
    expect(decideReview(review, earned())).toEqual({ action: 'none' });
    expect(decideReview({ ...review, phone: null }, nothingYet)).toMatchObject({ action: 'skip' });
  });
});
