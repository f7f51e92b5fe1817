import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sizeBudget, type SizeBudgetOptions } from '../../widgets/build/size-budget.ts';

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;
// Random hex: gzip cannot shrink it much, so each file weighs what the test says.
const code = (bytes: number) => `export const x = '${randomBytes(bytes).toString('hex')}';`;

function chunk(fileName: string, moduleIds: string[], imports: string[] = [], isEntry = false) {
  return { type: 'chunk', fileName, code: code(300), moduleIds, imports, isEntry };
}

/** A build like ours: the loader, the entry (Lit and the product message), the hydration chunk, a lazy chunk. */
function build(extraEntryModule?: string) {
  return {
    'points-widgets.js': { type: 'asset', fileName: 'points-widgets.js', source: code(40) },
    'widgets.abc.js': chunk(
      'widgets.abc.js',
      [
        '/kit/node_modules/lit-html/lit-html.js',
        '/kit/widgets/product-message/points-product-message.ts',
        ...(extraEntryModule ? [extraEntryModule] : []),
      ],
      [],
      true,
    ),
    'points-widgets-hydrate-support-x.js': chunk(
      'points-widgets-hydrate-support-x.js',
      ['/kit/widgets/ssr/hydrate-support.ts'],
      ['widgets.abc.js'],
    ),
    'points-widgets-pay-button-y.js': chunk(
      'points-widgets-pay-button-y.js',
      ['/kit/widgets/pay-button/points-pay-button.ts'],
      ['widgets.abc.js'],
    ),
  };
}
type Build = ReturnType<typeof build>;

const sizes = (files: Build) => ({
  loader: gzip(files['points-widgets.js'].source),
  entry: gzip(files['widgets.abc.js'].code),
  hydration: gzip(files['points-widgets-hydrate-support-x.js'].code),
});

/** Runs the plugin's check over `files`; resolves to the product-page line, rejects with the build error. */
function check(
  files: Build,
  budgets: Pick<SizeBudgetOptions, 'productPageGzipBytes' | 'hydrationGzipBytes'>,
) {
  const plugin = sizeBudget({
    ...budgets,
    productPageTags: ['points-product-message'],
    hydrationModule: 'widgets/ssr/hydrate-support.ts',
    loader: 'points-widgets.js',
  });
  const context = {
    info: () => undefined,
    error: (message: string) => {
      throw new Error(message);
    },
  };
  (plugin.generateBundle as (this: unknown, output: unknown, bundle: unknown) => void).call(
    context,
    {},
    files,
  );
}

describe('the widget size budget', () => {
  afterEach(() => vi.restoreAllMocks());

  it('passes a product page of exactly its budget, counting the loader and the entry but not lazy chunks', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const files = build();
    const { loader, entry, hydration } = sizes(files);
    check(files, { productPageGzipBytes: loader + entry, hydrationGzipBytes: hydration });
    expect(log.mock.calls.flat().join('\n')).toContain(`a product page fetches ${loader + entry} B gzip`);
  });

  it('fails the build when the loader tips the product page over', () => {
    const files = build();
    const { loader, entry, hydration } = sizes(files);
    expect(() =>
      check(files, { productPageGzipBytes: loader + entry - 1, hydrationGzipBytes: hydration }),
    ).toThrow(/over budget: .*a product page fetches/);
  });

  it('fails the build when the hydration chunk is over its own budget', () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const files = build();
    const { loader, entry, hydration } = sizes(files);
    expect(() =>
      check(files, { productPageGzipBytes: loader + entry, hydrationGzipBytes: hydration - 1 }),
    ).toThrow(/over budget: .*server-rendered page fetches/);
  });

  it("fails the build that holds a development build (Lit's), whatever its size", () => {
    const files = build('/kit/node_modules/@lit/reactive-element/development/reactive-element.js');
    expect(() => check(files, { productPageGzipBytes: 1e9, hydrationGzipBytes: 1e9 })).toThrow(
      /development build/,
    );
  });
});
