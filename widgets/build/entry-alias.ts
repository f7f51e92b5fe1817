import type { Plugin } from 'vite';

/** The bundle's stable name: a one-line module re-exporting the content-hashed entry. */
export const entryAliasName = 'points-widgets.js';

/**
 * The entry is built as `widgets.<hash>.js` and the lazy chunks import it by that name, so a page that
 * loads it by its hashed URL (immutable, with SRI) and the chunks share one module instance. Servers and
 * tools that want a fixed name load `points-widgets.js`, which re-exports that entry.
 */
export function entryAlias(): Plugin {
  return {
    name: 'points-entry-alias',
    apply: 'build',
    generateBundle(_output, bundle) {
      const entry = Object.values(bundle).find((item) => item.type === 'chunk' && item.isEntry);
      if (!entry) this.error('no entry chunk');
      this.emitFile({
        type: 'asset',
        fileName: entryAliasName,
        source: `export * from './${entry.fileName}';\n`,
      });
    },
  };
}
