import { html } from 'lit';
import type { Copy } from '../shared/copy.ts';
import type { Lang } from '../shared/format.ts';

/** What the "how Points works" dialog says. */
export interface DialogWording {
  title: string;
  redeemTitle: string;
  intro: (phrase: Copy | undefined) => Copy;
  redeemIntro: string;
  stepsTitle: string;
  steps: readonly string[];
  close: string;
  continueShopping: string;
}

const en: DialogWording = {
  title: 'Shop and earn with Points',
  redeemTitle: 'Pay with your Points',
  intro: (phrase) =>
    phrase
      ? html`Buy this and earn <strong>${phrase}</strong>. They go straight into your Points wallet, ready to
          spend at any Points store.`
      : 'Every purchase earns you Points. They go straight into your Points wallet, ready to spend at any Points store.',
  redeemIntro:
    'Your Points are as good as money here: pay for all or part of your order with them, and earn new Points on whatever you pay by card.',
  stepsTitle: 'How it works',
  steps: [
    'Add to your cart and check out as usual.',
    'Your Points are added to your wallet as soon as the order is paid.',
    'At checkout, pay with your Points balance, in full or in part.',
    'Keep an eye on your balance in the Points app.',
  ],
  close: 'Close',
  continueShopping: 'Continue shopping',
};

const ar: DialogWording = {
  title: 'تسوّق واكسب مع بوينتس',
  redeemTitle: 'ادفع بنقاطك',
  intro: (phrase) =>
    phrase
      ? html`اشترِ هذا المنتج واكسب <strong>${phrase}</strong>، تنضاف مباشرة لمحفظتك في بوينتس وتقدر تستخدمها
          عند أي متجر مشارك.`
      : 'كل عملية شراء تكسبك نقاط تنضاف مباشرة لمحفظتك في بوينتس، وتقدر تستخدمها عند أي متجر مشارك.',
  redeemIntro:
    'نقاطك هنا مثل الفلوس: ادفع بها الطلب كامل أو جزء منه، واكسب نقاط جديدة على المبلغ اللي تدفعه بالبطاقة.',
  stepsTitle: 'كيف تعمل؟',
  steps: [
    'أضف المنتج للسلة وأكمل طلبك كالمعتاد.',
    'تنضاف نقاطك لمحفظتك أول ما يكتمل الدفع.',
    'عند الدفع، استخدم رصيد نقاطك لدفع الطلب كامل أو جزء منه.',
    'تابع رصيدك من تطبيق بوينتس.',
  ],
  close: 'إغلاق',
  continueShopping: 'تابع التسوّق',
};

export function dialogWordingFor(lang: Lang): DialogWording {
  return lang === 'en' ? en : ar;
}
