import { html, LitElement } from 'lit';
import type { ConsoleClient } from './console-client.ts';
import { say, type ConsoleLang } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';
import { failureAlert } from './failure-alert.ts';

interface Overview {
  readiness: { status: string; pending: string[] };
  lastPointsWebhook: { at: string; event: string; status: string } | null;
  lastConnectorDeliveries: Array<{ platform: string; at: string; event: string; status: string }>;
  queue: Array<{ lane: string; queued: number; running: number }>;
  deadLetters: number;
}

/** The overview page: readiness, the last webhook and deliveries, the queue and dead letters. */
export class ConsoleOverview extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    lang: { type: String, reflect: true },
    data: { state: true },
    error: { state: true },
  };
  declare lang: ConsoleLang;
  declare data: Overview | undefined;
  declare error: string;
  client!: ConsoleClient;

  constructor() {
    super();
    this.lang = 'ar';
    this.error = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    this.client
      .get<Overview>('overview')
      .then((data) => (this.data = data))
      .catch((error: Error) => (this.error = error.message));
  }

  override render() {
    const t = (key: Parameters<typeof say>[0]) => say(key, this.lang);
    if (this.error) return failureAlert(this.error, this.lang);
    const data = this.data;
    if (!data) return html`<p role="status">${t('loading')}</p>`;
    return html`<h2>${t('overview')}</h2>
      <dl>
        <dt>${t('readiness')}</dt>
        <dd data-readiness=${data.readiness.status}>${data.readiness.status}</dd>
        <dt>${t('lastWebhook')}</dt>
        <dd>
          ${
            data.lastPointsWebhook
              ? html`<bdi>${data.lastPointsWebhook.event}</bdi> · ${data.lastPointsWebhook.status} ·
                  <time datetime=${data.lastPointsWebhook.at}>${data.lastPointsWebhook.at}</time>`
              : t('none')
          }
        </dd>
        <dt>${t('lastDeliveries')}</dt>
        <dd>
          ${
            data.lastConnectorDeliveries.length === 0
              ? t('none')
              : data.lastConnectorDeliveries.map(
                  (row) =>
                    html`<div><bdi>${row.platform}</bdi>: ${row.event} · ${row.status} · ${row.at}</div>`,
                )
          }
        </dd>
        <dt>${t('queue')}</dt>
        <dd>
          ${
            data.queue.length === 0
              ? t('none')
              : data.queue.map(
                  (lane) => html`<div><bdi>${lane.lane}</bdi>: ${lane.queued} / ${lane.running}</div>`,
                )
          }
        </dd>
        <dt>${t('deadLetters')}</dt>
        <dd>${data.deadLetters}</dd>
      </dl>`;
  }
}

customElements.define('points-console-overview', ConsoleOverview);
