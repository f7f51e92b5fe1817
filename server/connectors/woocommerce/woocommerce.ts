import { z } from 'zod';
import { bodySignatureMatches } from '../../shared/hmac.ts';
import { earnTriggerSchema, type ParsedDelivery, type PlatformConnector } from '../connector.ts';
import { connectorSecret } from '../facts.ts';
import { orderFacts, orderSchema, storeIdFromUrl } from './order.ts';
import { fetchChangedOrders, orderDeliveryFromRest } from './catch-up.ts';

/** The REST API credentials the catch-up sweep reads orders with (WooCommerce → Settings → Advanced → REST API). */
export interface WooCommerceRest {
  /** The site's https URL, e.g. `https://shop.example` (with the path when WordPress is not at the root). */
  storeUrl: string;
  /** Consumer key (`ck_…`) of a key with read access. */
  key: string;
  /** Consumer secret (`cs_…`). */
  secret: string;
}

/** Settings of the WooCommerce connector. */
export interface WooCommerceSettings {
  /** The webhook's secret (the same on every webhook the store sends us). */
  secret: string;
  earnOn: 'paid' | 'completed';
  /** Set only when all three REST variables are. */
  rest?: WooCommerceRest;
}

/**
 * WordPress's `wp_specialchars_decode($text, ENT_QUOTES)`, which WooCommerce applies to the secret before
 * signing: the five HTML special characters as named or (zero-padded) numeric entities, nothing else.
 * Decoding ours the same way makes a secret with `&`, `<`, `>`, `"` or `'` in it sign alike on both sides.
 *
 * @example wpSpecialcharsDecode('a&amp;b&#039;c'); // "a&b'c"
 */
export function wpSpecialcharsDecode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  const decimal: Record<string, string> = { '39': "'", '34': '"', '60': '<', '62': '>', '38': '&' };
  const hex: Record<string, string> = { '27': "'", '22': '"', '26': '&' };
  return text.replace(
    /&(?:(quot|lt|gt|amp)|#0*(39|34|60|62|38)|#[xX]0*(27|22|26));/g,
    (entity, name?: string, dec?: string, hx?: string) =>
      name ? named[name]! : dec ? decimal[dec]! : hx ? hex[hx]! : entity,
  );
}

/** Order topics whose body is the order itself; `order.deleted` (the order was trashed) carries only `{id}`. */
const orderTopics = new Set(['order.created', 'order.updated', 'order.restored']);

/** The creation ping, `webhook_id=<id>` form-encoded (`WC_Webhook::deliver_ping`). */
const pingBody = /^webhook_id=\d+$/;

/**
 * WooCommerce: a webhook per topic (WooCommerce → Settings → Advanced → Webhooks, API version 3) to
 * `/connectors/woocommerce/webhooks`, all with the same secret. `X-WC-Webhook-Signature` is the base64
 * HMAC-SHA256 of the raw body; the topic and the site come in headers, the body is the REST v3 resource
 * as it is when the delivery is sent. WooCommerce never retries a failed delivery, so with REST keys set
 * a catch-up sweep (`catch-up.ts`) reads the orders changed since the last one.
 *
 * Paid: status `processing`/`completed` or `date_paid` set; cash on delivery once `completed`.
 * Refunds: `refunds[]` in every `order.updated`, by their ids; status `refunded` refunds in full.
 *
 * @see https://github.com/woocommerce/woocommerce/blob/trunk/plugins/woocommerce/includes/class-wc-webhook.php
 */
export const woocommerce: PlatformConnector<WooCommerceSettings> = {
  id: 'woocommerce',
  title: 'WooCommerce',
  configShape: {
    WOOCOMMERCE_WEBHOOK_SECRET: connectorSecret,
    WOOCOMMERCE_EARN_ON: earnTriggerSchema,
    WOOCOMMERCE_STORE_URL: z.url({ protocol: /^https$/ }).optional(),
    WOOCOMMERCE_CONSUMER_KEY: connectorSecret,
    WOOCOMMERCE_CONSUMER_SECRET: connectorSecret,
  },
  secretVariables: ['WOOCOMMERCE_WEBHOOK_SECRET', 'WOOCOMMERCE_CONSUMER_KEY', 'WOOCOMMERCE_CONSUMER_SECRET'],
  settings(values) {
    const secret = values.WOOCOMMERCE_WEBHOOK_SECRET as string | undefined;
    if (!secret) return undefined;
    const storeUrl = values.WOOCOMMERCE_STORE_URL as string | undefined;
    const key = values.WOOCOMMERCE_CONSUMER_KEY as string | undefined;
    const restSecret = values.WOOCOMMERCE_CONSUMER_SECRET as string | undefined;
    return {
      secret,
      earnOn: values.WOOCOMMERCE_EARN_ON as 'paid' | 'completed',
      ...(storeUrl && key && restSecret ? { rest: { storeUrl, key, secret: restSecret } } : {}),
    };
  },
  secrets: (settings) => [
    settings.secret,
    ...(settings.rest ? [settings.rest.key, settings.rest.secret] : []),
  ],
  earnOn: (settings) => settings.earnOn,

  catchUp(settings, since, fetch) {
    const rest = settings.rest;
    if (!rest) return undefined;
    return fetchChangedOrders(rest, since, fetch).then(({ orders, newest }) => ({
      newest,
      deliveries: orders.map((order) => ({
        parsed: orderDeliveryFromRest(storeIdFromUrl(rest.storeUrl) ?? rest.storeUrl, order),
        text: JSON.stringify(order),
      })),
    }));
  },

  isPing(delivery) {
    return !delivery.headers.has('x-wc-webhook-signature') && pingBody.test(delivery.text.trim());
  },

  async verify(delivery, settings) {
    const signature = delivery.headers.get('x-wc-webhook-signature');
    if (!signature) return { ok: false, detail: 'no X-WC-Webhook-Signature header' };
    const key = wpSpecialcharsDecode(settings.secret);
    const matches = await bodySignatureMatches(delivery.rawBody, signature, [key], 'base64');
    return matches ? { ok: true } : { ok: false, detail: 'X-WC-Webhook-Signature does not match the body' };
  },

  parse(delivery, body): ParsedDelivery {
    const topic = delivery.headers.get('x-wc-webhook-topic') ?? '';
    const source = delivery.headers.get('x-wc-webhook-source') ?? '';
    const store = storeIdFromUrl(source);
    if (!topic || !store)
      return {
        type: 'invalid',
        event: topic || '(none)',
        detail: 'X-WC-Webhook-Topic and an X-WC-Webhook-Source URL are required',
      };
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { type: 'invalid', event: topic, detail: 'the body is not a JSON object' };
    const fields = body as Record<string, unknown>;
    const subject = fields.id ?? fields.arg ?? '';
    const modified = typeof fields.date_modified_gmt === 'string' ? fields.date_modified_gmt : '';
    // WooCommerce builds the body when it sends it: the same state of the same resource is the same event.
    const webhookId = delivery.headers.get('x-wc-webhook-id') ?? '';
    const dedupeKey = `woocommerce:${store}:${webhookId}:${topic}:${String(subject)}:${modified}`;
    if (topic === 'order.deleted')
      return {
        type: 'ignored',
        event: topic,
        dedupeKey,
        reason: 'a trashed order is not a refund; it may be restored',
      };
    if (!orderTopics.has(topic))
      return { type: 'ignored', event: topic, dedupeKey, reason: `topic ${topic} does not change earning` };
    const parsed = orderSchema.safeParse(body);
    if (!parsed.success) return { type: 'invalid', event: topic, detail: 'not a WooCommerce order (no id)' };
    // The Source header is not signed; the order's own link is. A body replayed under another site's name stops here.
    const self = parsed.data._links?.self?.[0]?.href;
    if (self && URL.canParse(self) && new URL(self).host !== new URL(source).host)
      return {
        type: 'invalid',
        event: topic,
        detail: 'X-WC-Webhook-Source is not the site the order links to',
      };
    return { type: 'order', event: topic, dedupeKey, order: orderFacts(store, parsed.data) };
  },
};

export { storeIdFromUrl } from './order.ts';
