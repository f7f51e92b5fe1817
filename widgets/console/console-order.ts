import { html, LitElement } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { say, type ConsoleLang, type WordKey } from './console-copy.ts';
import type { ConsoleOrder } from './console-orders.ts';
import { consoleStyles } from './console-styles.ts';
import { failureAlert } from './failure-alert.ts';

interface TimelineEntry {
  at: string;
  kind: string;
  summary: string;
  outcome: string;
  detail: string | null;
  jobId: string | null;
  replayable: boolean;
}

type Action = { key: WordKey; path: string; body: Record<string, unknown> };

/**
 * One order: its totals, its timeline (every webhook, delivery, earning call and notification, with its
 * outcome) and the actions, each behind a confirmation step; the answer is the order as Points holds it.
 *
 * @attr order-number - the order shown
 */
export class ConsoleOrderDetail extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    lang: { type: String, reflect: true },
    orderNumber: { type: String, attribute: 'order-number', reflect: true },
    order: { state: true },
    timeline: { state: true },
    pending: { state: true },
    busy: { state: true },
    message: { state: true },
    error: { state: true },
  };
  declare lang: ConsoleLang;
  declare orderNumber: string;
  declare order: ConsoleOrder | undefined;
  declare timeline: TimelineEntry[];
  declare pending: Action | undefined;
  declare busy: boolean;
  declare message: string;
  declare error: string;
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
    this.orderNumber = '';
    this.timeline = [];
    this.busy = false;
    this.message = '';
    this.error = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const body = await this.client.get<{ order: ConsoleOrder; timeline: TimelineEntry[] }>(
        `orders/${encodeURIComponent(this.orderNumber)}`,
      );
      this.order = body.order;
      this.timeline = body.timeline;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private ask(action: Action) {
    this.pending = action;
    this.message = '';
    this.error = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm')?.focus());
  }

  private async run() {
    const action = this.pending;
    if (!action) return;
    this.busy = true;
    try {
      const answer = await this.client.post<{ order?: ConsoleOrder; pointsStatus?: string | null }>(
        action.path,
        action.body,
      );
      this.message = `${say('done', this.lang)} ${answer.pointsStatus ?? answer.order?.state ?? ''}`;
      this.pending = undefined;
      await this.load();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private refund(event: SubmitEvent) {
    event.preventDefault();
    const amount = String(new FormData(event.target as HTMLFormElement).get('amount') ?? '').trim();
    this.ask({ key: 'refund', path: this.orderPath('refund'), body: amount ? { amount } : {} });
  }

  private orderPath(action: string) {
    return `orders/${encodeURIComponent(this.orderNumber)}/${action}`;
  }

  override render() {
    const t = (key: WordKey) => say(key, this.lang);
    const order = this.order;
    if (!order) {
      return this.error ? failureAlert(this.error, this.lang) : html`<p role="status">${t('loading')}</p>`;
    }
    return html`<p><a href="#/orders">${t('backToOrders')}</a></p>
      <h2>${t('order')} <bdi>${order.orderNumber}</bdi></h2>
      <dl>
        <dt>${t('state')}</dt>
        <dd data-state>${order.state} (${order.pointsStatus ?? '—'})</dd>
        <dt>${t('total')}</dt>
        <dd><bdi>${order.settledTotal ?? order.expectedTotal}</bdi></dd>
        <dt>${t('refunded')}</dt>
        <dd><bdi data-refunded>${order.refundedTotal}</bdi></dd>
        <dt>${t('remaining')}</dt>
        <dd><bdi data-remaining>${order.remainingTotal ?? '—'}</bdi></dd>
      </dl>
      ${this.client.mayAct ? this.actions() : html`<p data-viewer>${t('viewerNote')}</p>`}
      <h2>${t('timeline')}</h2>
      <ol>
        ${this.timeline.map(
          (entry) =>
            html`<li data-kind=${entry.kind}>
              <time datetime=${entry.at}>${entry.at}</time> · ${entry.kind} · <bdi>${entry.summary}</bdi> ·
              <strong>${entry.outcome}</strong>${entry.detail ? html` · ${entry.detail}` : ''}
              ${
                entry.replayable && entry.jobId && this.client.mayAct
                  ? html`<button
                      class="secondary"
                      @click=${() => this.ask({ key: 'replay', path: `deliveries/${entry.jobId}/replay`, body: {} })}
                    >
                      ${t('replay')}
                    </button>`
                  : ''
              }
            </li>`,
        )}
      </ol>`;
  }

  /** The actions and their confirmation step: a manager's only. */
  private actions() {
    const t = (key: WordKey) => say(key, this.lang);
    return html`<h2>${t('actions')}</h2>
      <form class="row" @submit=${this.refund}>
        <div>
          <label for="amount">${t('amount')}</label><input id="amount" name="amount" inputmode="decimal" />
        </div>
        <button type="submit">${t('refund')}</button>
      </form>
      <div class="row">
        <button
          class="secondary"
          @click=${() => this.ask({ key: 'cancel', path: this.orderPath('cancel'), body: {} })}
        >
          ${t('cancel')}
        </button>
        <button
          class="secondary"
          @click=${() => this.ask({ key: 'ship', path: this.orderPath('ship'), body: { status: 'ready_shipping' } })}
        >
          ${t('ship')}
        </button>
        <button
          class="secondary"
          @click=${() => this.ask({ key: 'reread', path: this.orderPath('reread'), body: {} })}
        >
          ${t('reread')}
        </button>
      </div>
      ${
        this.pending
          ? html`<div role="group" aria-labelledby="confirm-question">
              <p id="confirm-question">
                ${t('confirmQuestion')} ${t(this.pending.key)}
                ${typeof this.pending.body.amount === 'string' ? html`<bdi>${this.pending.body.amount}</bdi>` : ''}
              </p>
              <div class="row">
                <button id="confirm" ?disabled=${this.busy} @click=${this.run}>${t('confirm')}</button>
                <button class="secondary" @click=${() => (this.pending = undefined)}>${t('back')}</button>
              </div>
            </div>`
          : ''
      }
      <p role="status">${this.busy ? t('loading') : this.message}</p>
      ${failureAlert(this.error, this.lang)}`;
  }
}

customElements.define('points-console-order', ConsoleOrderDetail);
