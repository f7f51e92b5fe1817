import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.ts';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

function builtWidgets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'points-widgets-'));
  writeFileSync(join(dir, 'points-widgets.js'), "export * from './widgets.Ab12_x.js';\n");
  writeFileSync(join(dir, 'widgets.Ab12_x.js'), 'import("./points-widgets-dialog-abc123.js");');
  writeFileSync(join(dir, 'points-widgets-dialog-abc123.js'), 'import "./widgets.Ab12_x.js";');
  writeFileSync(join(dir, 'widgets.css'), 'points-pay-button:not(:defined) { display: block; }\n');
  return dir;
}

describe.each(engines)('operator and widget routes on %s', (engine) => {
  it('GET /config gives the widgets their public settings, with CORS for the store', async () => {
    harness = await createHarness(engine);
    const res = await harness.edge.app.request('/config', { headers: { origin: storeUrl } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(storeUrl);
    expect(await res.json()).toEqual({
      environment: 'sandbox',
      currency: 'SAR',
      earnRate: 10,
      defaultLanguage: 'ar',
      features: { orderToken: true, orderNumber: false, catalog: true },
    });
  });

  it('browser-facing answers carry security headers, even errors', async () => {
    harness = await createHarness(engine);
    for (const path of ['/config', '/return', '/no-such-route', '/webhooks-elsewhere']) {
      const res = await harness.edge.app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy'), path).not.toBeNull();
    }
  });

  it('the return page keeps its own strict CSP; other answers get a locked-down default', async () => {
    harness = await createHarness(engine);
    const page = await harness.edge.app.request('/return?order=ORD-1&token=t');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'",
    );
    const json = await harness.edge.app.request('/config');
    expect(json.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("Points' webhook deliveries are answered without browser security headers", async () => {
    harness = await createHarness(engine);
    for (const path of ['/webhooks/points', '/webhooks/other']) {
      const res = await harness.edge.app.request(path, { method: 'POST', body: '{}' });
      expect(res.headers.get('x-frame-options'), path).toBeNull();
      expect(res.headers.get('content-security-policy'), path).toBeNull();
    }
  });

  it('GET /config reveals no secret', async () => {
    harness = await createHarness(engine);
    const text = await (await harness.edge.app.request('/config')).text();
    expect(text).not.toContain(harness.sandbox.options.privateKey);
    expect(text).not.toContain('secret');
  });

  it('GET /healthz and /readyz', async () => {
    harness = await createHarness(engine);
    expect(await (await harness.edge.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await harness.edge.app.request('/readyz')).json()).toEqual({ status: 'ready' });
    await harness.store.db.deleteFrom('points_migrations').execute();
    const notReady = await harness.edge.app.request('/readyz');
    expect(notReady.status).toBe(503);
  });

  it('serves the widget bundle: revalidated, hashed and immutable with SRI, and its lazy chunks', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const plain = await harness.edge.app.request('/widgets.js');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toContain('text/javascript');
    expect(plain.headers.get('cache-control')).toContain('must-revalidate');
    expect(plain.headers.get('link')).toBe('<./widgets.Ab12_x.js>; rel=modulepreload');
    // One module instance: the stable URL re-exports the very file the lazy chunks import.
    expect(await plain.text()).toBe("export * from './widgets.Ab12_x.js';\n");

    const manifest = (await (await harness.edge.app.request('/widgets.json')).json()) as {
      url: string;
      integrity: string;
    };
    const hashed = await harness.edge.app.request(manifest.url);
    expect(hashed.headers.get('cache-control')).toContain('immutable');
    const body = Buffer.from(await hashed.arrayBuffer());
    expect(manifest.integrity).toBe(`sha384-${createHash('sha384').update(body).digest('base64')}`);

    expect((await harness.edge.app.request('/points-widgets-dialog-abc123.js')).status).toBe(200);
    expect(manifest.url).toBe('/widgets.Ab12_x.js');
    expect((await harness.edge.app.request('/widgets.0000000000000000.js')).status).toBe(404);
    expect((await harness.edge.app.request('/..%2fpackage.json')).status).toBe(404);
  });

  it('serves /widgets.css, the reservation stylesheet merchants link, as CSS any store may load', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const res = await harness.edge.app.request('/widgets.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('must-revalidate');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain(':not(:defined)');
  });

  it('mounted under a prefix, /widgets.json gives the hashed entry under that prefix', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const host = new Hono().route('/points', harness.edge.app);
    const manifest = (await (await host.request('/points/widgets.json')).json()) as { url: string };
    expect(manifest.url).toBe('/points/widgets.Ab12_x.js');
    expect((await host.request(manifest.url)).status).toBe(200);
  });

  it('answers 503 with a hint when the bundle is not built', async () => {
    harness = await createHarness(engine);
    expect((await harness.edge.app.request('/widgets.js')).status).toBe(503);
    expect((await harness.edge.app.request('/points-widgets.js')).status).toBe(503);
    expect((await harness.edge.app.request('/widgets.Ab12_x.js')).status).toBe(404);
  });

  it("every route fits Hono's RegExpRouter (one pattern it cannot hold makes every route use the slower TrieRouter)", async () => {
    for (const widgetsDir of [builtWidgets(), undefined]) {
      await harness?.close();
      harness = await createHarness(engine, {
        env: { ADMIN_TOKEN: 'test-admin-token-000000000000000000' },
        ...(widgetsDir ? { widgetsDir } : {}),
      });
      const router = new RegExpRouter<number>();
      for (const [index, route] of harness.edge.app.routes.entries())
        router.add(route.method, route.path, index);
      expect(() => router.match('GET', '/healthz')).not.toThrow();
    }
  });

  it('unknown routes are problem+json 404s', async () => {
    harness = await createHarness(engine);
    const res = await harness.edge.app.request('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
