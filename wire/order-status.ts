/**
 * What `GET /orders/:orderNumber/status` answers and `<points-order-status>` reads: the shopper's view of
 * one order. The edge server builds it (`server/routes/order-status.ts`), the widgets check it.
 */

/** The states a shopper can see, in the order an order usually moves through them. */
export const publicOrderStates = [
  'pending',
  'authorized',
  'confirmed',
  'cancelled',
  'partially_refunded',
  'refunded',
  'expired',
] as const;

export type PublicOrderState = (typeof publicOrderStates)[number];

export interface OrderStatusBody {
  orderNumber: string;
  state: PublicOrderState;
  /** True when the state will not change any more while the shopper waits: polling stops. */
  final: boolean;
  /** Order total in SAR with two decimals, e.g. `"199.00"`. */
  amount: string;
  settledAmount?: string;
  refundedAmount?: string;
  /** Points the shopper paid with, when any. */
  pointsRedeemed?: number;
  /** ISO 8601. */
  updatedAt: string;
}
