import { z } from 'zod';
import { decimalToHalalas } from '../../money.ts';
import { constantTimeEqual } from '../../shared/constant-time.ts';
import { bodySignatureMatches, sha256Hex } from '../../shared/hmac.ts';
import { platformPhoneToSaudi } from '../../shared/saudi-phone.ts';
import {
  earnTriggerSchema,
  type Delivery,
  type OrderFacts,
  type ParsedDelivery,
  type PlatformConnector,
  type ReviewFacts,
  type Verification,
} from '../connector.ts';
import { connectorSecret, lineItem, paidWithPoints } from '../facts.ts';

/** Settings of the Salla connector. */
export interface SallaSettings {
  /** The app's (or webhook's) Webhook Secret: the HMAC key under Signature, the header value under Token. */
  secret: string;
  earnOn: 'paid' | 'completed';
}

const id = z.union([z.number(), z.string().min(1)]);
const amount = z.union([z.number(), z.string()]);
const money = z.looseObject({ amount, currency: z.string().nullish() });
const customer = z
  .looseObject({
    id: id.nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    name: z.string().nullish(),
    // A number (555555555) beside `mobile_code` "+966", or a string with its own code ("+966555555555").
    mobile: z.union([z.number(), z.string()]).nullish(),
    mobile_code: z.union([z.string(), z.number()]).nullish(),
  })
  .nullish();

/** `{event, merchant, created_at, data}`: every Salla delivery, `merchant` (the store) at the top. */
const envelopeSchema = z.looseObject({
  event: z.string().min(1),
  merchant: id,
  data: z.looseObject({}),
});

/** The order model the order events share (only what earning needs). */
const orderSchema = z.looseObject({
  id,
  reference_id: id.nullish(),
  status: z.union([z.looseObject({ slug: z.string().nullish() }), z.string()]).nullish(),
  payment_method: z.string().nullish(),
  is_pending_payment: z.boolean().nullish(),
  currency: z.string().nullish(),
  amounts: z.looseObject({ total: money.nullish() }).nullish(),
  customer,
  items: z
    .array(
      z.looseObject({
        name: z.string().nullish(),
        quantity: amount.nullish(),
        amounts: z.looseObject({ price_without_tax: money.nullish() }).nullish(),
        price: money.nullish(),
      }),
    )
    .nullish(),
});

/** `review.added`: the reviewed product's fields sit beside the review's, with the product and order nested. */
const reviewSchema = z.looseObject({
  id: id.nullish(),
  type: z.string().nullish(),
  rating: amount.nullish(),
  content: z.string().nullish(),
  name: z.string().nullish(),
  customer,
  product: z.looseObject({ id: id.nullish(), name: z.string().nullish() }).nullish(),
  order: z.looseObject({ id: id.nullish() }).nullish(),
});

/** Events that change whether and how much an order earns; every other event is kept and ignored. */
const orderEvents = new Set([
  'order.created',
  'order.updated',
  'order.payment.updated',
  'order.status.updated',
  'order.cancelled',
  'order.refunded',
  'order.deleted',
]);

/**
 * Feedback types that earn: `rating` (a product, or the store when no product is named) and `testimonial`
 * (the store). `ask` (a question) and `shipping` (the courier) earn nothing.
 */
const reviewTypes = new Set(['rating', 'testimonial']);

/** Statuses a merchant only reaches once the order is paid (for prepaid methods). */
const pastPaymentSlugs = new Set([
  'in_progress',
  'completed',
  'shipped',
  'delivering',
  'delivered',
  'closed',
]);
/** `closed` (مكتمل) is a slug seen on live stores beside the documented `completed`. */
const completedSlugs = new Set(['completed', 'delivered', 'closed']);
const cancelledSlugs = new Set(['canceled', 'cancelled']);
/** Salla calls a refunded order `restored` (مسترجع); `refunded` is accepted too. */
const refundedSlugs = new Set(['restored', 'refunded']);

function slugOf(order: z.infer<typeof orderSchema>): string {
  return typeof order.status === 'object' && order.status ? (order.status.slug ?? '').toLowerCase() : '';
}

/**
 * Paid, as far as one delivery shows: a prepaid order (not cash on delivery) that no longer waits for its
 * payment and has a status a merchant only sets once paid. `under_review` is the first status of an order
 * paid online, but for a bank transfer it means the merchant has yet to check the receipt: not paid yet.
 */
function isPaid(order: z.infer<typeof orderSchema>): boolean {
  const method = (order.payment_method ?? '').toLowerCase();
  if (method === '' || method === 'cod' || order.is_pending_payment === true) return false;
  const slug = slugOf(order);
  return pastPaymentSlugs.has(slug) || (slug === 'under_review' && method !== 'bank');
}

function customerPhone(who: z.infer<typeof customer>): string | null {
  return platformPhoneToSaudi({ number: who?.mobile, dialCode: who?.mobile_code }) ?? null;
}

function orderFacts(storeId: string, order: z.infer<typeof orderSchema>, event: string): OrderFacts {
  const slug = slugOf(order);
  const method = order.payment_method ?? '';
  const total = order.amounts?.total;
  const totalHalalas = total ? decimalToHalalas(total.amount) : undefined;
  const currency = total?.currency || order.currency;
  const name =
    [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ') ||
    (order.customer?.name ?? '');
  return {
    storeId,
    orderId: String(order.id),
    ...(order.reference_id !== null && order.reference_id !== undefined
      ? { reference: String(order.reference_id) }
      : {}),
    ...(isPaid(order) ? { paid: true } : {}),
    ...(completedSlugs.has(slug) ? { completed: true } : {}),
    // A deleted order is gone from the store: whatever it earned goes too.
    ...(cancelledSlugs.has(slug) || event === 'order.cancelled' || event === 'order.deleted'
      ? { cancelled: true }
      : {}),
    // Salla tells no refund amount: a refund event or status reverses the order in full.
    ...(refundedSlugs.has(slug) || event === 'order.refunded' ? { fullyRefunded: true } : {}),
    ...(totalHalalas !== undefined && totalHalalas >= 0 ? { totalHalalas } : {}),
    ...(currency ? { currency: currency.toUpperCase() } : {}),
    ...(method.toLowerCase() === 'cod' ? { cashOnDelivery: true } : {}),
    ...(paidWithPoints([method]) ? { paidWithPoints: true } : {}),
    phone: customerPhone(order.customer),
    ...(name ? { customerName: name } : {}),
    ...(order.items
      ? {
          items: order.items.flatMap((item) => {
            const unit = item.amounts?.price_without_tax ?? item.price;
            return lineItem(item.name, unit?.amount, item.quantity);
          }),
        }
      : {}),
  };
}

/** The product a review is of, or undefined for a review of the store (a testimonial is, whatever page it came from). */
function reviewedProduct(review: z.infer<typeof reviewSchema>): string | undefined {
  const productId = review.product?.id;
  return review.type === 'testimonial' || productId === null || productId === undefined
    ? undefined
    : String(productId);
}

/**
 * The review's id. The documented `review.added` sample carries none, so without one the review is named by
 * what Salla allows once: one review per customer, order and product (or the store); failing those, by the
 * delivery's bytes, which Salla resends unchanged.
 */
function reviewId(review: z.infer<typeof reviewSchema>, bodyHash: string): string {
  if (review.id !== null && review.id !== undefined) return String(review.id);
  const order = review.order?.id;
  const who = review.customer?.id;
  if (order === null || order === undefined || who === null || who === undefined) return `body-${bodyHash}`;
  return `order-${order}-${reviewedProduct(review) ?? 'store'}-customer-${who}`;
}

function reviewFacts(storeId: string, review: z.infer<typeof reviewSchema>, id: string): ReviewFacts {
  const productId = reviewedProduct(review);
  const productName = review.product?.name ?? review.name;
  const rating = review.rating === null || review.rating === undefined ? NaN : Number(review.rating);
  return {
    storeId,
    reviewId: id,
    ...(productId !== undefined ? { productId } : {}),
    ...(productId !== undefined && productName ? { productName } : {}),
    ...(Number.isFinite(rating) ? { rating } : {}),
    ...(review.content ? { comment: review.content } : {}),
    phone: customerPhone(review.customer),
  };
}

/**
 * Which strategy a delivery was sent under: the one `X-Salla-Security-Strategy` names, or, without that
 * header, the one its credentials show.
 */
function strategyOf(headers: Headers): string {
  const named = headers.get('x-salla-security-strategy');
  if (named !== null) return named.trim().toLowerCase();
  if (headers.has('x-salla-signature')) return 'signature';
  if (headers.has('authorization')) return 'token';
  return 'none';
}

/**
 * `Authorization` equal to the secret: verbatim, as Salla's docs and starters have it, or after `Bearer `, as
 * one version of Salla's partners agent kit says Salla sends it. Either way only the secret itself passes.
 */
function tokenMatches(header: string, secret: string): boolean {
  const bearer = /^bearer\s+/i.exec(header);
  const verbatim = constantTimeEqual(header, secret);
  const afterBearer = constantTimeEqual(bearer ? header.slice(bearer[0].length) : header, secret);
  return verbatim || afterBearer;
}

/**
 * Salla: a Partner app's webhook (Partners Portal → app → Webhooks, plus the store events it subscribes to)
 * or a store webhook (`POST https://api.salla.dev/admin/v2/webhooks/subscribe`) to
 * `/connectors/salla/webhooks`. A delivery is authenticated by its security strategy: `Signature` signs the
 * raw body (`X-Salla-Signature`, hex HMAC-SHA256 under the Webhook Secret), `Token` sends the secret itself
 * as `Authorization`. Strategy `none` is refused. Salla sends no event id and resends identical bodies, so a
 * delivery is known by the hash of its bytes.
 *
 * @see https://docs.salla.dev/421119m0.md
 * @example
 * // X-Salla-Security-Strategy: Signature
 * // X-Salla-Signature: hex(HMAC-SHA256(SALLA_WEBHOOK_SECRET, rawBody))
 * await salla.verify(delivery, { secret, earnOn: 'paid' }); // { ok: true }
 */
export const salla: PlatformConnector<SallaSettings> = {
  id: 'salla',
  title: 'Salla',
  configShape: {
    SALLA_WEBHOOK_SECRET: connectorSecret,
    SALLA_EARN_ON: earnTriggerSchema,
  },
  secretVariables: ['SALLA_WEBHOOK_SECRET'],
  settings(values) {
    const secret = values.SALLA_WEBHOOK_SECRET as string | undefined;
    if (!secret) return undefined;
    return { secret, earnOn: (values.SALLA_EARN_ON as 'paid' | 'completed' | undefined) ?? 'paid' };
  },
  secrets: (settings) => [settings.secret],
  earnOn: (settings) => settings.earnOn,

  async verify(delivery: Delivery, settings): Promise<Verification> {
    const strategy = strategyOf(delivery.headers);
    if (strategy === 'signature') {
      const signature = delivery.headers.get('x-salla-signature');
      if (!signature) return { ok: false, detail: 'strategy Signature without an X-Salla-Signature header' };
      const matches = await bodySignatureMatches(delivery.rawBody, signature, [settings.secret], 'hex');
      return matches ? { ok: true } : { ok: false, detail: 'X-Salla-Signature does not match the body' };
    }
    if (strategy === 'token') {
      const token = delivery.headers.get('authorization');
      if (!token) return { ok: false, detail: 'strategy Token without an Authorization header' };
      return tokenMatches(token, settings.secret)
        ? { ok: true }
        : { ok: false, detail: 'Authorization is not the webhook secret' };
    }
    return { ok: false, detail: `security strategy "${strategy}" is not accepted: use Signature or Token` };
  },

  async parse(delivery, body): Promise<ParsedDelivery> {
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) {
      const event = (body as { event?: unknown } | null)?.event;
      return {
        type: 'invalid',
        event: typeof event === 'string' && event ? event : '(none)',
        detail: 'not a Salla delivery: {event, merchant, data} are required',
      };
    }
    const { event, data } = envelope.data;
    const storeId = String(envelope.data.merchant);
    const bodyHash = await sha256Hex(delivery.rawBody);
    const dedupeKey = `salla:${storeId}:${event}:${bodyHash}`;
    if (event === 'review.added') {
      const review = reviewSchema.safeParse(data);
      if (!review.success) return { type: 'invalid', event, detail: 'not a Salla review' };
      const type = review.data.type ?? 'rating';
      if (!reviewTypes.has(type))
        return { type: 'ignored', event, dedupeKey, reason: `a review of type ${type} earns nothing` };
      return {
        type: 'review',
        event,
        dedupeKey,
        review: reviewFacts(storeId, review.data, reviewId(review.data, bodyHash)),
      };
    }
    if (!orderEvents.has(event))
      return { type: 'ignored', event, dedupeKey, reason: `event ${event} does not change earning` };
    // `order.status.updated` is a status change (its own id, the status label) with the order inside it.
    const order = orderSchema.safeParse(event === 'order.status.updated' ? data.order : data);
    if (!order.success)
      return {
        type: 'invalid',
        event,
        detail:
          event === 'order.status.updated'
            ? 'data.order is not a Salla order (no id)'
            : 'not a Salla order (no id)',
      };
    return { type: 'order', event, dedupeKey, order: orderFacts(storeId, order.data, event) };
  },
};
