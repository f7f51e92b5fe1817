import { html } from 'lit';
import type { WordKey } from './console-copy.ts';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';

/** One line of `GET /console/api/audit` (`server/console/audit-log.ts`). */
interface AuditEntry {
  id: string;
  at: string;
  /** `admin` or a `CONSOLE_OPERATORS` name. */
  operator: string;
  /** Which of their sign-ins (`session ` and 8 characters of a hash). */
  session: string;
  action: 'sign_in' | 'sign_out' | 'refund' | 'cancel' | 'ship' | 'reread' | 'replay' | 'acknowledge_alert';
  subject: string | null;
  request: Record<string, unknown> | null;
  result: string;
  detail: string | null;
}

const actionWords: Record<AuditEntry['action'], WordKey> = {
  sign_in: 'signIn',
  sign_out: 'signOut',
  refund: 'refund',
  cancel: 'cancel',
  ship: 'ship',
  reread: 'reread',
  replay: 'replay',
  acknowledge_alert: 'acknowledge',
};

/** What the operator asked, as `amount: 20.00, reason: damaged`. */
const requestText = (request: Record<string, unknown>) =>
  Object.entries(request)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(', ');

/**
 * The audit log page: the latest 100 things operators did in the console (sign-in and out, each action),
 * newest first, with the session that did it, what it asked and what became of it.
 */
export class ConsoleAudit extends ConsolePage {
  private readonly entries = new ConsoleData<AuditEntry[]>(this, () => 'audit?limit=100');

  private subject(entry: AuditEntry) {
    if (!entry.subject) return '';
    // A replay's subject is a job id, an acknowledgement's an alert id; every other action's is an order number.
    return entry.action === 'replay' || entry.action === 'acknowledge_alert'
      ? html` · <bdi>${entry.subject}</bdi>`
      : html` · <a href="#/orders/${encodeURIComponent(entry.subject)}"><bdi>${entry.subject}</bdi></a>`;
  }

  override render() {
    const { t } = this;
    const entries = this.entries.value;
    if (this.entries.error) return this.entries.failure();
    if (!entries) return html`<p role="status">${t('loading')}</p>`;
    return html`<h2>${t('audit')}</h2>
      ${entries.length === 0 ? html`<p>${t('none')}</p>` : ''}
      <ol>
        ${entries.map(
          (entry) =>
            html`<li data-action=${entry.action} data-result=${entry.result}>
              <time datetime=${entry.at}>${entry.at}</time> ·
              <bdi lang="en" data-operator title=${entry.session}>${entry.operator}</bdi> ·
              <strong>${t(actionWords[entry.action])}</strong>${this.subject(entry)}
              ${entry.request ? html` · <bdi lang="en">${requestText(entry.request)}</bdi>` : ''} ·
              ${entry.result === 'done' ? t('resultDone') : html`<bdi lang="en">${entry.result}</bdi>`}
              ${entry.detail ? html` · <bdi lang="en">${entry.detail}</bdi>` : ''}
            </li>`,
        )}
      </ol>`;
  }
}

customElements.define('points-console-audit', ConsoleAudit);
