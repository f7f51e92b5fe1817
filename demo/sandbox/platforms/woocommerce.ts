import { wpSpecialcharsDecode } from '../../../server/connectors/woocommerce/woocommerce.ts';
import {
  customer,
  gmtTime,
  halalas,
  hmac,
  idValue,
  itemsOf,
  orderState,
  referenceOf,
  riyadhTime,
  sar,
  stableHex,
  type DeliveryBuilder,
  type OrderState,
  type PlayerOrder,
} from './common.ts';

function statusOf(order: PlayerOrder, state: OrderState): string {
  if (state.cancelledAt) return 'cancelled';
  if (state.fullyRefunded) return 'refunded';
  if (state.completedAt) return 'completed';
  // The COD gateway puts a new order straight into processing, unpaid.
  return order.cod || state.paidAt ? 'processing' : 'pending';
}

/** A date as WooCommerce gives it: `name` in the site's time (Riyadh), `name_gmt` in UTC, both null when unset. */
function dates(name: string, date: Date | undefined) {
  return { [name]: date ? riyadhTime(date) : null, [`${name}_gmt`]: date ? gmtTime(date) : null };
}

/**
 * `wp_json_encode` as WooCommerce sends it: PHP's `json_encode` escapes `/` and writes every non-ASCII
 * character as `\uXXXX`. The signature covers exactly these bytes.
 */
function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('/', '\\/')
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The REST v3 order (`GET /wc/v3/orders/{id}`) as it stands once the step happened. */
function wooOrder(order: PlayerOrder, state: OrderState) {
  const site = `https://${order.store}`;
  const address = {
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: '',
    address_1: 'King Fahd Road 1',
    address_2: '',
    city: 'Riyadh',
    state: '',
    postcode: '12211',
    country: 'SA',
  };
  return {
    id: idValue(order.orderId),
    parent_id: 0,
    number: referenceOf(order),
    order_key: `wc_order_${stableHex(order.store, order.orderId).slice(0, 13)}`,
    created_via: 'checkout',
    version: '9.4.0',
    status: statusOf(order, state),
    currency: order.currency ?? 'SAR',
    ...dates('date_created', state.placedAt),
    ...dates('date_modified', state.at),
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: '0.00',
    shipping_tax: '0.00',
    cart_tax: '0.00',
    total: order.totalSar,
    total_tax: '0.00',
    prices_include_tax: false,
    customer_id: 0,
    customer_ip_address: '192.0.2.10',
    customer_user_agent: 'mozilla/5.0 (sandbox)',
    customer_note: '',
    billing: { ...address, email: customer.email, phone: order.phone ?? '' },
    shipping: { ...address, phone: '' },
    payment_method: order.cod ? 'cod' : 'stripe',
    payment_method_title: order.cod ? 'Cash on delivery' : 'Credit Card (Stripe)',
    transaction_id: !order.cod && state.paidAt ? `pi_sandbox_${order.orderId}` : '',
    ...dates('date_paid', state.paidAt),
    ...dates('date_completed', state.completedAt),
    cart_hash: stableHex('cart', order.orderId).slice(0, 32),
    meta_data: [],
    line_items: itemsOf(order).map((item, index) => ({
      id: index + 1,
      name: item.name,
      product_id: 90 + index,
      variation_id: 0,
      quantity: item.quantity,
      tax_class: '',
      subtotal: sar(halalas(item.priceSar) * item.quantity),
      subtotal_tax: '0.00',
      total: sar(halalas(item.priceSar) * item.quantity),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      sku: `SANDBOX-${index + 1}`,
      price: Number(item.priceSar),
    })),
    tax_lines: [],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    // Newest first, each total negative, as the REST controller lists them.
    refunds: state.refunds
      .map((refund) => ({ id: idValue(refund.id), reason: '', total: `-${sar(refund.halalas)}` }))
      .reverse(),
    _links: {
      self: [{ href: `${site}/wp-json/wc/v3/orders/${order.orderId}` }],
      collection: [{ href: `${site}/wp-json/wc/v3/orders` }],
    },
  };
}

/**
 * WooCommerce: the whole current REST v3 order to `/connectors/woocommerce/webhooks`, signed with
 * `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the body) and the `X-WC-Webhook-*` headers. created →
 * `order.created`, every other step → `order.updated`: the body is the order as the step left it (status,
 * `date_paid_gmt`, `refunds[]`, a later `date_modified_gmt`), as WooCommerce builds it when it sends.
 *
 * @example
 * buildWooCommerce({ type: 'full_refund' }, { store: 'shop.example', orderId: '1052', totalSar: '199.00', phone: '0500000001' },
 *   { woocommerce: { secret: process.env.WOOCOMMERCE_WEBHOOK_SECRET! } }, [{ type: 'created' }, { type: 'paid' }]).event;
 * // 'order.updated'
 */
export const buildWooCommerce: DeliveryBuilder = (step, order, credentials, history) => {
  const secret = credentials.woocommerce?.secret;
  if (!secret)
    throw new Error(
      'WooCommerce needs credentials.woocommerce.secret (the edge server’s WOOCOMMERCE_WEBHOOK_SECRET)',
    );
  if (step.type === 'review') throw new Error('WooCommerce sends no review webhook: reviews are Salla only');
  const state = orderState(order, history, step);
  const action = step.type === 'created' ? 'created' : 'updated';
  const webhookId = String(credentials.woocommerce?.webhookId ?? 1);
  const body = phpJson(wooOrder(order, state));
  return {
    path: '/connectors/woocommerce/webhooks',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7.1)',
      'X-WC-Webhook-Source': `https://${order.store}/`,
      'X-WC-Webhook-Topic': `order.${action}`,
      'X-WC-Webhook-Resource': 'order',
      'X-WC-Webhook-Event': action,
      // WooCommerce decodes HTML entities in the secret before signing (`wp_specialchars_decode`).
      'X-WC-Webhook-Signature': hmac(wpSpecialcharsDecode(secret), body, 'base64'),
      'X-WC-Webhook-ID': webhookId,
      // wp_hash(webhook_id . strtotime('now')): the same for the same step's delivery.
      'X-WC-Webhook-Delivery-ID': stableHex(webhookId, Math.floor(state.at.getTime() / 1000)).slice(0, 32),
    },
    body,
    event: `order.${action}`,
  };
};
