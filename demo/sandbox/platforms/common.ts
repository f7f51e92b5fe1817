import { createHash, createHmac } from 'node:crypto';
import { normalizeSaudiPhone } from '../../../server/shared/saudi-phone.ts';

/** The store platforms the player can play. */
export type PlatformName = 'salla' | 'zid' | 'shopify' | 'woocommerce';

/** The order a platform sends deliveries about. */
export interface PlayerOrder {
  /** Salla merchant id (digits), Zid store id (digits), Shopify shop domain, WooCommerce site host. */
  store: string;
  /** The platform's order id (digits). */
  orderId: string;
  /** The number people see (default: `orderId` when short, else 1000 + its last six digits). */
  reference?: string;
  /** What the customer pays, e.g. "199.00". */
  totalSar: string;
  /** Default 'SAR'. */
  currency?: string;
  /** As the platform would hold it, e.g. '0500000002' or '+966500000002'; null: the order has none. */
  phone: string | null;
  /** Cash on delivery. */
  cod?: boolean;
  /** Default: one item at the total. */
  items?: Array<{ name: string; priceSar: string; quantity: number }>;
  /** When the order was placed (ISO); every later step is ten minutes after the one before. Default 2026-11-24T09:08:00Z. */
  placedAt?: string;
}

/** One thing that happens to an order on the platform. */
export type PlayerStep =
  /** Order placed, not paid. */
  | { type: 'created' }
  /** Payment confirmed (card); for a cash on delivery order: accepted by the merchant, still unpaid. */
  | { type: 'paid' }
  /** Delivered or completed (cash on delivery: the cash collected). */
  | { type: 'completed' }
  /** Only Shopify and WooCommerce tell refund amounts. */
  | { type: 'partial_refund'; amountSar: string; refundId?: string }
  /** Whatever is left is refunded. */
  | { type: 'full_refund' }
  | { type: 'cancelled' }
  /** Salla only. */
  | { type: 'review'; reviewId: string; rating: number; productId?: string; productName?: string };

/** The secrets the edge server is configured with (the same values as its environment variables). */
export interface PlayerCredentials {
  /** SALLA_WEBHOOK_SECRET; the strategy defaults to `signature`. */
  salla?: { secret: string; strategy?: 'signature' | 'token' };
  /** ZID_WEBHOOK_USERNAME, ZID_WEBHOOK_PASSWORD. */
  zid?: { username: string; password: string };
  /** SHOPIFY_API_SECRET. */
  shopify?: { secret: string };
  /** WOOCOMMERCE_WEBHOOK_SECRET; the webhook id defaults to 1. */
  woocommerce?: { secret: string; webhookId?: number };
}

/** One delivery, ready to POST to the edge server's base URL + `path`. */
export interface BuiltDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The platform's event or topic. */
  event: string;
}

/** Builds one platform's delivery of `step`, the order being as `history` left it. */
export type DeliveryBuilder = (
  step: PlayerStep,
  order: PlayerOrder,
  credentials: PlayerCredentials,
  history: PlayerStep[],
) => BuiltDelivery;

/** Where an order stands once a step happened, the same on every platform. */
export interface OrderState {
  /** How many steps came before this one. */
  index: number;
  /** When this step happened. */
  at: Date;
  placedAt: Date;
  /** The `paid` step happened (for cash on delivery: the merchant accepted the order). */
  confirmed: boolean;
  /** The money was received: a card order once paid, cash on delivery once completed. */
  paidAt?: Date;
  completedAt?: Date;
  cancelledAt?: Date;
  fullyRefunded: boolean;
  /** Every refund so far, oldest first; `index` is the step that made it. */
  refunds: Array<{ id: string; halalas: number; at: Date; index: number }>;
  totalHalalas: number;
}

const stepMillis = 10 * 60 * 1000;
const defaultPlacedAt = '2026-11-24T09:08:00Z';

/** "199.00" → 19900; anything else than a plain amount throws. */
export function halalas(sar: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(sar)) throw new Error(`"${sar}" is not an amount like 199.00`);
  return Math.round(Number(sar) * 100);
}

/** 19900 → "199.00". */
export function sar(amount: number): string {
  return (amount / 100).toFixed(2);
}

/** A digits id as the JSON number platforms send, or the string when it is too long for one. */
export function idValue(id: string): number | string {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/** The number people see: `reference`, or a short id as it is, or a long one as 1000 + its last six digits. */
export function referenceOf(order: PlayerOrder): string {
  if (order.reference !== undefined) return order.reference;
  return order.orderId.length <= 6 ? order.orderId : String(1000 + Number(order.orderId.slice(-6)));
}

export function itemsOf(order: PlayerOrder): Array<{ name: string; priceSar: string; quantity: number }> {
  return order.items ?? [{ name: 'Sandbox item', priceSar: order.totalSar, quantity: 1 }];
}

/** The order after `history` and then `step`. */
export function orderState(order: PlayerOrder, history: PlayerStep[], step: PlayerStep): OrderState {
  if (!/^\d+$/.test(order.orderId)) throw new Error(`orderId must be digits, not "${order.orderId}"`);
  const placedAt = new Date(order.placedAt ?? defaultPlacedAt);
  if (Number.isNaN(placedAt.getTime())) throw new Error(`placedAt "${order.placedAt}" is not a date`);
  const state: OrderState = {
    index: history.length,
    at: new Date(placedAt.getTime() + history.length * stepMillis),
    placedAt,
    confirmed: false,
    fullyRefunded: false,
    refunds: [],
    totalHalalas: halalas(order.totalSar),
  };
  for (const [index, happened] of [...history, step].entries()) {
    const at = new Date(placedAt.getTime() + index * stepMillis);
    const left = state.totalHalalas - state.refunds.reduce((sum, refund) => sum + refund.halalas, 0);
    const refundId = () => `${order.orderId}${String(state.refunds.length + 1).padStart(2, '0')}`;
    if (happened.type === 'paid') {
      state.confirmed = true;
      if (!order.cod) state.paidAt ??= at;
    } else if (happened.type === 'completed') {
      state.completedAt ??= at;
      state.paidAt ??= at;
    } else if (happened.type === 'cancelled') {
      state.cancelledAt ??= at;
    } else if (happened.type === 'partial_refund') {
      const amount = halalas(happened.amountSar);
      if (amount <= 0 || amount > left)
        throw new Error(`a refund of ${happened.amountSar} does not fit the ${sar(left)} left to refund`);
      state.refunds.push({ id: happened.refundId ?? refundId(), halalas: amount, at, index });
    } else if (happened.type === 'full_refund') {
      if (left > 0) state.refunds.push({ id: refundId(), halalas: left, at, index });
      state.fullyRefunded = true;
    }
  }
  return state;
}

/** The refund the step being built made, if it made one. */
export function refundOfStep(state: OrderState): OrderState['refunds'][number] | undefined {
  const last = state.refunds.at(-1);
  return last?.index === state.index ? last : undefined;
}

export function hmac(secret: string, body: string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest(encoding);
}

/** A hex id that is the same whenever the same parts are given (a duplicate carries the same ids). */
export function stableHex(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID-shaped stable id. */
export function stableUuid(...parts: Array<string | number>): string {
  const hex = stableHex(...parts);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Riyadh local time (UTC+3, no daylight saving) as "2026-11-24T12:08:00". */
export function riyadhTime(date: Date): string {
  return new Date(date.getTime() + 3 * 3600 * 1000).toISOString().slice(0, 19);
}

/** UTC as "2026-11-24T09:08:00" (WooCommerce's `*_gmt` dates). */
export function gmtTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A Saudi number as its nine national digits, or undefined when it is not one. */
export function saudiNational(phone: string | null): string | undefined {
  return phone === null ? undefined : normalizeSaudiPhone(phone);
}

/** The sandbox customer's name and email. */
export const customer = { firstName: 'Sandbox', lastName: 'Customer', email: 'customer@example.test' };
