import type { Core } from '../core.ts';
import { toSar } from '../money.ts';
import type { Order, OrderStatus } from '../store.ts';

/** A refused transition: answered as HTTP 400 with this message. */
export interface Refusal {
  refused: string;
}

type Result = Order | Refusal;

export const defaultCancelReason = 'Order cancelled via API';
export const autoRefundReason = 'auto_refund_missing_transaction';

function is(order: Order, ...statuses: OrderStatus[]): boolean {
  return statuses.includes(order.orderStatus);
}

function touch(core: Core, order: Order, status: OrderStatus): void {
  order.orderStatus = status;
  order.updatedAt = core.now();
}

/** new → authorized (replacing orders only) [INF: docs only name cancelled/refunded as forbidden]. */
export function authorize(core: Core, order: Order): Result {
  if (order.type !== 2 || !is(order, 'new')) return { refused: 'Order cannot be authorized' };
  touch(core, order, 'authorized');
  core.emit(order, [{ event: 'authorized' }]);
  return order;
}

/** authorized → captured. */
export function capture(core: Core, order: Order): Result {
  if (!is(order, 'authorized')) return { refused: 'Order cannot be captured' };
  touch(core, order, 'captured');
  core.emit(order, [{ event: 'captured' }]);
  return order;
}

/** Replacing order new/authorized → approved; fires `approved` then `completed`. */
export function complete(core: Core, order: Order, paymentMethod: string | null): Result {
  if (order.type !== 2) return { refused: 'Only replacing orders can be completed' };
  if (is(order, 'approved')) return { refused: 'Order is already completed' };
  if (is(order, 'captured')) return { refused: 'Order already fully paid' };
  if (!is(order, 'new', 'authorized')) return { refused: 'Order cannot be completed' };
  order.paymentMethod = paymentMethod;
  touch(core, order, 'approved');
  core.emit(order, [{ event: 'approved' }, { event: 'completed' }]);
  return order;
}

/** new/authorized → cancelled; redeemed points go back to the customer. */
export function cancel(core: Core, order: Order, reason: string | null): Result {
  if (!is(order, 'new', 'authorized')) return { refused: 'Order cannot be cancelled' };
  cancelOrder(core, order, reason ?? defaultCancelReason);
  return order;
}

/** Also used by the hosted checkout (abandon, failed payment, expiry). */
export function cancelOrder(core: Core, order: Order, reason: string): void {
  if (order.phone && order.redeemedPoints > 0)
    core.store.customer(order.phone).balance += order.redeemedPoints;
  order.redeemedPoints = 0;
  order.totalPoints = 0;
  order.cancelReason = reason;
  touch(core, order, 'cancelled');
  core.emit(order, [{ event: 'cancelled', extras: { reason } }]);
}

/** Moves `refundHalalas` (and the matching points) out of the order and settles the customer's balance. */
function applyRefund(core: Core, order: Order, refundHalalas: number) {
  const leftHalalas = order.totalHalalas - order.refundedHalalas - refundHalalas;
  const pointsLeftBefore = order.totalPoints - order.refundedPoints;
  const refundPoints =
    leftHalalas === 0
      ? pointsLeftBefore
      : Math.min(pointsLeftBefore, Math.round((order.totalPoints * refundHalalas) / order.totalHalalas));
  order.refundedHalalas += refundHalalas;
  order.refundedPoints += refundPoints;
  if (order.phone) {
    const customer = core.store.customer(order.phone);
    // Earning orders take the earned points back; replacing orders give redeemed points back.
    customer.balance =
      order.type === 1 ? Math.max(0, customer.balance - refundPoints) : customer.balance + refundPoints;
  }
  touch(core, order, leftHalalas === 0 ? 'fully_refunded' : 'partially_refunded');
  return {
    refund_amount: toSar(refundHalalas),
    refund_points: refundPoints,
    left_points: order.totalPoints - order.refundedPoints,
    left_amount: toSar(leftHalalas),
  };
}

/** approved/captured/partially_refunded → partially_refunded or fully_refunded. */
export function refund(
  core: Core,
  order: Order,
  amountHalalas: number | null,
  reason: string | null,
): Result {
  if (!is(order, 'approved', 'captured', 'partially_refunded'))
    return { refused: 'Order cannot be refunded' };
  const remaining = order.totalHalalas - order.refundedHalalas;
  const amount = amountHalalas ?? remaining;
  if (amount > remaining) return { refused: 'Refund amount exceeds the remaining refundable amount' };
  if (amount === 0 && remaining > 0) return { refused: 'Refund amount must be greater than zero' };
  const numbers = applyRefund(core, order, amount);
  const type = order.type === 1 ? 'earning' : 'replacing';
  core.emit(order, [{ event: 'refunded', extras: { ...numbers, reason, type } }]);
  return order;
}

/** Points' internal reversal of a replacing order (§4.3 `auto_refunded`); only the sandbox control triggers it. */
export function autoRefund(core: Core, order: Order): Result {
  if (order.type !== 2 || is(order, 'cancelled', 'fully_refunded')) {
    return { refused: 'Only a replacing order that is not cancelled or fully refunded can be auto-refunded' };
  }
  const { refund_amount, refund_points } = applyRefund(
    core,
    order,
    order.totalHalalas - order.refundedHalalas,
  );
  const extras = { refund_amount, refund_points, reason: autoRefundReason, type: 'replacing' };
  core.emit(order, [{ event: 'auto_refunded', extras }]);
  return order;
}
