import { defineConfig } from 'vite';
import { hydrationGzipBytes, productPageGzipBytes } from './widgets/build/budgets.ts';
import { entryAlias, entryAliasName } from './widgets/build/entry-alias.ts';
import { manifestUpToDate } from './widgets/build/manifest.ts';
import { minifyCssTemplates } from './widgets/build/minify-css.ts';
import { reservationCss } from './widgets/build/reservation-stylesheet.ts';
import { sizeBudget } from './widgets/build/size-budget.ts';

/** Builds the widget bundle: one ES module (plus lazy chunks) in dist/widgets/. */
export default defineConfig({
  // Lit's `development` export condition is its dev build (warnings, no minified names): never ship it.
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'widgets/bundle.ts',
      formats: ['es'],
      // Content-hashed: the immutable URL the edge serves with an SRI hash (see entry-alias.ts).
      fileName: () => 'widgets.[hash].js',
    },
    rolldownOptions: {
      // Lazy chunks import Lit and the shared helpers from the entry instead of a third, shared chunk
      // (a second request every page would wait for).
      preserveEntrySignatures: 'allow-extension',
      // The element list (elements.ts) loads every element lazily; the bundle imports the product message
      // statically on purpose (above), so rolldown saying that import stays in the entry is expected.
      onLog(level, log, handler) {
        if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && log.message.includes('points-product-message'))
          return;
        handler(level, log);
      },
      output: {
        // Library mode keeps whitespace and comments for re-bundlers; this file goes straight to browsers.
        minify: true,
        comments: false,
        // Everything the entry imports statically (Lit, the shared code, the product message) stays in
        // the entry: one file for a product page, which gzips smaller than the same code in three.
        codeSplitting: { groups: [{ name: 'widgets', tags: ['$initial'] }] },
        // The lazy chunks are `points-widgets-<name>-<hash>.js`; the entry is `widgets.<hash>.js` (above).
        chunkFileNames: (chunk) => `points-widgets-${chunk.name.replace(/^points-/, '')}-[hash].js`,
      },
    },
  },
  plugins: [
    manifestUpToDate(),
    minifyCssTemplates(),
    entryAlias(),
    reservationCss(),
    sizeBudget({
      productPageGzipBytes,
      productPageTags: ['points-product-message'],
      hydrationGzipBytes,
      hydrationModule: 'widgets/ssr/hydrate-support.ts',
      loader: entryAliasName,
    }),
  ],
});
