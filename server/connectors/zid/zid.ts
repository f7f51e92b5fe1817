import { z } from 'zod';
import { decimalToHalalas } from '../../money.ts';
import { constantTimeEqual } from '../../shared/constant-time.ts';
import { sha256Hex, toBase64 } from '../../shared/hmac.ts';
import { platformPhoneToSaudi } from '../../shared/saudi-phone.ts';
import {
  earnTriggerSchema,
  type EarnTrigger,
  type OrderFacts,
  type ParsedDelivery,
  type PlatformConnector,
} from '../connector.ts';
import { connectorSecret, lineItem, paidWithPoints } from '../facts.ts';

/** Settings of the Zid connector. */
export interface ZidSettings {
  /** The `username` and `password` given when the store's webhooks were created (`POST /v1/managers/webhooks`). */
  username: string;
  password: string;
  /** The whole `Authorization` value Zid sends with them: `Basic base64(username:password)`. */
  authorization: string;
  earnOn: EarnTrigger;
}

const id = z.union([z.number(), z.string().min(1)]);
const money = z.union([z.string(), z.number()]);

/** The order object Zid sends for `order.*` events (only what earning needs). */
const orderSchema = z.looseObject({
  id,
  code: z.string().nullish(),
  store_id: id,
  // The SDK notes the API sometimes gives the code as a number.
  order_status: z.looseObject({ code: z.union([z.string(), z.number()]).nullish() }).nullish(),
  payment_status: z.string().nullish(),
  payment: z
    .looseObject({
      method: z
        .looseObject({ name: z.string().nullish(), code: z.string().nullish(), type: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  order_total: money.nullish(),
  currency_code: z.string().nullish(),
  is_marketplace_order: z.boolean().nullish(),
  customer: z
    .looseObject({ name: z.string().nullish(), mobile: z.union([z.string(), z.number()]).nullish() })
    .nullish(),
  products: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        price: money.nullish(),
        quantity: z.union([z.number(), z.string()]).nullish(),
      }),
    )
    .nullish(),
  updated_at: z.string().nullish(),
});
type ZidOrder = z.infer<typeof orderSchema>;

/** Events that change whether and how much an order earns; every other event is kept and ignored. */
const orderEvents = new Set(['order.create', 'order.status.update', 'order.payment_status.update']);
const cancelledStatuses = new Set(['canceled', 'cancelled']);
const refundedStatuses = new Set(['refunded', 'reversed', 'chargeback']);
/** `zid_cod`, `cod`; "Cash On Delivery" (the webhook conditions' spelling); the Arabic label. */
const cashOnDeliveryCode = /(^|[_\-\s])cod($|[_\-\s])/i;
const cashOnDeliveryName = /cash[\s_-]*on[\s_-]*delivery|الدفع\s*عند\s*الاستلام/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The order and the event name the body gives. Zid documents the body as the bare order; an envelope
 * `{event, store_id?, data | payload}` is taken too (a bare order has its `id` and `order_status` at the root).
 */
function unwrap(body: unknown): { order: unknown; event: string | undefined } {
  if (!isObject(body) || body.id !== undefined || body.order_status !== undefined) {
    return { order: body, event: undefined };
  }
  const inner = isObject(body.data) ? body.data : isObject(body.payload) ? body.payload : undefined;
  if (!inner) return { order: body, event: undefined };
  return {
    order: { store_id: body.store_id, ...inner },
    event: typeof body.event === 'string' ? body.event : undefined,
  };
}

function isCashOnDelivery(method: NonNullable<ZidOrder['payment']>['method']): boolean {
  if (!method) return false;
  return (
    [method.code, method.type].some((code) => !!code && cashOnDeliveryCode.test(code)) ||
    [method.name, method.type].some((name) => !!name && cashOnDeliveryName.test(name))
  );
}

function items(products: NonNullable<ZidOrder['products']>): NonNullable<OrderFacts['items']> {
  return products.flatMap((product) => lineItem(product.name, product.price, product.quantity));
}

function orderFacts(order: ZidOrder): OrderFacts {
  const status = String(order.order_status?.code ?? '').toLowerCase();
  const method = order.payment?.method;
  const total =
    order.order_total === null || order.order_total === undefined
      ? undefined
      : decimalToHalalas(order.order_total);
  // Marketplace orders come with masked numbers ("***00"), which normalise to nothing: phone null.
  const phone = platformPhoneToSaudi({ number: order.customer?.mobile });
  return {
    storeId: String(order.store_id),
    orderId: String(order.id),
    reference: order.code || String(order.id),
    // `unpaid` says nothing: Zid uses it for pending, refunded and voided alike.
    ...(order.payment_status?.toLowerCase() === 'paid' ? { paid: true } : {}),
    ...(status === 'delivered' ? { completed: true } : {}),
    ...(cancelledStatuses.has(status) ? { cancelled: true } : {}),
    ...(refundedStatuses.has(status) ? { fullyRefunded: true } : {}),
    ...(total !== undefined ? { totalHalalas: total } : {}),
    ...(order.currency_code ? { currency: order.currency_code } : {}),
    ...(isCashOnDelivery(method) ? { cashOnDelivery: true } : {}),
    ...(paidWithPoints([method?.code, method?.name]) ? { paidWithPoints: true } : {}),
    phone: phone ?? null,
    ...(order.customer?.name ? { customerName: order.customer.name } : {}),
    ...(order.products ? { items: items(order.products) } : {}),
  };
}

/**
 * Zid: one webhook per store and event (`POST /v1/managers/webhooks` with `username` and `password`), each
 * to its own target URL `/connectors/zid/webhooks/<event>`, because the body is the bare order and no
 * header names the event. Zid signs nothing: with those credentials it sends
 * `Authorization: Basic base64(username:password)`, compared here as a whole in constant time. The body
 * is not covered by it, and there is no delivery id, so the dedupe key is made of the order's state.
 *
 * @see https://docs.zid.sa/webhooks
 * @see https://docs.zid.sa/webhook-events-order
 * @example
 * // Subscribe each event with the same credentials as ZID_WEBHOOK_USERNAME / ZID_WEBHOOK_PASSWORD:
 * // { event: 'order.status.update', target_url: 'https://shop.example/connectors/zid/webhooks/order.status.update',
 * //   username: '…', password: '…', original_id: 1, subscriber: 'Points', conditions: null }
 */
export const zid: PlatformConnector<ZidSettings> = {
  id: 'zid',
  title: 'Zid',
  configShape: {
    ZID_WEBHOOK_USERNAME: connectorSecret,
    ZID_WEBHOOK_PASSWORD: connectorSecret,
    ZID_EARN_ON: earnTriggerSchema,
  },
  // The username is not a secret on its own (no 32-character rule); the logger still scrubs it (secrets()).
  secretVariables: ['ZID_WEBHOOK_PASSWORD'],
  settings(values) {
    const username = values.ZID_WEBHOOK_USERNAME as string | undefined;
    const password = values.ZID_WEBHOOK_PASSWORD as string | undefined;
    if (!username || !password) return undefined;
    const authorization = `Basic ${toBase64(new TextEncoder().encode(`${username}:${password}`))}`;
    return { username, password, authorization, earnOn: values.ZID_EARN_ON as EarnTrigger };
  },
  secrets: (settings) => [
    settings.username,
    settings.password,
    settings.authorization.slice('Basic '.length),
  ],
  earnOn: (settings) => settings.earnOn,

  async verify(delivery, settings) {
    const header = delivery.headers.get('authorization')?.trim();
    if (!header) return { ok: false, detail: 'no Authorization header' };
    const [scheme = '', ...rest] = header.split(/\s+/);
    if (scheme.toLowerCase() !== 'basic') return { ok: false, detail: 'Authorization is not Basic' };
    const given = `Basic ${rest.join(' ')}`;
    return constantTimeEqual(given, settings.authorization)
      ? { ok: true }
      : { ok: false, detail: 'Authorization does not match the Zid webhook credentials' };
  },

  async parse(delivery, body): Promise<ParsedDelivery> {
    const wrapped = unwrap(body);
    if (delivery.pathEvent && wrapped.event && delivery.pathEvent !== wrapped.event) {
      return {
        type: 'invalid',
        event: delivery.pathEvent,
        detail: `the URL names ${delivery.pathEvent} but the body ${wrapped.event}`,
      };
    }
    const event = delivery.pathEvent || wrapped.event;
    if (!event) return { type: 'invalid', event: '(none)', detail: 'no event in the URL or the body' };
    if (!orderEvents.has(event)) {
      const store = isObject(wrapped.order) ? id.safeParse(wrapped.order.store_id).data : undefined;
      return {
        type: 'ignored',
        event,
        dedupeKey: `zid:${store ?? ''}:${event}:${await sha256Hex(delivery.rawBody)}`,
        reason: `event ${event} does not change earning`,
      };
    }
    const parsed = orderSchema.safeParse(wrapped.order);
    if (!parsed.success) return { type: 'invalid', event, detail: 'not a Zid order (needs id and store_id)' };
    const order = parsed.data;
    const state = [order.order_status?.code ?? '', order.payment_status ?? '', order.updated_at ?? ''];
    return {
      type: 'order',
      event,
      dedupeKey: ['zid', order.store_id, event, order.id, ...state].join(':'),
      order: orderFacts(order),
    };
  },
};
