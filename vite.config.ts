import { defineConfig } from 'vite';
import { sizeBudget } from './widgets/build/size-budget.ts';

/** Builds the widget bundle: one ES module (plus lazy chunks) in dist/widgets/. */
export default defineConfig({
  build: {
    outDir: 'dist/widgets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'widgets/index.ts',
      formats: ['es'],
      fileName: () => 'points-widgets.js',
    },
  },
  plugins: [sizeBudget({ entryGzipBytes: 14 * 1024 })],
});
