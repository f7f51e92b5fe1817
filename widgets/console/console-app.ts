import { css, html, LitElement } from 'lit';
import { ConsoleClient, type ConsoleOperator } from './console-client.ts';
import { say, type ConsoleLang } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';
import './console-sign-in.ts';
import './console-overview.ts';
import './console-orders.ts';
import './console-order.ts';
import './console-deliveries.ts';
import './console-connectors.ts';
import './console-audit.ts';

/**
 * The operator console (`/console`): sign-in, then the overview, the orders, one order, the dead-lettered
 * deliveries, the connectors and the audit log, by the URL's hash (`#/orders/ORD-1`), in Arabic (right to left, the
 * default) or English. The page's `lang` and `dir` follow the chosen language.
 */
export class PointsConsole extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.75rem 1rem;
        background: #f1f5f2;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
      }
      main {
        padding: 1rem;
        max-inline-size: 60rem;
      }
    `,
  ];
  static override properties = {
    lang: { state: true },
    signedIn: { state: true },
    route: { state: true },
  };
  declare lang: ConsoleLang;
  declare signedIn: boolean | undefined;
  declare route: string;
  private readonly client = new ConsoleClient();
  private readonly onHash = () => (this.route = location.hash);

  constructor() {
    super();
    this.lang = localStorage.getItem('points-console-lang') === 'en' ? 'en' : 'ar';
    this.route = location.hash;
    this.client.onSignedOut = () => (this.signedIn = false);
  }

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
    void this.client.resume().then((open) => (this.signedIn = open));
  }

  override disconnectedCallback() {
    removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  override willUpdate() {
    document.documentElement.lang = this.lang;
    document.documentElement.dir = this.lang === 'ar' ? 'rtl' : 'ltr';
    document.title = say('title', this.lang);
  }

  private toggleLang() {
    this.lang = this.lang === 'ar' ? 'en' : 'ar';
    localStorage.setItem('points-console-lang', this.lang);
  }

  private async signOut() {
    await this.client.signOut().catch(() => undefined);
    this.signedIn = false;
  }

  private page() {
    const order = /^#\/orders\/(.+)$/.exec(this.route)?.[1];
    if (order) {
      return html`<points-console-order
        .client=${this.client}
        lang=${this.lang}
        order-number=${decodeURIComponent(order)}
      ></points-console-order>`;
    }
    if (this.route.startsWith('#/deliveries')) {
      return html`<points-console-deliveries
        .client=${this.client}
        lang=${this.lang}
      ></points-console-deliveries>`;
    }
    if (this.route.startsWith('#/audit')) {
      return html`<points-console-audit .client=${this.client} lang=${this.lang}></points-console-audit>`;
    }
    if (this.route.startsWith('#/connectors')) {
      return html`<points-console-connectors
        .client=${this.client}
        lang=${this.lang}
      ></points-console-connectors>`;
    }
    if (this.route.startsWith('#/orders')) {
      return html`<points-console-orders .client=${this.client} lang=${this.lang}></points-console-orders>`;
    }
    return html`<points-console-overview .client=${this.client} lang=${this.lang}></points-console-overview>`;
  }

  /** Who is signed in and their role, in the header (a viewer's page has no action buttons). */
  private whoAmI(operator: ConsoleOperator) {
    const role = say(operator.role === 'manager' ? 'roleManager' : 'roleViewer', this.lang);
    return html`<p data-operator=${operator.name} data-role=${operator.role}>
      ${say('signedInAs', this.lang)} <bdi lang="en">${operator.name}</bdi> (${role})
    </p>`;
  }

  override render() {
    const t = (key: Parameters<typeof say>[0]) => say(key, this.lang);
    return html`<header>
        <h1>${t('title')}</h1>
        ${
          this.signedIn
            ? html`<nav aria-label=${t('title')}>
                <a href="#/">${t('overview')}</a>
                <a href="#/orders">${t('orders')}</a>
                <a href="#/deliveries">${t('deliveries')}</a>
                <a href="#/connectors">${t('connectors')}</a>
                <a href="#/audit">${t('audit')}</a>
              </nav>`
            : ''
        }
        <div class="row">
          ${this.signedIn && this.client.operator ? this.whoAmI(this.client.operator) : ''}
          <button class="secondary" lang=${this.lang === 'ar' ? 'en' : 'ar'} @click=${this.toggleLang}>
            ${t('language')}
          </button>
          ${
            this.signedIn
              ? html`<button class="secondary" @click=${this.signOut}>${t('signOut')}</button>`
              : ''
          }
        </div>
      </header>
      <main>
        ${
          this.signedIn === undefined
            ? html`<p role="status">${t('loading')}</p>`
            : this.signedIn
              ? this.page()
              : html`<points-console-sign-in
                  .client=${this.client}
                  lang=${this.lang}
                  @console-signed-in=${() => (this.signedIn = true)}
                ></points-console-sign-in>`
        }
      </main>`;
  }
}

customElements.define('points-console', PointsConsole);
