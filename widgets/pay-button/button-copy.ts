import type { Lang } from '../shared/format.ts';

/** What the pay button says on first paint (its error messages load with the pay flow). */
export interface ButtonWording {
  pay: string;
  paying: string;
  payFailed: string;
  retry: string;
}

const en: ButtonWording = {
  pay: 'Pay with Points',
  paying: 'Opening Points checkout…',
  payFailed: 'Something went wrong while starting your checkout. Please try again.',
  retry: 'Try again',
};

const ar: ButtonWording = {
  pay: 'ادفع مع بوينتس',
  paying: 'جارٍ فتح صفحة الدفع…',
  payFailed: 'صار خطأ أثناء بدء الدفع. حاول مرة ثانية.',
  retry: 'حاول مرة ثانية',
};

/** The pay button's first-paint wording for a language. */
export function buttonWordingFor(lang: Lang): ButtonWording {
  return lang === 'en' ? en : ar;
}
