import { html, nothing } from 'lit';
import { pointsPhrase, wordingFor } from '../shared/copy.ts';
import { PointsAmountElement } from '../shared/amount-element.ts';
import { define } from '../shared/points-element.ts';
import { baseStyles, coinMark, learnMoreStyles } from '../shared/styles.ts';
import { checkoutWordingFor } from './copy.ts';
import { checkoutMessageStyles } from './styles.ts';

/**
 * Checkout-stage banner: pay with your Points balance, and earn on the rest. Replaces Points' iframe
 * `installments` widget. Place it above the payment methods.
 *
 * @example
 * <points-checkout-message amount="450.00" earn-rate="10" lang="ar"></points-checkout-message>
 *
 * @attr amount - order total in SAR (shop text and Arabic-Indic digits also read).
 * @attr quantity - multiplier for the amount, a whole number from 1 (default 1).
 * @attr earn-rate - points per SAR; when absent, the edge server's `/config` (cached) decides.
 * @attr amount-from - CSS selector of a total node to follow as it changes.
 * @attr empty - with no amount: `reserve` (default) or `collapse`.
 * @attr lang - `ar` or `en`; default: inherited from the page, else Arabic.
 * @attr server - edge server base URL; default: where the bundle was loaded from.
 * @attr theme - `auto` (default), `light` or `dark`.
 * @attr numerals - `latn` (default) or `arab`.
 *
 * @fires points-ready - first final render.
 * @fires points-render - `{ points, amount }` whenever what is shown changes.
 * @fires points-info-open - `{ points }`, cancelable.
 * @fires points-error - `{ code, message }`, e.g. `invalid_amount`, `invalid_quantity`, `config_unavailable`.
 *
 * @csspart root - the banner.
 * @csspart coin - the coin mark.
 * @csspart title - the heading line.
 * @csspart message - the explanation.
 * @csspart points - the points figure.
 * @csspart info-button - the "Learn more" button.
 * @csspart dialog - the info dialog box.
 * @csspart dialog-title - the dialog's heading.
 * @csspart dialog-close - the dialog's close buttons.
 *
 * @cssprop --points-brand - brand purple (the leading edge).
 * @cssprop --points-accent - text colour.
 * @cssprop --points-tint - background.
 * @cssprop --points-border-color - border.
 * @cssprop --points-radius - corner radius.
 * @cssprop --points-dialog-background - the dialog's background (default `Canvas`).
 * @cssprop --points-dialog-color - the dialog's text (default `CanvasText`).
 */
export class PointsCheckoutMessage extends PointsAmountElement {
  static override styles = [baseStyles, learnMoreStyles, checkoutMessageStyles];

  constructor() {
    super();
    this.infoTopic = 'redeem';
  }

  override render() {
    const estimate = this.estimate;
    if (estimate.kind === 'empty') return nothing;
    const lang = this.language;
    const words = wordingFor(lang);
    const checkout = checkoutWordingFor(lang);
    const body =
      estimate.kind === 'points'
        ? checkout.body(pointsPhrase(estimate.points, lang, this.digits))
        : estimate.kind === 'loading'
          ? html`<span class="skeleton" aria-hidden="true"></span
              ><span class="visually-hidden">${words.calculating}</span>`
          : checkout.body(undefined);
    return html`<div class="root" part="root" lang=${lang} dir=${this.direction} data-theme=${this.themeName}>
        ${coinMark}
        <div class="text">
          <p class="title" part="title">${checkout.title}</p>
          <p part="message">
            ${body}
            <button
              class="more"
              part="info-button"
              type="button"
              aria-haspopup="dialog"
              @click=${this.openInfo}
            >
              ${words.learnMore}
            </button>
          </p>
        </div>
      </div>
      ${this.infoDialog()}`;
  }
}

define('points-checkout-message', PointsCheckoutMessage);

declare global {
  interface HTMLElementTagNameMap {
    'points-checkout-message': PointsCheckoutMessage;
  }
}
