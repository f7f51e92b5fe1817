import { css, html, LitElement, svg } from 'lit';
import { say, type ConsoleLang, type WordKey } from './console-copy.ts';
import { consoleStyles } from './console-styles.ts';

/** One measure of a chart: its name (in the page's language) and a value a day. */
export interface ChartSeries {
  name: string;
  values: number[];
}

const slot = 10;
const height = 50;

/**
 * A small bar chart of a few measures over days, drawn as inline SVG (no library: the console loads only
 * its own code). Screen readers hear one sentence (`role="img"` and its `aria-label`: each measure's total
 * over the days); the numbers themselves are in a table behind "Show the numbers", for everyone. Time runs
 * with the language: right to left in Arabic, oldest day at the start.
 *
 * @attr heading - what the chart shows ("Orders per day")
 * @attr lang - `ar` (default) or `en`
 * @example
 * html`<points-console-chart heading="Orders per day" .days=${days} .series=${[{ name: 'Orders', values }]}>`
 */
export class ConsoleChart extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      figure {
        margin: 0;
      }
      figcaption {
        font-weight: 600;
      }
      svg {
        display: block;
        inline-size: 100%;
        block-size: 5rem;
        border-block-end: 1px solid #555;
      }
      .axis,
      .legend {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.5rem;
        font-size: 0.875rem;
      }
      .legend {
        justify-content: start;
        list-style: none;
        padding: 0;
        margin: 0.25rem 0;
      }
      .swatch {
        display: inline-block;
        inline-size: 0.75rem;
        block-size: 0.75rem;
        margin-inline-end: 0.25rem;
        vertical-align: middle;
      }
      /* Each at least 3:1 against white (WCAG 1.4.11), and told apart by the legend and the table too. */
      .tone-0 {
        fill: #0b5a3a;
        background: #0b5a3a;
      }
      .tone-1 {
        fill: #1259c3;
        background: #1259c3;
      }
      .tone-2 {
        fill: #a10000;
        background: #a10000;
      }
      summary {
        cursor: pointer;
        color: #1259c3;
        min-block-size: 1.5rem;
      }
    `,
  ];
  static override properties = {
    lang: { type: String, reflect: true },
    heading: { type: String },
    days: { attribute: false },
    series: { attribute: false },
  };
  declare lang: ConsoleLang;
  declare heading: string;
  declare days: string[];
  declare series: ChartSeries[];

  constructor() {
    super();
    this.lang = 'ar';
    this.heading = '';
    this.days = [];
    this.series = [];
  }

  /** The sentence a screen reader hears: each measure's total over the days shown. */
  private summary(): string {
    const totals = this.series
      .map((one) => `${one.name} ${one.values.reduce((sum, value) => sum + value, 0)}`)
      .join(this.lang === 'ar' ? '، ' : ', ');
    const range = `${this.days[0] ?? ''} – ${this.days.at(-1) ?? ''}`;
    return `${this.heading}, ${range}. ${say('inAll', this.lang)}: ${totals}`;
  }

  private bars() {
    const max = Math.max(0, ...this.series.flatMap((one) => one.values));
    const width = this.days.length * slot;
    const bar = (slot - 2) / Math.max(1, this.series.length);
    const rtl = this.lang === 'ar';
    return this.series.flatMap((one, index) =>
      one.values.map((value, day) => {
        if (value <= 0 || max === 0) return svg``;
        const tall = Math.max(1, (value / max) * height);
        const start = day * slot + 1 + index * bar;
        const x = rtl ? width - start - bar : start;
        return svg`<rect class=${`tone-${index}`} x=${x} y=${height - tall} width=${bar} height=${tall}></rect>`;
      }),
    );
  }

  override render() {
    const t = (key: WordKey) => say(key, this.lang);
    return html`<figure>
      <figcaption>${this.heading}</figcaption>
      <svg
        role="img"
        aria-label=${this.summary()}
        viewBox="0 0 ${this.days.length * slot} ${height}"
        preserveAspectRatio="none"
      >
        ${this.bars()}
      </svg>
      <div class="axis" aria-hidden="true">
        <bdi>${this.days[0] ?? ''}</bdi><bdi>${this.days.at(-1) ?? ''}</bdi>
      </div>
      <ul class="legend">
        ${this.series.map(
          (one, index) => html`<li><span class="swatch tone-${index}"></span>${one.name}</li>`,
        )}
      </ul>
      <details>
        <summary>${t('showNumbers')}</summary>
        <table>
          <caption>
            ${this.heading}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('day')}</th>
              ${this.series.map((one) => html`<th scope="col">${one.name}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${this.days.map(
              (day, index) =>
                html`<tr>
                  <th scope="row"><time datetime=${day}>${day}</time></th>
                  ${this.series.map((one) => html`<td>${one.values[index] ?? 0}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </details>
    </figure>`;
  }
}

customElements.define('points-console-chart', ConsoleChart);
