import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

/** Origins one slip away from the configured store origin (`https://store.example`). */
const nearMisses = [
  'https://store.example.evil.example',
  'https://evil.example.store.example',
  'https://evilstore.example',
  'https://store.example:8443',
  'https://store.example:443',
  'http://store.example',
  'https://store.example.',
  'https://store.example/',
  'https://store.example@evil.example',
  'https://STORE.EXAMPLE',
  'wss://store.example',
  'null',
  '*',
  '',
];

/** The browser-facing routes, and a preflight and a plain request to each. */
const requests = (origin: string): Array<[string, RequestInit]> => [
  ['/config', { headers: { origin } }],
  ['/orders/ORD-1/status?token=x', { headers: { origin } }],
  ['/checkout', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }],
  ['/checkout', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' }],
];

describe('CORS grants only the exact store origins', () => {
  it('the configured store origin gets a grant on every browser route, and no credentials', async () => {
    harness = await createHarness('sqlite');
    for (const [path, init] of requests(storeUrl)) {
      const res = await harness.edge.app.request(path, init);
      expect(res.headers.get('access-control-allow-origin'), `${init.method ?? 'GET'} ${path}`).toBe(
        storeUrl,
      );
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    }
  });

  it('a near-miss origin gets no grant on any browser route', async () => {
    harness = await createHarness('sqlite');
    for (const origin of nearMisses) {
      for (const [path, init] of requests(origin)) {
        const res = await harness.edge.app.request(path, init);
        const label = `${init.method ?? 'GET'} ${path} from ${JSON.stringify(origin)}`;
        expect(res.headers.get('access-control-allow-origin'), label).toBeNull();
      }
    }
  });

  it('several configured origins each get their own grant, and one never opens another', async () => {
    harness = await createHarness('sqlite', {
      env: { STORE_ORIGINS: `${storeUrl}, https://shop.example:8443/path/ignored` },
    });
    const granted = async (origin: string) =>
      (await harness.edge.app.request('/config', { headers: { origin } })).headers.get(
        'access-control-allow-origin',
      );
    expect(await granted(storeUrl)).toBe(storeUrl);
    expect(await granted('https://shop.example:8443')).toBe('https://shop.example:8443');
    expect(await granted('https://shop.example')).toBeNull();
    expect(await granted('https://shop.example:8443.evil.example')).toBeNull();
  });

  it('server-to-server routes grant nothing, even to the store origin', async () => {
    harness = await createHarness('sqlite', {
      env: { ADMIN_TOKEN: 'test-admin-token-00000000000000000000' },
    });
    for (const path of ['/admin/deliveries', '/metrics', '/webhooks/points']) {
      const res = await harness.edge.app.request(path, {
        method: 'OPTIONS',
        headers: { origin: storeUrl, 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});
