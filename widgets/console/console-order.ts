import { html } from 'lit';
import { ConfirmedAction } from './confirmed-action.ts';
import type { WordKey } from './console-copy.ts';
import { ConsoleData } from './console-data.ts';
import type { ConsoleOrder } from './console-orders.ts';
import { ConsolePage } from './console-page.ts';
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
export class ConsoleOrderDetail extends ConsolePage {
  static override properties = {
    orderNumber: { type: String, attribute: 'order-number', reflect: true },
  };
  declare orderNumber: string;
  private readonly details = new ConsoleData<{ order: ConsoleOrder; timeline: TimelineEntry[] }>(
    this,
    () => `orders/${encodeURIComponent(this.orderNumber)}`,
  );
  private readonly action = new ConfirmedAction<Action>(this, {
    run: async ({ path, body }) => {
      const answer = await this.client.post<{ order?: ConsoleOrder; pointsStatus?: string | null }>(
        path,
        body,
      );
      return `${this.t('done')} ${answer.pointsStatus ?? answer.order?.state ?? ''}`;
    },
    reload: this.details,
  });

  constructor() {
    super();
    this.orderNumber = '';
  }

  private refund(event: SubmitEvent) {
    event.preventDefault();
    const amount = String(new FormData(event.target as HTMLFormElement).get('amount') ?? '').trim();
    this.action.ask({ key: 'refund', path: this.orderPath('refund'), body: amount ? { amount } : {} });
  }

  private orderPath(action: string) {
    return `orders/${encodeURIComponent(this.orderNumber)}/${action}`;
  }

  override render() {
    const { t } = this;
    const { order, timeline = [] } = this.details.value ?? {};
    if (!order) {
      return this.details.error ? this.details.failure() : html`<p role="status">${t('loading')}</p>`;
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
        ${timeline.map(
          (entry) =>
            html`<li data-kind=${entry.kind}>
              <time datetime=${entry.at}>${entry.at}</time> · ${entry.kind} · <bdi>${entry.summary}</bdi> ·
              <strong>${entry.outcome}</strong>${entry.detail ? html` · ${entry.detail}` : ''}
              ${
                entry.replayable && entry.jobId && this.client.mayAct
                  ? html`<button
                      class="secondary"
                      @click=${() => this.action.ask({ key: 'replay', path: `deliveries/${entry.jobId}/replay`, body: {} })}
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
    const { t } = this;
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
          @click=${() => this.action.ask({ key: 'cancel', path: this.orderPath('cancel'), body: {} })}
        >
          ${t('cancel')}
        </button>
        <button
          class="secondary"
          @click=${() => this.action.ask({ key: 'ship', path: this.orderPath('ship'), body: { status: 'ready_shipping' } })}
        >
          ${t('ship')}
        </button>
        <button
          class="secondary"
          @click=${() => this.action.ask({ key: 'reread', path: this.orderPath('reread'), body: {} })}
        >
          ${t('reread')}
        </button>
      </div>
      ${this.action.step(
        ({ key, body }) =>
          html`${t(key)} ${typeof body.amount === 'string' ? html`<bdi>${body.amount}</bdi>` : ''}`,
      )}
      ${this.action.status()} ${failureAlert(this.action.error, this.lang)} ${this.details.failure()}`;
  }
}

customElements.define('points-console-order', ConsoleOrderDetail);
