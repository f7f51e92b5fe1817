import { expect } from '@open-wc/testing';
import { frameAt, loadModule, tagNames, waitUntil } from './helpers.ts';

/**
 * A page under a strict CSP that records every violation. A real URL, not `srcdoc`: Firefox does not
 * count the test server as `'self'` in a `srcdoc` frame.
 */
async function strictPage() {
  const iframe = await frameAt('/test/widgets/pages/strict-csp.html');
  const doc = iframe.contentDocument!;
  const violations: string[] = [];
  doc.addEventListener('securitypolicyviolation', (event) =>
    violations.push(`${event.violatedDirective} ${event.blockedURI}`),
  );
  return { iframe, doc, win: iframe.contentWindow! as Window & typeof globalThis, violations };
}

/** Renders every element, opens the dialog and presses the pay button; resolves when all has happened. */
async function exercise(page: Awaited<ReturnType<typeof strictPage>>) {
  const { doc, win } = page;
  doc.body.innerHTML = `
    <points-product-message amount="199" earn-rate="10"></points-product-message>
    <points-product-message amount="199" earn-rate="10" appearance="card" theme="dark"></points-product-message>
    <points-checkout-message amount="450" earn-rate="10"></points-checkout-message>
    <points-pay-button order-number="1042"></points-pay-button>
    <points-order-status order-number="1042" token="t"></points-order-status>`;
  // The bundle loads each element's code once its tag is on the page.
  await Promise.all(tagNames.map((name) => win.customElements.whenDefined(name)));
  const product = doc.querySelector('points-product-message')!;
  await waitUntil(() => product.shadowRoot?.querySelector('[part~=info-button]'), 'rendered');
  product.shadowRoot!.querySelector<HTMLElement>('[part~=info-button]')!.click();
  await waitUntil(() =>
    product.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
  );
  // The pay button calls the test server's /checkout (404 here): the lazy pay flow loads and shows an error.
  const pay = doc.querySelector('points-pay-button')!;
  pay.shadowRoot!.querySelector<HTMLElement>('button')!.click();
  await waitUntil(() => pay.shadowRoot!.querySelector('[role=alert]'), 'pay flow answered');
  const status = doc.querySelector('points-order-status')!;
  await waitUntil(() => status.shadowRoot!.querySelector('[data-state=not_found]'), 'status answered');
  // Styles apply (constructable stylesheets are allowed by style-src 'self').
  const root = product.shadowRoot!.querySelector('[part~=root]')!;
  expect(win.getComputedStyle(root).backgroundColor).to.equal('rgb(241, 238, 254)');
}

describe('strict Content-Security-Policy', () => {
  it('the page notices a violation (the test can fail)', async () => {
    const page = await strictPage();
    page.doc.body.innerHTML = '<p style="color: red">inline style</p>';
    await waitUntil(() => page.violations.length > 0, 'violation reported');
    expect(page.violations[0]).to.match(/^style-src/);
    page.iframe.remove();
  });

  it('the widgets from source render, open the dialog and load lazy code with no violation', async () => {
    const page = await strictPage();
    await loadModule(page.iframe, '/widgets/bundle.ts');
    await exercise(page);
    expect(page.violations).to.deep.equal([]);
    page.iframe.remove();
  });

  it('the built bundle does too (after `npm run build`)', async function () {
    const built = await fetch('/dist/widgets/points-widgets.js', { method: 'HEAD' });
    if (!built.ok) this.skip();
    const page = await strictPage();
    await loadModule(page.iframe, '/dist/widgets/points-widgets.js');
    await exercise(page);
    expect(page.violations).to.deep.equal([]);
    page.iframe.remove();
  });
});
