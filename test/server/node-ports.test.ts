import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { nodePorts } from '../../server/runtime/node/node-ports.ts';
import { freshStore } from '../support/databases.ts';

/** What the Node runtime gives the portable server (server/runtime/node/node-ports.ts). */
describe('the Node runtime ports', () => {
  it('gives the socket address of a served request, and unknown without a socket', async () => {
    const ports = nodePorts();
    const app = new Hono().get('/', (c) => c.text(ports.connectionAddress(c)));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((ready) => server.once('listening', ready));
    try {
      const { port } = server.address() as { port: number };
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('127.0.0.1');
      expect(await (await app.request('/')).text()).toBe('unknown');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('reads a built widget folder with its SRI hash, and nothing from a missing or unbuilt one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-node-ports-'));
    const entry = 'import("./points-widgets-dialog-abc123.js");';
    writeFileSync(join(dir, 'points-widgets.js'), "export * from './widgets.Ab12_x.js';\n");
    writeFileSync(join(dir, 'widgets.Ab12_x.js'), entry);
    writeFileSync(join(dir, 'points-widgets-dialog-abc123.js'), 'export {};');
    writeFileSync(join(dir, 'widgets.css'), 'points-pay-button:not(:defined) { display: block; }');
    writeFileSync(join(dir, 'notes.txt'), 'not served');
    const bundle = await nodePorts({ widgetsDir: dir }).loadWidgets();
    expect(bundle?.entry).toBe('widgets.Ab12_x.js');
    expect(bundle?.integrity).toBe(`sha384-${createHash('sha384').update(entry).digest('base64')}`);
    expect([...bundle!.files.keys()].sort()).toEqual([
      'points-widgets-dialog-abc123.js',
      'widgets.Ab12_x.js',
    ]);
    expect(new TextDecoder().decode(bundle!.stylesheet)).toContain('points-pay-button');
    expect(await nodePorts({ widgetsDir: join(dir, 'missing') }).loadWidgets()).toBeUndefined();
    const unbuilt = mkdtempSync(join(tmpdir(), 'points-node-ports-'));
    writeFileSync(join(unbuilt, 'widgets.Ab12_x.js'), entry);
    expect(await nodePorts({ widgetsDir: unbuilt }).loadWidgets()).toBeUndefined();
  });

  it('reads files the configuration names, and answers metrics in the Prometheus format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-node-ports-'));
    writeFileSync(join(dir, 'catalog.json'), '{"products":[]}');
    const ports = nodePorts();
    expect(await ports.readTextFile(join(dir, 'catalog.json'))).toBe('{"products":[]}');
    await expect(ports.readTextFile(join(dir, 'missing.json'))).rejects.toThrow();
    const store = await freshStore('sqlite');
    try {
      const metrics = ports.createMetrics({ store, webhookStats: { accepted: 2 } });
      metrics.deadLettered('notify-merchant');
      expect(metrics.contentType).toContain('text/plain');
      const text = await metrics.render();
      expect(text).toContain('points_edge_dead_letters_total{kind="notify-merchant"} 1');
      expect(text).toContain('points_edge_webhooks_total{outcome="accepted"} 2');
    } finally {
      await store.close();
    }
  });
});
