import { html, nothing } from 'lit';
import { define, PointsElement } from '../shared/points-element.ts';
import { buttonWordingFor } from './button-copy.ts';
import { baseStyles, coinMark } from '../shared/styles.ts';
import type * as CheckoutFlow from './checkout.ts';
import { checkoutRequestFrom } from './request.ts';
import { payButtonStyles } from './styles.ts';

/**
 * Starts a Points checkout: asks the edge server for a hosted checkout session for this order, then
 * sends the shopper there. A real `<button>` inside (keyboard and screen readers), a busy state
 * (`aria-busy`) that also guards against double clicks, and a clear inline error with a retry.
 * Form-associated: it follows its form's `disabled` fieldset, and its form value is the order
 * number once the checkout exists.
 *
 * The server never trusts a price from the page: give it a signed `order-token` (recommended), an
 * `order-number` the server can resolve, or catalog `items` it prices itself.
 *
 * @example
 * <points-pay-button order-token="eyJhbGciOi…"></points-pay-button>
 * <points-pay-button items='[{"sku":"COFFEE-SET","quantity":1}]'></points-pay-button>
 *
 * @attr order-token - signed order token from the merchant's backend.
 * @attr order-number - an order number the edge server resolves itself.
 * @attr items - JSON `[{ "sku": "…", "quantity": 1 }]` the edge server prices from its catalog.
 * @attr disabled - disables the button.
 * @attr lang - `ar` or `en`; default: inherited from the page, else Arabic.
 * @attr server - edge server base URL; default: where the bundle was loaded from.
 * @attr theme - `auto` (default), `light` or `dark`.
 * @attr numerals - `latn` (default) or `arab`.
 *
 * @slot - the button's label (default "Pay with Points" / "ادفع مع بوينتس").
 *
 * @fires points-checkout-start - `{ request }`, cancelable: about to call `POST {server}/checkout`.
 * @fires points-checkout-redirect - `{ checkoutUrl, orderNumber }`, cancelable: about to navigate.
 * @fires points-error - `{ code, message, status }` when the checkout could not start.
 *
 * @csspart root - the wrapper.
 * @csspart button - the pay button.
 * @csspart coin - the coin mark in it.
 * @csspart error - the error line (role=alert).
 * @csspart retry - the retry button.
 *
 * @cssprop --points-brand - button background.
 * @cssprop --points-on-brand - button text.
 * @cssprop --points-radius - corner radius.
 * @cssprop --points-error-color - error text.
 */
export class PointsPayButton extends PointsElement {
  static formAssociated = true;
  static override shadowRootOptions = { ...PointsElement.shadowRootOptions, delegatesFocus: true };

  static override properties = {
    ...PointsElement.properties,
    orderToken: { type: String, attribute: 'order-token' },
    orderNumber: { type: String, attribute: 'order-number' },
    items: { type: String },
    disabled: { type: Boolean, reflect: true },
    busy: { state: true },
    errorKey: { state: true },
    flow: { state: true },
    formDisabled: { state: true },
  };

  static override styles = [baseStyles, payButtonStyles];

  declare orderToken: string;
  declare orderNumber: string;
  /** JSON array of `{ sku, quantity }`. */
  declare items: string;
  declare disabled: boolean;
  declare protected busy: boolean;
  declare protected errorKey: string;
  declare protected formDisabled: boolean;
  /** The lazily loaded pay flow (request and error wording), once a shopper has pressed the button. */
  declare protected flow: typeof CheckoutFlow | undefined;

  private readonly internals = this.attachInternals();
  /** Back from the checkout, the page may come from the back/forward cache still busy: reset it. */
  private readonly onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.busy = false;
  };

  constructor() {
    super();
    this.orderToken = '';
    this.orderNumber = '';
    this.items = '';
    this.disabled = false;
    this.busy = false;
    this.errorKey = '';
    this.formDisabled = false;
    this.flow = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.onPageShow);
  }

  /** The form this button belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  formResetCallback(): void {
    this.internals.setFormValue(null);
    this.errorKey = '';
  }

  /**
   * Sends the browser to the hosted checkout. Override it (or cancel `points-checkout-redirect`) to
   * navigate another way, e.g. in a single-page app or a test.
   */
  navigate(url: string): void {
    window.location.assign(url);
  }

  /** Starts the checkout, as a click does. Does nothing while one is already starting. */
  async pay(): Promise<void> {
    if (this.busy || this.disabled || this.formDisabled) return;
    const request = checkoutRequestFrom(this);
    if (request && !this.emit('points-checkout-start', { request }, true)) return;
    this.busy = true;
    this.errorKey = '';
    let flow: typeof CheckoutFlow;
    try {
      flow = this.flow ??= await import('./checkout.ts');
    } catch (error) {
      this.fail('chunk_unavailable', error, undefined);
      return;
    }
    if (!request) {
      this.fail('invalid_order', new Error('set order-token, order-number or items'), undefined);
      return;
    }
    try {
      const session = await flow.startCheckout(this.serverBase, request);
      this.internals.setFormValue(session.orderNumber);
      if (this.emit('points-checkout-redirect', session, true)) this.navigate(session.checkoutUrl);
      else this.busy = false;
    } catch (error) {
      const known = error instanceof flow.CheckoutError;
      this.fail(known ? error.code : 'default', error, known ? error.status : undefined);
    }
  }

  private fail(code: string, error: unknown, status: number | undefined): void {
    this.busy = false;
    // Message keys are the same in every language; the text is picked at render time.
    this.errorKey = this.flow
      ? this.flow.messageKeyFor(code, status, this.flow.payErrorWordingFor('en'))
      : 'default';
    this.emit('points-error', {
      code,
      message: error instanceof Error ? error.message : String(error),
      ...(status === undefined ? {} : { status }),
    });
  }

  private retry(): Promise<void> {
    // The retry button goes away with the error: keep focus on the pay button, not lost on the page.
    this.renderRoot.querySelector<HTMLButtonElement>('.pay')?.focus();
    return this.pay();
  }

  override render() {
    const words = buttonWordingFor(this.language);
    const errors = this.flow?.payErrorWordingFor(this.language);
    const message = this.errorKey ? (errors?.[this.errorKey] ?? words.payFailed) : '';
    return html`<div
      class="root"
      part="root"
      lang=${this.language}
      dir=${this.direction}
      data-theme=${this.themeName}
    >
      <button
        class="pay"
        part="button"
        type="button"
        ?disabled=${this.disabled || this.formDisabled}
        aria-busy=${this.busy ? 'true' : 'false'}
        aria-disabled=${this.busy ? 'true' : nothing}
        @click=${this.pay}
      >
        ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${words.paying}` : html`${coinMark}<slot>${words.pay}</slot>`}
      </button>
      <span class="visually-hidden" role="status">${this.busy ? words.paying : ''}</span>
      ${
        message
          ? html`<div class="error" part="error" role="alert">
              <span>${message}</span>
              <button class="retry" part="retry" type="button" @click=${this.retry}>${words.retry}</button>
            </div>`
          : nothing
      }
    </div>`;
  }
}

define('points-pay-button', PointsPayButton);

declare global {
  interface HTMLElementTagNameMap {
    'points-pay-button': PointsPayButton;
  }
}
