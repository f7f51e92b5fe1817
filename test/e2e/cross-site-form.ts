import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A page on another origin with a form that posts to a URL of our choosing (its one button sends it). */
export interface CrossSiteForm {
  /** The page whose `<form method=post>` posts `fields` to `action` when its button is clicked. */
  pageUrl(action: string, fields: Record<string, string>): string;
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Serves the attacker's page from `127.0.0.1` on a port of its own: another origin than the edge server
 * (same site, as browsers count sites without ports, so a `SameSite=Strict` cookie still goes along and
 * only the server's origin checks stand between the form and the action).
 *
 * @example
 * const attacker = await startCrossSiteForm();
 * await page.goto(attacker.pageUrl(`${edgeUrl}/console/api/orders/ORD-1/cancel`, { reason: 'x' }));
 * await page.click('button');
 */
export async function startCrossSiteForm(): Promise<CrossSiteForm> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const action = url.searchParams.get('action') ?? '';
    const fields = JSON.parse(url.searchParams.get('fields') ?? '{}') as Record<string, string>;
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
      .join('');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><title>Another site</title><form method="post" action="${escape(action)}">${inputs}` +
        '<button>Win a prize</button></form>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    pageUrl: (action, fields) =>
      `${origin}/?${new URLSearchParams({ action, fields: JSON.stringify(fields) })}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
