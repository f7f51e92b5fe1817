import { css, html } from 'lit';
import './console-alerts.ts';
import './console-chart.ts';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';
import { consoleStyles } from './console-styles.ts';

/** One day of the charts, in the merchant's time zone (`server/console/daily-activity.ts`). */
interface ActivityDay {
  day: string;
  orders: number;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsReversed: number;
  webhookFailures: number;
  intakeMs: { median: number; p95: number; max: number } | null;
  webhookDelayMs: { average: number; max: number } | null;
}

interface Overview {
  readiness: { status: string; pending: string[] };
  lastPointsWebhook: { at: string; event: string; status: string } | null;
  lastConnectorDeliveries: Array<{ platform: string; at: string; event: string; status: string }>;
  queue: Array<{ lane: string; queued: number; running: number }>;
  deadLetters: number;
}

/** `GET /console/api/activity`: the days of the charts and the time zone they are in. */
interface Activity {
  timeZone: string;
  days: ActivityDay[];
}

/**
 * The overview page: readiness, the last webhook and deliveries, the queue and dead letters, the open
 * alerts (`console-alerts.ts`), and charts of the last 14 days.
 */
export class ConsoleOverview extends ConsolePage {
  static override styles = [
    consoleStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
        gap: 1.5rem;
      }
    `,
  ];
  private readonly overview = new ConsoleData<Overview>(this, () => 'overview');
  private readonly activity = new ConsoleData<Activity>(this, () => 'activity?days=14');

  private charts({ timeZone, days }: Activity) {
    const { t } = this;
    const labels = days.map((day) => day.day);
    const chart = (heading: string, series: Array<{ name: string; values: number[] }>) =>
      html`<points-console-chart
        lang=${this.lang}
        heading=${heading}
        .days=${labels}
        .series=${series}
      ></points-console-chart>`;
    return html`<h2>${t('lastDays')}</h2>
      <p>${t('daysIn')} <bdi data-time-zone>${timeZone}</bdi></p>
      <div class="charts" data-charts>
        ${chart(t('ordersPerDay'), [{ name: t('orders'), values: days.map((day) => day.orders) }])}
        ${chart(t('pointsPerDay'), [
          { name: t('earned'), values: days.map((day) => day.pointsEarned) },
          { name: t('redeemed'), values: days.map((day) => day.pointsRedeemed) },
          { name: t('reversed'), values: days.map((day) => day.pointsReversed) },
        ])}
        ${chart(t('failuresPerDay'), [
          { name: t('failures'), values: days.map((day) => day.webhookFailures) },
        ])}
        ${chart(t('intakeLatency'), [
          { name: t('median'), values: days.map((day) => day.intakeMs?.median ?? 0) },
          { name: t('p95'), values: days.map((day) => day.intakeMs?.p95 ?? 0) },
          { name: t('max'), values: days.map((day) => day.intakeMs?.max ?? 0) },
        ])}
        ${chart(t('webhookDelay'), [
          { name: t('average'), values: days.map((day) => day.webhookDelayMs?.average ?? 0) },
          { name: t('max'), values: days.map((day) => day.webhookDelayMs?.max ?? 0) },
        ])}
      </div>`;
  }

  override render() {
    const { t } = this;
    if (this.overview.error) return this.overview.failure();
    if (this.activity.error) return this.activity.failure();
    const data = this.overview.value;
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
      </dl>
      <points-console-alerts .client=${this.client} lang=${this.lang}></points-console-alerts>
      ${this.activity.value ? this.charts(this.activity.value) : html`<p role="status">${t('loading')}</p>`}`;
  }
}

customElements.define('points-console-overview', ConsoleOverview);
