/** The console's two languages. */
export type ConsoleLang = 'ar' | 'en';

/** Every word the console says, in Arabic and English (one table, so neither can miss a key). */
const words = {
  title: { ar: 'لوحة تشغيل Points', en: 'Points console' },
  signInTitle: { ar: 'تسجيل الدخول', en: 'Sign in' },
  tokenLabel: { ar: 'رمز المشرف (ADMIN_TOKEN)', en: 'Admin token (ADMIN_TOKEN)' },
  signIn: { ar: 'دخول', en: 'Sign in' },
  signOut: { ar: 'خروج', en: 'Sign out' },
  wrongToken: { ar: 'هذا ليس رمز المشرف.', en: 'That is not the admin token.' },
  tooMany: { ar: 'محاولات خاطئة كثيرة؛ حاول لاحقًا.', en: 'Too many wrong tokens; try again later.' },
  loading: { ar: 'جارٍ التحميل…', en: 'Loading…' },
  failed: { ar: 'تعذر ذلك:', en: 'That failed:' },
  overview: { ar: 'نظرة عامة', en: 'Overview' },
  orders: { ar: 'الطلبات', en: 'Orders' },
  language: { ar: 'English', en: 'العربية' },
  readiness: { ar: 'الجاهزية', en: 'Readiness' },
  lastWebhook: { ar: 'آخر إشعار من Points', en: 'Last Points webhook' },
  lastDeliveries: { ar: 'آخر تسليم لكل منصة', en: 'Last delivery per platform' },
  queue: { ar: 'المهام المنتظرة', en: 'Queue' },
  deadLetters: { ar: 'مهام متوقفة', en: 'Dead letters' },
  none: { ar: 'لا شيء', en: 'None' },
  search: { ar: 'بحث', en: 'Search' },
  searchLabel: { ar: 'رقم الطلب أو المرجع أو الجوال', en: 'Order number, reference or phone' },
  state: { ar: 'الحالة', en: 'State' },
  anyState: { ar: 'أي حالة', en: 'Any state' },
  from: { ar: 'من', en: 'From' },
  to: { ar: 'إلى', en: 'To' },
  noOrders: { ar: 'لا توجد طلبات.', en: 'No orders found.' },
  order: { ar: 'الطلب', en: 'Order' },
  reference: { ar: 'المرجع', en: 'Reference' },
  phone: { ar: 'الجوال', en: 'Phone' },
  total: { ar: 'الإجمالي', en: 'Total' },
  refunded: { ar: 'المسترد', en: 'Refunded' },
  remaining: { ar: 'المتبقي', en: 'Remaining' },
  timeline: { ar: 'السجل', en: 'Timeline' },
  actions: { ar: 'الإجراءات', en: 'Actions' },
  amount: { ar: 'المبلغ (ريال، فارغ = كامل)', en: 'Amount (SAR, empty = full)' },
  refund: { ar: 'استرداد', en: 'Refund' },
  cancel: { ar: 'إلغاء الطلب', en: 'Cancel order' },
  ship: { ar: 'جاهز للشحن', en: 'Mark ready to ship' },
  reread: { ar: 'إعادة القراءة من Points', en: 'Re-read from Points' },
  replay: { ar: 'إعادة الإرسال', en: 'Replay' },
  confirmQuestion: { ar: 'تأكيد هذا الإجراء؟', en: 'Confirm this action?' },
  confirm: { ar: 'تأكيد', en: 'Confirm' },
  back: { ar: 'رجوع', en: 'Back' },
  done: { ar: 'تم. الحالة لدى Points الآن:', en: 'Done. Points now holds:' },
  backToOrders: { ar: 'العودة إلى الطلبات', en: 'Back to orders' },
} as const;

export type WordKey = keyof typeof words;

/** The word for `key` in `lang`. */
export const say = (key: WordKey, lang: ConsoleLang): string => words[key][lang];
