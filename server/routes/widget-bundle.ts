import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { Hono } from 'hono';

/** The built widget files, held in memory with the entry's content hash and SRI integrity. */
export interface WidgetBundle {
  /** File name → contents, for the entry and its lazy chunks. */
  files: Map<string, Buffer>;
  /** Short content hash of the entry, used in its immutable URL `/widgets.<hash>.js`. */
  hash: string;
  /** Subresource Integrity value of the entry, e.g. `sha384-…`. */
  integrity: string;
}

const entryName = 'points-widgets.js';

/** Reads `dist/widgets` once at start. Returns undefined when the bundle is not built. */
export async function loadWidgetBundle(dir: string): Promise<WidgetBundle | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (!names.includes(entryName)) return undefined;
  const files = new Map<string, Buffer>();
  for (const name of names.filter((file) => file.endsWith('.js')))
    files.set(name, await readFile(`${dir}/${name}`));
  const entry = files.get(entryName)!;
  return {
    files,
    hash: createHash('sha256').update(entry).digest('hex').slice(0, 16),
    integrity: `sha384-${createHash('sha384').update(entry).digest('base64')}`,
  };
}

const javascript = 'text/javascript; charset=utf-8';
const immutable = 'public, max-age=31536000, immutable';

/**
 * Serves the widget bundle: `/widgets.js` (revalidated, for a plain script tag), `/widgets.<hash>.js`
 * (immutable, for use with its SRI hash), `/widgets.json` (the hashed URL and integrity), and the lazy
 * chunks the entry imports (their names are content-hashed by the build, so they are immutable too).
 */
export function widgetRoutes(bundle: WidgetBundle | undefined): Hono {
  const app = new Hono();
  const headers = (cache: string) => ({
    'content-type': javascript,
    'cache-control': cache,
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  });

  app.get('/widgets.json', (c) => {
    if (!bundle) return c.json({ error: 'widget bundle not built' }, 503);
    c.header('cache-control', 'no-cache');
    return c.json({ url: `/widgets.${bundle.hash}.js`, integrity: bundle.integrity });
  });

  app.get('/:file{[A-Za-z0-9_.-]+\\.js}', (c) => {
    if (!bundle) return c.text('Widget bundle not built: run `npm run build`.', 503);
    const file = c.req.param('file');
    if (file === 'widgets.js') {
      return c.body(new Uint8Array(bundle.files.get(entryName)!), 200, {
        ...headers('public, max-age=300, must-revalidate'),
        etag: `"${bundle.hash}"`,
      });
    }
    if (file === `widgets.${bundle.hash}.js`) {
      return c.body(new Uint8Array(bundle.files.get(entryName)!), 200, headers(immutable));
    }
    const chunk = file === entryName ? undefined : bundle.files.get(file);
    if (!chunk) return c.notFound();
    return c.body(new Uint8Array(chunk), 200, headers(immutable));
  });

  return app;
}
