import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { elementTags } from '../../widgets/elements.ts';
import { renderWidget, WidgetAttributeError } from '../../widgets/ssr/index.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Every element of a parsed fragment, template contents included. */
function elementsOf(node: Node): Element[] {
  const found: Element[] = [];
  const children = [
    ...('childNodes' in node ? node.childNodes : []),
    ...('content' in node ? (node.content as DefaultTreeAdapterMap['documentFragment']).childNodes : []),
  ];
  for (const child of children) {
    if ('tagName' in child) found.push(child);
    found.push(...elementsOf(child));
  }
  return found;
}

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const textOf = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<noscript>[\s\S]*?<\/noscript>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

describe('renderWidget: happy', () => {
  it('renders the product message with a declarative shadow root holding the final sentence', async () => {
    const html = await renderWidget('points-product-message', {
      amount: '199',
      'earn-rate': '10',
      lang: 'en',
    });
    const [host] = elementsOf(parseFragment(html));
    expect(host?.tagName).toBe('points-product-message');
    expect(attr(host!, 'amount')).toBe('199');
    const template = host!.childNodes.find(
      (node) => 'tagName' in node && node.tagName === 'template',
    ) as Element;
    expect(attr(template, 'shadowrootmode')).toBe('open');
    expect(textOf(html)).toContain('Earn 1,990 Points');
    const root = elementsOf(template).find((element) => attr(element, 'part') === 'root');
    expect(attr(root!, 'dir')).toBe('ltr');
    expect(elementsOf(template).some((element) => element.tagName === 'style')).toBe(true);
  });

  it('speaks Arabic, right to left, by default', async () => {
    const html = await renderWidget('points-product-message', { amount: '١٩٩٫٠٠', 'earn-rate': 10 });
    expect(textOf(html)).toContain('اكسب 1,990 نقطة');
    expect(html).toContain('dir="rtl"');
  });

  it('renders the card, the checkout message, the pay button and the order status', async () => {
    const card = await renderWidget('points-product-message', {
      amount: '50',
      'earn-rate': '2',
      appearance: 'card',
      lang: 'en',
    });
    expect(textOf(card)).toContain('Earn 100 Points with this purchase');
    const checkout = await renderWidget('points-checkout-message', {
      amount: '20',
      'earn-rate': '1',
      lang: 'en',
    });
    expect(textOf(checkout)).toContain('Pay with your Points balance');
    const pay = await renderWidget('points-pay-button', { 'order-token': 'a.b', lang: 'en' });
    expect(textOf(pay)).toContain('Pay with Points');
    const status = await renderWidget('points-order-status', {
      'order-number': 'A-1',
      token: 't',
      lang: 'en',
    });
    expect(textOf(status)).toContain('Checking your order');
  });

  it('renders every element the bundle knows', async () => {
    for (const tag of elementTags) {
      const html = await renderWidget(tag, { lang: 'en' });
      expect(html.startsWith(`<${tag}`)).toBe(true);
      expect(html).toContain('shadowrootmode="open"');
      expect(html.endsWith(`</${tag}>`)).toBe(true);
    }
  });

  it('puts the nonce on every style it emits, the fallback for pages without JavaScript included', async () => {
    const html = await renderWidget(
      'points-product-message',
      { amount: '10', 'earn-rate': '1' },
      { nonce: 'r4nd0m+/=' },
    );
    const styles = html.match(/<style[^>]*>/g) ?? [];
    expect(styles.length).toBe(2);
    for (const style of styles) expect(style).toBe('<style nonce="r4nd0m+/=">');
    expect(html).not.toContain('<script');
  });

  it('gives a page without JavaScript a link to Points instead of the dialog button', async () => {
    const html = await renderWidget('points-product-message', { amount: '10', 'earn-rate': '1', lang: 'en' });
    expect(html).toMatch(
      /<noscript>.*<a class="no-script" part="info-link" href="https:\/\/papp\.sa" lang="en">How Points works<\/a><\/noscript><\/template>/s,
    );
    const pay = await renderWidget('points-pay-button', { 'order-token': 'a.b', lang: 'ar' });
    expect(pay).toContain('فعّل JavaScript');
  });
});

describe('renderWidget: error', () => {
  it('names every attribute it cannot render', async () => {
    const failure = await renderWidget('points-product-message', {
      amount: 'free',
      theme: 'pink',
      quantity: '-1',
      onclick: 'alert(1)',
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WidgetAttributeError);
    expect(Object.keys((failure as WidgetAttributeError).errors).sort()).toEqual([
      'amount',
      'onclick',
      'quantity',
      'theme',
    ]);
  });

  it('refuses a tag that is not ours, and a nonce that is not one', async () => {
    await expect(renderWidget('script' as never, {})).rejects.toBeInstanceOf(WidgetAttributeError);
    await expect(
      renderWidget('points-product-message', {}, { nonce: '"><script>alert(1)</script>' }),
    ).rejects.toBeInstanceOf(WidgetAttributeError);
  });

  it('takes an attribute of another element as an error, not silence', async () => {
    await expect(renderWidget('points-product-message', { 'order-token': 'x' })).rejects.toThrow(
      /order-token/,
    );
  });
});

describe('renderWidget: security', () => {
  const hostile = [
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '</template><script>x</script>',
  ];

  it('escapes hostile values so they render inert', async () => {
    for (const value of hostile) {
      const html = await renderWidget('points-pay-button', {
        'order-token': value,
        'order-number': value,
        lang: 'en',
      });
      const all = elementsOf(parseFragment(html));
      expect(all.map((element) => element.tagName)).not.toContain('script');
      expect(all.map((element) => element.tagName)).not.toContain('img');
      expect(attr(all[0]!, 'order-token')).toBe(value);
    }
  });

  it('makes a template per set of attribute names, never per value (no cache grows with what strangers send)', async () => {
    const first = await renderWidget('points-product-message', { amount: '1', 'earn-rate': '1' });
    const second = await renderWidget('points-product-message', { amount: '2', 'earn-rate': '1' });
    // The element's own markers digest its template's strings: equal for both, so both hydrate the same way.
    const digest = (html: string) => /<!--lit-part ([^>]+)-->/.exec(html)?.[1];
    expect(digest(first)).toBe(digest(second));
  });

  it('keeps one template an element, whatever names and order a query gives (memory stays flat)', async () => {
    // Lit keeps every distinct template it is given, for good: a template per order of the names would
    // let strangers' queries grow the heap without end (20,000 shuffled queries held 43 MB).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const values: Record<string, string> = {
      amount: '1',
      lang: 'en',
      theme: 'auto',
      numerals: 'latn',
      'earn-rate': '1',
      id: 'a',
      class: 'b',
      dir: 'ltr',
    };
    const names = Object.keys(values);
    // A different order and subset of the names each time (a small linear congruential shuffle).
    const shuffled = (seed: number) => {
      const order = [...names];
      let state = seed + 1;
      for (let index = order.length - 1; index > 0; index--) {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        const other = state % (index + 1);
        [order[index], order[other]] = [order[other]!, order[index]!];
      }
      return order.slice(0, 3 + (seed % 6));
    };
    const renderAll = async (count: number, vary: boolean) => {
      for (let seed = 0; seed < count; seed++) {
        const chosen = vary ? shuffled(seed) : names;
        await renderWidget(
          'points-product-message',
          Object.fromEntries(chosen.map((name) => [name, values[name]!])),
        );
      }
    };
    await renderAll(200, false);
    gc();
    const before = process.memoryUsage().heapUsed;
    await renderAll(4000, true);
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(3_000_000);
  });

  it('answers the attributes in the order they were given', async () => {
    const html = await renderWidget('points-product-message', { theme: 'dark', amount: '5', lang: 'en' });
    expect(html).toMatch(/^<points-product-message theme="dark" amount="5" lang="en"[ >]/);
  });
});
