import { css, html, LitElement } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { say, type ConsoleLang, type WordKey } from './console-copy.ts';
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
export class ConsoleAlerts extends LitElement {
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
  static override properties = {
    lang: { type: String, reflect: true },
    open: { state: true },
    closed: { state: true },
    pending: { state: true },
    busy: { state: true },
    message: { state: true },
    error: { state: true },
  };
  declare lang: ConsoleLang;
  declare open: Alert[] | undefined;
  declare closed: Alert[];
  declare pending: Alert | undefined;
  declare busy: boolean;
  declare message: string;
  declare error: string;
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
    this.closed = [];
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
      const listed = await this.client.get<{ open: Alert[]; closed: Alert[] }>('alerts');
      this.open = listed.open;
      this.closed = listed.closed;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private ask(alert: Alert) {
    this.pending = alert;
    this.message = '';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('#confirm-alert')?.focus(),
    );
  }

  private async acknowledge() {
    if (!this.pending) return;
    this.busy = true;
    try {
      await this.client.post(`alerts/${encodeURIComponent(this.pending.id)}/acknowledge`);
      this.message = say('acknowledged', this.lang);
      this.pending = undefined;
      await this.load();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** The kind in plain words (an unknown kind, from a newer version, by its name). */
  private meaning(kind: string) {
    // Every kind `fixes` lists has its words in console-copy.ts.
    return kind in fixes ? say(`alert_${kind}` as WordKey, this.lang) : html`<bdi lang="en">${kind}</bdi>`;
  }

  private fix(kind: string) {
    const t = (key: WordKey) => say(key, this.lang);
    const fix = fixes[kind];
    if (!fix) return '';
    return html`<p>
      ${t('whereToFix')} ${t(fix.words)}
      ${fix.page ? html`<a href=${fix.page}>${t(fix.page === '#/orders' ? 'orders' : 'deliveries')}</a>` : ''}
    </p>`;
  }

  private item(alert: Alert) {
    const t = (key: WordKey) => say(key, this.lang);
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
          ? html`<button class="secondary" @click=${() => this.ask(alert)}>${t('acknowledge')}</button>`
          : ''
      }
    </li>`;
  }

  private history() {
    const t = (key: WordKey) => say(key, this.lang);
    if (this.closed.length === 0) return '';
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
          ${this.closed.map(
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
    const t = (key: WordKey) => say(key, this.lang);
    return html`<h2>${t('alertsOpen')}</h2>
      <p role="status">${this.busy ? t('loading') : this.message}</p>
      ${failureAlert(this.error, this.lang)} ${!this.open ? html`<p>${t('loading')}</p>` : ''}
      ${this.open && this.open.length === 0 ? html`<p data-no-alerts>${t('noOpenAlerts')}</p>` : ''}
      ${
        this.open && this.open.length > 0
          ? html`<ul>
              ${this.open.map((alert) => this.item(alert))}
            </ul>`
          : ''
      }
      ${
        this.pending
          ? html`<div role="group" aria-labelledby="confirm-alert-question">
              <p id="confirm-alert-question">
                ${t('confirmQuestion')} ${t('acknowledge')}: ${this.meaning(this.pending.kind)}
              </p>
              <div class="row">
                <button id="confirm-alert" ?disabled=${this.busy} @click=${this.acknowledge}>
                  ${t('confirm')}
                </button>
                <button class="secondary" @click=${() => (this.pending = undefined)}>${t('back')}</button>
              </div>
            </div>`
          : ''
      }
      ${this.history()}`;
  }
}

customElements.define('points-console-alerts', ConsoleAlerts);
