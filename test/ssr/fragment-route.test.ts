import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../server/edge-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const render = async (query: string) => {
  harness ??= await createHarness('sqlite');
  return harness.edge.app.request(`/widgets/render/${query}`);
};

describe('GET /widgets/render/<tag>: happy', () => {
  it('answers a cacheable HTML fragment at this server’s earn rate', async () => {
    harness = await createHarness('sqlite', { env: { EARN_RATE: '5' } });
    const response = await harness.edge.app.request(
      '/widgets/render/points-product-message?amount=199&lang=en',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const html = await response.text();
    expect(html).toMatch(/^<points-product-message amount="199" lang="en" earn-rate="5"/);
    expect(html).toContain('995');
  });

  it('keeps an earn rate the page gives, and puts the page’s nonce on the styles', async () => {
    const response = await render('points-checkout-message?amount=10&earn-rate=3&nonce=abc123');
    const html = await response.text();
    expect(html).toContain('earn-rate="3"');
    expect(html.match(/<style[^>]*>/g)?.every((tag) => tag === '<style nonce="abc123">')).toBe(true);
    expect(html).not.toContain('nonce="abc123"></points');
  });
});

describe('GET /widgets/render/<tag>: error', () => {
  it('answers 400 problem+json naming each bad attribute', async () => {
    const response = await render('points-product-message?amount=free&theme=pink&onload=x');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { code: string; errors: Record<string, string[]> };
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.errors).sort()).toEqual(['amount', 'onload', 'theme']);
  });

  it('answers 400 for an attribute given twice and for a nonce that is not one', async () => {
    expect((await render('points-product-message?amount=1&amount=2')).status).toBe(400);
    expect((await render('points-product-message?amount=1&nonce=%22%3E')).status).toBe(400);
  });

  it('answers 404 for a tag that is not ours', async () => {
    const response = await render('script?src=x');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('not_found');
  });
});

describe('GET /widgets/render/<tag>: security', () => {
  it('renders hostile values inert', async () => {
    const value = encodeURIComponent('"><script>alert(1)</script><img src=x onerror=alert(1)>');
    const response = await render(`points-pay-button?order-token=${value}&lang=en`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('lets no shared cache keep a fragment that carries an order token or a status token', async () => {
    for (const query of [
      'points-pay-button?order-token=eyJhbGciOi.x.y',
      'points-order-status?order-number=1042&token=abc.def',
    ]) {
      const response = await render(query);
      expect(response.status).toBe(200);
      expect([query, response.headers.get('cache-control')]).toEqual([query, 'private, no-store']);
    }
    const shared = await render('points-pay-button?order-number=1042');
    expect(shared.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers a query of thousands of names with one short problem, not a line for each', async () => {
    const names = Array.from({ length: 3000 }, (_, index) => `${index.toString(36)}=`).join('&');
    const response = await render(`points-product-message?${names}`);
    expect(response.status).toBe(400);
    const body = await response.text();
    // 13 KB of query once drew a 500 KB answer.
    expect(body.length).toBeLessThan(1000);
    expect(JSON.parse(body)).toMatchObject({ code: 'validation_failed' });
  });

  it('never answers 5xx, whatever the query', async () => {
    const junk = ['%00', '%ff%fe', 'a'.repeat(5000), '<>', '[]', '{}', '..%2F..%2F', '-1e309', '١٢٣'];
    for (const tag of ['points-product-message', 'points-order-status', 'points-pay-button']) {
      for (const value of junk) {
        for (const name of ['amount', 'lang', 'server', 'quantity', 'x', encodeURIComponent(value)]) {
          const response = await render(`${tag}?${name}=${encodeURIComponent(value)}`);
          expect(response.status, `${tag}?${name}=${value}`).toBeLessThan(500);
        }
      }
    }
  });
});
