import {
  customer,
  idValue,
  itemsOf,
  orderState,
  referenceOf,
  riyadhTime,
  type DeliveryBuilder,
  type OrderState,
  type PlayerOrder,
} from './common.ts';

/** Zid's `order_status` codes, with their Arabic names. */
const statuses = {
  new: 'جديد',
  preparing: 'جاري التجهيز',
  delivered: 'تم التوصيل',
  canceled: 'ملغي',
  refunded: 'مسترجع',
} as const;

function statusOf(state: OrderState): keyof typeof statuses {
  if (state.cancelledAt) return 'canceled';
  if (state.fullyRefunded) return 'refunded';
  if (state.completedAt) return 'delivered';
  return state.confirmed ? 'preparing' : 'new';
}

/** Zid's totals: a string with fourteen decimals ("199.00000000000000"). */
function zidMoney(sar: string): string {
  const [whole, fraction = ''] = sar.split('.');
  return `${whole}.${fraction.padEnd(14, '0')}`;
}

/** "2026-11-24 12:08:00", Riyadh time as Zid writes it. */
function zidTime(date: Date): string {
  return riyadhTime(date).replace('T', ' ');
}

function zidOrder(order: PlayerOrder, state: OrderState) {
  const currency = order.currency ?? 'SAR';
  const status = statusOf(state);
  const storeUrl = `https://store-${order.store}.zid.store/`;
  return {
    id: idValue(order.orderId),
    code: referenceOf(order),
    store_id: idValue(order.store),
    order_url: `${storeUrl}o/${referenceOf(order)}/inv`,
    store_name: 'Sandbox Store',
    shipping_method_code: 'custom',
    store_url: storeUrl,
    order_status: { name: statuses[status], code: status },
    currency_code: currency,
    is_marketplace_order: false,
    customer: {
      id: '5000001',
      name: `${customer.firstName} ${customer.lastName}`,
      email: customer.email,
      mobile: order.phone,
      note: '',
      verified: 1,
      type: 'individual',
    },
    order_total: zidMoney(order.totalSar),
    order_total_string: `${order.totalSar} ${currency}`,
    has_different_transaction_currency: false,
    transaction_reference: null,
    transaction_amount: Number(order.totalSar),
    transaction_amount_string: `${order.totalSar} ${currency}`,
    // "unpaid includes pending, refunded, and voided" (Zid's webhook docs).
    payment_status: state.paidAt && !state.fullyRefunded && !state.cancelledAt ? 'paid' : 'unpaid',
    is_potential_fraud: false,
    source: 'المتجر الإلكتروني',
    source_code: 'catalog',
    created_at: zidTime(state.placedAt),
    updated_at: zidTime(state.at),
    payment: {
      method: order.cod
        ? { name: 'Cash on Delivery', code: 'zid_cod', type: 'zid_cod' }
        : { name: 'بطاقة مدى البنكية', code: 'zidpay', type: 'cc' },
    },
    products: itemsOf(order).map((item, index) => ({
      id: `prod-sandbox-${index + 1}`,
      product_id: `prod-sandbox-${index + 1}`,
      name: item.name,
      sku: `SANDBOX-${index + 1}`,
      quantity: item.quantity,
      price: zidMoney(item.priceSar),
      price_string: `${item.priceSar} ${currency}`,
    })),
    products_count: itemsOf(order).length,
    ...(order.cod ? { cod_confirmed: state.confirmed } : {}),
  };
}

/**
 * Zid: the bare order to `/connectors/zid/webhooks/<event>` (one URL per subscribed event), with
 * `Authorization: Basic base64(username:password)`. created → `order.create`; paid →
 * `order.payment_status.update` (cash on delivery: `order.status.update` to preparing); completed,
 * cancelled, full_refund → `order.status.update` (delivered, canceled, refunded). Zid tells no refund
 * amount, so `partial_refund` throws.
 *
 * @example
 * buildZid({ type: 'paid' }, { store: '100001', orderId: '90000001', totalSar: '199.00', phone: '966500000001' },
 *   { zid: { username: 'points', password: process.env.ZID_WEBHOOK_PASSWORD! } }, [{ type: 'created' }]).path;
 * // '/connectors/zid/webhooks/order.payment_status.update'
 */
export const buildZid: DeliveryBuilder = (step, order, credentials, history) => {
  const auth = credentials.zid;
  if (!auth?.username || !auth.password)
    throw new Error(
      'Zid needs credentials.zid (the edge server’s ZID_WEBHOOK_USERNAME and ZID_WEBHOOK_PASSWORD)',
    );
  if (step.type === 'partial_refund')
    throw new Error('Zid sends no refund amount: only the order status refunded (use full_refund)');
  if (step.type === 'review') throw new Error('Zid sends no review webhook: reviews are Salla only');
  if (!/^\d+$/.test(order.store)) throw new Error(`a Zid store id is digits, not "${order.store}"`);
  const event =
    step.type === 'created'
      ? 'order.create'
      : step.type === 'paid' && !order.cod
        ? 'order.payment_status.update'
        : 'order.status.update';
  return {
    path: `/connectors/zid/webhooks/${event}`,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`,
    },
    body: JSON.stringify(zidOrder(order, orderState(order, history, step))),
    event,
  };
};
