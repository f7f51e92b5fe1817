import { html, nothing } from 'lit';
import { pointsPhrase, wordingFor } from '../shared/copy.ts';
import { PointsAmountElement } from '../shared/amount-element.ts';
import { define } from '../shared/points-element.ts';
import { baseStyles, coinMark, infoMark, learnMoreStyles } from '../shared/styles.ts';
import { productMessageStyles } from './styles.ts';

/**
 * Product-page line telling the shopper how many Points they earn on this price, with an info
 * button that opens an accessible "how Points works" dialog. Replaces Points' iframe `points-alert`
 * (`appearance="badge"`) and `points-card` (`appearance="card"`).
 *
 * @example
 * <points-product-message amount="199.00" earn-rate="10" lang="en"></points-product-message>
 *
 * @attr amount - price in SAR (`199.00`; shop text like `SAR 1,234.50` or `١٬٢٣٤٫٥٠` also reads).
 * @attr quantity - how many, a whole number from 1; the estimate covers all of them (default 1).
 * @attr earn-rate - points per SAR; when absent, the edge server's `/config` (cached) decides.
 * @attr amount-from - CSS selector of a price node to follow as it changes.
 * @attr appearance - `badge` (compact, default) or `card` (richer, with a "Learn more" button).
 * @attr empty - with no amount or no points: `reserve` (keep the space, default) or `collapse`.
 * @attr lang - `ar` or `en`; default: inherited from the page, else Arabic.
 * @attr server - edge server base URL; default: where the bundle was loaded from.
 * @attr theme - `auto` (default), `light` or `dark`.
 * @attr numerals - `latn` (default) or `arab`.
 *
 * @fires points-ready - first final render.
 * @fires points-render - `{ points, amount }` whenever what is shown changes.
 * @fires points-info-open - `{ points }`, cancelable: the shopper asked how Points works.
 * @fires points-error - `{ code, message }`, e.g. `invalid_amount`, `invalid_quantity`, `config_unavailable`.
 *
 * @csspart root - the badge or card box.
 * @csspart coin - the coin mark.
 * @csspart message - the sentence.
 * @csspart points - the points figure.
 * @csspart detail - the card's second line.
 * @csspart info-button - the info / "Learn more" button.
 * @csspart wordmark - the card's Points wordmark.
 * @csspart dialog - the info dialog box.
 * @csspart dialog-title - the dialog's heading.
 * @csspart dialog-close - the dialog's close buttons.
 *
 * @cssprop --points-brand - brand purple (buttons, wordmark).
 * @cssprop --points-accent - text colour on the tint.
 * @cssprop --points-tint - badge background.
 * @cssprop --points-surface - card background (default transparent).
 * @cssprop --points-border-color - card border.
 * @cssprop --points-radius - corner radius.
 * @cssprop --points-dialog-background - the dialog's background (default `Canvas`).
 * @cssprop --points-dialog-color - the dialog's text (default `CanvasText`).
 * @cssprop --points-color - text colour (default inherited).
 */
export class PointsProductMessage extends PointsAmountElement {
  static override properties = {
    ...PointsAmountElement.properties,
    // Reflected: the card's reserved size is `:host([appearance=card])`, and React and Vue set the property.
    appearance: { type: String, reflect: true },
  };

  static override styles = [baseStyles, learnMoreStyles, productMessageStyles];

  /** `badge` (default) or `card`. */
  declare appearance: 'badge' | 'card';

  constructor() {
    super();
    this.appearance = 'badge';
  }

  override render() {
    const estimate = this.estimate;
    if (estimate.kind === 'empty') return nothing;
    const lang = this.language;
    const words = wordingFor(lang);
    const card = this.appearance === 'card';
    const sentence =
      estimate.kind === 'points'
        ? (card ? words.earn : words.earnShort)(pointsPhrase(estimate.points, lang, this.digits))
        : estimate.kind === 'loading'
          ? html`<span class="skeleton" aria-hidden="true"></span
              ><span class="visually-hidden">${words.calculating}</span>`
          : card
            ? words.earnSomePoints
            : words.earnSomePointsShort;
    const button = card
      ? html`<button
          class="more"
          part="info-button"
          type="button"
          aria-haspopup="dialog"
          @click=${this.openInfo}
        >
          ${words.learnMore}
        </button>`
      : html`<button
          class="info"
          part="info-button"
          type="button"
          aria-haspopup="dialog"
          aria-label=${words.howItWorksLabel}
          title=${words.howItWorksLabel}
          @click=${this.openInfo}
        >
          ${infoMark}
        </button>`;
    return html`<div
        class="root ${card ? 'card' : 'badge'}"
        part="root"
        lang=${lang}
        dir=${this.direction}
        data-theme=${this.themeName}
      >
        ${coinMark}
        <div class="text">
          <p part="message">${sentence}</p>
          ${card ? html`<p class="detail" part="detail">${words.earnDetail} ${button}</p>` : nothing}
        </div>
        ${card ? html`<span class="wordmark" part="wordmark" aria-hidden="true">Points</span>` : button}
      </div>
      ${this.infoDialog()}`;
  }
}

define('points-product-message', PointsProductMessage);

declare global {
  interface HTMLElementTagNameMap {
    'points-product-message': PointsProductMessage;
  }
}
