/**
 * `npm start`: builds the widgets when needed and serves the demo store.
 * The Points sandbox and the edge server join this script as they are built.
 */
import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createStoreApp } from './store/app.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const widgetsDir = `${root}dist/widgets`;
const port = Number(process.env['STORE_PORT'] ?? process.env['PORT'] ?? 3000);

if (!existsSync(`${widgetsDir}/points-widgets.js`)) {
  console.log('Building the widget bundle…');
  const { build } = await import('vite');
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' });
}

const server = serve({ fetch: createStoreApp({ widgetsDir }).fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`Demo store: http://127.0.0.1:${info.port}/`);
  console.log('Running now: the demo store product page with <points-product-message>.');
  console.log(
    'Not built yet: the Points sandbox, the edge server and the checkout flow (see the open issues).',
  );
  console.log('Press Ctrl-C to stop.');
});

function stop() {
  server.close(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
