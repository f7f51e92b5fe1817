import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.ts';
import { createHarness, edgeUrl, type Harness } from '../server/edge-harness.ts';
import { adminToken, api, signIn } from './console-client.ts';

let harness: Harness;
afterEach(() => harness?.close());

type Listed = { open: Array<Record<string, unknown>>; closed: Array<Record<string, unknown>> };

/** A signed-in console over an edge that has raised one `dead_letter` alert (stored before it returns). */
async function withAlert(engine: 'sqlite' | 'postgres') {
  harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
  const session = await signIn(harness);
  harness.edge.alerts.record('dead_letter', { kind: 'notify-merchant' });
  await harness.edge.alerts.settled();
  const listed = (await (await api(harness, session, '/alerts')).json()) as Listed;
  return { session, id: String(listed.open[0]?.id) };
}

describe.each(engines)('console alerts on %s', (engine) => {
  describe('happy', () => {
    it('lists an open alert with what fired, when first and last, and how often', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const empty = await api(harness, session, '/alerts');
      expect(empty.status).toBe(200);
      expect(empty.headers.get('cache-control')).toBe('no-store');
      expect(await empty.json()).toEqual({ open: [], closed: [] });
      harness.edge.alerts.record('dead_letter', { kind: 'notify-merchant' });
      await harness.edge.alerts.settled();
      const listed = (await (await api(harness, session, '/alerts')).json()) as Listed;
      expect(listed.open).toEqual([
        {
          id: expect.any(String),
          kind: 'dead_letter',
          status: 'open',
          count: 1,
          firings: 1,
          windowMs: 300_000,
          detail: { kind: 'notify-merchant' },
          firstFiredAt: expect.any(String),
          lastFiredAt: expect.any(String),
          acknowledgedAt: null,
          acknowledgedBy: null,
        },
      ]);
      expect(listed.closed).toEqual([]);
    });

    it('acknowledges an alert: it closes, shows who acknowledged it, and the audit log has it', async () => {
      const { session, id } = await withAlert(engine);
      const answer = await api(harness, session, `/alerts/${id}/acknowledge`, { body: {} });
      expect(answer.status).toBe(200);
      const { alert } = (await answer.json()) as { alert: Record<string, unknown> };
      expect(alert).toMatchObject({
        id,
        status: 'acknowledged',
        acknowledgedBy: 'admin',
      });
      const listed = (await (await api(harness, session, '/alerts')).json()) as Listed;
      expect(listed.open).toEqual([]);
      expect(listed.closed).toEqual([expect.objectContaining({ id, status: 'acknowledged' })]);
      const audit = (await (await api(harness, session, '/audit')).json()) as Array<Record<string, unknown>>;
      expect(audit[0]).toMatchObject({
        action: 'acknowledge_alert',
        subject: id,
        result: 'done',
        detail: 'dead_letter',
        operator: alert.acknowledgedBy,
      });
      // Twice (another tab): nothing changes, and the log says so.
      expect((await api(harness, session, `/alerts/${id}/acknowledge`, { body: {} })).status).toBe(200);
      const again = (await (await api(harness, session, '/audit')).json()) as Array<Record<string, unknown>>;
      expect(again[0]).toMatchObject({ detail: 'dead_letter (acknowledged before)' });
    });
  });

  describe('error', () => {
    it('answers 404 problem+json for an unknown alert, and logs the attempt', async () => {
      const { session } = await withAlert(engine);
      const unknown = await api(harness, session, '/alerts/no-such-alert/acknowledge', { body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
      expect(await unknown.json()).toMatchObject({ code: 'not_found' });
      const audit = (await (await api(harness, session, '/audit')).json()) as Array<Record<string, unknown>>;
      expect(audit[0]).toMatchObject({
        action: 'acknowledge_alert',
        subject: 'no-such-alert',
        result: 'not_found',
      });
    });

    it('refuses a body on acknowledge and parameters on the list', async () => {
      const { session, id } = await withAlert(engine);
      const body = await api(harness, session, `/alerts/${id}/acknowledge`, { body: { all: true } });
      expect(body.status).toBe(400);
      expect(await body.json()).toMatchObject({ code: 'validation_failed' });
      const query = await api(harness, session, '/alerts?kind=dead_letter');
      expect(query.status).toBe(400);
      const listed = (await (await api(harness, session, '/alerts')).json()) as Listed;
      expect(listed.open).toEqual([expect.objectContaining({ id, status: 'open' })]);
    });
  });

  describe('security', () => {
    it('lists and acknowledges only for a session with its CSRF token, from this origin', async () => {
      const { session, id } = await withAlert(engine);
      const nobody = { cookie: '', csrf: '' };
      expect((await api(harness, nobody, '/alerts')).status).toBe(401);
      expect((await api(harness, nobody, `/alerts/${id}/acknowledge`, { body: {} })).status).toBe(401);
      expect(
        (await api(harness, session, `/alerts/${id}/acknowledge`, { body: {}, csrf: null })).status,
      ).toBe(403);
      const wrong = await api(harness, session, `/alerts/${id}/acknowledge`, {
        body: {},
        csrf: 'x'.repeat(43),
      });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ code: 'csrf_rejected' });
      const crossSite = await harness.edge.app.request(`${edgeUrl}/console/api/alerts/${id}/acknowledge`, {
        method: 'POST',
        headers: {
          cookie: session.cookie,
          'x-csrf-token': session.csrf,
          'content-type': 'application/json',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: '{}',
      });
      expect(crossSite.status).toBe(403);
      const listed = (await (await api(harness, session, '/alerts')).json()) as Listed;
      expect(listed.open).toEqual([expect.objectContaining({ id, status: 'open' })]);
      const audit = (await (await api(harness, session, '/audit')).json()) as Array<{ action: string }>;
      expect(audit.map((entry) => entry.action)).toEqual(['sign_in']);
    });
  });
});
