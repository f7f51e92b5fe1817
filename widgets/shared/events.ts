import type { CheckoutRequest } from '../../wire/checkout.ts';
import type { OrderStatusBody } from '../../wire/order-status.ts';

/** The JSON the edge server and the widgets exchange, from `wire/` (shared by both). */
export type { CheckoutRequest } from '../../wire/checkout.ts';
export type { OrderStatusBody, PublicOrderState } from '../../wire/order-status.ts';

/** `points-render`: what a message shows now. `points` is 0 while unknown (no earn rate yet). */
export interface PointsRenderDetail {
  points: number;
  /** Amount in SAR. */
  amount: number;
}
/** `points-info-open` (cancelable): the shopper asked how Points works. */
export interface PointsInfoOpenDetail {
  points: number;
}
/** `points-checkout-start` (cancelable): the pay button is about to call the edge server. */
export interface PointsCheckoutStartDetail {
  request: CheckoutRequest;
}
/** `points-checkout-redirect` (cancelable): the checkout exists; the page is about to go there. */
export interface PointsCheckoutRedirectDetail {
  checkoutUrl: string;
  orderNumber: string;
}
/** `points-error`: something failed; `code` is the server's problem code or a widget one. */
export interface PointsErrorDetail {
  code: string;
  message: string;
  status?: number;
}
/** `points-order-status`: the order's state changed. */
export type PointsOrderStatusDetail = OrderStatusBody;

/** Every event the widgets dispatch, by type. All bubble and cross shadow roots (`composed`). */
export interface PointsEventMap {
  'points-ready': CustomEvent<Record<string, never>>;
  'points-render': CustomEvent<PointsRenderDetail>;
  'points-info-open': CustomEvent<PointsInfoOpenDetail>;
  'points-checkout-start': CustomEvent<PointsCheckoutStartDetail>;
  'points-checkout-redirect': CustomEvent<PointsCheckoutRedirectDetail>;
  'points-error': CustomEvent<PointsErrorDetail>;
  'points-order-status': CustomEvent<PointsOrderStatusDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends PointsEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends PointsEventMap {}
}
