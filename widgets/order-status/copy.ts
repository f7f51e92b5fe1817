import { html } from 'lit';
import type { Copy } from '../shared/copy.ts';
import type { Lang } from '../shared/format.ts';

/** What the order-status panel says for each state (keyed by view), and about points paid with. */
export interface StatusWording {
  views: Record<string, (orderNumber: string) => Copy>;
  paidWithPoints: (phrase: Copy) => Copy;
}

const en: StatusWording = {
  views: {
    pending: () => "We're confirming your payment with Points…",
    authorized: () => "Your payment is approved. We're finishing your order…",
    confirmed: (order) => html`Thank you! Order <bdi>${order}</bdi> is confirmed.`,
    cancelled: (order) => html`Order <bdi>${order}</bdi> was cancelled.`,
    partially_refunded: (order) => html`Part of order <bdi>${order}</bdi> was refunded.`,
    refunded: (order) => html`Order <bdi>${order}</bdi> was refunded.`,
    expired: () => 'The payment session ran out before it was completed.',
    checking: () => 'Still checking your order…',
    not_found: () => "We couldn't find this order.",
    link_expired: () => 'This order link has expired. Check your email or the store for the latest status.',
  },
  paidWithPoints: (phrase) => html`You paid with <strong part="points">${phrase}</strong>.`,
};

const ar: StatusWording = {
  views: {
    pending: () => 'نتأكد من دفعتك مع بوينتس…',
    authorized: () => 'تمت الموافقة على الدفع، ونكمل طلبك الحين…',
    confirmed: (order) => html`شكرًا لك! تم تأكيد طلبك رقم <bdi>${order}</bdi>.`,
    cancelled: (order) => html`تم إلغاء الطلب رقم <bdi>${order}</bdi>.`,
    partially_refunded: (order) => html`تم استرداد جزء من مبلغ الطلب رقم <bdi>${order}</bdi>.`,
    refunded: (order) => html`تم استرداد مبلغ الطلب رقم <bdi>${order}</bdi>.`,
    expired: () => 'انتهت مهلة الدفع قبل ما يكتمل.',
    checking: () => 'ما زلنا نتحقق من طلبك…',
    not_found: () => 'ما لقينا هذا الطلب.',
    link_expired: () => 'انتهت صلاحية رابط الطلب. تابع بريدك أو المتجر لمعرفة آخر حالة.',
  },
  paidWithPoints: (phrase) => html`دفعت بـ <strong part="points">${phrase}</strong>.`,
};

export function statusWordingFor(lang: Lang): StatusWording {
  return lang === 'en' ? en : ar;
}
