import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PointsProductMessage } from '../../widgets/product-message/points-product-message.ts';
import { frame, frameAt, json, loadModule, nextPaint, shadowText, waitUntil } from './helpers.ts';

/** What the kit's server renderer sends for this element (see web-test-runner.config.mjs). */
const rendered = (tag: string, attributes: Record<string, string>, options: { nonce?: string } = {}) =>
  executeServerCommand<string, unknown>('points-render-widget', { tag, attributes, options });

const box = (element: Element) => {
  const { top, height, width } = element.getBoundingClientRect();
  return { top: Math.round(top), height: Math.round(height), width: Math.round(width) };
};

/** A page of server-rendered elements and no `widgets.css`, with a rule under each to see it move. */
async function serverRenderedPage(lang: 'en' | 'ar', head = '', nonce?: string) {
  const options = nonce ? { nonce } : {};
  const markup = [
    await rendered('points-product-message', { amount: '1999.00', 'earn-rate': '10', lang }, options),
    await rendered(
      'points-product-message',
      { amount: '1999.00', 'earn-rate': '10', lang, appearance: 'card' },
      options,
    ),
    await rendered('points-checkout-message', { amount: '4500.00', 'earn-rate': '10', lang }, options),
    await rendered('points-pay-button', { 'order-token': 't', lang }, options),
  ];
  const iframe = await frame(
    `<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head>${head}
      <style${nonce ? ` nonce="${nonce}"` : ''}>body { margin: 0 16px; font: 16px/1.5 sans-serif; }</style></head>
      <body></body></html>`,
  );
  // Parsed in one task, declarative shadow roots included: a page parser that yields halfway (a busy
  // machine) paints a half-parsed page, whose shifts are the parser's, not the elements'.
  const body = iframe.contentDocument!.body as HTMLElement & { setHTMLUnsafe(html: string): void };
  body.setHTMLUnsafe(markup.map((html) => `${html}<hr>`).join(''));
  const win = iframe.contentWindow! as Window & typeof globalThis;
  win.fetch = async () =>
    json({ environment: 'sandbox', currency: 'SAR', earnRate: 10, features: {}, defaultLanguage: 'ar' });
  return { iframe, win, doc: iframe.contentDocument! };
}

const tags = ['points-product-message', 'points-checkout-message', 'points-pay-button'];

/** A `layout-shift` entry (not in TypeScript's DOM types yet). */
interface LayoutShift extends PerformanceEntry {
  value: number;
  sources?: { node?: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}

/** `0.0002: P.text 10,20 300x24 -> 10,21 300x24`: the score and each moved node's boxes. */
function describeShift({ value, sources = [] }: LayoutShift): string {
  const rect = ({ x, y, width, height }: DOMRectReadOnly) => `${x},${y} ${width}x${height}`;
  const moved = sources.map(({ node, previousRect, currentRect }) => {
    // The node is the frame's, not an `instanceof Element` of this window; shadow nodes may be hidden (null).
    const element = node?.nodeType === Node.ELEMENT_NODE ? (node as Element) : undefined;
    const name = element ? `${element.localName}.${element.className}` : (node?.nodeName ?? 'shadow node');
    return `${name} ${rect(previousRect)} -> ${rect(currentRect)}`;
  });
  return `${value}: ${moved.join('; ')}`;
}

describe('server-rendered elements', () => {
  for (const lang of ['en', 'ar'] as const) {
    it(`${lang}: read before any script, then are taken over in place: same nodes, same boxes, no shift`, async () => {
      const { iframe, win, doc } = await serverRenderedPage(lang);
      // Each shift as `<phase> <score>: <what moved>`, so a failure says when and what.
      const shifts: string[] = [];
      let phase = 'rendered';
      if (win.PerformanceObserver.supportedEntryTypes.includes('layout-shift')) {
        new win.PerformanceObserver((list) => {
          for (const entry of list.getEntries() as LayoutShift[])
            shifts.push(`${phase} ${describeShift(entry)}`);
        }).observe({ type: 'layout-shift', buffered: true });
      }
      const elements = [...doc.querySelectorAll<HTMLElement>(tags.join())];
      await nextPaint(win);
      // Before any script: the shadow roots are there, with the final text and their styles.
      expect(elements.every((element) => element.shadowRoot !== null)).to.equal(true);
      expect(shadowText(elements[0]!)).to.contain(lang === 'en' ? 'Earn 19,990 Points' : '19,990');
      const roots = elements.map((element) => element.shadowRoot!.querySelector('[part=root]'));
      const before = [...elements, ...doc.querySelectorAll('hr')].map(box);
      expect(before.slice(0, 4).every(({ height }) => height >= 48)).to.equal(true);

      phase = 'taken over';
      await loadModule(iframe, '/widgets/bundle.ts');
      await Promise.all(tags.map((name) => win.customElements.whenDefined(name)));
      await Promise.all(elements.map((element) => (element as PointsProductMessage).updateComplete));
      await nextPaint(win);
      // Taken over, not rendered again: the very nodes the server sent are the ones the elements now drive.
      expect(elements.map((element) => element.shadowRoot!.querySelector('[part=root]'))).to.deep.equal(
        roots,
      );
      expect([...elements, ...doc.querySelectorAll('hr')].map(box)).to.deep.equal(before);

      // Alive: a new price is followed in place and the info dialog opens.
      const product = elements[0] as PointsProductMessage;
      phase = 'new price';
      product.setAttribute('amount', '2999.00');
      await product.updateComplete;
      await nextPaint(win);
      expect(shadowText(product)).to.contain(lang === 'en' ? '29,990' : '29,990');
      expect(product.shadowRoot!.querySelector('[part=root]')).to.equal(roots[0]);
      expect([...elements, ...doc.querySelectorAll('hr')].map(box)).to.deep.equal(before);
      phase = 'dialog open';
      product.shadowRoot!.querySelector<HTMLButtonElement>('[part=info-button]')!.click();
      await waitUntil(() =>
        product.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
      );
      await nextPaint(win);
      expect(shifts.join('\n')).to.equal('');
    });
  }

  /** A real URL, not `srcdoc` (Firefox does not count the test server as `'self'` there), parsed markup. */
  async function strictPage(page: string, markup: string) {
    const iframe = await frameAt(`/test/widgets/pages/${page}`);
    const doc = iframe.contentDocument!;
    const violations: string[] = [];
    doc.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
    // setHTMLUnsafe parses declarative shadow roots, as the page's own parser does.
    (doc.body as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(markup);
    const win = iframe.contentWindow! as Window & typeof globalThis;

    const product = doc.querySelector<PointsProductMessage>('points-product-message')!;
    const root = () => product.shadowRoot!.querySelector('[part=root]')!;
    const takeOver = async () => {
      await loadModule(iframe, '/widgets/bundle.ts');
      await win.customElements.whenDefined('points-product-message');
      await product.updateComplete;
    };
    return { win, violations, root, takeOver };
  }

  it('under a strict CSP, the nonce styles the first paint and nothing violates the policy', async () => {
    const markup = await rendered(
      'points-product-message',
      { amount: '199', 'earn-rate': '10', lang: 'en' },
      { nonce: 'n0nce' },
    );
    const page = await strictPage('strict-csp-nonce.html', markup);
    expect(page.win.getComputedStyle(page.root()).display).to.equal('flex');
    await page.takeOver();
    expect(page.win.getComputedStyle(page.root()).display).to.equal('flex');
    expect(page.violations).to.deep.equal([]);
  });

  it('under a CSP that blocks its inline styles, the script still styles it (constructed stylesheets)', async () => {
    const markup = await rendered('points-product-message', { amount: '199', 'earn-rate': '10', lang: 'en' });
    const page = await strictPage('strict-csp.html', markup);
    // Blocked: the shadow root's own style did not apply.
    expect(page.win.getComputedStyle(page.root()).display).to.equal('block');
    await page.takeOver();
    expect(page.win.getComputedStyle(page.root()).display).to.equal('flex');
  });

  it('a page without server-rendered elements never loads the hydration code', async () => {
    const iframe = await frame(
      `<!doctype html><points-product-message amount="10" earn-rate="1"></points-product-message>`,
    );
    await loadModule(iframe, '/widgets/bundle.ts');
    const win = iframe.contentWindow! as Window & typeof globalThis;
    await win.customElements.whenDefined('points-product-message');
    const loaded = win.performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.some((name) => name.includes('hydrate'))).to.equal(false);
  });

  it('a page with them loads it', async () => {
    const { iframe, win } = await serverRenderedPage('en');
    await loadModule(iframe, '/widgets/bundle.ts');
    await win.customElements.whenDefined('points-product-message');
    const loaded = win.performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.some((name) => name.includes('hydrate-support'))).to.equal(true);
  });
});
