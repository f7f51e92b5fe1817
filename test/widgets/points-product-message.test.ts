import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/product-message/points-product-message.ts';
import type { PointsProductMessage } from '../../widgets/product-message/points-product-message.ts';
import { json, scriptServer, shadowText, uniqueServer, type ScriptedServer, waitUntil } from './helpers.ts';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;

describe('<points-product-message>', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.restore());

  describe('in English and Arabic, left-to-right and right-to-left', () => {
    for (const [lang, dir, badge, card] of [
      ['en', 'ltr', 'Earn 1,990 Points', 'Earn 1,990 Points with this purchase'],
      ['en', 'rtl', 'Earn 1,990 Points', 'Earn 1,990 Points with this purchase'],
      ['ar', 'rtl', 'اكسب 1,990 نقطة', 'اكسب 1,990 نقطة عند شرائك هذا المنتج'],
      ['ar', 'ltr', 'اكسب 1,990 نقطة', 'اكسب 1,990 نقطة عند شرائك هذا المنتج'],
    ] as const) {
      for (const appearance of ['badge', 'card'] as const) {
        const expected = appearance === 'badge' ? badge : card;
        it(`${lang} ${dir} ${appearance}: says what the shopper earns and passes axe`, async () => {
          const el = await fixture<PointsProductMessage>(
            html`<div dir=${dir} lang=${lang}>
              <points-product-message
                amount="199.00"
                earn-rate="10"
                appearance=${appearance}
              ></points-product-message>
            </div>`,
          ).then((wrapper) => wrapper.querySelector('points-product-message')!);
          expect(shadowText(part(el, 'message'))).to.equal(expected);
          // The root takes its own language's direction, whatever the page's: no garbled punctuation.
          expect(getComputedStyle(part(el, 'root')).direction).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
          await expect(el).to.be.accessible();
        });
      }
    }
  });

  it('puts the coin at the inline start: the right edge in RTL, the left edge in LTR', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="inline-size: 500px">
        <points-product-message amount="10" earn-rate="10" dir="rtl" lang="ar"></points-product-message>
        <points-product-message amount="10" earn-rate="10" dir="ltr" lang="en"></points-product-message>
      </div>`,
    );
    const [rtl, ltr] = [...wrapper.querySelectorAll('points-product-message')] as PointsProductMessage[];
    const coinOf = (el: Element) => part(el, 'coin').getBoundingClientRect();
    expect(part(rtl!, 'root').getBoundingClientRect().right - coinOf(rtl!).right).to.be.lessThan(20);
    expect(coinOf(ltr!).left - part(ltr!, 'root').getBoundingClientRect().left).to.be.lessThan(20);
  });

  it('isolates the number in <bdi> so it keeps its place in mixed-direction text', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="199" earn-rate="10" lang="ar"></points-product-message>`,
    );
    expect(el.shadowRoot!.querySelector('bdi')!.textContent).to.equal('1,990');
  });

  it('writes Arabic-Indic digits with numerals="arab"', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message
        amount="199"
        earn-rate="10"
        lang="ar"
        numerals="arab"
      ></points-product-message>`,
    );
    expect(shadowText(part(el, 'message'))).to.contain('١٬٩٩٠ نقطة');
  });

  it('uses every Arabic number form: one, two, few, many, other', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="0.1" earn-rate="10" lang="ar"></points-product-message>`,
    );
    const said = async (amount: string) => {
      el.amount = amount;
      await el.updateComplete;
      return shadowText(part(el, 'points'));
    };
    expect(await said('0.1')).to.equal('نقطة واحدة');
    expect(await said('0.2')).to.equal('نقطتين');
    expect(await said('0.3')).to.equal('3 نقاط');
    expect(await said('1.1')).to.equal('11 نقطة');
    expect(await said('10')).to.equal('100 نقطة');
  });

  it('says "1 Point" but "2 Points" in English', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="0.1" earn-rate="10" lang="en"></points-product-message>`,
    );
    expect(shadowText(part(el, 'points'))).to.equal('1 Point');
    el.amount = '0.2';
    await el.updateComplete;
    expect(shadowText(part(el, 'points'))).to.equal('2 Points');
  });

  describe('attributes are the configuration', () => {
    it('re-renders on amount, quantity, earn-rate, numerals, lang and appearance, before the next frame', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="10" earn-rate="10" lang="en"></points-product-message>`,
      );
      let framed = false;
      requestAnimationFrame(() => (framed = true));
      el.setAttribute('amount', '25.50');
      await el.updateComplete;
      expect(shadowText(part(el, 'points'))).to.equal('255 Points');
      el.setAttribute('quantity', '2');
      await el.updateComplete;
      expect(shadowText(part(el, 'points'))).to.equal('510 Points');
      el.setAttribute('earn-rate', '20');
      await el.updateComplete;
      expect(shadowText(part(el, 'points'))).to.equal('1,020 Points');
      el.setAttribute('lang', 'ar');
      el.setAttribute('numerals', 'arab');
      await el.updateComplete;
      expect(shadowText(part(el, 'points'))).to.equal('١٬٠٢٠ نقطة');
      el.setAttribute('appearance', 'card');
      await el.updateComplete;
      expect(part(el, 'root').classList.contains('card')).to.equal(true);
      expect(framed).to.equal(false);
    });

    it('follows the page language when it has none of its own', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="en">
          <points-product-message amount="10" earn-rate="10"></points-product-message>
        </div>`,
      );
      const el = wrapper.querySelector('points-product-message')!;
      expect(shadowText(part(el, 'message'))).to.match(/^Earn/);
      wrapper.lang = 'ar';
      await waitUntil(() => shadowText(part(el, 'message')).startsWith('اكسب'), 'switches to Arabic');
    });

    it('defaults to Arabic when nothing says otherwise', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="10" earn-rate="10" lang=""></points-product-message>`,
      );
      expect(shadowText(part(el, 'message'))).to.match(/^اكسب/);
    });

    it('renders attribute text as text, never as HTML', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message
          amount="<img src=x onerror=alert(1)>"
          earn-rate="10"
        ></points-product-message>`,
      );
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    });

    it('themes: theme attribute, ::part() and --points-* custom properties reach inside', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div>
          <style>
            .themed::part(message) {
              font-weight: 900;
            }
            .themed {
              --points-tint: rgb(1, 2, 3);
            }
          </style>
          <points-product-message
            class="themed"
            amount="10"
            earn-rate="10"
            theme="dark"
          ></points-product-message>
        </div>`,
      );
      const el = wrapper.querySelector('points-product-message')!;
      expect(part(el, 'root').dataset['theme']).to.equal('dark');
      expect(getComputedStyle(part(el, 'message')).fontWeight).to.equal('900');
      expect(getComputedStyle(part(el, 'root')).backgroundColor).to.equal('rgb(1, 2, 3)');
    });
  });

  describe('empty and ineligible', () => {
    it('reserves its space by default and shows nothing', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="" earn-rate="10"></points-product-message>`,
      );
      expect(el.shadowRoot!.querySelector('[part~=root]')).to.equal(null);
      expect(el.matches(':state(empty)')).to.equal(true);
      expect(el.getBoundingClientRect().height).to.be.greaterThan(40);
    });

    it('collapses with empty="collapse", also when the earn rate makes it zero points', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="50" earn-rate="0" empty="collapse"></points-product-message>`,
      );
      expect(el.getBoundingClientRect().height).to.equal(0);
      el.earnRate = 10;
      await el.updateComplete;
      expect(el.getBoundingClientRect().height).to.be.greaterThan(40);
    });
  });

  describe('amount-from follows a price on the page', () => {
    it('reads "SAR 1,234.50" and keeps up when it changes, Arabic-Indic digits included', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div>
          <span id="price-1">SAR 1,234.50</span>
          <points-product-message amount-from="#price-1" earn-rate="10" lang="en"></points-product-message>
        </div>`,
      );
      const el = wrapper.querySelector('points-product-message')!;
      expect(shadowText(part(el, 'points'))).to.equal('12,345 Points');
      wrapper.querySelector('#price-1')!.textContent = '١٬٠٠٠٫٠٠ ر.س';
      await waitUntil(() => shadowText(part(el, 'points')) === '10,000 Points', 'follows the new price');
    });

    it('reads the sale price, not the struck-out old one', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div>
          <p id="sale"><del>SAR 250.00</del> <ins>SAR 199.00</ins></p>
          <points-product-message amount-from="#sale" earn-rate="10" lang="en"></points-product-message>
        </div>`,
      );
      expect(shadowText(part(wrapper.querySelector('points-product-message')!, 'points'))).to.equal(
        '1,990 Points',
      );
    });

    it('follows a price node the theme replaces, and one rendered after the element', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div>
          <points-product-message amount-from=".price" earn-rate="10" lang="en"></points-product-message>
        </div>`,
      );
      const el = wrapper.querySelector('points-product-message')!;
      expect(el.shadowRoot!.querySelector('[part~=points]')).to.equal(null);
      wrapper.insertAdjacentHTML('beforeend', '<span class="price">SAR 10.00</span>');
      await waitUntil(() => el.shadowRoot!.querySelector('[part~=points]'), 'reads the late node');
      expect(shadowText(part(el, 'points'))).to.equal('100 Points');
      wrapper
        .querySelector('.price')!
        .replaceWith(
          Object.assign(document.createElement('span'), { className: 'price', textContent: 'SAR 20.00' }),
        );
      await waitUntil(() => shadowText(part(el, 'points')) === '200 Points', 'follows the replacement');
      wrapper.querySelector('.price')!.textContent = 'SAR 30.00';
      await waitUntil(() => shadowText(part(el, 'points')) === '300 Points', 'follows the new node');
    });
  });

  it('amount-from: a price node with junk ("Model x1y2") shows nothing and reports invalid_amount', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><span id="junk">Model x1y2</span></div>`);
    const errors: string[] = [];
    wrapper.addEventListener('points-error', (event) => errors.push(event.detail.code));
    wrapper.insertAdjacentHTML(
      'beforeend',
      '<points-product-message amount-from="#junk" earn-rate="10"></points-product-message>',
    );
    const el = wrapper.querySelector('points-product-message')!;
    await el.updateComplete;
    expect(errors).to.deep.equal(['invalid_amount']);
    expect(shadowText(el)).to.equal('');
  });

  it('takes appearance and empty as properties, as React and Vue set them, with the same size and collapse', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="inline-size: 560px">
        <points-product-message amount="10" earn-rate="10" appearance="card"></points-product-message>
      </div>`,
    );
    const byAttribute = wrapper.querySelector('points-product-message')!;
    const byProperty = document.createElement('points-product-message');
    Object.assign(byProperty, { amount: '10', earnRate: 10, appearance: 'card' });
    wrapper.append(byProperty);
    await byProperty.updateComplete;
    expect(byProperty.getAttribute('appearance')).to.equal('card');
    expect(byProperty.getBoundingClientRect().height).to.equal(byAttribute.getBoundingClientRect().height);
    Object.assign(byProperty, { amount: '', empty: 'collapse' });
    await byProperty.updateComplete;
    expect(byProperty.getAttribute('empty')).to.equal('collapse');
    expect(getComputedStyle(byProperty).display).to.equal('none');
  });

  it('fits the largest amount it reads in a 320 px column, with exact figures', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="inline-size: 320px; font: 16px/1.5 sans-serif">
        <points-product-message amount="999,999,999.99" earn-rate="10" lang="en"></points-product-message>
        <points-product-message amount="999,999,999.99" earn-rate="10" lang="ar"></points-product-message>
        <points-product-message
          amount="999,999,999.99"
          earn-rate="10"
          lang="en"
          appearance="card"
        ></points-product-message>
      </div>`,
    );
    const els = [...wrapper.children] as HTMLElement[];
    await Promise.all(els.map((el) => (el as PointsProductMessage).updateComplete));
    for (const el of els) {
      expect(shadowText(part(el, 'points')), el.outerHTML).to.contain('10,000,000,000');
      const root = part(el, 'root');
      expect(root.scrollWidth, el.outerHTML).to.be.at.most(root.clientWidth);
      expect(el.getBoundingClientRect().width).to.be.at.most(320);
    }
  });

  it('shows nothing for an estimate past a trillion points (no float noise)', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="999999999" earn-rate="100000"></points-product-message>`,
    );
    expect(el.shadowRoot!.querySelector('[part~=root]')).to.equal(null);
  });

  describe('amounts it cannot read', () => {
    for (const amount of [
      '-199',
      '1e6',
      '12,34,567',
      'call us',
      '5,000,000,000.00',
      'x1y2',
      '1a2',
      '10 20',
    ]) {
      it(`"${amount}" shows nothing and reports points-error invalid_amount`, async () => {
        const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
        const errors: string[] = [];
        wrapper.addEventListener('points-error', (event) => errors.push(event.detail.code));
        wrapper.innerHTML = `<points-product-message amount="${amount}" earn-rate="10"></points-product-message>`;
        const el = wrapper.querySelector('points-product-message')!;
        await el.updateComplete;
        expect(errors).to.deep.equal(['invalid_amount']);
        expect(shadowText(el)).to.equal('');
      });
    }
  });

  describe('quantities it cannot read', () => {
    for (const quantity of ['0', '-1', '1.5', 'abc', '']) {
      it(`quantity="${quantity}" shows nothing and reports points-error invalid_quantity`, async () => {
        const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
        const errors: string[] = [];
        wrapper.addEventListener('points-error', (event) => errors.push(event.detail.code));
        wrapper.innerHTML = `<points-product-message amount="10" quantity="${quantity}" earn-rate="10"></points-product-message>`;
        const el = wrapper.querySelector('points-product-message')!;
        await el.updateComplete;
        // Strings, not the element: a failed assertion on a DOM node hangs the runner.
        expect(errors).to.deep.equal(['invalid_quantity']);
        expect(shadowText(el)).to.equal('');
      });
    }

    it('counts an absent quantity as 1, also once the attribute is removed', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message
          amount="10"
          quantity="-1"
          earn-rate="10"
          lang="en"
        ></points-product-message>`,
      );
      el.removeAttribute('quantity');
      await el.updateComplete;
      expect(shadowText(part(el, 'points'))).to.equal('100 Points');
    });
  });

  describe('earn rate from the edge server /config', () => {
    it('asks once per page however many elements, then paints from the cache synchronously', async () => {
      const edge = uniqueServer();
      server = scriptServer(() =>
        json({ environment: 'sandbox', currency: 'SAR', earnRate: 20, features: {}, defaultLanguage: 'ar' }),
      );
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="en">
          <points-product-message amount="10" server=${edge}></points-product-message>
          <points-product-message amount="20" server=${edge}></points-product-message>
          <points-product-message amount="30" server=${edge} appearance="card"></points-product-message>
        </div>`,
      );
      const els = [...wrapper.querySelectorAll('points-product-message')];
      await waitUntil(() => els.every((el) => el.shadowRoot!.querySelector('[part~=points]')), 'all render');
      expect(els.map((el) => shadowText(part(el, 'points')))).to.deep.equal([
        '200 Points',
        '400 Points',
        '600 Points',
      ]);
      expect(server.requests.map((request) => request.url.href)).to.deep.equal([`${edge}config`]);
      expect(server.requests[0]!.credentials).to.equal('omit');

      const later = document.createElement('points-product-message');
      later.setAttribute('amount', '5');
      later.setAttribute('lang', 'en');
      later.setAttribute('server', edge);
      document.body.append(later);
      await later.updateComplete;
      expect(shadowText(part(later, 'points'))).to.equal('100 Points');
      expect(server.requests).to.have.length(1);
      later.remove();
    });

    it('falls back to a message without a number, and reports points-error once', async () => {
      const edge = uniqueServer();
      server = scriptServer(() => json({ nope: true }, 500));
      const wrapper = document.createElement('div');
      wrapper.lang = 'en';
      wrapper.innerHTML = `<points-product-message amount="10" server="${edge}"></points-product-message>
        <points-product-message amount="10" server="${edge}"></points-product-message>`;
      const errors: string[] = [];
      wrapper.addEventListener('points-error', (event) => errors.push(event.detail.code));
      document.body.append(wrapper);
      const el = wrapper.querySelector('points-product-message')!;
      await waitUntil(() => shadowText(el).includes('Earn Points on this purchase'), 'fallback shown');
      await expect(el).to.be.accessible();
      expect(server.requests).to.have.length(1);
      await waitUntil(() => errors.length === 2, 'both report');
      expect(errors).to.deep.equal(['config_unavailable', 'config_unavailable']);
      wrapper.remove();
    });

    it('shows an accessible placeholder while the config loads', async () => {
      let answer!: (response: Response) => void;
      server = scriptServer(() => new Promise((resolve) => (answer = resolve)));
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message
          amount="10"
          server=${uniqueServer()}
          lang="en"
        ></points-product-message>`,
      );
      expect(shadowText(el)).to.contain('Working out your Points');
      await expect(el).to.be.accessible();
      answer(
        json({ earnRate: 10, currency: 'SAR', environment: 'sandbox', features: {}, defaultLanguage: 'ar' }),
      );
      await waitUntil(() => shadowText(el).includes('100 Points'), 'final text');
    });
  });

  describe('events', () => {
    it('fires points-ready once and points-render with { points, amount } on each change', async () => {
      const wrapper = document.createElement('div');
      const seen: string[] = [];
      wrapper.addEventListener('points-ready', () => seen.push('ready'));
      wrapper.addEventListener('points-render', (event) =>
        seen.push(`${event.detail.points}/${event.detail.amount}`),
      );
      wrapper.innerHTML = '<points-product-message amount="19.99" earn-rate="10"></points-product-message>';
      document.body.append(wrapper);
      const el = wrapper.querySelector('points-product-message')!;
      await el.updateComplete;
      el.amount = '5';
      await el.updateComplete;
      el.lang = 'en'; // same numbers: no new points-render
      await el.updateComplete;
      expect(seen).to.deep.equal(['ready', '200/19.99', '50/5']);
      wrapper.remove();
    });
  });

  describe('the info dialog', () => {
    const open = async (el: PointsProductMessage) => {
      part(el, 'info-button').click();
      await waitUntil(() =>
        el.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
      );
      return el.shadowRoot!.querySelector('points-info-dialog')!.shadowRoot!.querySelector('dialog')!;
    };

    it('opens a labelled modal with focus inside, closes on Esc and gives focus back', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="199" earn-rate="10" lang="en"></points-product-message>`,
      );
      const opened = oneEvent(el, 'points-info-open');
      const dialog = await open(el);
      expect((await opened).detail.points).to.equal(1990);
      expect(dialog.matches(':modal')).to.equal(true);
      const title = dialog.querySelector(`#${dialog.getAttribute('aria-labelledby')}`)!;
      expect(title.textContent).to.equal('Shop and earn with Points');
      expect(dialog.textContent!.replace(/\s+/g, ' ')).to.contain('1,990 Points');
      expect(dialog.contains((dialog.getRootNode() as ShadowRoot).activeElement)).to.equal(true);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialog.open, 'Esc closes');
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'info-button'));
    });

    it('opens from the keyboard with Enter and with Space, and closes from its buttons', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message
          amount="10"
          earn-rate="10"
          lang="ar"
          appearance="card"
        ></points-product-message>`,
      );
      part(el, 'info-button').focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() =>
        el.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
      );
      const dialog = el.shadowRoot!.querySelector('points-info-dialog')!.shadowRoot!.querySelector('dialog')!;
      expect(dialog.querySelector('h2')!.textContent).to.equal('تسوّق واكسب مع بوينتس');
      await expect(el).to.be.accessible();
      dialog.querySelector<HTMLButtonElement>('.done')!.click();
      expect(dialog.open).to.equal(false);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'info-button'));

      // The space bar: puppeteer's BiDi keyboard has no "Space" key name.
      await sendKeys({ press: ' ' });
      await waitUntil(() => dialog.open, 'Space opens');
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => !dialog.open, 'the focused close button closes it');
    });

    it('stays closed when a points-info-open listener cancels it', async () => {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="10" earn-rate="10"></points-product-message>`,
      );
      el.addEventListener('points-info-open', (event) => event.preventDefault());
      part(el, 'info-button').click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('points-info-dialog')).to.equal(null);
    });
  });
});
