import { expect, fixture, html } from '@open-wc/testing';
import '../../widgets/product-message/points-product-message.ts';
import '../../widgets/checkout-message/points-checkout-message.ts';
import '../../widgets/pay-button/points-pay-button.ts';
import '../../widgets/order-status/points-order-status.ts';
import type { PointsProductMessage } from '../../widgets/product-message/points-product-message.ts';
import { deferred, frame, loadModule, scriptServer, tagNames, uniqueServer, waitUntil } from './helpers.ts';
import { emulateMedia, resetMedia } from './media.ts';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;

describe("the shopper's settings", () => {
  afterEach(resetMedia);

  it('prefers-reduced-motion stops the loading animation', async () => {
    const held = deferred<Response>();
    const server = scriptServer(() => held.promise);
    try {
      const el = await fixture<PointsProductMessage>(
        html`<points-product-message amount="10" server=${uniqueServer()}></points-product-message>`,
      );
      const skeleton = el.shadowRoot!.querySelector('.skeleton')!;
      expect(getComputedStyle(skeleton).animationName).to.equal('points-pulse');
      await emulateMedia('prefers-reduced-motion', 'reduce', [el]);
      expect(getComputedStyle(skeleton).animationName).to.equal('none');
    } finally {
      server.restore();
    }
  });

  it('forced colours draw a system-colour border around the badge', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="10" earn-rate="10"></points-product-message>`,
    );
    expect(getComputedStyle(part(el, 'root')).borderInlineStartStyle).to.equal('none');
    if ((await emulateMedia('forced-colors', 'active', [el])) === 'emulated') {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    }
    expect(getComputedStyle(part(el, 'root')).borderInlineStartStyle).to.equal('solid');
  });

  it('forced colours keep a frame on every button: pay, retry, and the dialog\'s close and "Continue shopping"', async () => {
    const server = scriptServer(() => new Response('{}', { status: 503 }));
    try {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="en">
          <points-pay-button order-token="t" server=${uniqueServer()}></points-pay-button>
          <points-product-message amount="10" earn-rate="10"></points-product-message>
        </div>`,
      );
      const pay = wrapper.querySelector('points-pay-button')!;
      const product = wrapper.querySelector('points-product-message')!;
      await pay.pay();
      await waitUntil(() => part(pay, 'retry'), 'error shown');
      part(product, 'info-button').click();
      await waitUntil(() =>
        product.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
      );
      const dialog = product.shadowRoot!.querySelector('points-info-dialog')!;
      await emulateMedia('forced-colors', 'active', [pay, product, dialog]);
      const buttons = {
        pay: part(pay, 'button'),
        retry: part(pay, 'retry'),
        ...Object.fromEntries(
          [...dialog.shadowRoot!.querySelectorAll<HTMLElement>('[part~=dialog-close]')].map((button, i) => [
            `dialog close ${i}`,
            button,
          ]),
        ),
      };
      const frameless = Object.entries(buttons)
        .filter(
          ([, button]) =>
            getComputedStyle(button).borderTopStyle !== 'solid' ||
            parseFloat(getComputedStyle(button).borderTopWidth) < 1,
        )
        .map(([name]) => name);
      expect(frameless).to.deep.equal([]);
      dialog.close();
    } finally {
      server.restore();
    }
  });

  it('light and dark themes are accessible', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en">
        <points-product-message amount="10" earn-rate="10"></points-product-message>
        <points-product-message amount="10" earn-rate="10" theme="light"></points-product-message>
        <div style="background: #121212; color: #eee">
          <points-product-message
            amount="10"
            earn-rate="10"
            theme="dark"
            appearance="card"
          ></points-product-message>
          <points-checkout-message amount="10" earn-rate="10" theme="dark"></points-checkout-message>
        </div>
      </div>`,
    );
    const [auto, light] = [...wrapper.querySelectorAll('points-product-message')];
    expect(getComputedStyle(part(auto!, 'root')).backgroundColor).to.equal('rgb(241, 238, 254)');
    expect(getComputedStyle(part(light!, 'root')).backgroundColor).to.equal('rgb(241, 238, 254)');
    await expect(wrapper).to.be.accessible();
  });
});

describe('the bundle', () => {
  it('served as widgets/README.md tells merchants: defines the elements and loads its lazy chunks', async function () {
    const built = await fetch('/dist/widgets/points-widgets.js', { method: 'HEAD' });
    if (!built.ok) this.skip();
    const iframe = await frame('<!doctype html><html lang="en"><body></body></html>');
    const win = iframe.contentWindow! as Window & typeof globalThis;
    await loadModule(iframe, '/as-the-readme-says/points-widgets.js');
    iframe.contentDocument!.body.innerHTML =
      '<points-product-message amount="199" earn-rate="10"></points-product-message>';
    await win.customElements.whenDefined('points-product-message');
    const el = iframe.contentDocument!.querySelector('points-product-message')!;
    await waitUntil(() => el.shadowRoot?.querySelector('[part~=info-button]'), 'renders');
    el.shadowRoot!.querySelector<HTMLElement>('[part~=info-button]')!.click();
    await waitUntil(
      () => el.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
      'the dialog chunk loads',
    );
    iframe.remove();
  });

  it('loaded twice defines each element once and keeps working (after `npm run build`)', async function () {
    const built = await fetch('/dist/widgets/points-widgets.js', { method: 'HEAD' });
    if (!built.ok) this.skip();
    const iframe = await frame('<!doctype html><html lang="en"><body></body></html>');
    const win = iframe.contentWindow! as Window & typeof globalThis;
    const errors: string[] = [];
    win.addEventListener('error', (event) => errors.push(event.message));
    await loadModule(iframe, '/dist/widgets/points-widgets.js');
    // A second copy under another URL is a separate module: its define() calls must be no-ops.
    await loadModule(iframe, '/dist/widgets/points-widgets.js?copy=2');
    iframe.contentDocument!.body.innerHTML = tagNames.map((name) => `<${name}></${name}>`).join('');
    await Promise.all(tagNames.map((name) => win.customElements.whenDefined(name)));
    iframe.contentDocument!.body.innerHTML =
      '<points-product-message amount="199" earn-rate="10"></points-product-message>';
    const el = iframe.contentDocument!.querySelector('points-product-message')!;
    await waitUntil(() => el.shadowRoot?.textContent?.includes('1,990'), 'renders');
    expect(errors).to.deep.equal([]);
    iframe.remove();
  });
});
