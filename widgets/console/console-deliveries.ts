import { html } from 'lit';
import { ConfirmedAction } from './confirmed-action.ts';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';
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
export class ConsoleDeliveries extends ConsolePage {
  private readonly rows = new ConsoleData<DeadLetter[]>(this, () => 'deliveries');
  private readonly replay = new ConfirmedAction<string>(this, {
    run: async (id) => {
      await this.client.post(`deliveries/${encodeURIComponent(id)}/replay`);
      return this.t('replayed');
    },
    reload: this.rows,
  });

  override render() {
    const { t } = this;
    const rows = this.rows.value;
    return html`<h2>${t('deliveries')}</h2>
      ${this.replay.status()} ${failureAlert(this.replay.error, this.lang)} ${this.rows.failure()}
      ${!rows ? html`<p>${t('loading')}</p>` : ''}
      ${this.client.mayAct ? '' : html`<p data-viewer>${t('viewerNote')}</p>`}
      ${rows && rows.length === 0 ? html`<p data-empty>${t('none')}</p>` : ''}
      ${
        rows && rows.length > 0
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
                ${rows.map(
                  (row) =>
                    html`<tr data-job=${row.id}>
                      <td><bdi>${row.kind}</bdi></td>
                      <td>${row.attempts}</td>
                      <td>${row.lastError ?? ''}</td>
                      ${
                        this.client.mayAct
                          ? html`<td>
                              <button class="secondary" @click=${() => this.replay.ask(row.id)}>
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
      ${this.replay.step(() => t('replay'))}`;
  }
}

customElements.define('points-console-deliveries', ConsoleDeliveries);
