import { html } from 'lit';
import type { Copy } from '../shared/copy.ts';
import type { Lang } from '../shared/format.ts';

/** What the checkout message says: its title, and the body with the points to earn on the rest. */
export interface CheckoutWording {
  title: string;
  body: (phrase: Copy | undefined) => Copy;
}

const en: CheckoutWording = {
  title: 'Pay with your Points balance',
  body: (phrase) =>
    phrase
      ? html`Use your Points for all or part of this order, and earn up to
          <strong part="points">${phrase}</strong> on the rest.`
      : 'Use your Points for all or part of this order, and earn Points on the rest.',
};

const ar: CheckoutWording = {
  title: 'ادفع برصيد نقاطك',
  body: (phrase) =>
    phrase
      ? html`استخدم نقاطك لدفع الطلب كامل أو جزء منه، واكسب حتى <strong part="points">${phrase}</strong> على
          المبلغ المتبقي.`
      : 'استخدم نقاطك لدفع الطلب كامل أو جزء منه، واكسب نقاط على المبلغ المتبقي.',
};

/** The checkout message's wording for a language. */
export function checkoutWordingFor(lang: Lang): CheckoutWording {
  return lang === 'en' ? en : ar;
}
