import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { root } from './processes.ts';

/** The built widget bundle the browser benches load. */
export const distDir = `${root}dist/widgets`;

/**
 * A local server for the browser benches: `route` answers what it knows (pages, `/config`, …) and returns
 * true; any other `/<file>.js` is served from `dist/widgets` (`/widgets.js` as the edge names the loader),
 * everything else is a 404.
 */
export async function startWidgetPageServer(
  route: (path: string, response: ServerResponse, searchParams: URLSearchParams) => boolean,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (route(url.pathname, response, url.searchParams)) return;
    if (/^\/[\w.-]+\.js$/.test(url.pathname)) {
      const file = url.pathname === '/widgets.js' ? '/points-widgets.js' : url.pathname;
      readFile(`${distDir}${file}`).then(
        (code) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code),
        () => response.writeHead(404).end(),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
