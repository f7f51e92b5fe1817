import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../support/chromium.ts';
import { freePort, sandboxEdgeEnv, start, type Running } from '../support/running-kit.ts';
import { installPackedKit, type InstalledKit } from './installed-kit.ts';

/**
 * The integration guide's §12 frameworks, built as a merchant would: the packed kit and the framework from
 * the registry in a fresh project, each tiny app (test/distribution/apps/, which must equal the guide's
 * code) built, its HTML read, and its page opened in Chromium against the installed edge server.
 */

const repoPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const guide = readFileSync(new URL('../../docs/integration-guide.md', import.meta.url), 'utf8');
const apps = new URL('./apps/', import.meta.url);
const run = promisify(execFile);

/** The fenced code block right after `<!-- <marker> -->` in the guide. */
function block(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`[\\w-]*\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!match) throw new Error(`No ${marker} snippet in the guide`);
  return match[1]!;
}

/** The visible text of markup: no styles, no `<noscript>` fallback, no tags. */
const text = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>|<noscript>[\s\S]*?<\/noscript>|<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');

/** The first `<points-product-message>` in `html`, its declarative shadow root included. */
function productMessage(html: string): string {
  const element = /<points-product-message[\s\S]*?<\/points-product-message>/.exec(html)?.[0];
  if (!element) throw new Error(`No points-product-message in:\n${html.slice(0, 2000)}`);
  return element;
}

/** Serves a built static site (`dist/`) on a free port. */
async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };
  const server = createServer((request, response) => {
    const path = new URL(request.url!, 'http://shop').pathname;
    if (path.includes('..')) return response.writeHead(400).end();
    readFile(join(root, path.endsWith('/') ? `${path}index.html` : path)).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(path) || '.html'] ?? '' }).end(body),
      () => response.writeHead(path === '/favicon.ico' ? 204 : 404).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

let kit: InstalledKit;
let edge: Running;
let edgeUrl: string;
let browser: Browser;
const servers: Server[] = [];
const running: Running[] = [];
const timings: Record<string, number> = {};

beforeAll(async () => {
  let started = Date.now();
  // Astro's current major with the last @astrojs/lit (4.3.0: it names no Astro version it needs), and Vite.
  kit = installPackedKit(['astro@7', '@astrojs/lit@4.3.0', `vite@${repoPackage.devDependencies.vite}`]);
  timings.install = Date.now() - started;
  for (const app of ['astro', 'astro-lit', 'vite-ssr']) {
    cpSync(new URL(app, apps), join(kit.dir, app), { recursive: true });
  }

  started = Date.now();
  // The installed edge server serves /widgets.js; no checkout here, so no sandbox behind it.
  const port = await freePort();
  edgeUrl = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandboxEdgeEnv({
      sandboxUrl: 'http://127.0.0.1:9',
      publicUrl: edgeUrl,
      port,
      databaseUrl: 'sqlite:./data/ssr.db',
    }),
  };
  const bin = (name: string) => join(kit.dir, 'node_modules', '.bin', name);
  await run(bin('points-edge'), ['migrate'], { cwd: kit.dir, env });
  edge = start(bin('points-edge'), ['serve'], { cwd: kit.dir, env });
  await edge.waitFor(/edge server listening/);
  browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  timings.edgeAndBrowser = Date.now() - started;
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  await Promise.all(running.map((process) => process.stop()));
  await edge?.stop();
  kit?.remove();
  console.log(`ssr-frameworks timings (ms): ${JSON.stringify(timings)}`);
});

/** Runs a node_modules/.bin command of the shop's project in `app`, with the edge server's URL. */
async function build(app: string, command: string, args: string[]): Promise<void> {
  const started = Date.now();
  await run(join(kit.dir, 'node_modules', '.bin', command), args, {
    cwd: join(kit.dir, app),
    // Not this process's environment: Vitest's NODE_ENV=test would make a development build.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      POINTS_EDGE_URL: edgeUrl,
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  }).catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`${command} ${args.join(' ')} failed in ${app}:\n${error.stdout}\n${error.stderr}`);
  });
  timings[`${app}: ${command} ${args.join(' ')}`] = Date.now() - started;
}

/**
 * Opens `url` in Chromium. Without JavaScript the message is read from the server's markup alone; with
 * it, the kit's script takes the element over in place (the same nodes), with no console error, and
 * follows a new price.
 */
async function checkInBrowser(url: string, message: RegExp, newMessage: RegExp) {
  const started = Date.now();
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const still = await noScript.newPage();
  await still.goto(url);
  await expect
    .poll(() => still.locator('points-product-message [part=message]').textContent())
    .toMatch(message);
  expect(await still.locator('points-product-message [part=message]').isVisible()).toBe(true);
  await noScript.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (entry) => {
    if (entry.type() === 'error' || entry.type() === 'warning') problems.push(entry.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  const seen = await page.evaluate(async () => {
    const element = document.querySelector('points-product-message') as HTMLElement & {
      updateComplete: Promise<boolean>;
    };
    const root = element.shadowRoot!.querySelector('[part=root]');
    const styled = getComputedStyle(root!).display;
    await customElements.whenDefined('points-product-message');
    await element.updateComplete;
    const before = element.shadowRoot!.querySelector('[part=message]')!.textContent;
    element.setAttribute('amount', '299.00');
    await element.updateComplete;
    return {
      styled,
      before,
      after: element.shadowRoot!.querySelector('[part=message]')!.textContent,
      sameNodes: element.shadowRoot!.querySelector('[part=root]') === root,
      deferred: element.hasAttribute('defer-hydration'),
    };
  });
  await context.close();
  timings[`browser ${url}`] = Date.now() - started;
  expect(problems).toEqual([]);
  // Styled from the server's first paint (the element's own styles make the root a flex row).
  expect(seen.styled).toBe('flex');
  expect(seen.before).toMatch(message);
  expect(seen.after).toMatch(newMessage);
  expect(seen.sameNodes).toBe(true);
  expect(seen.deferred).toBe(false);
}

const arabic = /^اكسب 1,990 نقطة$/;
const arabicAfter = /^اكسب 2,990 نقطة$/;

describe('server-rendered widgets in store frameworks, from the packed kit', () => {
  it('the apps are the integration guide’s code', () => {
    const file = (path: string) => readFileSync(new URL(path, apps), 'utf8');
    expect(file('astro/src/components/PointsWidget.astro')).toBe(block('ssr:astro-component'));
    expect(file('astro/src/pages/index.astro')).toBe(block('ssr:astro-page'));
    expect(file('astro/astro.config.mjs')).toBe(block('ssr:astro-config'));
    expect(file('astro-lit/astro.config.mjs')).toBe(block('ssr:astro-lit-config'));
    expect(file('astro-lit/src/pages/index.astro')).toBe(block('ssr:astro-lit-page'));
    expect(file('vite-ssr/index.html')).toBe(block('ssr:vite-html'));
    expect(file('vite-ssr/src/entry-server.js')).toBe(block('ssr:vite-entry'));
    expect(file('vite-ssr/server.js')).toBe(block('ssr:vite-server'));
    expect(block('ssr:vite-build')).toBe(
      'vite build --outDir dist/client\nvite build --ssr src/entry-server.js --outDir dist/server\n' +
        'NODE_ENV=production node server.js\n',
    );
  });

  it('Astro with renderWidget: the built page holds the rendered element, and the served script takes it over', async () => {
    await build('astro', 'astro', ['build']);
    const html = await readFile(join(kit.dir, 'astro', 'dist', 'index.html'), 'utf8');
    expect(html).toContain(`<script type="module" src="${edgeUrl}/widgets.js"></script>`);
    const element = productMessage(html);
    expect(element).toMatch(
      /^<points-product-message amount="199.00" earn-rate="10" lang="ar"[^>]*><template shadowroot="open" shadowrootmode="open"><style>/,
    );
    expect(text(element)).toContain('اكسب 1,990 نقطة');
    expect(element).toContain('<noscript>');

    const site = await serveStatic(join(kit.dir, 'astro', 'dist'));
    servers.push(site.server);
    await checkInBrowser(site.url, arabic, arabicAfter);
  });

  it('Astro with @astrojs/lit: the island renders the element on the server and hydrates it', async () => {
    await build('astro-lit', 'astro', ['build']);
    const html = await readFile(join(kit.dir, 'astro-lit', 'dist', 'index.html'), 'utf8');
    const element = productMessage(html);
    // Lit's renderer sets amount and lang as properties: the host keeps neither, and the island restores them.
    expect(element).toMatch(
      /^<points-product-message defer-hydration earn-rate="10"[^>]*><template shadowroot="open" shadowrootmode="open"><style>/,
    );
    expect(text(element)).toContain('اكسب 1,990 نقطة');
    expect(html).toMatch(/<astro-island [^>]*component-export="PointsProductMessage"[^>]*client="load"/);

    const site = await serveStatic(join(kit.dir, 'astro-lit', 'dist'));
    servers.push(site.server);
    await checkInBrowser(site.url, arabic, arabicAfter);
  });

  it('Vite SSR: the server entry renders the element with the page’s nonce under a strict CSP, and the served script takes it over', async () => {
    const [client, server] = block('ssr:vite-build').split('\n');
    await build('vite-ssr', 'vite', client!.split(' ').slice(1));
    await build('vite-ssr', 'vite', server!.split(' ').slice(1));
    const port = await freePort();
    const shop = start(process.execPath, ['server.js'], {
      cwd: join(kit.dir, 'vite-ssr'),
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), POINTS_EDGE_URL: edgeUrl },
    });
    running.push(shop);
    await shop.waitFor(/shop listening/);
    const url = `http://127.0.0.1:${port}/`;

    const page = await fetch(url);
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toContain('unsafe');
    const html = await page.text();
    expect(html).toContain(`<script type="module" src="${edgeUrl}/widgets.js"></script>`);
    const element = productMessage(html);
    expect(element).toMatch(
      /^<points-product-message amount="199.00" earn-rate="10" lang="en"[^>]*><template shadowroot="open" shadowrootmode="open"><style nonce="/,
    );
    const styles = element.match(/<style[^>]*>/g)!;
    expect(styles.every((tag) => tag === `<style nonce="${nonce}">`)).toBe(true);
    expect(text(element)).toContain('Earn 1,990 Points');
    // A new nonce for every page.
    expect((await fetch(url)).headers.get('content-security-policy')).not.toContain(nonce);

    await checkInBrowser(url, /^Earn 1,990 Points$/, /^Earn 2,990 Points$/);
  });
});
