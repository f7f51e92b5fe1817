import { css, html } from 'lit';
import { ConfirmedAction } from './confirmed-action.ts';
import type { WordKey } from './console-copy.ts';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';
import { consoleStyles } from './console-styles.ts';
import { failureAlert } from './failure-alert.ts';

/** One alert of `GET /console/api/alerts` (`server/observability/alert-store.ts`). */
interface Alert {
  id: string;
  kind: string;
  status: 'open' | 'acknowledged' | 'quiet';
  count: number;
  firings: number;
  firstFiredAt: string;
  lastFiredAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** What to do about each kind of `server/observability/alerts.ts`, and the console page to do it on. */
const fixes: Record<string, { words: WordKey; page?: string }> = {
  points_400: { words: 'fixPoints', page: '#/orders' },
  points_403: { words: 'fixPoints' },
  points_422: { words: 'fixPoints', page: '#/orders' },
  points_429: { words: 'fixPoints' },
  webhook_verification_failed: { words: 'fixWebhookSecret' },
  webhook_5xx: { words: 'fixStorage' },
  dead_letter: { words: 'fixDeadLetter', page: '#/deliveries' },
  lane_blocked: { words: 'fixLaneBlocked', page: '#/deliveries' },
};

/**
 * The overview's alerts: each open one in plain words, when it first and last fired, how often, what to
 * do and where, and an Acknowledge action (after a confirmation) that closes it; the latest closed ones
 * below.
 */
export class ConsoleAlerts extends ConsolePage {
  static override styles = [
    consoleStyles,
    css`
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      li {
        border-inline-start: 0.25rem solid #b42318;
        padding-inline-start: 0.75rem;
      }
      dl {
        margin: 0.25rem 0;
      }
    `,
  ];
  private readonly alerts = new ConsoleData<{ open: Alert[]; closed: Alert[] }>(this, () => 'alerts');
  private readonly acknowledgement = new ConfirmedAction<Alert>(this, {
    run: async (alert) => {
      await this.client.post(`alerts/${encodeURIComponent(alert.id)}/acknowledge`);
      return this.t('acknowledged');
    },
    reload: this.alerts,
    id: 'confirm-alert',
  });

  /** The kind in plain words (an unknown kind, from a newer version, by its name). */
  private meaning(kind: string) {
    // Every kind `fixes` lists has its words in console-copy.ts.
    return kind in fixes ? this.t(`alert_${kind}` as WordKey) : html`<bdi lang="en">${kind}</bdi>`;
  }

  private fix(kind: string) {
    const { t } = this;
    const fix = fixes[kind];
    if (!fix) return '';
    return html`<p>
      ${t('whereToFix')} ${t(fix.words)}
      ${fix.page ? html`<a href=${fix.page}>${t(fix.page === '#/orders' ? 'orders' : 'deliveries')}</a>` : ''}
    </p>`;
  }

  private item(alert: Alert) {
    const { t } = this;
    return html`<li data-alert=${alert.kind} data-id=${alert.id}>
      <strong>${this.meaning(alert.kind)}</strong>
      <dl>
        <dt>${t('firstFired')}</dt>
        <dd><time datetime=${alert.firstFiredAt}>${alert.firstFiredAt}</time></dd>
        <dt>${t('lastFired')}</dt>
        <dd><time datetime=${alert.lastFiredAt}>${alert.lastFiredAt}</time></dd>
        <dt>${t('alertCount')}</dt>
        <dd>${alert.count}</dd>
        <dt>${t('firings')}</dt>
        <dd>${alert.firings}</dd>
      </dl>
      ${this.fix(alert.kind)}
      ${
        this.client.mayAct
          ? html`<button class="secondary" @click=${() => this.acknowledgement.ask(alert)}>
              ${t('acknowledge')}
            </button>`
          : ''
      }
    </li>`;
  }

  private history(closed: Alert[]) {
    const { t } = this;
    if (closed.length === 0) return '';
    return html`<details data-closed-alerts>
      <summary>${t('alertsClosed')}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('kind')}</th>
            <th scope="col">${t('lastFired')}</th>
            <th scope="col">${t('state')}</th>
          </tr>
        </thead>
        <tbody>
          ${closed.map(
            (alert) =>
              html`<tr data-id=${alert.id}>
                <td>${this.meaning(alert.kind)}</td>
                <td><time datetime=${alert.lastFiredAt}>${alert.lastFiredAt}</time></td>
                <td>
                  ${
                    alert.status === 'acknowledged'
                      ? html`${t('statusAcknowledged')} · <bdi lang="en">${alert.acknowledgedBy}</bdi>`
                      : t('statusQuiet')
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
  }

  override render() {
    const { t } = this;
    const open = this.alerts.value?.open;
    return html`<h2>${t('alertsOpen')}</h2>
      ${this.acknowledgement.status()} ${failureAlert(this.acknowledgement.error, this.lang)}
      ${this.alerts.failure()} ${!open ? html`<p>${t('loading')}</p>` : ''}
      ${open && open.length === 0 ? html`<p data-no-alerts>${t('noOpenAlerts')}</p>` : ''}
      ${
        open && open.length > 0
          ? html`<ul>
              ${open.map((alert) => this.item(alert))}
            </ul>`
          : ''
      }
      ${this.acknowledgement.step((alert) => html`${t('acknowledge')}: ${this.meaning(alert.kind)}`)}
      ${this.history(this.alerts.value?.closed ?? [])}`;
  }
}

customElements.define('points-console-alerts', ConsoleAlerts);
