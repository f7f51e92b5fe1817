import { expect, fixture, html } from '@open-wc/testing';
import '../../widgets/product-message/points-product-message.ts';
import '../../widgets/checkout-message/points-checkout-message.ts';
import '../../widgets/pay-button/points-pay-button.ts';
import '../../widgets/order-status/points-order-status.ts';
import type { PointsOrderStatus } from '../../widgets/order-status/points-order-status.ts';
import type { PointsProductMessage } from '../../widgets/product-message/points-product-message.ts';
import {
  deferred,
  frame,
  json,
  loadModule,
  nextPaint,
  scriptServer,
  tagNames,
  uniqueServer,
  waitUntil,
  type ScriptedServer,
} from './helpers.ts';

/**
 * Common system fonts, as the page's font: Arial's and Helvetica's metrics (Liberation Sans, Nimbus Sans),
 * the wide DejaVu Sans (Firefox's and WebKit's default on Linux) and the browser's own default.
 */
const fonts = [
  "'Liberation Sans', Arial",
  "'Nimbus Sans', Helvetica",
  "'DejaVu Sans', Verdana",
  'sans-serif',
];

const height = (el: Element) => el.getBoundingClientRect().height;
const config = { environment: 'sandbox', currency: 'SAR', earnRate: 10, features: {}, defaultLanguage: 'ar' };

describe('zero layout shift', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.restore());

  const layouts = (['en', 'ar'] as const).flatMap((lang) =>
    (
      [
        [600, 560],
        [375, 343],
      ] as const
    ).flatMap(([frameWidth, column]) => fonts.map((font) => [lang, frameWidth, column, font] as const)),
  );
  for (const [lang, frameWidth, column, font] of layouts) {
    it(`${lang}, ${column} px column, ${font}: same boxes before and after the script defines the elements`, async () => {
      const iframe = await frame(
        `<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><style>
          body { margin: 0; padding-inline: ${(frameWidth - column) / 2}px; font: 16px/1.5 ${font}; }
        </style><link rel="stylesheet" href="/widgets/widgets.css"></head><body>
          <points-product-message amount="1999.00" earn-rate="10"></points-product-message><hr>
          <points-product-message amount="1999.00" earn-rate="10" appearance="card"></points-product-message><hr>
          <points-checkout-message amount="4500.00" earn-rate="10"></points-checkout-message><hr>
          <points-pay-button order-token="t"></points-pay-button><hr>
          <points-order-status order-number="A-1" token="t"></points-order-status><hr>
        </body></html>`,
        frameWidth,
      );
      const win = iframe.contentWindow! as Window & typeof globalThis;
      const doc = iframe.contentDocument!;
      // The order-status element polls its server: answer "pending" so it shows a real state.
      win.fetch = async () => json({ orderNumber: 'A-1', state: 'pending', final: false });
      const shifts: number[] = [];
      new win.PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[])
          shifts.push(entry.value);
      }).observe({ type: 'layout-shift', buffered: true });

      const elements = [...doc.querySelectorAll(tagNames.join(','))];
      const rules = [...doc.querySelectorAll('hr')];
      await nextPaint(win);
      const heights = elements.map(height);
      const tops = rules.map((rule) => rule.getBoundingClientRect().top);
      expect(heights.every((h) => h >= 48)).to.equal(true);

      await loadModule(iframe, '/widgets/bundle.ts');
      await Promise.all(tagNames.map((name) => win.customElements.whenDefined(name)));
      await waitUntil(() =>
        doc.querySelector('points-order-status')!.shadowRoot!.querySelector('[data-state=pending]'),
      );
      await Promise.all(elements.map((el) => (el as PointsProductMessage).updateComplete));
      await nextPaint(win);

      expect(elements.map(height)).to.deep.equal(heights);
      expect(rules.map((rule) => rule.getBoundingClientRect().top)).to.deep.equal(tops);
      expect(shifts).to.deep.equal([]);
      iframe.remove();
    });
  }

  describe('between states of a defined element', () => {
    let wrapper: HTMLElement;
    beforeEach(async () => {
      wrapper = await fixture(html`<div style="inline-size: 560px; font: 16px/1.5 sans-serif"></div>`);
    });

    it('loading the earn rate, then the final number', async () => {
      const answer = deferred<void>();
      server = scriptServer(async () => {
        await answer.promise;
        return json(config);
      });
      wrapper.innerHTML = `<points-product-message amount="199" lang="en" server="${uniqueServer()}"></points-product-message>
        <points-checkout-message amount="450" lang="en" server="${uniqueServer()}"></points-checkout-message>`;
      const [product, checkout] = [...wrapper.children] as PointsProductMessage[];
      await Promise.all([product!.updateComplete, checkout!.updateComplete]);
      const loading = [height(product!), height(checkout!)];
      answer.resolve();
      await waitUntil(() => product!.shadowRoot!.querySelector('[part~=points]'));
      await waitUntil(() => checkout!.shadowRoot!.querySelector('[part~=points]'));
      expect([height(product!), height(checkout!)]).to.deep.equal(loading);
    });

    it('an unreachable server, no amount, and a language switch', async () => {
      server = scriptServer(() => json({}, 503));
      wrapper.innerHTML = `<points-product-message amount="199" lang="en" server="${uniqueServer()}"></points-product-message>
        <points-product-message amount="199" earn-rate="10" lang="en"></points-product-message>`;
      const [failing, working] = [...wrapper.children] as PointsProductMessage[];
      await working!.updateComplete;
      const size = height(working!);
      await waitUntil(() => failing!.shadowRoot!.textContent!.includes('Earn Points on this purchase'));
      expect(height(failing!)).to.equal(size);
      working!.amount = '';
      await working!.updateComplete;
      expect(height(working!)).to.equal(size);
      working!.amount = '199';
      working!.lang = 'ar';
      await working!.updateComplete;
      expect(height(working!)).to.equal(size);
      working!.setAttribute('appearance', 'card');
      await working!.updateComplete;
      const card = height(working!);
      working!.lang = 'en';
      await working!.updateComplete;
      expect(height(working!)).to.equal(card);
    });

    it('an order going from checking to pending to confirmed', async () => {
      const states = [deferred<Response>(), deferred<Response>()];
      let call = 0;
      server = scriptServer(() => states[Math.min(call++, 1)]!.promise);
      const el = document.createElement('points-order-status') as PointsOrderStatus;
      el.backoff = { initialMs: 0, maxMs: 0, factor: 1 };
      Object.assign(el, { server: 'https://edge.test/', orderNumber: 'A-1042', token: 't', lang: 'en' });
      wrapper.append(el);
      await el.updateComplete;
      const size = height(el);
      states[0]!.resolve(json({ orderNumber: 'A-1042', state: 'pending', final: false }));
      await waitUntil(() => el.shadowRoot!.querySelector('[data-state=pending]'));
      expect(height(el)).to.equal(size);
      states[1]!.resolve(
        json({ orderNumber: 'A-1042', state: 'confirmed', final: true, pointsRedeemed: 500 }),
      );
      await waitUntil(() => el.shadowRoot!.querySelector('[data-state=confirmed]'));
      expect(height(el)).to.equal(size);
    });
  });
});
