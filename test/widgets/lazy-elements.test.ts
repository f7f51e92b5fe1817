import { expect } from '@open-wc/testing';
import { defineWhenSeen } from '../../widgets/shared/define-when-seen.ts';
import { frame, loadModule, waitUntil } from './helpers.ts';

/** The module files a frame has fetched so far. */
const fetched = (win: Window) =>
  win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);

describe('each element loads its code the first time its tag is on the page', () => {
  it('a product page fetches the product message only; a pay button added later brings its own code', async () => {
    const iframe = await frame(`<!doctype html><html lang="en"><body>
      <points-product-message amount="199" earn-rate="10"></points-product-message>
    </body></html>`);
    const win = iframe.contentWindow! as Window & typeof globalThis;
    await loadModule(iframe, '/widgets/bundle.ts');
    await win.customElements.whenDefined('points-product-message');
    const product = iframe.contentDocument!.querySelector('points-product-message')!;
    await waitUntil(() => product.shadowRoot?.textContent?.includes('1,990'), 'renders');
    const loaded = fetched(win);
    expect(loaded).to.include('/widgets/product-message/points-product-message.ts');
    for (const other of [
      'pay-button/points-pay-button',
      'order-status/points-order-status',
      'checkout-message/points-checkout-message',
    ]) {
      expect(loaded).not.to.include(`/widgets/${other}.ts`);
      expect(win.customElements.get(`points-${other.split('/')[0]}`)).to.equal(undefined);
    }

    const later = iframe.contentDocument!.createElement('div');
    later.innerHTML = '<points-pay-button order-token="t"></points-pay-button>';
    iframe.contentDocument!.body.append(later);
    await win.customElements.whenDefined('points-pay-button');
    await waitUntil(
      () => later.querySelector('points-pay-button')!.shadowRoot?.querySelector('button'),
      'pay button renders',
    );
    expect(win.customElements.get('points-order-status')).to.equal(undefined);
    iframe.remove();
  });

  it('reports points-error chunk_unavailable on each element whose code cannot load', async () => {
    const holder = document.createElement('div');
    holder.innerHTML =
      '<points-test-missing></points-test-missing><points-test-missing></points-test-missing>';
    document.body.append(holder);
    const codes: string[] = [];
    holder.addEventListener('points-error', (event) =>
      codes.push((event as CustomEvent<{ code: string }>).detail.code),
    );
    defineWhenSeen({ 'points-test-missing': () => import('/no-such-chunk.js' as string) });
    await waitUntil(() => codes.length === 2, 'both report');
    expect(codes).to.deep.equal(['chunk_unavailable', 'chunk_unavailable']);
    holder.remove();
  });
});
