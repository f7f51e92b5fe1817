import { serve, type ServerType } from '@hono/node-server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../../demo/sandbox/index.ts';

/** A seeded PRNG (mulberry32): the same seed gives the same chaos every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given random source. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * The Points sandbox served over HTTP in this process, so a separate edge process can call its API.
 * Its webhooks are recorded (see `deliveries()`) and answered 200 without being sent anywhere: the
 * tests replay them themselves, with chaos.
 */
export async function servedSandbox(
  webhookSecret: string,
): Promise<{ sandbox: Sandbox; url: string; close(): Promise<void> }> {
  // The sandbox needs its own URL, known only once the server listens.
  const created: { sandbox?: Sandbox } = {};
  const server: ServerType = serve({
    fetch: (request) => created.sandbox!.app.fetch(request),
    port: 0,
    hostname: '127.0.0.1',
  });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = createSandbox({
    baseUrl: url,
    webhookUrl: 'http://127.0.0.1:9/recorded-only',
    webhookSecret,
    fetch: async () => new Response(null, { status: 200 }),
  });
  created.sandbox = sandbox;
  return {
    sandbox,
    url,
    async close() {
      sandbox.close();
      await new Promise((done) => server.close(done));
    },
  };
}
