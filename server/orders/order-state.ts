import type { PublicOrderState } from '../../wire/order-status.ts';
/** Our view of an order's state, derived from Points' `order_status` and our own checks. */
export type OrderState =
  | 'pending' // checkout session created, nothing settled yet
  | 'authorized'
  | 'confirmed' // paid (approved or captured) and the settled total matched
  | 'amount_mismatch' // settled, but not for the total we expected: flagged, never fulfilled
  | 'partially_refunded'
  | 'refunded'
  | 'cancelled'
  | 'abandoned'; // the checkout session expired with no word from Points

/** Points' financial `order_status` values (points-api.md §3.1). */
export type PointsOrderStatus =
  'new' | 'approved' | 'authorized' | 'captured' | 'cancelled' | 'fully_refunded' | 'partially_refunded';

/**
 * How far along an order is. A state only ever moves to a higher rank, so a late or replayed
 * `authorized` can never undo `captured`, whatever order deliveries arrive in. `abandoned` is our own
 * guess (the session expired unheard) and ranks below every answer from Points.
 */
const rank: Record<OrderState, number> = {
  abandoned: 0,
  pending: 1,
  authorized: 2,
  confirmed: 3,
  amount_mismatch: 3,
  partially_refunded: 4,
  refunded: 5,
  cancelled: 5,
};

/** Every state an order can be in. */
export const orderStates = Object.keys(rank) as [OrderState, ...OrderState[]];

/** States in which money has moved for an order (it has nothing left to pay). */
export const paymentStates: ReadonlySet<OrderState> = new Set([
  'authorized',
  'confirmed',
  'amount_mismatch',
  'partially_refunded',
  'refunded',
]);

/** States the shopper's return page treats as settled (no more polling). */
export const settledStates: ReadonlySet<OrderState> = new Set([
  'confirmed',
  'amount_mismatch',
  'partially_refunded',
  'refunded',
  'cancelled',
  'abandoned',
]);

/**
 * The local state a Points status means. A paid order whose settled total differs from what we expected
 * becomes `amount_mismatch`: flagged for a person, never fulfilled.
 */
export function stateForPointsStatus(status: PointsOrderStatus, totalsMatch: boolean): OrderState {
  switch (status) {
    case 'new':
      return 'pending';
    case 'authorized':
      return 'authorized';
    case 'approved':
    case 'captured':
      return totalsMatch ? 'confirmed' : 'amount_mismatch';
    case 'partially_refunded':
      return 'partially_refunded';
    case 'fully_refunded':
      return 'refunded';
    case 'cancelled':
      return 'cancelled';
  }
}

/**
 * Applies an observed state monotonically: returns `next` when it moves the order forward, else `current`.
 * Between the two paid outcomes of equal rank, `amount_mismatch` wins: a mismatch once seen stays flagged.
 */
export function advanceState(current: OrderState, next: OrderState): OrderState {
  if (current === next) return current;
  if (rank[next] > rank[current]) return next;
  if (rank[next] === rank[current] && next === 'amount_mismatch') return next;
  return current;
}

/**
 * An order's state as the shopper's return page (`<points-order-status>`) sees it: a flagged amount
 * mismatch is still `pending` for the shopper (the merchant checks it), an abandoned session `expired`.
 */
type ShopperSees = Exclude<OrderState, 'amount_mismatch' | 'abandoned'> | 'expired';
// The wire's list of public states must be exactly these: a new state fails the typecheck here.
const publicStatesMatch: [ShopperSees] extends [PublicOrderState]
  ? [PublicOrderState] extends [ShopperSees]
    ? true
    : never
  : never = true;
void publicStatesMatch;

/** The shopper's view of `state`, and whether it is settled (the return page stops polling). */
export function publicOrderState(state: OrderState): { state: PublicOrderState; final: boolean } {
  if (state === 'abandoned') return { state: 'expired', final: true };
  if (state === 'amount_mismatch') return { state: 'pending', final: false };
  return { state, final: settledStates.has(state) };
}
