import { z } from 'zod';
import { decimalToHalalas } from '../../money.ts';
import { bodySignatureMatches, sha256Hex } from '../../shared/hmac.ts';
import { platformPhoneToSaudi } from '../../shared/saudi-phone.ts';
import {
  earnTriggerSchema,
  type OrderFacts,
  type ParsedDelivery,
  type PlatformConnector,
} from '../connector.ts';
import { connectorSecret, lineItem, paidWithPoints } from '../facts.ts';

/** Settings of the Shopify connector. */
export interface ShopifySettings {
  /** The app's client secret, then the previous one while a rotation settles (Shopify: up to an hour). */
  secrets: string[];
  earnOn: 'paid' | 'completed';
}

const money = z.union([z.string(), z.number()]);
const address = z.looseObject({ phone: z.string().nullish(), country_code: z.string().nullish() }).nullish();
const transaction = z.looseObject({
  amount: money,
  kind: z.string().nullish(),
  status: z.string().nullish(),
});
const refund = z.looseObject({
  id: z.union([z.number(), z.string()]),
  order_id: z.union([z.number(), z.string()]).nullish(),
  transactions: z.array(transaction).nullish(),
});

/** The REST order resource as Shopify sends it for `orders/*` (only what earning needs). */
const orderSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  name: z.string().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  total_price: money.nullish(),
  currency: z.string().nullish(),
  test: z.boolean().nullish(),
  gateway: z.string().nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  phone: z.string().nullish(),
  customer: z
    .looseObject({
      phone: z.string().nullish(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
    })
    .nullish(),
  billing_address: address,
  shipping_address: address,
  line_items: z
    .array(
      z.looseObject({ title: z.string().nullish(), price: money.nullish(), quantity: z.number().nullish() }),
    )
    .nullish(),
  refunds: z.array(refund).nullish(),
});

/** Topics that change whether and how much an order earns; every other topic is kept and ignored. */
const orderTopics = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);
const paidStatuses = new Set(['paid', 'partially_refunded', 'refunded']);

/** What a refund gave back: its successful refund transactions. */
function refundHalalas(item: z.infer<typeof refund>): number {
  return (item.transactions ?? [])
    .filter((t) => (t.kind ?? 'refund') === 'refund' && (t.status ?? 'success') === 'success')
    .reduce((sum, t) => sum + Math.max(0, decimalToHalalas(t.amount) ?? 0), 0);
}

function orderFacts(shop: string, order: z.infer<typeof orderSchema>, topic: string): OrderFacts {
  const phoneSource = [
    order.customer?.phone,
    order.phone,
    order.billing_address?.phone,
    order.shipping_address?.phone,
  ]
    .map((number, index) =>
      platformPhoneToSaudi({
        number,
        country:
          index >= 2 ? (index === 2 ? order.billing_address : order.shipping_address)?.country_code : null,
      }),
    )
    .find((phone) => phone !== undefined);
  const total =
    order.total_price === null || order.total_price === undefined
      ? undefined
      : decimalToHalalas(order.total_price);
  const name = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ');
  const gateways = [order.gateway ?? '', ...(order.payment_gateway_names ?? [])];
  return {
    storeId: shop,
    orderId: String(order.id),
    ...(order.name ? { reference: order.name } : {}),
    // `orders/paid` says so by its topic; other topics by the financial status they carry.
    ...(topic === 'orders/paid' || paidStatuses.has(order.financial_status ?? '') ? { paid: true } : {}),
    ...(order.fulfillment_status === 'fulfilled' ? { completed: true } : {}),
    ...(order.cancelled_at || topic === 'orders/cancelled' ? { cancelled: true } : {}),
    ...(order.financial_status === 'refunded' ? { fullyRefunded: true } : {}),
    ...(order.refunds
      ? { refunds: order.refunds.map((r) => ({ id: String(r.id), halalas: refundHalalas(r) })) }
      : {}),
    ...(total !== undefined ? { totalHalalas: total } : {}),
    ...(order.currency ? { currency: order.currency } : {}),
    ...(paidWithPoints(gateways) ? { paidWithPoints: true } : {}),
    ...(order.test ? { test: true } : {}),
    phone: phoneSource ?? null,
    ...(name ? { customerName: name } : {}),
    ...(order.line_items
      ? {
          items: order.line_items.flatMap((line) => lineItem(line.title, line.price, line.quantity)),
        }
      : {}),
  };
}

/**
 * Shopify: app webhooks (`shopify.app.toml` or `webhookSubscriptionCreate`) to `/connectors/shopify/webhooks`.
 * Each delivery is signed with the app's client secret: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256
 * of the raw body. The topic and the shop come in headers; `X-Shopify-Event-Id` names the event, the same
 * across retries and across subscriptions to one topic.
 *
 * @see https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
 */
export const shopify: PlatformConnector<ShopifySettings> = {
  id: 'shopify',
  title: 'Shopify',
  configShape: {
    SHOPIFY_API_SECRET: connectorSecret,
    SHOPIFY_API_SECRET_PREVIOUS: connectorSecret,
    SHOPIFY_EARN_ON: earnTriggerSchema,
  },
  secretVariables: ['SHOPIFY_API_SECRET', 'SHOPIFY_API_SECRET_PREVIOUS'],
  settings(values) {
    const current = values.SHOPIFY_API_SECRET as string | undefined;
    if (!current) return undefined;
    const previous = values.SHOPIFY_API_SECRET_PREVIOUS as string | undefined;
    return { secrets: previous ? [current, previous] : [current], earnOn: values.SHOPIFY_EARN_ON as 'paid' };
  },
  secrets: (settings) => settings.secrets,
  earnOn: (settings) => settings.earnOn,

  async verify(delivery, settings) {
    const signature = delivery.headers.get('x-shopify-hmac-sha256');
    if (!signature) return { ok: false, detail: 'no X-Shopify-Hmac-Sha256 header' };
    const matches = await bodySignatureMatches(delivery.rawBody, signature, settings.secrets, 'base64');
    return matches ? { ok: true } : { ok: false, detail: 'X-Shopify-Hmac-Sha256 does not match the body' };
  },

  async parse(delivery, body): Promise<ParsedDelivery> {
    const topic = delivery.headers.get('x-shopify-topic') ?? '';
    const shop = delivery.headers.get('x-shopify-shop-domain') ?? '';
    if (!topic || !shop)
      return {
        type: 'invalid',
        event: topic || '(none)',
        detail: 'X-Shopify-Topic and X-Shopify-Shop-Domain are required',
      };
    // Without either id (a proxy that drops headers), the bytes: one key for all would drop every other.
    const eventId =
      delivery.headers.get('x-shopify-event-id') ??
      delivery.headers.get('x-shopify-webhook-id') ??
      `body-${await sha256Hex(delivery.rawBody)}`;
    const dedupeKey = `shopify:${shop}:${topic}:${eventId}`;
    if (topic === 'refunds/create') {
      const parsed = refund.safeParse(body);
      if (!parsed.success || parsed.data.order_id === null || parsed.data.order_id === undefined) {
        return { type: 'invalid', event: topic, detail: 'a refund needs id and order_id' };
      }
      return {
        type: 'order',
        event: topic,
        dedupeKey,
        order: {
          storeId: shop,
          orderId: String(parsed.data.order_id),
          refunds: [{ id: String(parsed.data.id), halalas: refundHalalas(parsed.data) }],
        },
      };
    }
    if (!orderTopics.has(topic))
      return { type: 'ignored', event: topic, dedupeKey, reason: `topic ${topic} does not change earning` };
    const parsed = orderSchema.safeParse(body);
    if (!parsed.success) return { type: 'invalid', event: topic, detail: 'not a Shopify order (no id)' };
    return { type: 'order', event: topic, dedupeKey, order: orderFacts(shop, parsed.data, topic) };
  },
};
