import {
  customer,
  hmac,
  idValue,
  itemsOf,
  orderState,
  referenceOf,
  refundOfStep,
  riyadhTime,
  sar,
  stableUuid,
  type DeliveryBuilder,
  type OrderState,
  type PlayerOrder,
} from './common.ts';

const apiVersion = '2025-10';

/** "2026-11-24T12:08:00+03:00", a shop in Riyadh as Shopify writes its times. */
function shopTime(date: Date): string {
  return `${riyadhTime(date)}+03:00`;
}

function gateway(order: PlayerOrder): string {
  return order.cod ? 'Cash on Delivery (COD)' : 'shopify_payments';
}

function financialStatus(state: OrderState): string {
  if (state.fullyRefunded) return 'refunded';
  if (state.refunds.length > 0) return 'partially_refunded';
  if (state.paidAt) return 'paid';
  return state.cancelledAt ? 'voided' : 'pending';
}

/** The REST Refund resource, with its one successful refund transaction. */
function refundResource(order: PlayerOrder, refund: OrderState['refunds'][number]) {
  const amount = sar(refund.halalas);
  return {
    id: idValue(refund.id),
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    order_id: idValue(order.orderId),
    created_at: shopTime(refund.at),
    processed_at: shopTime(refund.at),
    note: 'Sandbox refund',
    restock: false,
    user_id: null,
    refund_line_items: [],
    order_adjustments: [],
    duties: [],
    transactions: [
      {
        id: idValue(`${refund.id}1`),
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${refund.id}1`,
        order_id: idValue(order.orderId),
        kind: 'refund',
        gateway: gateway(order),
        status: 'success',
        message: 'Refunded',
        created_at: shopTime(refund.at),
        processed_at: shopTime(refund.at),
        amount,
        currency: order.currency ?? 'SAR',
        test: false,
      },
    ],
  };
}

/** The REST Order resource as `orders/*` topics carry it. */
function orderResource(order: PlayerOrder, state: OrderState) {
  const currency = order.currency ?? 'SAR';
  const reference = referenceOf(order);
  const items = itemsOf(order);
  const refunded = state.refunds.reduce((sum, refund) => sum + refund.halalas, 0);
  const address = {
    first_name: customer.firstName,
    last_name: customer.lastName,
    address1: 'King Fahd Road 1',
    city: 'Riyadh',
    zip: '12211',
    country: 'Saudi Arabia',
    country_code: 'SA',
    phone: order.phone,
  };
  return {
    id: idValue(order.orderId),
    admin_graphql_api_id: `gid://shopify/Order/${order.orderId}`,
    name: `#${reference}`,
    order_number: idValue(reference),
    number: idValue(reference),
    email: customer.email,
    phone: order.phone,
    created_at: shopTime(state.placedAt),
    updated_at: shopTime(state.at),
    processed_at: shopTime(state.placedAt),
    currency,
    presentment_currency: currency,
    total_price: order.totalSar,
    subtotal_price: order.totalSar,
    current_total_price: sar(state.totalHalalas - refunded),
    total_tax: '0.00',
    taxes_included: false,
    financial_status: financialStatus(state),
    fulfillment_status: state.completedAt ? 'fulfilled' : null,
    cancelled_at: state.cancelledAt ? shopTime(state.cancelledAt) : null,
    cancel_reason: state.cancelledAt ? 'customer' : null,
    closed_at: state.completedAt || state.cancelledAt ? shopTime(state.at) : null,
    gateway: gateway(order),
    payment_gateway_names: [gateway(order)],
    test: false,
    customer: {
      id: 7000000001,
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      phone: order.phone,
    },
    billing_address: address,
    shipping_address: address,
    line_items: items.map((item, index) => ({
      id: idValue(`${order.orderId}${index + 1}`),
      title: item.name,
      name: item.name,
      sku: `SANDBOX-${index + 1}`,
      price: item.priceSar,
      quantity: item.quantity,
      fulfillment_status: state.completedAt ? 'fulfilled' : null,
    })),
    refunds: state.refunds.map((refund) => refundResource(order, refund)),
  };
}

/**
 * Shopify: the bare REST resource to `/connectors/shopify/webhooks`, the topic and shop in headers and
 * `X-Shopify-Hmac-Sha256` the base64 HMAC-SHA256 of the body under the app's client secret. created →
 * `orders/create`; paid → `orders/paid` (cash on delivery: `orders/updated`, still pending); completed →
 * `orders/fulfilled`; partial_refund and full_refund (whatever is left) → `refunds/create`; cancelled →
 * `orders/cancelled`. `X-Shopify-Event-Id` is the same for the same step, as for a Shopify retry.
 *
 * @example
 * buildShopify({ type: 'partial_refund', amountSar: '50.00' },
 *   { store: 'sandbox.myshopify.com', orderId: '5940139491234', totalSar: '199.00', phone: '+966500000001' },
 *   { shopify: { secret: process.env.SHOPIFY_API_SECRET! } }, [{ type: 'created' }, { type: 'paid' }]).event;
 * // 'refunds/create'
 */
export const buildShopify: DeliveryBuilder = (step, order, credentials, history) => {
  const secret = credentials.shopify?.secret;
  if (!secret)
    throw new Error('Shopify needs credentials.shopify.secret (the edge server’s SHOPIFY_API_SECRET)');
  if (step.type === 'review') throw new Error('Shopify sends no review webhook: reviews are Salla only');
  const state = orderState(order, history, step);
  let topic: string;
  let resource: unknown;
  if (step.type === 'partial_refund' || step.type === 'full_refund') {
    const refund = refundOfStep(state);
    if (!refund) throw new Error('Nothing is left to refund on this order');
    topic = 'refunds/create';
    resource = refundResource(order, refund);
  } else {
    topic = {
      created: 'orders/create',
      paid: order.cod ? 'orders/updated' : 'orders/paid',
      completed: 'orders/fulfilled',
      cancelled: 'orders/cancelled',
    }[step.type];
    resource = orderResource(order, state);
  }
  const body = JSON.stringify(resource);
  return {
    path: '/connectors/shopify/webhooks',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Shopify-Captain-Hook',
      'X-Shopify-Topic': topic,
      'X-Shopify-Hmac-Sha256': hmac(secret, body, 'base64'),
      'X-Shopify-Shop-Domain': order.store,
      'X-Shopify-API-Version': apiVersion,
      'X-Shopify-Webhook-Id': stableUuid('webhook', order.store, order.orderId, topic, state.index),
      'X-Shopify-Event-Id': stableUuid('event', order.store, order.orderId, topic, state.index),
      'X-Shopify-Triggered-At': state.at.toISOString(),
      'X-Shopify-Order-Id': order.orderId,
    },
    body,
    event: topic,
  };
};
