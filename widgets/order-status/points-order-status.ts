import { html, nothing, type PropertyValues } from 'lit';
import { pointsPhrase } from '../shared/copy.ts';
import type { OrderStatusBody } from '../shared/events.ts';
import { define, PointsElement } from '../shared/points-element.ts';
import { baseStyles, coinMark } from '../shared/styles.ts';
import type * as StatusFlow from './status-poller.ts';
import type { Backoff, StatusResult } from './status-poller.ts';
import { orderStatusStyles } from './styles.ts';

/** What the panel says before the status wording (a lazy chunk) has loaded. */
const checkingOrder = { en: 'Checking your order…', ar: 'نتحقق من طلبك…' };

/** What the panel shows: before any answer, an order state, or why there is no order to show. */
type View = 'loading' | 'checking' | 'not_found' | 'link_expired' | OrderStatusBody['state'];

/**
 * Return-page panel: follows an order from pending to confirmed (or cancelled, or expired) live, by polling the
 * edge server with backoff until the state is final. Changes are announced politely to screen
 * readers. Polling pauses while the page is hidden and stops when the element leaves the page.
 *
 * @example
 * <points-order-status order-number="1042" token="…signed status token…"></points-order-status>
 *
 * @attr order-number - the merchant's order number.
 * @attr token - the signed status token the edge server issued for this order.
 * @attr lang - `ar` or `en`; default: inherited from the page, else Arabic.
 * @attr server - edge server base URL; default: where the bundle was loaded from.
 * @attr theme - `auto` (default), `light` or `dark`.
 * @attr numerals - `latn` (default) or `arab`.
 *
 * @fires points-ready - first answer shown.
 * @fires points-order-status - the order status (`OrderStatusBody`) each time its state changes.
 * @fires points-error - `{ code }`: `order_not_found` or `link_expired`.
 *
 * @csspart root - the panel (its `data-state` attribute names the state).
 * @csspart coin - the coin mark.
 * @csspart message - the status sentence (a polite live region).
 * @csspart points - the points figure.
 *
 * @cssprop --points-brand - confirmed border.
 * @cssprop --points-tint - confirmed background.
 * @cssprop --points-surface - background.
 * @cssprop --points-border-color - border.
 * @cssprop --points-error-color - failure text.
 */
export class PointsOrderStatus extends PointsElement {
  static override properties = {
    ...PointsElement.properties,
    orderNumber: { type: String, attribute: 'order-number' },
    token: { type: String },
    view: { state: true },
    status: { state: true },
    flow: { state: true },
  };

  static override styles = [baseStyles, orderStatusStyles];

  declare orderNumber: string;
  declare token: string;
  declare protected view: View;
  declare protected status: OrderStatusBody | undefined;
  /** The lazily loaded poller and wording. */
  declare protected flow: typeof StatusFlow | undefined;

  /** Delays between polls; default 1.5 s growing ×1.6 up to 30 s (tests and unusual stores may tune them). */
  backoff: Backoff | undefined;

  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** Bumped whenever polling restarts, so a late answer for an old order is ignored. */
  private generation = 0;
  private readied = false;
  private readonly onVisibility = () => (document.hidden ? this.pause() : this.resume());

  constructor() {
    super();
    this.orderNumber = '';
    this.token = '';
    this.view = 'loading';
    this.status = undefined;
    this.flow = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    // Moved in the DOM: carry on where it was (the first connection starts from willUpdate).
    if (this.hasUpdated) this.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    // A poll in flight finishes but schedules no next one (see poll()); reconnecting resumes.
    this.pause();
  }

  /** True while a poll is scheduled or running. */
  get polling(): boolean {
    return this.timer !== undefined || this.inFlight;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('orderNumber') || changed.has('token')) this.restart();
  }

  private get isFinal(): boolean {
    return this.status?.final === true || this.view === 'not_found' || this.view === 'link_expired';
  }

  private restart(): void {
    this.pause();
    this.generation++;
    this.attempt = 0;
    this.status = undefined;
    this.view = 'loading';
    this.resume();
  }

  private pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private resume(): void {
    if (!this.isConnected || document.hidden || this.isFinal || this.inFlight) return;
    if (!this.orderNumber || !this.token) return;
    this.pause();
    void this.poll();
  }

  private async poll(): Promise<void> {
    const generation = this.generation;
    this.timer = undefined;
    this.inFlight = true;
    let result: StatusResult;
    let flow: typeof StatusFlow | undefined;
    try {
      flow = this.flow ??= await import('./status-poller.ts');
      result = await flow.fetchOrderStatus(this.serverBase, this.orderNumber, this.token);
    } catch {
      result = { kind: 'retry' };
    }
    this.inFlight = false;
    if (generation !== this.generation) return;
    if (result.kind === 'status') {
      const changed = result.status.state !== this.status?.state;
      this.status = result.status;
      this.view = result.status.state;
      if (changed) this.emit('points-order-status', result.status);
    } else if (result.kind === 'retry') {
      if (!this.status) this.view = 'checking';
    } else {
      this.view = result.kind;
      this.emit('points-error', {
        code: result.kind === 'not_found' ? 'order_not_found' : 'link_expired',
        message: result.kind,
      });
    }
    if (!this.readied && this.view !== 'checking') {
      this.readied = true;
      this.emit('points-ready', {});
    }
    if (this.isFinal || !this.isConnected || document.hidden) return;
    // Without the poller chunk (it failed to load) try again slowly.
    const delay = flow ? flow.delayFor(this.attempt, this.backoff ?? flow.defaultBackoff) : 10_000;
    this.attempt++;
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  override render() {
    const lang = this.language;
    const views = this.flow?.statusWordingFor(lang).views;
    const describe = views?.[this.view] ?? (() => checkingOrder[lang]);
    const waiting = !this.isFinal && this.view !== 'confirmed';
    const redeemed = this.status?.pointsRedeemed ?? 0;
    return html`<div
      class="root"
      part="root"
      lang=${lang}
      dir=${this.direction}
      data-theme=${this.themeName}
      data-state=${this.view}
    >
      ${waiting ? html`<span class="spinner" aria-hidden="true"></span>` : coinMark}
      <div class="text" role="status" aria-live="polite" aria-atomic="true">
        <p class="message" part="message">${describe(this.orderNumber)}</p>
        ${
          redeemed > 0 && this.view === 'confirmed'
            ? html`<p>
                ${this.flow?.statusWordingFor(lang).paidWithPoints(pointsPhrase(redeemed, lang, this.digits))}
              </p>`
            : nothing
        }
      </div>
    </div>`;
  }
}

define('points-order-status', PointsOrderStatus);

declare global {
  interface HTMLElementTagNameMap {
    'points-order-status': PointsOrderStatus;
  }
}
