import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Options for {@link sizeBudget}. */
export interface SizeBudgetOptions {
  /** Most gzip bytes allowed for the entry chunk and every chunk it imports statically. */
  entryGzipBytes: number;
}

/**
 * Reports the gzip size of the built widget chunks and fails the build when what a page loads up
 * front (the entry plus its static imports; lazy chunks excluded) is over budget.
 *
 * @example
 * plugins: [sizeBudget({ entryGzipBytes: 14 * 1024 })]
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
      const upFront = new Set<string>();
      const visit = (fileName: string) => {
        if (upFront.has(fileName)) return;
        upFront.add(fileName);
        chunks.find((chunk) => chunk.fileName === fileName)?.imports.forEach(visit);
      };
      chunks.filter((chunk) => chunk.isEntry).forEach((chunk) => visit(chunk.fileName));

      let upFrontBytes = 0;
      for (const [fileName, bytes] of gzipOf) {
        const lazy = !upFront.has(fileName);
        if (!lazy) upFrontBytes += bytes;
        this.info(`${fileName}: ${bytes} B gzip${lazy ? ' (lazy)' : ''}`);
      }
      const all = [...gzipOf.values()].reduce((sum, bytes) => sum + bytes, 0);
      const line = `widget bundle: ${upFrontBytes} B gzip loaded up front (budget ${options.entryGzipBytes} B), ${all} B gzip in all`;
      if (upFrontBytes > options.entryGzipBytes) this.error(`over budget: ${line}`);
      console.log(line);
    },
  };
}
