import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStoreApp } from '../../demo/store/app.ts';

const widgetsDir = mkdtempSync(join(tmpdir(), 'points-widgets-'));
writeFileSync(join(widgetsDir, 'points-widgets.js'), 'export {};');
const app = createStoreApp({ widgetsDir });

describe('demo store app', () => {
  it('serves the product page as HTML', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<points-product-message');
  });

  it('serves the widget bundle as JavaScript', async () => {
    const res = await app.request('/widgets.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
  });

  it('answers 503 with a hint when the bundle is not built', async () => {
    const empty = createStoreApp({ widgetsDir: mkdtempSync(join(tmpdir(), 'points-empty-')) });
    const res = await empty.request('/widgets.js');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('answers 404 for unknown pages', async () => {
    expect((await app.request('/nope.html')).status).toBe(404);
  });

  it('never serves files outside its pages folder', async () => {
    for (const path of ['/../app.ts', '/%2e%2e/app.ts', '/..%2fapp.ts', '/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
  });
});
