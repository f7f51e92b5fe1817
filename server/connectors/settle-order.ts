import type { EdgeContext } from '../edge-context.ts';
import type { EarningLane, EarningOutcome } from '../earning/earning-lane.ts';
import { halalasToSarText, halalasToSar } from '../money.ts';
import { applyAndAnnounce } from '../orders/apply-points-order.ts';
import type { PointsClient } from '../points/client.ts';
import {
  PointsBadRequestError,
  PointsError,
  PointsForbiddenError,
  PointsInputError,
  PointsValidationError,
} from '../points/errors.ts';
import type { EarnTrigger, OrderFacts, ReviewFacts } from './connector.ts';
import { findConnectorOrder, updateConnectorOrder, type ConnectorOrderRow } from './connector-orders.ts';
import { decideOrder, decideReview, type Decision, type DoneAtPoints } from './earning-decision.ts';

/** What settling needs beyond the context: the earning lane and the Points calls that reverse. */
export interface SettleDependencies {
  earning: EarningLane;
  points: Pick<PointsClient, 'refundOrder' | 'getOrder'>;
}

const maxName = 255;

function doneAtPoints(row: ConnectorOrderRow): DoneAtPoints {
  return {
    earned: row.points_uuid !== null,
    pending: row.outcome === 'pending',
    earnedHalalas: Number(row.earned_halalas ?? 0),
    reversedHalalas: Number(row.reversed_halalas),
  };
}

/** The Points purchase earning for a platform order: its paid total, its lines, and where it came from. */
function purchaseRequest(row: ConnectorOrderRow, facts: OrderFacts, totalHalalas: number) {
  const items = (facts.items ?? []).filter((item) => item.quantity >= 1 && item.priceHalalas >= 0);
  const label = `Order ${row.reference ?? facts.orderId}`.slice(0, maxName);
  return {
    order_number: row.key,
    phone_number: facts.phone!,
    total_price: halalasToSar(totalHalalas),
    products:
      items.length > 0
        ? items.map((item) => ({
            product_name: item.name.slice(0, maxName) || label,
            product_price: halalasToSar(item.priceHalalas),
            quantity: item.quantity,
          }))
        : [{ product_name: label, product_price: halalasToSar(totalHalalas), quantity: 1 }],
    ...(facts.customerName ? { name: facts.customerName.slice(0, maxName) } : {}),
    metadata: {
      platform: row.platform,
      store: row.store_id,
      platform_order_id: facts.orderId,
      ...(row.reference ? { reference: row.reference } : {}),
    },
  };
}

function ratingRequest(row: ConnectorOrderRow, review: ReviewFacts) {
  return {
    phone_number: review.phone!,
    review_reference: row.key,
    ...(review.rating !== undefined ? { rating: review.rating } : {}),
    ...(review.comment ? { comment: review.comment.slice(0, 2000) } : {}),
    metadata: { platform: row.platform, store: row.store_id },
    ...(review.productId
      ? {
          product_id: review.productId,
          ...(review.productName ? { product_name: review.productName.slice(0, maxName) } : {}),
        }
      : {}),
  };
}

/** Why Points' refusal means the order cannot earn (a skip), or undefined when it is a failure to look at. */
function refusalSkip(error: PointsError): string | undefined {
  const fields =
    error instanceof PointsValidationError || error instanceof PointsInputError ? error.fieldErrors : {};
  return 'phone_number' in fields ? 'Points does not accept the phone number' : undefined;
}

/**
 * Brings a connector order (or review) to what its facts call for: earns it once through the earning lane,
 * or reverses what the platform refunded since, through Points' refund of the earning order. Records the
 * outcome and its reason on the row. Throws (so the job retries) only when Points could not be reached
 * or kept answering 429; a refusal is recorded, never retried in a loop. Call it while holding the
 * order's exclusive lease.
 */
export async function settleConnectorOrder(
  ctx: EdgeContext,
  deps: SettleDependencies,
  key: string,
  trigger: EarnTrigger,
): Promise<void> {
  const row = await findConnectorOrder(ctx.store.db, key);
  if (!row) return;
  const facts = JSON.parse(row.facts) as OrderFacts | ReviewFacts;
  const decision: Decision =
    row.kind === 'review'
      ? decideReview(facts as ReviewFacts, doneAtPoints(row))
      : decideOrder(facts as OrderFacts, doneAtPoints(row), trigger);
  const set = (values: Parameters<typeof updateConnectorOrder>[2]) =>
    updateConnectorOrder(ctx.store.db, key, values, ctx.now());

  switch (decision.action) {
    case 'none':
      return;
    case 'wait':
      return set({ outcome: 'waiting', reason: decision.reason });
    case 'skip':
      return set({ outcome: 'skipped', reason: decision.reason });
    case 'earn':
      return earn(row, facts, decision.totalHalalas);
    case 'reverse':
      return reverse(row, decision.halalas, decision.full);
  }

  async function earn(row: ConnectorOrderRow, facts: OrderFacts | ReviewFacts, totalHalalas: number) {
    let outcome: EarningOutcome;
    try {
      if (row.kind === 'review') {
        const review = facts as ReviewFacts;
        outcome = await deps.earning.earn(
          review.productId ? 'product_rating' : 'store_rating',
          ratingRequest(row, review),
        );
      } else {
        outcome = await deps.earning.earn(
          'purchase',
          purchaseRequest(row, facts as OrderFacts, totalHalalas),
        );
      }
    } catch (error) {
      if (!(error instanceof PointsError) || error.outcomeUnknown || !isRefusal(error)) throw error;
      const skip = refusalSkip(error);
      ctx.logger.warn({ connectorOrder: key, code: error.code }, 'Points refused a connector earning');
      return set(
        skip ? { outcome: 'skipped', reason: skip } : { outcome: 'failed', reason: refusalReason(error) },
      );
    }
    if (outcome.state === 'pending_activation') {
      return set({
        outcome: 'pending',
        reason: 'the customer has not activated Points yet; Points credits the points when they do',
        earned_halalas: totalHalalas,
        earned_points: outcome.totalPoints,
      });
    }
    await set({
      outcome: 'earned',
      reason: null,
      points_uuid: outcome.pointsUuid,
      earned_halalas: totalHalalas,
      earned_points: outcome.totalPoints,
    });
    // A refund may have come in with (or before) the payment: reverse it now.
    if (row.kind === 'order') await settleConnectorOrder(ctx, deps, key, trigger);
  }

  async function reverse(row: ConnectorOrderRow, halalas: number, full: boolean) {
    const uuid = row.points_uuid!;
    const earned = Number(row.earned_halalas ?? 0);
    const reason = `refunded on ${row.platform}`;
    try {
      const order = await deps.points.refundOrder(
        uuid,
        full ? { reason } : { amount: halalasToSar(halalas), reason },
      );
      await applyAndAnnounce(ctx, order, `connector:${row.platform}`);
    } catch (error) {
      if (!(error instanceof PointsError)) throw error;
      if (full && error instanceof PointsBadRequestError) {
        // Already refunded in full at Points (our earlier call went through, or someone refunded by hand).
        const order = await deps.points.getOrder(uuid);
        if (order.order_status === 'fully_refunded') {
          await applyAndAnnounce(ctx, order, `connector:${row.platform}`);
          return set({
            outcome: 'reversed',
            reason: `reversed in full (${halalasToSarText(earned)} SAR)`,
            reversed_halalas: earned,
          });
        }
      }
      if (error.outcomeUnknown && full) throw error;
      ctx.logger.error(
        { alert: 'connector_reversal_failed', connectorOrder: key, code: error.code },
        'could not reverse a connector earning',
      );
      return set({
        outcome: 'failed',
        reason: error.outcomeUnknown
          ? `reversing ${halalasToSarText(halalas)} SAR: no answer from Points; check the order at Points, then replay`
          : `reversing ${halalasToSarText(halalas)} SAR: ${refusalReason(error)}`,
      });
    }
    const reversed = Number(row.reversed_halalas) + halalas;
    return set({
      outcome: 'reversed',
      reason:
        reversed >= earned
          ? `reversed in full (${halalasToSarText(earned)} SAR)`
          : `reversed ${halalasToSarText(reversed)} of ${halalasToSarText(earned)} SAR`,
      reversed_halalas: reversed,
    });
  }
}

/** Points said no (as opposed to: could not answer). */
function isRefusal(error: PointsError): boolean {
  return (
    error instanceof PointsValidationError ||
    error instanceof PointsInputError ||
    error instanceof PointsForbiddenError ||
    error instanceof PointsBadRequestError
  );
}

function refusalReason(error: PointsError): string {
  if (error instanceof PointsForbiddenError) {
    return 'Points refused (403): the earning channel is disabled or unfunded, or the merchant is not verified';
  }
  return `Points refused: ${error.message.slice(0, 300)}`;
}
