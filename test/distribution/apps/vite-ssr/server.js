import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const edge = process.env.POINTS_EDGE_URL ?? 'https://points.shop.example'; // the edge server's PUBLIC_URL
const template = await readFile(new URL('./dist/client/index.html', import.meta.url), 'utf8');
const { render } = await import('./dist/server/entry-server.js');

createServer(async (request, response) => {
  const nonce = randomBytes(16).toString('base64'); // new for every page
  const { head, html } = await render({ edge, nonce });
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'self'; script-src ${edge}; style-src 'nonce-${nonce}'; connect-src ${edge}`,
  });
  response.end(template.replace('<!--app-head-->', head).replace('<!--app-html-->', html));
}).listen(Number(process.env.PORT ?? 5173), () => console.log('shop listening'));
