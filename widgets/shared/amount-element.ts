import { nothing, type PropertyValues, type TemplateResult } from 'lit';
import { cachedConfig, loadConfig } from './config.ts';
import { parseAmount, pointsFor } from './format.ts';
import { PointsElement } from './points-element.ts';
import type { InfoTopic, PointsInfoDialog, infoDialogFor } from '../info-dialog/points-info-dialog.ts';

/** The dialog's template, from its chunk once the first message has loaded it. */
let dialogTemplate: typeof infoDialogFor | undefined;

/** The price a node shows: its text without struck-out old prices (`<del>`, `<s>`, `<strike>`). */
function priceText(node: Element): string {
  const copy = node.cloneNode(true) as Element;
  copy.querySelectorAll('del, s, strike').forEach((old) => old.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** What a message can show right now; decided synchronously so the first paint is the final one. */
export type Estimate =
  | { kind: 'points'; points: number; amount: number }
  | { kind: 'loading'; amount: number }
  | { kind: 'unknown'; amount: number }
  | { kind: 'empty' };

/**
 * Base of the messages that turn an amount into a points estimate: `amount`, `quantity`,
 * `earn-rate` (else the edge server's cached `/config`), `amount-from` and `empty`, the info dialog,
 * and the `points-ready` / `points-render` / `points-info-open` / `points-error` events.
 */
export class PointsAmountElement extends PointsElement {
  static override properties = {
    ...PointsElement.properties,
    amount: { type: String },
    quantity: { type: Number },
    earnRate: { type: Number, attribute: 'earn-rate' },
    amountFrom: { type: String, attribute: 'amount-from' },
    // Reflected: `:host([empty=collapse])` styles it, and frameworks may set the property, not the attribute.
    empty: { type: String, reflect: true },
    configFailed: { state: true },
    infoLoaded: { state: true },
  };

  /** Price in SAR, e.g. `199.00` (shop text such as `SAR 1,234.50` or Arabic-Indic digits also reads). */
  declare amount: string;
  /** How many of the item, a whole number from 1; the estimate is for all of them. */
  declare quantity: number;
  /** Points per SAR; when absent the edge server's `/config` decides. */
  declare earnRate: number | undefined;
  /** CSS selector of a price node to follow (its text is parsed whenever it changes). */
  declare amountFrom: string;
  /** With nothing to show: `reserve` keeps the space (default), `collapse` hides the element. */
  declare empty: 'reserve' | 'collapse';
  declare protected configFailed: string;
  declare protected infoLoaded: boolean;

  /** Which dialog topic the info button opens. */
  protected infoTopic: InfoTopic = 'earn';
  readonly #internals = this.attachInternals();
  #priceWatcher: MutationObserver | undefined;
  #lastRendered = '';
  #readied = false;

  constructor() {
    super();
    this.amount = '';
    this.quantity = 1;
    this.earnRate = undefined;
    this.amountFrom = '';
    this.empty = 'reserve';
    this.configFailed = '';
    this.infoLoaded = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#followPrice();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#priceWatcher?.disconnect();
    this.#priceWatcher = undefined;
  }

  /** The estimate for the current attributes, from the earn rate or the cached config: no waiting. */
  protected get estimate(): Estimate {
    const amount = parseAmount(this.amount ?? '') * this.#quantityNow;
    if (!(amount > 0)) return { kind: 'empty' };
    const rate = this.#earnRateNow;
    if (rate === undefined)
      return this.configFailed === this.serverBase
        ? { kind: 'unknown', amount }
        : { kind: 'loading', amount };
    const points = pointsFor(amount, rate);
    return points > 0 ? { kind: 'points', points, amount } : { kind: 'empty' };
  }

  /** The quantity as a whole number from 1, absent is 1; NaN for anything else (0, -1, 1.5, `abc`). */
  get #quantityNow(): number {
    const quantity = this.quantity ?? 1;
    return Number.isInteger(quantity) && quantity > 0 ? quantity : Number.NaN;
  }

  get #earnRateNow(): number | undefined {
    if (Number.isFinite(this.earnRate) && this.earnRate! >= 0) return this.earnRate;
    return cachedConfig(this.serverBase)?.earnRate;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('amountFrom') && this.isConnected) this.#followPrice();
    if (changed.has('amount') && this.amount?.trim() && Number.isNaN(parseAmount(this.amount))) {
      this.emit('points-error', {
        code: 'invalid_amount',
        message: `cannot read an amount in "${this.amount}"`,
      });
    }
    if (changed.has('quantity') && Number.isNaN(this.#quantityNow)) {
      this.emit('points-error', {
        code: 'invalid_quantity',
        message: `cannot read a quantity in "${this.getAttribute('quantity') ?? this.quantity}"`,
      });
    }
    const estimate = this.estimate;
    if (estimate.kind === 'loading') this.#fetchConfig();
    const empty = estimate.kind === 'empty';
    if (empty) this.#internals.states.add('empty');
    else this.#internals.states.delete('empty');
  }

  protected override updated(): void {
    const estimate = this.estimate;
    if (estimate.kind === 'loading') return;
    const points = estimate.kind === 'points' ? estimate.points : 0;
    const amount = estimate.kind === 'empty' ? 0 : estimate.amount;
    if (!this.#readied) {
      this.#readied = true;
      this.emit('points-ready', {});
    }
    const key = `${points}|${amount}`;
    if (key !== this.#lastRendered) {
      this.#lastRendered = key;
      this.emit('points-render', { points, amount });
    }
  }

  #fetchConfig(): void {
    const server = this.serverBase;
    loadConfig(server).then(
      () => this.requestUpdate(),
      (error: unknown) => {
        if (this.configFailed === server) return;
        this.configFailed = server;
        this.emit('points-error', {
          code: 'config_unavailable',
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
  }

  /**
   * Follows the `amount-from` node, so the estimate tracks a price that changes (variants). The selector is
   * looked up again on every change under the element's root: a theme that replaces the price node, or
   * renders it after the element, is still followed.
   */
  #followPrice(): void {
    this.#priceWatcher?.disconnect();
    this.#priceWatcher = undefined;
    if (!this.amountFrom) return;
    const root = this.getRootNode() as Document | ShadowRoot;
    const read = () => {
      let node: Element | null = null;
      try {
        node = root.querySelector(this.amountFrom);
      } catch {
        // An invalid selector follows nothing.
      }
      if (!node) return;
      const text = priceText(node);
      const value = parseAmount(text);
      // Unreadable text stays as it is, so the element shows nothing and reports it.
      const amount = Number.isFinite(value) ? value.toFixed(2) : text;
      if (amount !== this.amount) this.amount = amount;
    };
    read();
    this.#priceWatcher = new MutationObserver(read);
    this.#priceWatcher.observe(root, { characterData: true, childList: true, subtree: true });
  }

  /** Opens the "how Points works" dialog unless a `points-info-open` listener cancels it. */
  protected async openInfo(event: Event): Promise<void> {
    const opener = event.currentTarget as HTMLElement;
    const estimate = this.estimate;
    const points = estimate.kind === 'points' ? estimate.points : 0;
    if (!this.emit('points-info-open', { points }, true)) return;
    if (!this.infoLoaded) {
      try {
        dialogTemplate = (await import('../info-dialog/points-info-dialog.ts')).infoDialogFor;
      } catch (error) {
        // The dialog is a lazy chunk beside the bundle: a server that serves only the entry file breaks it.
        this.emit('points-error', { code: 'chunk_unavailable', message: String(error) });
        return;
      }
      this.infoLoaded = true;
      await this.updateComplete;
    }
    this.renderRoot.querySelector<PointsInfoDialog>('points-info-dialog')?.show(opener);
  }

  /** The dialog, rendered once its code has loaded (a lazy chunk). */
  protected infoDialog(): TemplateResult | typeof nothing {
    if (!this.infoLoaded || !dialogTemplate) return nothing;
    const estimate = this.estimate;
    return dialogTemplate({
      language: this.language,
      numerals: this.digits,
      points: estimate.kind === 'points' ? estimate.points : 0,
      topic: this.infoTopic,
      theme: this.themeName,
    });
  }
}
