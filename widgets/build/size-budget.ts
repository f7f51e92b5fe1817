import { gzipSync } from 'node:zlib';
import type { Plugin, Rolldown } from 'vite';
import { elementSourcePath, type ElementTag } from '../elements.ts';

/** Options for {@link sizeBudget}. */
export interface SizeBudgetOptions {
  /** Most gzip bytes a product page fetches: the loader, the entry, its element's code and their imports. */
  productPageGzipBytes: number;
  /** The elements a product page holds, e.g. `points-product-message`. */
  productPageTags: ElementTag[];
  /** Most gzip bytes a server-rendered product page fetches on top: the hydration code and what it alone imports. */
  hydrationGzipBytes: number;
  /** The module that takes over server-rendered markup, e.g. `widgets/ssr/hydrate-support.ts`. */
  hydrationModule: string;
  /** The one-line module pages load first (`points-widgets.js`), which imports the hashed entry. */
  loader: string;
}

type Chunk = Rolldown.OutputChunk;

/** Adds the `roots` and every chunk they import, statically, to `into`. */
function addWithImports(chunks: Chunk[], roots: Chunk[], into: Set<string>): void {
  const visit = (fileName: string) => {
    if (into.has(fileName)) return;
    into.add(fileName);
    chunks.find((chunk) => chunk.fileName === fileName)?.imports.forEach(visit);
  };
  roots.forEach((chunk) => visit(chunk.fileName));
}

/**
 * Reports the gzip size of every built widget file and fails the build when what a product page fetches (the
 * loader, the entry, the chunks holding its elements' code and all they import; not the other elements' chunks
 * nor the dialog, loaded on a click) is over budget, or when what server-rendered markup adds to take it over is.
 * A dependency's development build in the bundle fails it too.
 *
 * @example
 * plugins: [sizeBudget({ productPageGzipBytes: 11_000, productPageTags: ['points-product-message'],
 *   hydrationGzipBytes: 1_500, hydrationModule: 'widgets/ssr/hydrate-support.ts', loader: 'points-widgets.js' })]
 */
export function sizeBudget(options: SizeBudgetOptions): Plugin {
  return {
    name: 'points-size-budget',
    apply: 'build',
    generateBundle(_output, bundle) {
      const files = Object.values(bundle).filter((item) => item.fileName.endsWith('.js'));
      const chunks = files.filter((item): item is Chunk => item.type === 'chunk');
      const gzipOf = new Map(
        files.map((file) => [
          file.fileName,
          gzipSync(file.type === 'chunk' ? file.code : file.source, { level: 9 }).length,
        ]),
      );
      if (!gzipOf.has(options.loader)) this.error(`size budget: the build has no ${options.loader}`);
      // A development build (Lit's warnings, unminified names) would be measured and shipped instead.
      const development = chunks
        .flatMap((chunk) => chunk.moduleIds)
        .find((id) => /\/node_modules\/.+\/development\//.test(id));
      if (development) this.error(`size budget: ${development} is a development build, not what ships`);
      const holding = (modulePath: string) => {
        const holders = chunks.filter((chunk) => chunk.moduleIds.some((id) => id.endsWith(`/${modulePath}`)));
        if (holders.length === 0) this.error(`size budget: no chunk holds ${modulePath}`);
        return holders;
      };

      const onPage = new Set([options.loader]);
      const pageRoots = options.productPageTags.flatMap((tag) => holding(elementSourcePath(tag)));
      addWithImports(chunks, [...chunks.filter((chunk) => chunk.isEntry), ...pageRoots], onPage);
      const hydration = new Set<string>();
      addWithImports(chunks, holding(options.hydrationModule), hydration);
      onPage.forEach((file) => hydration.delete(file));

      const sum = (names: Iterable<string>) =>
        [...names].reduce((total, name) => total + gzipOf.get(name)!, 0);
      for (const [fileName, bytes] of gzipOf) {
        const where = onPage.has(fileName)
          ? ' (product page)'
          : hydration.has(fileName)
            ? ' (hydration)'
            : '';
        this.info(`${fileName}: ${bytes} B gzip${where}`);
      }
      const pageBytes = sum(onPage);
      const line = `widget bundle: a product page fetches ${pageBytes} B gzip (budget ${options.productPageGzipBytes} B), ${sum(gzipOf.keys())} B gzip in all`;
      if (pageBytes > options.productPageGzipBytes) this.error(`over budget: ${line}`);
      console.log(line);
      const hydrationBytes = sum(hydration);
      const hydrationLine = `widget bundle: a server-rendered page fetches ${hydrationBytes} B gzip more to take it over (budget ${options.hydrationGzipBytes} B)`;
      if (hydrationBytes > options.hydrationGzipBytes) this.error(`over budget: ${hydrationLine}`);
      console.log(hydrationLine);
    },
  };
}
