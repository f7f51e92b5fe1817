import type { Lang } from '../shared/format.ts';

/** What the pay button says when a checkout could not start, by message key. */
export type PayErrorWording = Record<string, string> & { default: string };

const en: PayErrorWording = {
  network: "We couldn't reach the store. Check your connection and try again.",
  order_expired: 'This order has expired. Refresh the page to try again.',
  order_not_found: "We couldn't find this order. Refresh the page and try again.",
  order_already_paid: 'This order is already paid.',
  invalid_order: "Something in this order isn't right. Please check your cart and try again.",
  rate_limited: 'Too many attempts. Wait a moment, then try again.',
  points_unavailable:
    "Points checkout isn't available right now. Try again in a minute, or choose another way to pay.",
  default: 'Something went wrong while starting your checkout. Please try again.',
};

const ar: PayErrorWording = {
  network: 'تعذّر الاتصال بالمتجر. تأكد من اتصالك بالإنترنت وحاول مرة ثانية.',
  order_expired: 'انتهت صلاحية هذا الطلب. حدّث الصفحة وحاول مرة ثانية.',
  order_not_found: 'ما لقينا هذا الطلب. حدّث الصفحة وحاول مرة ثانية.',
  order_already_paid: 'هذا الطلب مدفوع من قبل.',
  invalid_order: 'فيه مشكلة في بيانات الطلب. راجع سلتك وحاول مرة ثانية.',
  rate_limited: 'محاولات كثيرة. انتظر شوي وحاول مرة ثانية.',
  points_unavailable: 'الدفع عبر بوينتس غير متاح الحين. حاول بعد دقيقة أو اختر طريقة دفع ثانية.',
  default: 'صار خطأ أثناء بدء الدفع. حاول مرة ثانية.',
};

export function payErrorWordingFor(lang: Lang): PayErrorWording {
  return lang === 'en' ? en : ar;
}
