import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { enqueue } from '../../server/jobs/queue.ts';
import { engines } from '../support/databases.ts';
import { createHarness, type Harness } from '../server/edge-harness.ts';
import {
  adminToken,
  api,
  consoleOperators,
  consoleRequest,
  operatorTokens,
  paidOrder,
  postSignIn,
  signIn,
} from './console-client.ts';

let harness: Harness;
afterEach(() => harness?.close());

type AuditEntry = {
  operator: string;
  session: string;
  action: string;
  subject: string | null;
  result: string;
};

/** The harness, and the method and path of every request that reached Points since it started. */
async function harnessWithOperators(engine: 'sqlite' | 'postgres', env: Record<string, string> = {}) {
  const pointsCalls: string[] = [];
  harness = await createHarness(engine, {
    env: { ADMIN_TOKEN: adminToken, CONSOLE_OPERATORS: consoleOperators, ...env },
    pointsFetch: async (input, init) => {
      const request = new Request(input, init);
      pointsCalls.push(`${request.method} ${new URL(request.url).pathname}`);
      return harness.sandbox.app.fetch(request);
    },
  });
  return pointsCalls;
}

const auditOf = async (session: { cookie: string; csrf: string }) =>
  (await (await api(harness, session, '/audit')).json()) as AuditEntry[];

/** The configuration `harness` started with, `CONSOLE_OPERATORS` changed: what a SIGHUP reload reads. */
function reloadWith(operators: string) {
  const config = harness.edge.context.config;
  const next = loadConfig({
    POINTS_API_BASE_URL: config.points.baseUrl,
    POINTS_PUBLIC_KEY: config.points.publicKey,
    POINTS_PRIVATE_KEY: config.points.privateKey,
    POINTS_WEBHOOK_SECRET: config.webhookSecrets[0]!,
    POINTS_WEBHOOK_SECRET_PREVIOUS: config.webhookSecrets[1]!,
    CONSOLE_OPERATORS: operators,
  });
  return harness.edge.reloadSecrets(next);
}

describe.each(engines)('console operators on %s', (engine) => {
  describe('happy', () => {
    it('signs in as each operator: the session answers who and their role, the audit log names them', async () => {
      await harnessWithOperators(engine);
      for (const [token, name, role] of [
        [adminToken, 'admin', 'manager'],
        [operatorTokens.sara, 'sara', 'manager'],
        [operatorTokens.omar, 'omar', 'viewer'],
      ] as const) {
        const response = await postSignIn(harness, token);
        expect(response.status).toBe(200);
        const body = (await response.json()) as { operator: unknown; csrfToken: string };
        expect(body.operator).toEqual({ name, role });
        const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
        const again = await consoleRequest(harness, '/session', { headers: { cookie } });
        expect(await again.json()).toMatchObject({ signedIn: true, operator: { name, role } });
      }
      const rows = await harness.store.db
        .selectFrom('console_sessions')
        .select(['operator_name', 'operator_role'])
        .orderBy('created_at')
        .execute();
      expect(rows.map((row) => `${row.operator_name}:${row.operator_role}`).sort()).toEqual([
        'admin:manager',
        'omar:viewer',
        'sara:manager',
      ]);
      const entries = await auditOf(await signIn(harness, operatorTokens.omar));
      expect(entries.filter((entry) => entry.action === 'sign_in').map((entry) => entry.operator)).toEqual([
        'omar',
        'omar',
        'sara',
        'admin',
      ]);
      // Two sign-ins of omar's are told apart by their session.
      const omars = entries.filter((entry) => entry.operator === 'omar');
      expect(omars[0]!.session).toMatch(/^session [\w-]{8}$/);
      expect(omars[0]!.session).not.toBe(omars[1]!.session);
    });

    it("does a manager's refund and writes it with their name", async () => {
      const pointsCalls = await harnessWithOperators(engine);
      await paidOrder(harness, 'ORD-9101');
      const sara = await signIn(harness, operatorTokens.sara);
      const before = pointsCalls.length;
      const refunded = await api(harness, sara, '/orders/ORD-9101/refund', { body: { amount: '10.00' } });
      expect(refunded.status).toBe(200);
      expect(await refunded.json()).toMatchObject({ order: { refundedTotal: '10.00' } });
      expect(pointsCalls.slice(before).some((call) => call.startsWith('POST '))).toBe(true);
      expect((await auditOf(sara))[0]).toMatchObject({
        operator: 'sara',
        session: expect.stringMatching(/^session [\w-]{8}$/),
        action: 'refund',
        subject: 'ORD-9101',
        result: 'done',
      });
    });

    it('lets a viewer read every page', async () => {
      await harnessWithOperators(engine);
      await paidOrder(harness, 'ORD-9102');
      const omar = await signIn(harness, operatorTokens.omar);
      for (const path of [
        '/overview',
        '/activity',
        '/connectors',
        '/orders',
        '/orders/ORD-9102',
        '/deliveries',
        '/audit',
      ]) {
        expect(`${path} ${(await api(harness, omar, path)).status}`).toBe(`${path} 200`);
      }
    });

    it('is on with CONSOLE_OPERATORS alone; the admin API stays off without ADMIN_TOKEN', async () => {
      harness = await createHarness(engine, { env: { CONSOLE_OPERATORS: consoleOperators } });
      expect((await postSignIn(harness, operatorTokens.sara)).status).toBe(200);
      expect((await postSignIn(harness, adminToken)).status).toBe(401);
      const admin = await harness.edge.app.request('/admin/orders', {
        headers: { authorization: `Bearer ${operatorTokens.sara}` },
      });
      expect(admin.status).toBe(404);
    });
  });

  describe('error', () => {
    it("refuses a viewer's refund with 403 operator_forbidden, writes the refusal, and sends nothing to Points", async () => {
      const pointsCalls = await harnessWithOperators(engine);
      await paidOrder(harness, 'ORD-9103');
      const omar = await signIn(harness, operatorTokens.omar);
      const before = pointsCalls.length;
      const refused = await api(harness, omar, '/orders/ORD-9103/refund', {
        body: { amount: '10.00', reason: 'asked' },
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.json()).toMatchObject({ code: 'operator_forbidden', status: 403 });
      expect(pointsCalls.slice(before)).toEqual([]);
      const { order } = (await (await api(harness, omar, '/orders/ORD-9103')).json()) as {
        order: { refundedTotal: string };
      };
      expect(order.refundedTotal).toBe('0.00');
      expect((await auditOf(omar))[0]).toMatchObject({
        operator: 'omar',
        action: 'refund',
        subject: 'ORD-9103',
        result: 'operator_forbidden',
      });
    });

    it("refuses every other action of a viewer's the same way, before its body is read", async () => {
      const pointsCalls = await harnessWithOperators(engine);
      await paidOrder(harness, 'ORD-9104');
      const id = await enqueue(
        harness.store.db,
        { lane: 'notify', kind: 'notify-merchant', payload: {} },
        Date.now(),
      );
      await harness.store.db.updateTable('jobs').set({ state: 'dead' }).where('id', '=', id).execute();
      const omar = await signIn(harness, operatorTokens.omar);
      const before = pointsCalls.length;
      const answers: string[] = [];
      for (const [path, body] of [
        ['/orders/ORD-9104/cancel', {}],
        ['/orders/ORD-9104/ship', { status: 'ready_shipping' }],
        ['/orders/ORD-9104/reread', {}],
        [`/deliveries/${id}/replay`, {}],
        // Not a valid body: still a 403, not a 400 telling a viewer what would pass.
        ['/orders/ORD-9104/refund', { amount: 'lots' }],
        // Refused before the alert is looked up: a viewer learns nothing of which ids exist.
        ['/alerts/alert-1/acknowledge', {}],
      ] as const) {
        const response = await api(harness, omar, path, { body });
        answers.push(`${path} ${response.status} ${((await response.json()) as { code: string }).code}`);
      }
      expect(answers).toEqual([
        '/orders/ORD-9104/cancel 403 operator_forbidden',
        '/orders/ORD-9104/ship 403 operator_forbidden',
        '/orders/ORD-9104/reread 403 operator_forbidden',
        `/deliveries/${id}/replay 403 operator_forbidden`,
        '/orders/ORD-9104/refund 403 operator_forbidden',
        '/alerts/alert-1/acknowledge 403 operator_forbidden',
      ]);
      expect(pointsCalls.slice(before)).toEqual([]);
      const job = await harness.store.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirst();
      expect(job?.state).toBe('dead');
      const refusals = (await auditOf(omar)).filter((entry) => entry.result === 'operator_forbidden');
      expect(refusals.map((entry) => `${entry.operator} ${entry.action} ${entry.subject}`)).toEqual([
        'omar acknowledge_alert alert-1',
        'omar refund ORD-9104',
        `omar replay ${id}`,
        'omar reread ORD-9104',
        'omar ship ORD-9104',
        'omar cancel ORD-9104',
      ]);
    });

    it("counts a wrong token towards the lockout as before; every operator's right token still works", async () => {
      await harnessWithOperators(engine, { RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: '3' });
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await postSignIn(harness, `test-wrong-token-${i}`)).status);
      expect(answers).toEqual([401, 401, 401, 429, 429]);
      for (const token of [adminToken, operatorTokens.sara, operatorTokens.omar]) {
        expect((await postSignIn(harness, token)).status).toBe(200);
      }
      // A token one character off an operator's is a wrong token like any other.
      expect((await postSignIn(harness, `${operatorTokens.sara}x`)).status).toBe(429);
    });
  });

  describe('security', () => {
    it("ends an operator's sessions when their token, role or name changes on a reload, and only theirs", async () => {
      await harnessWithOperators(engine);
      const sara = await signIn(harness, operatorTokens.sara);
      const omar = await signIn(harness, operatorTokens.omar);
      const admin = await signIn(harness, adminToken);
      const newOmar = 'test-token-omar-rotated-000000000000';
      expect(reloadWith(`sara:manager:${operatorTokens.sara}\nomar:viewer:${newOmar}`)).toEqual([
        'CONSOLE_OPERATORS',
      ]);
      expect((await api(harness, omar, '/overview')).status).toBe(401);
      expect((await api(harness, sara, '/overview')).status).toBe(200);
      expect((await api(harness, admin, '/overview')).status).toBe(200);
      expect((await postSignIn(harness, operatorTokens.omar)).status).toBe(401);
      const rotated = await signIn(harness, newOmar);
      expect((await api(harness, rotated, '/overview')).status).toBe(200);

      // The same token, a new role: the session of the old role ends (the new one signs in again).
      reloadWith(`sara:viewer:${operatorTokens.sara}\nomar:viewer:${newOmar}`);
      expect((await api(harness, sara, '/overview')).status).toBe(401);
      const viewerSara = await signIn(harness, operatorTokens.sara);
      expect(
        await (await consoleRequest(harness, '/session', { headers: { cookie: viewerSara.cookie } })).json(),
      ).toMatchObject({
        operator: { name: 'sara', role: 'viewer' },
      });
      // Removed: gone.
      reloadWith(`omar:viewer:${newOmar}`);
      expect((await api(harness, viewerSara, '/overview')).status).toBe(401);
      expect((await api(harness, rotated, '/overview')).status).toBe(200);
      // Nothing changed: nothing said, nothing ended.
      expect(reloadWith(`omar:viewer:${newOmar}`)).toEqual([]);
      expect((await api(harness, rotated, '/overview')).status).toBe(200);
    });

    it("ends admin's sessions when ADMIN_TOKEN changes (a restart with the new value)", async () => {
      await harnessWithOperators(engine);
      const admin = await signIn(harness, adminToken);
      expect((await api(harness, admin, '/overview')).status).toBe(200);
      harness.edge.context.config.adminToken = 'test-admin-token-rotated-0000000000';
      expect((await api(harness, admin, '/overview')).status).toBe(401);
    });

    it('keeps no token in the sessions table: name, role and a proof that is none of the tokens', async () => {
      await harnessWithOperators(engine);
      await signIn(harness, operatorTokens.sara);
      await signIn(harness, operatorTokens.omar);
      const rows = await harness.store.db.selectFrom('console_sessions').selectAll().execute();
      expect(rows).toHaveLength(2);
      const text = JSON.stringify(rows);
      for (const token of Object.values(operatorTokens)) expect(text).not.toContain(token);
      expect(rows.every((row) => /^[\w-]{43}$/.test(row.operator_proof))).toBe(true);
    });

    it('gives a session row edited to another role or operator no rights: the role is read from the configuration, the name is proved', async () => {
      await harnessWithOperators(engine);
      const omar = await signIn(harness, operatorTokens.omar);
      await harness.store.db.updateTable('console_sessions').set({ operator_role: 'manager' }).execute();
      const refused = await api(harness, omar, '/orders/ORD-1/cancel', { body: {} });
      expect(refused.status).toBe(403);
      await harness.store.db.deleteFrom('console_sessions').execute();
      const again = await signIn(harness, operatorTokens.omar);
      await harness.store.db
        .updateTable('console_sessions')
        .set({ operator_name: 'sara', operator_role: 'manager' })
        .where('operator_role', '=', 'viewer')
        .execute();
      expect((await api(harness, again, '/orders/ORD-1/cancel', { body: {} })).status).toBe(401);
    });
  });
});
