import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

/** Options for {@link createStoreApp}. */
export interface StoreAppOptions {
  /** Folder holding the built widget bundle (`points-widgets.js`). */
  widgetsDir: string;
  /** Folder holding the store's pages; defaults to `demo/store/pages`. */
  pagesDir?: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Reads `name` inside `dir`, refusing any path that climbs out of it. */
async function readInside(dir: string, name: string): Promise<Buffer | undefined> {
  const root = resolve(dir);
  const path = normalize(join(root, name));
  if (!path.startsWith(root + '/')) return undefined;
  return readFile(path).catch(() => undefined);
}

/**
 * The demo store: plain HTML pages that use the widgets only through the public script tag.
 *
 * @example
 * serve({ fetch: createStoreApp({ widgetsDir: 'dist/widgets' }).fetch, port: 3000 });
 */
export function createStoreApp(options: StoreAppOptions): Hono {
  const pagesDir = options.pagesDir ?? new URL('./pages', import.meta.url).pathname;
  const app = new Hono();

  // The bundle's stable name re-exports its hashed entry, which imports its lazy chunks: serve them all.
  app.get('/:file{(widgets|points-widgets)[A-Za-z0-9_.-]*\\.js}', async (c) => {
    const file = c.req.param('file');
    const body = await readInside(options.widgetsDir, file === 'widgets.js' ? 'points-widgets.js' : file);
    if (!body)
      return c.text('Widget bundle not built: run `npm run build`.', file === 'widgets.js' ? 503 : 404);
    return c.body(new Uint8Array(body), 200, { 'content-type': contentTypes['.js']! });
  });

  app.get('/*', async (c) => {
    const name = c.req.path === '/' ? 'index.html' : c.req.path.slice(1);
    const body = await readInside(pagesDir, name);
    if (!body) return c.text('Not found', 404);
    const type = contentTypes[extname(name)] ?? 'application/octet-stream';
    return c.body(new Uint8Array(body), 200, { 'content-type': type });
  });

  return app;
}
