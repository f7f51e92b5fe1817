import { LitElement, html, css } from 'lit';
import { formatPoints, pointsFor, type Lang, type Numerals } from '../shared/format.ts';

/**
 * Product-page line telling the shopper how many Points they earn on this price.
 *
 * @example
 * <points-product-message amount="199.00" earn-rate="10" lang="en"></points-product-message>
 *
 * @csspart message - the line of text.
 * @cssprop --points-color - text colour (inherits by default).
 */
export class PointsProductMessage extends LitElement {
  static override properties = {
    amount: { type: String, reflect: true },
    earnRate: { type: Number, attribute: 'earn-rate', reflect: true },
    lang: { type: String, reflect: true },
    numerals: { type: String, reflect: true },
  };

  static override styles = css`
    :host {
      display: block;
      color: var(--points-color, inherit);
      font: inherit;
    }
  `;

  /** Price in SAR, e.g. `199.00`. */
  declare amount: string;
  /** Points per SAR. */
  declare earnRate: number;
  declare numerals: Numerals;

  constructor() {
    super();
    this.amount = '';
    this.earnRate = 0;
    this.numerals = 'latn';
  }

  private get language(): Lang {
    const lang = (this.lang || this.closest('[lang]')?.getAttribute('lang') || 'ar').slice(0, 2);
    return lang === 'en' ? 'en' : 'ar';
  }

  override render() {
    const lang = this.language;
    const points = formatPoints(pointsFor(Number(this.amount), this.earnRate), lang, this.numerals);
    const text =
      lang === 'en'
        ? html`Earn <bdi>${points}</bdi> Points with this purchase`
        : html`اكسب <bdi>${points}</bdi> نقطة من بوينتس مع هذا الشراء`;
    return html`<p part="message">${text}</p>`;
  }
}

if (!customElements.get('points-product-message')) {
  customElements.define('points-product-message', PointsProductMessage);
}

declare global {
  interface HTMLElementTagNameMap {
    'points-product-message': PointsProductMessage;
  }
}
