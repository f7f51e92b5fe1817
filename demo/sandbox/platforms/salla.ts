import {
  customer,
  halalas,
  hmac,
  idValue,
  itemsOf,
  orderState,
  referenceOf,
  riyadhTime,
  saudiNational,
  stableHex,
  type DeliveryBuilder,
  type OrderState,
  type PlayerOrder,
} from './common.ts';

/** Salla's status slugs (with their Arabic names and ids as in Salla's samples). */
const statuses = {
  payment_pending: { id: 1473353380, name: 'بإنتظار الدفع' },
  under_review: { id: 566146469, name: 'بإنتظار المراجعة' },
  in_progress: { id: 1939592358, name: 'قيد التنفيذ' },
  completed: { id: 1298199463, name: 'تم التنفيذ' },
  canceled: { id: 525144736, name: 'ملغي' },
  restored: { id: 989286562, name: 'مسترجع' },
} as const;

function slugOf(order: PlayerOrder, state: OrderState): keyof typeof statuses {
  if (state.cancelledAt) return 'canceled';
  if (state.fullyRefunded) return 'restored';
  if (state.completedAt) return 'completed';
  if (order.cod) return state.confirmed ? 'in_progress' : 'under_review';
  return state.paidAt ? 'under_review' : 'payment_pending';
}

/** "Sun Jun 26 2022 12:21:48 GMT+0300", the envelope's `created_at` as Salla's samples have it. */
function sallaDate(date: Date): string {
  const [day, dayOfMonth, month, year, time] = new Date(date.getTime() + 3 * 3600 * 1000)
    .toUTCString()
    .replace(',', '')
    .split(' ');
  return `${day} ${month} ${dayOfMonth} ${year} ${time} GMT+0300`;
}

/** `{date, timezone_type, timezone}`, a PHP DateTime as Salla serialises it. */
function phpDate(date: Date) {
  return { date: `${riyadhTime(date).replace('T', ' ')}.000000`, timezone_type: 3, timezone: 'Asia/Riyadh' };
}

/** Salla keeps a Saudi mobile as its national digits (a number) beside `mobile_code` "+966". */
function customerOf(order: PlayerOrder) {
  const national = saudiNational(order.phone);
  return {
    id: 3000000001,
    first_name: customer.firstName,
    last_name: customer.lastName,
    mobile: national ? Number(national) : order.phone,
    mobile_code: national ? '+966' : null,
    email: customer.email,
    country_code: 'SA',
  };
}

function sallaOrder(order: PlayerOrder, state: OrderState) {
  const currency = order.currency ?? 'SAR';
  const slug = slugOf(order, state);
  const items = itemsOf(order);
  const subTotal = items.reduce((sum, item) => sum + halalas(item.priceSar) * item.quantity, 0) / 100;
  const money = (amount: number) => ({ amount, currency });
  return {
    id: idValue(order.orderId),
    reference_id: idValue(referenceOf(order)),
    date: phpDate(state.placedAt),
    source: 'store',
    status: { ...statuses[slug], slug, customized: statuses[slug] },
    payment_method: order.cod ? 'cod' : 'credit_card',
    currency,
    amounts: {
      sub_total: money(subTotal),
      shipping_cost: money(0),
      cash_on_delivery: money(0),
      tax: { percent: '0.00', amount: money(0) },
      discounts: [],
      total: money(Number(order.totalSar)),
    },
    can_cancel: !state.completedAt && !state.cancelledAt,
    is_pending_payment: !order.cod && !state.paidAt,
    customer: customerOf(order),
    items: items.map((item, index) => ({
      id: 70815337 + index,
      name: item.name,
      sku: `SANDBOX-${index + 1}`,
      quantity: item.quantity,
      currency,
      amounts: {
        price_without_tax: money(Number(item.priceSar)),
        total_discount: money(0),
        tax: { percent: '0.00', amount: money(0) },
        total: money((halalas(item.priceSar) * item.quantity) / 100),
      },
    })),
  };
}

/**
 * Salla: the envelope `{event, merchant, created_at, data}` to `/connectors/salla/webhooks`, signed with
 * `X-Salla-Signature` (hex HMAC-SHA256 of the body) or, under the Token strategy, the secret as `Authorization`.
 * created → `order.created`; paid → `order.payment.updated` (cash on delivery: `order.status.updated`
 * to in_progress); completed → `order.status.updated` (the order nested in `data.order`); full_refund →
 * `order.refunded`; cancelled → `order.cancelled`; review → `review.added`. Salla tells no refund amount,
 * so `partial_refund` throws.
 *
 * @example
 * buildSalla({ type: 'paid' }, { store: '1000000001', orderId: '2000000001', totalSar: '199.00', phone: '0500000001' },
 *   { salla: { secret: process.env.SALLA_WEBHOOK_SECRET! } }, [{ type: 'created' }]).event; // 'order.payment.updated'
 */
export const buildSalla: DeliveryBuilder = (step, order, credentials, history) => {
  const secret = credentials.salla?.secret;
  if (!secret)
    throw new Error('Salla needs credentials.salla.secret (the edge server’s SALLA_WEBHOOK_SECRET)');
  if (step.type === 'partial_refund')
    throw new Error(
      'Salla sends no refund amount: order.refunded only says the order was refunded (use full_refund)',
    );
  if (!/^\d+$/.test(order.store)) throw new Error(`a Salla merchant id is digits, not "${order.store}"`);
  const state = orderState(order, history, step);
  let event: string;
  let data: unknown;
  if (step.type === 'review') {
    event = 'review.added';
    data = {
      id: idValue(step.reviewId),
      type: step.productId ? 'rating' : 'testimonial',
      rating: String(step.rating),
      content: 'Sandbox review',
      customer: { ...customerOf(order), name: `${customer.firstName} ${customer.lastName}` },
      ...(step.productId
        ? {
            product: { id: step.productId, name: step.productName ?? 'Sandbox item' },
            name: step.productName,
          }
        : {}),
      order: {
        id: String(order.orderId),
        reference_id: referenceOf(order),
        total: { amount: order.totalSar, currency: order.currency ?? 'SAR' },
      },
    };
  } else if (step.type === 'completed' || (step.type === 'paid' && order.cod)) {
    event = 'order.status.updated';
    const current = sallaOrder(order, state);
    data = {
      id: Number.parseInt(stableHex(order.store, order.orderId, state.index).slice(0, 8), 16),
      status: current.status.name,
      customized: null,
      note: '',
      created_at: phpDate(state.at),
      order: { ...current, total: current.amounts.total },
    };
  } else {
    event = {
      created: 'order.created',
      paid: 'order.payment.updated',
      full_refund: 'order.refunded',
      cancelled: 'order.cancelled',
    }[step.type];
    data = sallaOrder(order, state);
  }
  const body = JSON.stringify({
    event,
    merchant: idValue(order.store),
    created_at: sallaDate(state.at),
    data,
  });
  const headers: Record<string, string> =
    credentials.salla?.strategy === 'token'
      ? { 'X-Salla-Security-Strategy': 'Token', Authorization: secret }
      : { 'X-Salla-Security-Strategy': 'Signature', 'X-Salla-Signature': hmac(secret, body, 'hex') };
  return {
    path: '/connectors/salla/webhooks',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    event,
  };
};
