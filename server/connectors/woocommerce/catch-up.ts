import { toBase64 } from '../../shared/hmac.ts';
import type { ParsedDelivery } from '../connector.ts';
import { gmtMillis, orderFacts, orderSchema } from './order.ts';
import type { WooCommerceRest } from './woocommerce.ts';

/** The most the REST API gives per page (`per_page` maximum). */
const pageSize = 100;
/** Pages read per run; the next run goes on from the newest order read. */
const maxPages = 20;

/**
 * Reads the orders changed since `since` (epoch ms), oldest change first, from the WooCommerce REST API
 * (`GET /wp-json/wc/v3/orders?modified_after=…`, HTTP Basic with the consumer key and secret, which
 * WooCommerce accepts over https). WooCommerce never retries a webhook, so this is how a missed one is
 * made good. Returns the orders as they came, and `newest`: the latest `date_modified_gmt` among them
 * (or `since`), where the next run starts. The query starts one second early, since WooCommerce keeps
 * whole seconds and `modified_after` is strict: an order told twice is harmless, one skipped is not.
 *
 * @throws Error naming the page and the HTTP status (never the credentials) when a page cannot be read.
 * @example
 * const { orders, newest } = await fetchChangedOrders(settings.rest, lastSweep, fetch);
 */
export async function fetchChangedOrders(
  rest: WooCommerceRest,
  since: number,
  fetch: typeof globalThis.fetch,
): Promise<{ orders: unknown[]; newest: number }> {
  const base = `${rest.storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3/orders`;
  const authorization = `Basic ${toBase64(new TextEncoder().encode(`${rest.key}:${rest.secret}`))}`;
  const modifiedAfter = new Date(Math.max(0, since - 1000)).toISOString().slice(0, 19);
  const orders: unknown[] = [];
  let newest = since;
  for (let page = 1; page <= maxPages; page++) {
    const query = new URLSearchParams({
      modified_after: modifiedAfter,
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: String(pageSize),
      page: String(page),
    });
    let response: Response;
    try {
      response = await fetch(`${base}?${query}`, { headers: { authorization, accept: 'application/json' } });
    } catch (error) {
      throw new Error(`WooCommerce orders page ${page} could not be fetched`, { cause: error });
    }
    if (!response.ok) throw new Error(`WooCommerce orders page ${page} answered HTTP ${response.status}`);
    const items: unknown = await response.json().catch(() => undefined);
    if (!Array.isArray(items)) throw new Error(`WooCommerce orders page ${page} is not a JSON list`);
    for (const item of items) {
      orders.push(item);
      const modified = gmtMillis((item as { date_modified_gmt?: string } | null)?.date_modified_gmt);
      if (modified !== undefined && modified > newest) newest = modified;
    }
    if (items.length < pageSize) break;
  }
  return { orders, newest };
}

/**
 * One order read by the sweep, as a delivery of it would be: the same facts a webhook gives, under a
 * key of its own (the same state of the same order read twice is one event).
 *
 * @example
 * orderDeliveryFromRest(storeIdFromUrl(settings.rest.storeUrl)!, orders[0]);
 */
export function orderDeliveryFromRest(storeId: string, order: unknown): ParsedDelivery {
  const event = 'rest.order';
  const parsed = orderSchema.safeParse(order);
  if (!parsed.success) return { type: 'invalid', event, detail: 'not a WooCommerce order (no id)' };
  const dedupeKey = `woocommerce:${storeId}:rest:${parsed.data.id}:${parsed.data.date_modified_gmt ?? ''}`;
  return { type: 'order', event, dedupeKey, order: orderFacts(storeId, parsed.data) };
}
