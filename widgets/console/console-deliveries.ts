import { html, LitElement } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { say, type ConsoleLang, type WordKey } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';
import { failureAlert } from './failure-alert.ts';

interface DeadLetter {
  id: string;
  lane: string;
  kind: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/**
 * The deliveries page: dead-lettered jobs with their last error, each replayable after a confirmation (a
 * manager's; a viewer sees the list only).
 */
export class ConsoleDeliveries extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    lang: { type: String, reflect: true },
    rows: { state: true },
    pending: { state: true },
    busy: { state: true },
    message: { state: true },
    error: { state: true },
  };
  declare lang: ConsoleLang;
  declare rows: DeadLetter[] | undefined;
  declare pending: string | undefined;
  declare busy: boolean;
  declare message: string;
  declare error: string;
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
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
      this.rows = await this.client.get<DeadLetter[]>('deliveries');
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private ask(id: string) {
    this.pending = id;
    this.message = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm')?.focus());
  }

  private async replay() {
    if (!this.pending) return;
    this.busy = true;
    try {
      await this.client.post(`deliveries/${encodeURIComponent(this.pending)}/replay`);
      this.message = say('replayed', this.lang);
      this.pending = undefined;
      await this.load();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = (key: WordKey) => say(key, this.lang);
    return html`<h2>${t('deliveries')}</h2>
      <p role="status">${this.busy ? t('loading') : this.message}</p>
      ${failureAlert(this.error, this.lang)} ${!this.rows ? html`<p>${t('loading')}</p>` : ''}
      ${this.client.mayAct ? '' : html`<p data-viewer>${t('viewerNote')}</p>`}
      ${this.rows && this.rows.length === 0 ? html`<p data-empty>${t('none')}</p>` : ''}
      ${
        this.rows && this.rows.length > 0
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('kind')}</th>
                  <th scope="col">${t('attempts')}</th>
                  <th scope="col">${t('lastError')}</th>
                  ${this.client.mayAct ? html`<th scope="col">${t('actions')}</th>` : ''}
                </tr>
              </thead>
              <tbody>
                ${this.rows.map(
                  (row) =>
                    html`<tr data-job=${row.id}>
                      <td><bdi>${row.kind}</bdi></td>
                      <td>${row.attempts}</td>
                      <td>${row.lastError ?? ''}</td>
                      ${
                        this.client.mayAct
                          ? html`<td>
                              <button class="secondary" @click=${() => this.ask(row.id)}>
                                ${t('replay')}
                              </button>
                            </td>`
                          : ''
                      }
                    </tr>`,
                )}
              </tbody>
            </table>`
          : ''
      }
      ${
        this.pending
          ? html`<div role="group" aria-labelledby="confirm-question">
              <p id="confirm-question">${t('confirmQuestion')} ${t('replay')}</p>
              <div class="row">
                <button id="confirm" ?disabled=${this.busy} @click=${this.replay}>${t('confirm')}</button>
                <button class="secondary" @click=${() => (this.pending = undefined)}>${t('back')}</button>
              </div>
            </div>`
          : ''
      }`;
  }
}

customElements.define('points-console-deliveries', ConsoleDeliveries);
