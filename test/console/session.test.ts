import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.ts';
import { createHarness, type Harness } from '../server/edge-harness.ts';
import { adminToken, api, consoleRequest, cookieOf, postSignIn, signIn } from './console-client.ts';

let harness: Harness;
afterEach(() => harness?.close());

describe.each(engines)('console session on %s', (engine) => {
  describe('happy', () => {
    it('signs in with the admin token from a form field and opens a session cookie', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const response = await postSignIn(harness, adminToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { csrfToken: string; expiresAt: string; idleExpiresAt: string };
      expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3600_000);
      expect(Date.parse(body.idleExpiresAt) - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^points-console=[\w-]{43}; /);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/console');
      expect(cookie).toContain('Max-Age=43200');
      // Plain HTTP on this machine: not Secure (a browser would drop it), and nothing of the token.
      expect(cookie).not.toContain('Secure');
      expect(cookie).not.toContain(adminToken);

      const again = await consoleRequest(harness, '/session', { headers: { cookie: cookieOf(response) } });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ signedIn: true, csrfToken: body.csrfToken });
    });

    it('sets a __Secure- cookie marked Secure outside localhost', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const response = await postSignIn(harness, adminToken, {});
      expect(response.status).toBe(200);
      const secure = await consoleRequest(harness, '/session', {
        method: 'POST',
        base: 'https://edge.example',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${adminToken}`,
      });
      expect(secure.status).toBe(200);
      const cookie = secure.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Secure-points-console=[\w-]{43}; /);
      expect(cookie).toContain('; Secure');
      expect(cookie).toContain('Path=/console');
    });

    it('sets a Secure cookie behind a TLS proxy that forwards to 127.0.0.1 (PUBLIC_URL is https)', async () => {
      harness = await createHarness(engine, {
        env: { ADMIN_TOKEN: adminToken, PUBLIC_URL: 'https://edge.example' },
      });
      const response = await postSignIn(harness, adminToken);
      expect(response.status).toBe(200);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Secure-points-console=[\w-]{43}; /);
      expect(cookie).toContain('; Secure');
      const again = await consoleRequest(harness, '/session', { headers: { cookie: cookieOf(response) } });
      expect(await again.json()).toMatchObject({ signedIn: true });
    });

    it('signs out: the session is deleted and its cookie no longer works', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const out = await consoleRequest(harness, '/session', {
        method: 'DELETE',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^points-console=; Max-Age=0; Path=\/console/);
      expect(await harness.store.db.selectFrom('console_sessions').selectAll().execute()).toEqual([]);
      const gone = await consoleRequest(harness, '/session', { headers: { cookie: session.cookie } });
      expect(await gone.json()).toEqual({ signedIn: false });
      const after = await api(harness, session, '/overview');
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ code: 'console_session_required' });
    });
  });

  describe('error', () => {
    it('is off (404) without ADMIN_TOKEN', async () => {
      harness = await createHarness(engine);
      for (const path of ['', '/session', '/api/overview', '/assets/console.js']) {
        const response = await consoleRequest(harness, path);
        expect(response.status).toBe(404);
      }
      expect((await postSignIn(harness, 'anything')).status).toBe(404);
    });

    it('refuses a wrong token, a missing field, and a sign-in that is not a form', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const wrong = await postSignIn(harness, 'not-the-admin-token');
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('content-type')).toBe('application/problem+json');
      expect(await wrong.json()).toMatchObject({ code: 'unauthorized' });
      expect(wrong.headers.get('set-cookie')).toBeNull();

      const empty = await consoleRequest(harness, '/session', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ code: 'validation_failed' });

      const json = await consoleRequest(harness, '/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: adminToken }),
      });
      expect(json.status).toBe(415);
      expect(await json.json()).toMatchObject({ code: 'unsupported_media_type' });
    });

    it('answers the API 401 without a session', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const response = await consoleRequest(harness, '/api/overview');
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'console_session_required' });
    });
  });

  describe('security', () => {
    it('refuses a cross-site form post, and a post that does not say where it came from', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const crossSite = await postSignIn(harness, adminToken, {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      });
      expect(crossSite.status).toBe(403);
      expect(await crossSite.json()).toMatchObject({ code: 'csrf_rejected' });
      const sameSite = await postSignIn(harness, adminToken, { 'sec-fetch-site': 'same-site' });
      expect(sameSite.status).toBe(403);
      const otherOrigin = await postSignIn(harness, adminToken, { origin: 'https://evil.example' });
      expect(otherOrigin.status).toBe(403);
      const nowhere = await harness.edge.app.request('http://127.0.0.1:8787/console/session', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${adminToken}`,
      });
      expect(nowhere.status).toBe(403);
      expect(await harness.store.db.selectFrom('console_sessions').selectAll().execute()).toEqual([]);
    });

    it('refuses a signed-in action without the CSRF token, with a wrong one, or from another site', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const missing = await api(harness, session, '/orders/ORD-1/cancel', { body: {}, csrf: null });
      expect(missing.status).toBe(403);
      expect(await missing.json()).toMatchObject({ code: 'csrf_rejected' });
      const other = await signIn(harness);
      const wrong = await api(harness, session, '/orders/ORD-1/cancel', { body: {}, csrf: other.csrf });
      expect(wrong.status).toBe(403);
      const crossSite = await harness.edge.app.request(
        'http://127.0.0.1:8787/console/api/orders/ORD-1/cancel',
        {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            'x-csrf-token': session.csrf,
            'content-type': 'application/json',
            origin: 'https://evil.example',
            'sec-fetch-site': 'cross-site',
          },
          body: '{}',
        },
      );
      expect(crossSite.status).toBe(403);
      // The right token on the right session passes the guard (and reaches the order lookup).
      const right = await api(harness, session, '/orders/ORD-1/cancel', { body: {} });
      expect(right.status).toBe(404);
      expect(await right.json()).toMatchObject({ code: 'order_not_found' });
    });

    it('refuses a forged cookie and clears it; stores only the hash of a session id', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const id = session.cookie.split('=')[1] ?? '';
      const rows = await harness.store.db.selectFrom('console_sessions').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id_hash).not.toContain(id);
      expect(JSON.stringify(rows)).not.toContain(id);

      const forged = `points-console=${'A'.repeat(43)}`;
      const response = await api(harness, { cookie: forged, csrf: session.csrf }, '/overview');
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toContain('Max-Age=0');
      const junk = await api(harness, { cookie: 'points-console=../../x', csrf: '' }, '/overview');
      expect(junk.status).toBe(401);
    });

    it('ends a session idle 8 hours, and every session 12 hours after sign-in', async () => {
      let now = Date.now();
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken }, now: () => now });
      const idle = await signIn(harness);
      now += 7 * 3600_000;
      expect((await api(harness, idle, '/overview')).status).toBe(200);
      now += 4.9 * 3600_000; // active within each 8 hours…
      expect((await api(harness, idle, '/overview')).status).toBe(200);
      now += 0.2 * 3600_000; // …but past 12 hours in all
      expect((await api(harness, idle, '/overview')).status).toBe(401);

      const left = await signIn(harness);
      now += 8 * 3600_000;
      expect((await api(harness, left, '/overview')).status).toBe(401);
    });

    it("locks out only wrong tokens: a stranger's guesses never lock out the right token", async () => {
      harness = await createHarness(engine, {
        env: { ADMIN_TOKEN: adminToken, RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: '3' },
      });
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await postSignIn(harness, `wrong-${i}`)).status);
      expect(answers).toEqual([401, 401, 401, 429, 429]);
      const locked = await postSignIn(harness, 'wrong-again');
      expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await postSignIn(harness, adminToken)).status).toBe(200);
    });
  });
});
