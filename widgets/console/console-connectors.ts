import { css, html } from 'lit';
import type { WordKey } from './console-copy.ts';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';
import { consoleStyles } from './console-styles.ts';

type Outcome = 'earned' | 'pending' | 'skipped' | 'reversed' | 'failed' | 'waiting';

/** One platform as `GET /console/api/connectors` answers it (`server/console/connector-summary.ts`). */
interface ConnectorSummary {
  platform: string;
  configured: boolean;
  outcomes: Record<Outcome, number>;
  skippedReasons: Array<{ reason: string; count: number }>;
  lastDelivery: { at: string; event: string; status: string } | null;
}

/** The outcomes in the order people ask about them, with their words. */
const shown: Array<[Outcome, WordKey]> = [
  ['earned', 'outcomeEarned'],
  ['pending', 'outcomePending'],
  ['skipped', 'outcomeSkipped'],
  ['reversed', 'outcomeReversed'],
  ['failed', 'outcomeFailed'],
  ['waiting', 'outcomeWaiting'],
];

/**
 * The connectors page: each store platform (Salla, Zid, Shopify, WooCommerce), whether it is set up, what
 * became of its orders (earned, pending, skipped with the reasons, reversed, failed, waiting) and its last
 * delivery. One card a platform, so it reads on a phone.
 */
export class ConsoleConnectors extends ConsolePage {
  static override styles = [
    consoleStyles,
    css`
      .platforms {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
        gap: 1rem;
      }
      section {
        border: 1px solid #ccc;
        border-radius: 6px;
        padding: 0.75rem;
      }
      h3 {
        margin-block: 0 0.5rem;
        font-size: 1.125rem;
      }
      dl {
        display: grid;
        grid-template-columns: auto auto;
        gap: 0.25rem 1rem;
        margin: 0;
      }
      dd {
        margin: 0;
      }
    `,
  ];
  private readonly platforms = new ConsoleData<ConnectorSummary[]>(this, () => 'connectors');

  private card(platform: ConnectorSummary) {
    const { t } = this;
    const last = platform.lastDelivery;
    return html`<section data-platform=${platform.platform} aria-labelledby="platform-${platform.platform}">
      <h3 id="platform-${platform.platform}"><bdi>${platform.platform}</bdi></h3>
      <p data-configured=${platform.configured}>${t(platform.configured ? 'configured' : 'notConfigured')}</p>
      <dl>
        ${shown.map(
          ([outcome, word]) =>
            html`<dt>${t(word)}</dt>
              <dd data-outcome=${outcome}>${platform.outcomes[outcome]}</dd>`,
        )}
      </dl>
      ${
        platform.skippedReasons.length > 0
          ? html`<p>${t('skippedWhy')}</p>
              <ul>
                ${platform.skippedReasons.map(
                  (row) => html`<li data-reason><bdi lang="en">${row.reason}</bdi>: ${row.count}</li>`,
                )}
              </ul>`
          : ''
      }
      <p>
        ${t('lastDelivery')}:
        ${
          last
            ? html`<bdi lang="en">${last.event}</bdi> · <bdi lang="en">${last.status}</bdi> ·
                <time datetime=${last.at}>${last.at}</time>`
            : t('never')
        }
      </p>
    </section>`;
  }

  override render() {
    const { t } = this;
    const platforms = this.platforms.value;
    if (this.platforms.error) return this.platforms.failure();
    if (!platforms) return html`<p role="status">${t('loading')}</p>`;
    return html`<h2>${t('connectors')}</h2>
      <div class="platforms">${platforms.map((platform) => this.card(platform))}</div>`;
  }
}

customElements.define('points-console-connectors', ConsoleConnectors);
