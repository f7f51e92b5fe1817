import { Hono } from 'hono';
import { entryAliasName } from '../../widgets/build/entry-alias.ts';
import { sha, toBase64 } from '../shared/hmac.ts';

/** The built widget files, held in memory, with the content-hashed entry and its SRI integrity. */
export interface WidgetBundle {
  /** File name → contents: the hashed entry and the lazy chunks (all content-hashed, immutable). */
  files: Map<string, Uint8Array>;
  /** File name of the entry, `widgets.<hash>.js`. */
  entry: string;
  /** Subresource Integrity value of the entry, e.g. `sha384-…`. */
  integrity: string;
  /** `widgets.css`: the space the elements take before the script defines them. */
  stylesheet: Uint8Array | undefined;
}

/**
 * The bundle in the files of a built `dist/widgets` folder (name → contents, as a runtime read them: the
 * `.js` files and `widgets.css`). The build's `points-widgets.js` names the hashed entry
 * (`export * from './widgets.<hash>.js'`). Returns undefined when the bundle is not built.
 *
 * @example
 * const bundle = await widgetBundleOf(new Map([['points-widgets.js', alias], ['widgets.abc.js', code]]));
 */
export async function widgetBundleOf(
  folder: ReadonlyMap<string, Uint8Array>,
): Promise<WidgetBundle | undefined> {
  const alias = folder.get(entryAliasName);
  const entry = alias && /from '\.\/(widgets\.[\w-]+\.js)'/.exec(new TextDecoder().decode(alias))?.[1];
  if (!entry) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const [name, contents] of folder) {
    if (name.endsWith('.js') && name !== entryAliasName) files.set(name, contents);
  }
  const code = files.get(entry);
  if (!code) return undefined;
  const integrity = `sha384-${toBase64(await sha('SHA-384', code))}`;
  return { files, entry, integrity, stylesheet: folder.get('widgets.css') };
}

const javascript = 'text/javascript; charset=utf-8';
/** Names the build gives its files; anything else in the folder is not served. */
const servableName = /^[A-Za-z0-9_.-]+\.js$/;

/**
 * Serves the widget bundle:
 * - `/widgets.<hash>.js`: the entry under its content-hashed name, immutable; use it with its SRI hash
 *   from `/widgets.json`;
 * - `/widgets.js` (and `/points-widgets.js`): a one-line module re-exporting that entry, revalidated, with
 *   a `modulepreload` Link header so the browser fetches the entry without waiting for this file;
 * - the lazy chunks the entry imports, under their content-hashed names, immutable;
 * - `/widgets.css`: the reservation stylesheet merchants link for zero layout shift, revalidated.
 * Every file sits at the top of this app, so relative imports between them resolve, and one module
 * instance serves the page and its lazy chunks whichever URL the page used.
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
    // The entry sits beside this file: under the prefix the app is mounted at (`/points/widgets.json`).
    const url = c.req.path.replace(/widgets\.json$/, bundle.entry);
    return c.json({ url, integrity: bundle.integrity });
  });

  // One static route a file, known at start: a `/:file{…}` pattern beside the other top-level routes would
  // make Hono fall back from its RegExpRouter to the slower TrieRouter for every route of the server.
  const aliasPaths = ['/widgets.js', `/${entryAliasName}`];
  if (!bundle) {
    for (const path of aliasPaths) {
      app.get(path, (c) => c.text('Widget bundle not built: run `npm run build`.', 503));
    }
    return app;
  }
  const reexport = `export * from './${bundle.entry}';\n`;
  for (const path of aliasPaths) {
    app.get(path, (c) =>
      c.body(reexport, 200, {
        ...headers('public, max-age=300, must-revalidate'),
        etag: `"${bundle.entry}"`,
        link: `<./${bundle.entry}>; rel=modulepreload`,
      }),
    );
  }
  const { stylesheet } = bundle;
  if (stylesheet) {
    app.get('/widgets.css', (c) =>
      c.body(new Uint8Array(stylesheet), 200, {
        ...headers('public, max-age=300, must-revalidate'),
        'content-type': 'text/css; charset=utf-8',
      }),
    );
  }
  for (const [name, code] of bundle.files) {
    if (!servableName.test(name)) continue;
    app.get(`/${name}`, (c) =>
      c.body(new Uint8Array(code), 200, headers('public, max-age=31536000, immutable')),
    );
  }

  return app;
}
