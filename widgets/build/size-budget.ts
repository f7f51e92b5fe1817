import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Options for {@link sizeBudget}. */
export interface SizeBudgetOptions {
  /** Most gzip bytes a product page may load: the entry, the `pageChunks`, and every chunk they import. */
  productPageGzipBytes: number;
  /** Names of the lazy chunks a product page loads (its element's code), e.g. `points-product-message`. */
  pageChunks: string[];
  /** Most gzip bytes a server-rendered page loads on top: the `hydrationChunk` and what it alone imports. */
  hydrationGzipBytes: number;
  /** Name of the chunk that takes over server-rendered markup, e.g. `hydrate-support`. */
  hydrationChunk: string;
}

/**
 * Reports the gzip size of the built widget chunks and fails the build when what a product page loads
 * (the entry, its element's chunk and their static imports; the other elements' chunks and the lazy
 * dialog excluded) is over budget.
 *
 * @example
 * plugins: [sizeBudget({ productPageGzipBytes: 13_000, pageChunks: ['points-product-message'],
 *   hydrationGzipBytes: 2_700, hydrationChunk: 'hydrate-support' })]
 */
export function sizeBudget(options: SizeBudgetOptions): Plugin {
  return {
    name: 'points-size-budget',
    apply: 'build',
    generateBundle(_output, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const gzipOf = new Map(
        chunks.map((chunk) => [chunk.fileName, gzipSync(chunk.code, { level: 9 }).length]),
      );
      const onPage = new Set<string>();
      const visit = (fileName: string) => {
        if (onPage.has(fileName)) return;
        onPage.add(fileName);
        chunks.find((chunk) => chunk.fileName === fileName)?.imports.forEach(visit);
      };
      const pageRoots = chunks.filter((chunk) => chunk.isEntry || options.pageChunks.includes(chunk.name));
      if (pageRoots.length !== options.pageChunks.length + 1) {
        this.error(`size budget: the build has no chunk named ${options.pageChunks.join(', ')}`);
      }
      pageRoots.forEach((chunk) => visit(chunk.fileName));

      const hydration = chunks.find((chunk) => chunk.name === options.hydrationChunk);
      if (!hydration) this.error(`size budget: the build has no chunk named ${options.hydrationChunk}`);
      const hydrationFiles = new Set<string>();
      const visitHydration = (fileName: string) => {
        if (onPage.has(fileName) || hydrationFiles.has(fileName)) return;
        hydrationFiles.add(fileName);
        chunks.find((chunk) => chunk.fileName === fileName)?.imports.forEach(visitHydration);
      };
      visitHydration(hydration.fileName);
      const hydrationBytes = [...hydrationFiles].reduce((sum, file) => sum + (gzipOf.get(file) ?? 0), 0);

      let pageBytes = 0;
      for (const [fileName, bytes] of gzipOf) {
        const loaded = onPage.has(fileName);
        if (loaded) pageBytes += bytes;
        this.info(`${fileName}: ${bytes} B gzip${loaded ? ' (product page)' : ''}`);
      }
      const all = [...gzipOf.values()].reduce((sum, bytes) => sum + bytes, 0);
      const line = `widget bundle: a product page loads ${pageBytes} B gzip (budget ${options.productPageGzipBytes} B), ${all} B gzip in all`;
      if (pageBytes > options.productPageGzipBytes) this.error(`over budget: ${line}`);
      console.log(line);
      const hydrationLine = `widget bundle: a server-rendered page loads ${hydrationBytes} B gzip more to take it over (budget ${options.hydrationGzipBytes} B)`;
      if (hydrationBytes > options.hydrationGzipBytes) this.error(`over budget: ${hydrationLine}`);
      console.log(hydrationLine);
    },
  };
}
