import { toSar } from '../money.ts';
import type { Order, ShippingStatus } from '../store.ts';

export type Lang = 'ar' | 'en';

/** Canonical shipping labels. English ones follow the docs' examples; the Arabic ones are ours [INF]. */
export const shippingLabels: Record<ShippingStatus, Record<Lang, string>> = {
  new: { en: 'New', ar: 'جديد' },
  license_in_progress: { en: 'License in progress', ar: 'جاري استخراج التصريح' },
  ready_shipping: { en: 'Ready for shipping', ar: 'جاهز للشحن' },
  delivery_is_in_progress: { en: 'Delivery in progress', ar: 'جاري التوصيل' },
  delivered: { en: 'Delivered', ar: 'تم التوصيل' },
  cancelled: { en: 'Cancelled', ar: 'ملغي' },
};

/** Laravel's ISO format with microseconds: `2026-04-20T10:00:00.000000Z`. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Saudi Arabia is UTC+3 all year (no DST): the backend's local date and time [INF]. */
function riyadh(ms: number): { date: string; time: string } {
  const local = new Date(ms + 3 * 3600_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 19) };
}

/** `"2 hours ago"`, like Carbon's diffForHumans. */
export function since(from: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - from) / 1000));
  const units: Array<[string, number]> = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['week', 7 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return '1 second ago';
}

export function statusLabel(order: Order, lang: Lang): string {
  return order.customStatus?.[lang] || shippingLabels[order.shippingStatus][lang];
}

/** The §3.1 `OrderResource`, as REST answers it. */
export function toOrderResource(order: Order, lang: Lang, now: number) {
  const { date, time } = riyadh(order.createdAt);
  return {
    id: order.id,
    uuid: order.uuid,
    reference_number: order.referenceNumber,
    order_number: order.orderNumber,
    type: order.type,
    total_price: toSar(order.totalHalalas),
    total_points: order.totalPoints,
    order_status: order.orderStatus,
    status: order.shippingStatus,
    status_label: statusLabel(order, lang),
    custom_status: order.customStatus,
    metadata: order.metadata,
    items: order.items,
    date,
    time,
    since: since(order.createdAt, now),
    settlement_status: order.settlementStatus,
    created_at: isoTimestamp(order.createdAt),
    updated_at: isoTimestamp(order.updatedAt),
  };
}

/** The §4.2 `order` object of a webhook body (`id` is the uuid). */
export function toWebhookOrder(order: Order) {
  return {
    id: order.uuid,
    reference_number: order.referenceNumber,
    order_number: order.orderNumber,
    type: order.type === 1 ? 'earning' : 'replacing',
    total_price: toSar(order.totalHalalas),
    total_points: order.totalPoints,
    payment_status: 'fully_paid',
    order_status: order.orderStatus,
    metadata: order.metadata,
    created_at: isoTimestamp(order.createdAt),
    updated_at: isoTimestamp(order.updatedAt),
  };
}

/** Locale for `status_label`: `?lang=` first, then `Accept-Language`, else English [INF]. */
export function requestLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  const wanted = (query ?? acceptLanguage ?? '').trim().toLowerCase();
  return wanted.startsWith('ar') ? 'ar' : 'en';
}
