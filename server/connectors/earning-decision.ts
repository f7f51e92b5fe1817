import type { EarnTrigger, OrderFacts, ReviewFacts } from './connector.ts';
import { refundedHalalas } from './facts.ts';

/** What a connector order needs next. */
export type Decision =
  | { action: 'wait'; reason: string }
  | { action: 'skip'; reason: string }
  | { action: 'earn'; totalHalalas: number }
  | { action: 'reverse'; halalas: number; full: boolean }
  | { action: 'none' };

/** What was already done at Points for the order. */
export interface DoneAtPoints {
  /** Points awarded the earning (it has a uuid to refund). */
  earned: boolean;
  /** Points queued the earning until the customer activates the app. */
  pending: boolean;
  earnedHalalas: number;
  reversedHalalas: number;
}

/** Whether the order is due to earn: paid (cash on delivery: delivered), or completed when so configured. */
function due(facts: OrderFacts, trigger: EarnTrigger): { due: true } | { due: false; reason: string } {
  if (facts.cashOnDelivery) {
    return facts.completed ? { due: true } : { due: false, reason: 'cash on delivery: waiting for delivery' };
  }
  if (!facts.paid) return { due: false, reason: 'waiting for payment' };
  if (trigger === 'completed' && !facts.completed) return { due: false, reason: 'waiting for completion' };
  return { due: true };
}

/**
 * The next step for a platform order, from everything the platform has told us and what Points already
 * holds. Earns once, on the whole paid total; then reverses what was refunded since, in full for a
 * cancellation or a full refund. An order refunded or cancelled before it earned never earns, so the
 * customer's final balance is right whatever order the deliveries came in.
 */
export function decideOrder(facts: OrderFacts, done: DoneAtPoints, trigger: EarnTrigger): Decision {
  const refunded = refundedHalalas(facts);
  if (done.earned) {
    const owed =
      facts.cancelled || facts.fullyRefunded ? done.earnedHalalas : Math.min(refunded, done.earnedHalalas);
    if (owed <= done.reversedHalalas) return { action: 'none' };
    return { action: 'reverse', halalas: owed - done.reversedHalalas, full: owed === done.earnedHalalas };
  }
  if (done.pending) return { action: 'none' };

  if (facts.test) return { action: 'skip', reason: 'a test order' };
  if (facts.cancelled) return { action: 'skip', reason: 'cancelled before it earned' };
  if (facts.fullyRefunded) return { action: 'skip', reason: 'refunded before it earned' };
  if (facts.currency && facts.currency.toUpperCase() !== 'SAR') {
    return { action: 'skip', reason: `paid in ${facts.currency.toUpperCase()}, not SAR` };
  }
  if (facts.paidWithPoints) return { action: 'skip', reason: 'paid with Points' };
  const isDue = due(facts, trigger);
  if (!isDue.due) return { action: 'wait', reason: isDue.reason };
  if (facts.totalHalalas === undefined) return { action: 'wait', reason: 'waiting for the order total' };
  if (facts.totalHalalas <= 0) return { action: 'skip', reason: 'nothing was paid' };
  if (refunded >= facts.totalHalalas) return { action: 'skip', reason: 'refunded before it earned' };
  if (!facts.phone) return { action: 'skip', reason: 'no Saudi mobile number on the order' };
  return { action: 'earn', totalHalalas: facts.totalHalalas };
}

/** The next step for a review: earn once, if it has the customer's phone. */
export function decideReview(review: ReviewFacts, done: DoneAtPoints): Decision {
  if (done.earned || done.pending) return { action: 'none' };
  if (!review.phone) return { action: 'skip', reason: 'no Saudi mobile number on the review' };
  return { action: 'earn', totalHalalas: 0 };
}
