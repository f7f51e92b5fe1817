import { Hono } from 'hono';
import { problem } from '../http/problem.ts';

/** The built console: file name → contents (`console.js`, its chunks). */
export interface ConsoleAssets {
  files: Map<string, Uint8Array>;
}

/**
 * The console page's policy: scripts, styles and requests from this origin only, nothing inline, no
 * frames, no plugins, forms posting only here.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Points console</title>
<link rel="icon" href="console/assets/icon.svg">
<script type="module" src="console/assets/console.js"></script>
</head>
<body>
<points-console></points-console>
<noscript>The Points console needs JavaScript (from this server only).</noscript>
</body>
</html>
`;

/** The tab's icon (a browser asks for one; without it, a 404 on every visit). */
const icon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0b5a3a"/></svg>';

const types: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * `GET /console` (the page) and `GET /console/assets/<file>` (its scripts), under {@link consoleCsp}. The
 * files are read once, on the first request, through `load` (the runtime's `loadConsole` port; without
 * one, the page answers that the console is not built).
 */
export function consolePages(load?: () => Promise<ConsoleAssets | undefined>): Hono {
  const app = new Hono();
  let assets: Promise<ConsoleAssets | undefined> | undefined;
  const loaded = () => (assets ??= load ? load() : Promise.resolve(undefined));
  const headers = {
    'content-security-policy': consoleCsp,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };

  app.get('/', async (c) => {
    if (!(await loaded())) return c.text('Console not built: run `npm run build:console`.', 503, headers);
    return c.html(page, 200, headers);
  });
  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    // In this one route: a static path beside `:file` would not fit Hono's RegExpRouter.
    if (file === 'icon.svg') {
      return c.body(icon, 200, {
        ...headers,
        'content-type': 'image/svg+xml',
        'cache-control': 'public, max-age=86400',
      });
    }
    const body = (await loaded())?.files.get(file);
    const type = types[file.split('.').pop() ?? ''];
    if (!body || !type) return problem(c, 'not_found', 'The console has no such file.');
    return c.body(new Uint8Array(body), 200, { ...headers, 'content-type': type });
  });
  return app;
}
