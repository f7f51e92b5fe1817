import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/pay-button/points-pay-button.ts';
import type { PointsPayButton } from '../../widgets/pay-button/points-pay-button.ts';
import {
  deferred,
  json,
  problem,
  scriptServer,
  shadowText,
  type ScriptedServer,
  waitUntil,
} from './helpers.ts';

const edge = 'https://edge.test/shop/';
const session = { checkoutUrl: 'https://checkout.points.test/session/abc', orderNumber: 'A-1042' };

const inner = (el: PointsPayButton) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[part=button]')!;
const alertOf = (el: PointsPayButton) => el.shadowRoot!.querySelector<HTMLElement>('[role=alert]');

/** A pay button that records navigations instead of leaving the test page. */
async function payButton(template: ReturnType<typeof html>): Promise<PointsPayButton & { went: string[] }> {
  const el = (await fixture<PointsPayButton>(template)) as PointsPayButton & { went: string[] };
  el.went = [];
  el.navigate = (url: string) => void el.went.push(url);
  return el;
}

describe('<points-pay-button>', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.restore());

  for (const [lang, dir, label] of [
    ['en', 'ltr', 'Pay with Points'],
    ['en', 'rtl', 'Pay with Points'],
    ['ar', 'rtl', 'ادفع مع بوينتس'],
    ['ar', 'ltr', 'ادفع مع بوينتس'],
  ] as const) {
    it(`${lang} ${dir}: a real, named button that passes axe, also with an error showing`, async () => {
      server = scriptServer(() => problem(410, 'order_expired'));
      const el = await payButton(
        html`<points-pay-button order-token="t" server=${edge} lang=${lang} dir=${dir}></points-pay-button>`,
      );
      expect(inner(el).tagName).to.equal('BUTTON');
      expect(shadowText(inner(el))).to.equal(label);
      await expect(el).to.be.accessible();
      await el.pay();
      expect(alertOf(el)).not.to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('posts the order token without cookies, then redirects to the checkout', async () => {
    server = scriptServer(() => json(session, 201));
    const el = await payButton(
      html`<points-pay-button order-token="test-order-token" server=${edge}></points-pay-button>`,
    );
    const started = oneEvent(el, 'points-checkout-start');
    const redirected = oneEvent(el, 'points-checkout-redirect');
    inner(el).click();
    expect((await started).detail.request).to.deep.equal({ orderToken: 'test-order-token' });
    expect((await redirected).detail).to.deep.equal(session);
    await waitUntil(() => el.went.length === 1);
    expect(el.went).to.deep.equal([session.checkoutUrl]);
    const [request] = server.requests;
    expect(request!.method).to.equal('POST');
    expect(request!.url.href).to.equal('https://edge.test/shop/checkout');
    expect(request!.credentials).to.equal('omit');
    expect(request!.contentType).to.equal('application/json');
    expect(request!.body).to.deep.equal({ orderToken: 'test-order-token' });
  });

  it('sends an order number, or catalog items parsed from the items attribute', async () => {
    server = scriptServer(() => json(session));
    const byNumber = await payButton(
      html`<points-pay-button order-number="1042" server=${edge}></points-pay-button>`,
    );
    await byNumber.pay();
    const byItems = await payButton(
      html`<points-pay-button
        items='[{"sku":"COFFEE-SET","quantity":2},{"sku":"CUP"}]'
        server=${edge}
      ></points-pay-button>`,
    );
    await byItems.pay();
    expect(server.requests.map((request) => request.body)).to.deep.equal([
      { orderNumber: '1042' },
      {
        items: [
          { sku: 'COFFEE-SET', quantity: 2 },
          { sku: 'CUP', quantity: 1 },
        ],
      },
    ]);
  });

  it('refuses malformed items without calling the server', async () => {
    server = scriptServer(() => json(session));
    const el = await payButton(
      html`<points-pay-button
        items='[{"sku":"","quantity":-1}]'
        server=${edge}
        lang="en"
      ></points-pay-button>`,
    );
    const failed = oneEvent(el, 'points-error');
    await el.pay();
    expect((await failed).detail.code).to.equal('invalid_order');
    expect(server.requests).to.have.length(0);
    expect(alertOf(el)!.textContent).to.contain("Something in this order isn't right");
  });

  it('has its status region before it is busy, so screen readers announce the change', async () => {
    const el = await payButton(html`<points-pay-button order-token="t" lang="en"></points-pay-button>`);
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('');
  });

  it('is busy while the server works, and a double click starts one checkout only', async () => {
    const held = deferred<Response>();
    server = scriptServer(() => held.promise);
    const el = await payButton(
      html`<points-pay-button order-token="t" server=${edge} lang="en"></points-pay-button>`,
    );
    inner(el).click();
    inner(el).click();
    await waitUntil(() => server!.requests.length === 1);
    await el.updateComplete;
    expect(inner(el).getAttribute('aria-busy')).to.equal('true');
    expect(shadowText(inner(el))).to.equal('Opening Points checkout…');
    // aria-busy hides the button's new label from screen readers: a status region announces it.
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('Opening Points checkout…');
    inner(el).click();
    held.resolve(json(session));
    await waitUntil(() => el.went.length === 1);
    expect(server.requests).to.have.length(1);
  });

  it('is ready again when the shopper comes back from the checkout through the back/forward cache', async () => {
    server = scriptServer(() => json(session));
    const el = await payButton(html`<points-pay-button order-token="t" server=${edge}></points-pay-button>`);
    await el.pay();
    await el.updateComplete;
    expect(inner(el).getAttribute('aria-busy')).to.equal('true'); // leaving for the checkout
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await el.updateComplete;
    expect(inner(el).getAttribute('aria-busy')).to.equal('false');
    await el.pay();
    expect(el.went).to.have.length(2);
  });

  it('does nothing when points-checkout-start is cancelled', async () => {
    server = scriptServer(() => json(session));
    const el = await payButton(html`<points-pay-button order-token="t" server=${edge}></points-pay-button>`);
    el.addEventListener('points-checkout-start', (event) => event.preventDefault());
    await el.pay();
    expect(server.requests).to.have.length(0);
    expect(inner(el).getAttribute('aria-busy')).to.equal('false');
  });

  it('leaves navigation to the page when points-checkout-redirect is cancelled', async () => {
    server = scriptServer(() => json(session));
    const el = await payButton(html`<points-pay-button order-token="t" server=${edge}></points-pay-button>`);
    el.addEventListener('points-checkout-redirect', (event) => event.preventDefault());
    await el.pay();
    await el.updateComplete;
    expect(el.went).to.deep.equal([]);
    expect(inner(el).getAttribute('aria-busy')).to.equal('false');
  });

  it('shows a shopper message by problem code, never the raw detail, and retries', async () => {
    let calls = 0;
    server = scriptServer(() => (++calls === 1 ? problem(410, 'order_expired') : json(session)));
    const el = await payButton(
      html`<points-pay-button order-token="t" server=${edge} lang="en"></points-pay-button>`,
    );
    const failed = oneEvent(el, 'points-error');
    await el.pay();
    expect((await failed).detail).to.include({ code: 'order_expired', status: 410 });
    expect(alertOf(el)!.textContent).to.contain('This order has expired. Refresh the page to try again.');
    expect(shadowText(el)).not.to.contain('internal detail');
    expect(inner(el).getAttribute('aria-busy')).to.equal('false');

    el.setAttribute('lang', 'ar');
    await el.updateComplete;
    expect(alertOf(el)!.textContent).to.contain('انتهت صلاحية هذا الطلب');

    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click();
    await waitUntil(() => el.went.length === 1, 'the retry succeeds');
    expect(el.shadowRoot!.activeElement).to.equal(inner(el));
    expect(alertOf(el)).to.equal(null);
  });

  for (const [what, answer, message] of [
    ['a 503 without a code', () => json({}, 503), "Points checkout isn't available right now"],
    ['a 429', () => problem(429, 'slow_down'), 'Too many attempts'],
    ['an unknown code', () => problem(400, 'brand_new_code'), "Something in this order isn't right"],
    [
      'Points refusing the order',
      () => problem(422, 'points_rejected'),
      "Something in this order isn't right",
    ],
    ['a checkout already starting', () => problem(429, 'checkout_in_progress'), 'Too many attempts'],
    ['a code named like an object property', () => problem(409, 'constructor'), 'This order is already paid'],
    [
      'a network failure',
      () => Promise.reject(new TypeError('Failed to fetch')),
      "We couldn't reach the store",
    ],
    [
      'a non-web checkout URL',
      () => json({ checkoutUrl: 'javascript:alert(1)', orderNumber: 'x' }),
      'Something went wrong',
    ],
  ] as const) {
    it(`explains ${what} to the shopper`, async () => {
      server = scriptServer(answer);
      const el = await payButton(
        html`<points-pay-button order-token="t" server=${edge} lang="en"></points-pay-button>`,
      );
      await el.pay();
      expect(alertOf(el)!.textContent).to.contain(message);
      expect(el.went).to.deep.equal([]);
    });
  }

  it('works from the keyboard: Enter and Space', async () => {
    server = scriptServer(() => json(session));
    const el = await payButton(html`<points-pay-button order-token="t" server=${edge}></points-pay-button>`);
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(inner(el));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.went.length === 1, 'Enter pays');
    el.navigate = () => undefined;
    const other = await payButton(
      html`<points-pay-button order-token="t2" server=${edge}></points-pay-button>`,
    );
    other.focus();
    // The space bar: puppeteer's BiDi keyboard has no "Space" key name.
    await sendKeys({ press: ' ' });
    await waitUntil(() => other.went.length === 1, 'Space pays');
  });

  it('is form-associated: follows a disabled fieldset and submits the order number once started', async () => {
    server = scriptServer(() => json(session));
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <fieldset>
          <points-pay-button name="points-order" order-token="t" server=${edge}></points-pay-button>
        </fieldset>
      </form>`,
    );
    const el = form.querySelector('points-pay-button')!;
    el.navigate = () => undefined;
    expect(el.form).to.equal(form);
    form.querySelector('fieldset')!.disabled = true;
    await el.updateComplete;
    expect(inner(el).disabled).to.equal(true);
    await el.pay();
    expect(server.requests).to.have.length(0);
    form.querySelector('fieldset')!.disabled = false;
    await el.updateComplete;
    await el.pay();
    expect(new FormData(form).get('points-order')).to.equal('A-1042');
  });

  it('takes a custom label from its slot', async () => {
    const el = await payButton(
      html`<points-pay-button order-token="t">Checkout with Points</points-pay-button>`,
    );
    expect(inner(el).querySelector('slot')!.assignedNodes()[0]!.textContent).to.equal('Checkout with Points');
    await expect(el).to.be.accessible();
  });
});
