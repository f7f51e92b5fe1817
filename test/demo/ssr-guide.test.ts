import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../server/edge-harness.ts';

const guide = readFileSync(new URL('../../docs/integration-guide.md', import.meta.url), 'utf8');
const workDir = mkdtempSync(join(tmpdir(), 'points-ssr-guide-'));

/** The fenced code block right after `<!-- <marker> -->` in the guide. */
function block(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!match) throw new Error(`No ${marker} snippet in the guide`);
  return match[1]!;
}

/** Runs a snippet; asynchronously, so the edge server in this process can answer it meanwhile. */
async function run(command: string, file: string, code: string, env: Record<string, string> = {}) {
  const path = join(workDir, file);
  writeFileSync(path, code);
  return (await promisify(execFile)(command, [path], { env: { ...process.env, ...env } })).stdout;
}

const has = (command: string) => spawnSync(command, ['--version']).status === 0;
const text = (html: string) =>
  html.replace(/<style[\s\S]*?<\/style>|<noscript>[\s\S]*?<\/noscript>/g, '').replace(/<[^>]+>/g, '');

describe('integration guide: server-rendered widgets', () => {
  let harness: Harness;
  let server: ServerType;
  let edgeUrl: string;

  beforeAll(async () => {
    harness = await createHarness('sqlite', { env: { EARN_RATE: '10' } });
    server = serve({ fetch: harness.edge.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    edgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await harness?.close();
  });

  it('the JavaScript snippet renders the product message with the nonce on its styles', async () => {
    const source = new URL('../../widgets/ssr/index.ts', import.meta.url).pathname;
    const code = block('ssr:node').replace("'points-storefront-kit/ssr'", JSON.stringify(source));
    const html = await run(process.execPath, 'render.mjs', code);
    expect(html).toMatch(/^<points-product-message amount="199.00"/);
    expect(html.match(/<style[^>]*>/g)?.every((tag) => tag === '<style nonce="r4nd0m">')).toBe(true);
    expect(text(html)).toContain('اكسب 1,990 نقطة');
  });

  it.skipIf(!has('php'))('the PHP snippet includes the fragment with its own nonce', async () => {
    const html = await run('php', 'render.php', block('ssr:php'), { POINTS_EDGE_URL: edgeUrl });
    expect(html).toMatch(/^<points-product-message amount="199.00" lang="ar" earn-rate="10"/);
    const nonces = [...html.matchAll(/<style nonce="([^"]+)">/g)].map((match) => match[1]);
    expect(nonces.length).toBe(2);
    expect(new Set(nonces).size).toBe(1);
    expect(text(html)).toContain('اكسب 1,990 نقطة');
  });

  it.skipIf(!has('php'))(
    'the PHP snippet falls back to the plain element when the edge cannot answer',
    async () => {
      const html = await run('php', 'render.php', block('ssr:php'), {
        POINTS_EDGE_URL: 'http://127.0.0.1:9',
      });
      expect(html).toBe('<points-product-message amount="199.00" lang="ar"></points-product-message>');
    },
  );
});
