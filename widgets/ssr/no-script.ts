import type { ElementTag } from '../elements.ts';
import { wordingFor } from '../shared/copy.ts';
import type { Lang } from '../shared/format.ts';

/** Where a shopper without JavaScript reads how Points works: Points' own site. */
export const pointsInfoUrl = 'https://papp.sa';

const payNeedsScript: Record<Lang, string> = {
  en: 'Turn on JavaScript in your browser to pay with Points.',
  ar: 'فعّل JavaScript في متصفحك لتدفع بنقاط بوينتس.',
};

/**
 * What an element shows when the page runs no JavaScript, inside `<noscript>` in its shadow root (a
 * browser that runs scripts never parses it): the info button, which needs the script's dialog, gives way
 * to a link to Points' site, and the pay button, which needs the script to create a checkout session
 * with an order token, is shown disabled with a line saying why.
 */
export function noScriptFallback(tag: ElementTag, lang: Lang, styleAttributes: string): string {
  if (tag === 'points-product-message' || tag === 'points-checkout-message') {
    const label = wordingFor(lang).howItWorksLabel;
    return (
      `<noscript><style${styleAttributes}>.info,.more{display:none}` +
      `.no-script{display:block;margin-block-start:.25rem;color:inherit}</style>` +
      `<a class="no-script" part="info-link" href="${pointsInfoUrl}" lang="${lang}">${label}</a></noscript>`
    );
  }
  if (tag === 'points-pay-button') {
    return (
      `<noscript><style${styleAttributes}>.pay{opacity:.55;pointer-events:none}` +
      `.no-script{margin-block-start:.25rem;font-size:.875em}</style>` +
      `<p class="no-script" lang="${lang}">${payNeedsScript[lang]}</p></noscript>`
    );
  }
  return '';
}
