import { describe, expect, it } from 'vitest';
import { consoleCsp, consolePages } from '../../server/console/console-pages.ts';

const script = new TextEncoder().encode('export {};\n');
const pages = () => consolePages(async () => ({ files: new Map([['console.js', script]]) }));

describe('console page and scripts', () => {
  describe('happy', () => {
    it('serves the page and its script from this origin under a strict CSP', async () => {
      const page = await pages().request('/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(consoleCsp);
      const html = await page.text();
      expect(html).toContain('<script type="module" src="console/assets/console.js"></script>');
      const js = await pages().request('/assets/console.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('x-content-type-options')).toBe('nosniff');
      const icon = await pages().request('/assets/icon.svg');
      expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    });
  });

  describe('error', () => {
    it('answers 503 when the console is not built, and 404 for a file it does not have', async () => {
      expect((await consolePages(async () => undefined).request('/')).status).toBe(503);
      for (const file of ['other.js', 'console.js.map']) {
        const missing = await pages().request(`/assets/${file}`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('content-type')).toBe('application/problem+json');
        expect(await missing.json()).toMatchObject({ code: 'not_found' });
      }
    });
  });

  describe('security', () => {
    it('allows nothing inline, nothing from another origin, and no framing', () => {
      expect(consoleCsp).not.toMatch(/unsafe-|https?:|\*/);
      expect(consoleCsp).toContain("script-src 'self'");
      expect(consoleCsp).toContain("default-src 'none'");
      expect(consoleCsp).toContain("frame-ancestors 'none'");
    });
  });
});
