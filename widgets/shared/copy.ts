import { html, type TemplateResult } from 'lit';
import { formatPoints, pluralOf, type Lang, type Numerals } from './format.ts';

/** Something the templates can render: plain text or a template holding `<bdi>` numbers. */
export type Copy = string | TemplateResult;

/**
 * "1,990 Points" / "١٬٩٩٠ نقطة" with the right Arabic number form (one, two, few, many, other),
 * the number isolated in `<bdi>` so it keeps its order inside text of the other direction.
 */
export function pointsPhrase(points: number, lang: Lang, numerals: Numerals): TemplateResult {
  const n = html`<bdi>${formatPoints(points, lang, numerals)}</bdi>`;
  if (lang === 'en') return html`${n} ${points === 1 ? 'Point' : 'Points'}`;
  switch (pluralOf(points, 'ar')) {
    case 'one':
      return html`نقطة واحدة`;
    case 'two':
      return html`نقطتين`;
    case 'few':
      return html`${n} نقاط`;
    default:
      return html`${n} نقطة`;
  }
}

/**
 * What the product and checkout messages say on first paint, written for shoppers in each language.
 * Words of one element only live beside it (the pay button's, the checkout title), and words needed
 * only later (the dialog, checkout errors, order states) beside the lazily loaded code that says them.
 */
export interface Wording {
  /** The badge: short enough for one line in a phone's product column. */
  earnShort: (phrase: Copy) => Copy;
  earn: (phrase: Copy) => Copy;
  earnSomePoints: string;
  earnSomePointsShort: string;
  earnDetail: string;
  calculating: string;
  learnMore: string;
  howItWorksLabel: string;
}

const en: Wording = {
  earnShort: (phrase) => html`Earn <strong part="points">${phrase}</strong>`,
  earn: (phrase) => html`Earn <strong part="points">${phrase}</strong> with this purchase`,
  earnSomePoints: 'Earn Points with this purchase',
  earnSomePointsShort: 'Earn Points on this purchase',
  earnDetail: 'They land in your Points wallet once your order is paid, ready to spend at any Points store.',
  calculating: 'Working out your Points…',
  learnMore: 'Learn more',
  howItWorksLabel: 'How Points works',
};

const ar: Wording = {
  earnShort: (phrase) => html`اكسب <strong part="points">${phrase}</strong>`,
  earn: (phrase) => html`اكسب <strong part="points">${phrase}</strong> عند شرائك هذا المنتج`,
  earnSomePoints: 'اكسب نقاط بوينتس عند شرائك هذا المنتج',
  earnSomePointsShort: 'اكسب نقاط بوينتس مع طلبك',
  earnDetail:
    'تنضاف النقاط لمحفظتك في بوينتس بعد الدفع، وتقدر تستخدمها في مشترياتك الجاية عند أي متجر مشارك.',
  calculating: 'نحسب نقاطك…',
  learnMore: 'اعرف أكثر',
  howItWorksLabel: 'كيف تعمل بوينتس',
};

/** The first-paint wording for a language. */
export function wordingFor(lang: Lang): Wording {
  return lang === 'en' ? en : ar;
}
