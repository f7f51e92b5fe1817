import { defineConfig } from 'vite';

/**
 * Builds the operator console (`widgets/console/`) into `dist/console/console.js`, apart from the widget
 * bundle, so the widgets' size budget and files stay as they are. The edge serves it at `/console`.
 */
export default defineConfig({
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: 'dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    lib: { entry: 'widgets/console/console-app.ts', formats: ['es'], fileName: () => 'console.js' },
    rolldownOptions: { output: { minify: true, comments: false } },
  },
});
