import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../server/jobs/queue.ts';
import { engines } from '../support/databases.ts';
import { createHarness, type Harness } from '../server/edge-harness.ts';
import { adminToken, api, connectorOrder, consoleRequest, paidOrder, signIn } from './console-client.ts';

let harness: Harness;
afterEach(() => harness?.close());

type OrderRow = { orderNumber: string; referenceNumber: string; phone: string | null; state: string };
type Timeline = Array<{
  kind: string;
  summary: string;
  outcome: string;
  replayable: boolean;
  jobId: string | null;
}>;

describe.each(engines)('console API on %s', (engine) => {
  describe('happy', () => {
    it('answers the overview: readiness, the last webhook, the queue and dead letters', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9001');
      await enqueue(harness.store.db, { lane: 'notify', kind: 'notify-merchant', payload: {} }, Date.now());
      await harness.store.db
        .updateTable('jobs')
        .set({ state: 'dead' })
        .where('kind', '=', 'notify-merchant')
        .execute();
      const response = await api(harness, session, '/overview');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        readiness: { status: 'ready', pending: [] },
        lastPointsWebhook: { status: 'processed' },
        lastConnectorDeliveries: [],
      });
      expect(body.deadLetters).toBeGreaterThanOrEqual(1);
    });

    it('answers 14 Riyadh days of orders, points, webhook failures, intake time and webhook delay, today the last', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9010');
      // Paid with 100 points and the rest by card.
      await harness.checkout({
        orderToken: await harness.orderToken({
          order_number: 'ORD-9013',
          total_price: '80.00',
          products: [],
        }),
      });
      await harness.sandbox.completeCheckout('ORD-9013', { phone: '500000001', redeemPoints: 100 });
      await harness.settle();
      await harness.edge.operations.earn('purchase', {
        order_number: 'S-9011',
        phone_number: '0500000002',
        total_price: 100,
        products: [{ product_name: 'Coffee', product_price: 100, quantity: 1 }],
      });
      // Points' webhook for the earning applied first, so nothing moves the rows this test dates.
      await harness.settle();
      const db = harness.store.db;
      const now = Date.now();
      // Three days ago: a refunded half of an earning's points, and a failed webhook.
      const threeDaysAgo = now - 3 * 86_400_000;
      await db
        .updateTable('orders')
        .set({ refunded_halalas: 5000, updated_at: threeDaysAgo })
        .where('order_number', '=', 'S-9011')
        .execute();
      await db
        .insertInto('webhook_receipts')
        .values({
          id: 'r-failed',
          dedupe_key: null,
          event: 'approved',
          points_order_id: null,
          subject: null,
          raw_body: '{}',
          status: 'failed',
          error: 'boom',
          received_at: threeDaysAgo,
          processed_at: null,
        })
        .execute();
      // Fifteen days ago: outside the window.
      await db
        .updateTable('orders')
        .set({ created_at: now - 15 * 86_400_000 })
        .where('order_number', '=', 'ORD-9010')
        .execute();

      const response = await api(harness, session, '/activity');
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { timeZone: string; days: Array<Record<string, unknown>> };
      expect(answer.timeZone).toBe('Asia/Riyadh');
      const days = answer.days;
      expect(days).toHaveLength(14);
      // Riyadh is 3 h ahead of UTC all year.
      expect(days.at(-1)!.day).toBe(new Date(now + 3 * 3_600_000).toISOString().slice(0, 10));
      const earning = await db
        .selectFrom('earnings')
        .select('total_points')
        .where('reference', '=', 'S-9011')
        .executeTakeFirstOrThrow();
      expect(Number(earning.total_points)).toBeGreaterThan(0);
      expect(days.at(-1)).toMatchObject({
        orders: 2,
        pointsEarned: Number(earning.total_points),
        pointsRedeemed: 100,
      });
      expect(days.at(-1)!.webhookDelayMs).toEqual({ average: expect.any(Number), max: expect.any(Number) });
      // The Points webhooks the sandbox delivered, each timed by the intake that answered it.
      const timed = await db
        .selectFrom('webhook_receipts')
        .select('intake_ms')
        .where('intake_ms', 'is not', null)
        .execute();
      expect(timed.length).toBeGreaterThanOrEqual(2);
      const intake = days.at(-1)!.intakeMs as {
        median: number;
        p95: number;
        max: number;
        deliveries: number;
      };
      expect(intake.deliveries).toBe(timed.length);
      expect(intake.max).toBe(Math.max(...timed.map((row) => Number(row.intake_ms))));
      expect(intake.median).toBeLessThanOrEqual(intake.p95);
      expect(intake.p95).toBeLessThanOrEqual(intake.max);
      expect(days.at(-4)).toMatchObject({
        pointsReversed: Math.floor(Number(earning.total_points) / 2),
        webhookFailures: 1,
        webhookDelayMs: null,
        intakeMs: null,
      });
      const total = (key: string) => days.reduce((sum, day) => sum + Number(day[key]), 0);
      expect([total('orders'), total('pointsRedeemed'), total('webhookFailures')]).toEqual([2, 100, 1]);

      const week = (await (await api(harness, session, '/activity?days=7')).json()) as { days: unknown[] };
      expect(week.days).toHaveLength(7);
    });

    it('answers each platform: configured or not, its orders by outcome, why it skipped, its last delivery', async () => {
      harness = await createHarness(engine, {
        env: { ADMIN_TOKEN: adminToken, SALLA_WEBHOOK_SECRET: 'test-salla-secret-0000000000000000' },
      });
      const session = await signIn(harness);
      await connectorOrder(harness, 'salla:store-1:1', 'earned');
      await connectorOrder(harness, 'salla:store-1:2', 'pending');
      await connectorOrder(harness, 'salla:store-1:3', 'skipped', 'a test order');
      await connectorOrder(harness, 'salla:store-1:4', 'skipped', 'paid with Points');
      await connectorOrder(harness, 'salla:store-1:5', 'skipped', 'a test order');
      await connectorOrder(harness, 'salla:store-1:6', 'reversed', 'reversed in full (10.00 SAR)');
      await connectorOrder(harness, 'zid:store-1:7', 'failed', 'Points refused: 422');
      for (const [id, at, status] of [
        ['d-1', 1_000, 'processed'],
        ['d-2', 2_000, 'failed'],
      ] as const) {
        await harness.store.db
          .insertInto('webhook_receipts')
          .values({
            id,
            source: 'salla',
            dedupe_key: null,
            event: 'order.updated',
            points_order_id: null,
            subject: 'salla:store-1:1',
            raw_body: '{}',
            status,
            error: null,
            received_at: at,
            processed_at: null,
          })
          .execute();
      }
      const response = await api(harness, session, '/connectors');
      expect(response.status).toBe(200);
      const platforms = (await response.json()) as Array<Record<string, unknown>>;
      expect(platforms.map((platform) => [platform.platform, platform.configured])).toEqual([
        ['salla', true],
        ['zid', false],
        ['shopify', false],
        ['woocommerce', false],
      ]);
      expect(platforms[0]).toEqual({
        platform: 'salla',
        configured: true,
        outcomes: { waiting: 0, earned: 1, pending: 1, skipped: 3, reversed: 1, failed: 0 },
        skippedReasons: [
          { reason: 'a test order', count: 2 },
          { reason: 'paid with Points', count: 1 },
        ],
        lastDelivery: {
          platform: 'salla',
          at: new Date(2_000).toISOString(),
          event: 'order.updated',
          status: 'failed',
        },
      });
      expect(platforms[1]).toMatchObject({ outcomes: { failed: 1 }, skippedReasons: [], lastDelivery: null });
    });

    it('finds orders by number, reference and phone (masked), and shows a timeline of what happened', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9002');
      const byNumber = (await (await api(harness, session, '/orders?q=ORD-9002')).json()) as OrderRow[];
      expect(byNumber.map((order) => order.orderNumber)).toEqual(['ORD-9002']);
      const reference = byNumber[0]!.referenceNumber;
      const byReference = (await (
        await api(harness, session, `/orders?q=${reference}`)
      ).json()) as OrderRow[];
      expect(byReference.map((order) => order.orderNumber)).toEqual(['ORD-9002']);
      expect((await (await api(harness, session, '/orders?state=refunded')).json()) as OrderRow[]).toEqual(
        [],
      );
      const today = new Date().toISOString().slice(0, 10);
      const byDay = (await (
        await api(harness, session, `/orders?from=${today}&to=${today}`)
      ).json()) as OrderRow[];
      expect(byDay).toHaveLength(1);

      // An earning with a phone: found by the phone however it is typed, and shown masked.
      await harness.edge.operations.earn('purchase', {
        order_number: 'S-9003',
        phone_number: '0500000002',
        total_price: 115,
        products: [{ product_name: 'Coffee', product_price: 115, quantity: 1 }],
      });
      const byPhone = await api(harness, session, `/orders?q=${encodeURIComponent('+966 50 000 0002')}`);
      const rows = (await byPhone.json()) as OrderRow[];
      expect(rows.map((order) => order.orderNumber)).toEqual(['S-9003']);
      expect(rows[0]!.phone).toBe('+96650*****02');
      expect(JSON.stringify(rows)).not.toContain('500000002');

      const detail = await api(harness, session, '/orders/ORD-9002');
      expect(detail.status).toBe(200);
      const { order, timeline } = (await detail.json()) as { order: OrderRow; timeline: Timeline };
      expect(order.state).toBe('confirmed');
      expect(timeline[0]).toMatchObject({ kind: 'order_created' });
      expect(timeline.filter((entry) => entry.kind === 'points_webhook').length).toBeGreaterThan(0);
      expect(
        timeline.some((entry) => entry.kind === 'merchant_notification' && entry.outcome === 'done'),
      ).toBe(true);
    });

    it('refunds in part, ships and re-reads, each answering the order as Points now holds it', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9004');
      const refunded = await api(harness, session, '/orders/ORD-9004/refund', {
        body: { amount: '30.00', reason: 'damaged cup' },
      });
      expect(refunded.status).toBe(200);
      expect(await refunded.json()).toMatchObject({
        pointsStatus: 'partially_refunded',
        order: { refundedTotal: '30.00', remainingTotal: '50.00' },
      });
      const shipped = await api(harness, session, '/orders/ORD-9004/ship', {
        body: { status: 'ready_shipping' },
      });
      expect(await shipped.json()).toMatchObject({ order: { shippingStatus: 'ready_shipping' } });
      const reread = await api(harness, session, '/orders/ORD-9004/reread', { body: {} });
      expect(await reread.json()).toMatchObject({ pointsStatus: 'partially_refunded' });
      const cancelled = await api(harness, session, '/orders/ORD-9004/cancel', { body: {} });
      expect([200, 422]).toContain(cancelled.status);
    });

    it('writes each action, who did it and what became of it to the audit log, and on the order timeline', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9020');
      await api(harness, session, '/orders/ORD-9020/refund', { body: { amount: '10.00', reason: 'cup' } });
      await api(harness, session, '/orders/ORD-9020/ship', { body: { status: 'ready_shipping' } });
      const log = await api(harness, session, '/audit');
      expect(log.status).toBe(200);
      const entries = (await log.json()) as Array<Record<string, unknown>>;
      expect(entries.map((entry) => [entry.action, entry.subject, entry.result])).toEqual([
        ['ship', 'ORD-9020', 'done'],
        ['refund', 'ORD-9020', 'done'],
        ['sign_in', null, 'done'],
      ]);
      expect(entries[1]).toMatchObject({
        operator: 'admin',
        session: expect.stringMatching(/^session [\w-]{8}$/),
        request: { amount: '10.00', reason: 'cup' },
        detail: 'partially_refunded',
        at: expect.any(String),
      });
      expect(new Set(entries.map((entry) => `${String(entry.operator)} ${String(entry.session)}`)).size).toBe(
        1,
      );

      const about = (await (
        await api(harness, session, '/audit?subject=ORD-9020&limit=1')
      ).json()) as unknown[];
      expect(about).toMatchObject([{ action: 'ship' }]);
      const { timeline } = (await (await api(harness, session, '/orders/ORD-9020')).json()) as {
        timeline: Timeline;
      };
      expect(
        timeline.filter((entry) => entry.kind === 'console_action').map((entry) => entry.outcome),
      ).toEqual(['done', 'done']);

      const out = await consoleRequest(harness, '/session', {
        method: 'DELETE',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      expect(out.status).toBe(204);
      const last = await harness.store.db
        .selectFrom('console_audit')
        .select(['action', 'operator', 'session'])
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(last).toEqual({ action: 'sign_out', operator: 'admin', session: entries[0]!.session });
    });

    it('replays a dead-lettered delivery', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const id = await enqueue(
        harness.store.db,
        { lane: 'notify', kind: 'notify-merchant', payload: {} },
        Date.now(),
      );
      await harness.store.db.updateTable('jobs').set({ state: 'dead' }).where('id', '=', id).execute();
      const listed = (await (await api(harness, session, '/deliveries')).json()) as Array<{ id: string }>;
      expect(listed.map((job) => job.id)).toContain(id);
      const replayed = await api(harness, session, `/deliveries/${id}/replay`, { body: {} });
      expect(replayed.status).toBe(200);
      const row = await harness.store.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirst();
      expect(row?.state).not.toBe('dead');
    });
  });

  describe('error', () => {
    it('answers problems for an unknown order, a bad query, a bad amount and a non-JSON body', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const unknown = await api(harness, session, '/orders/NOPE');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'order_not_found' });
      const badQuery = await api(harness, session, '/orders?from=yesterday');
      expect(badQuery.status).toBe(400);
      expect(await badQuery.json()).toMatchObject({
        code: 'validation_failed',
        errors: { from: expect.any(Array) },
      });
      await paidOrder(harness, 'ORD-9005');
      const badAmount = await api(harness, session, '/orders/ORD-9005/refund', { body: { amount: '-1' } });
      expect(badAmount.status).toBe(400);
      const tooMuch = await api(harness, session, '/orders/ORD-9005/refund', { body: { amount: '999.00' } });
      expect(tooMuch.status).toBeLessThan(500);
      const replay = await api(harness, session, '/deliveries/no-such-job/replay', { body: {} });
      expect(replay.status).toBe(404);
      const form = await harness.edge.app.request(
        'http://127.0.0.1:8787/console/api/orders/ORD-9005/cancel',
        {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            'x-csrf-token': session.csrf,
            origin: 'http://127.0.0.1:8787',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'reason=x',
        },
      );
      expect(form.status).toBe(415);
    });

    it('logs a refused action with its problem code, and refuses a bad audit query', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9021');
      const tooMuch = await api(harness, session, '/orders/ORD-9021/refund', { body: { amount: '999.00' } });
      const unknown = await api(harness, session, '/deliveries/no-such-job/replay', { body: {} });
      const { code } = (await tooMuch.json()) as { code: string };
      expect(unknown.status).toBe(404);
      const entries = (await (await api(harness, session, '/audit')).json()) as Array<
        Record<string, unknown>
      >;
      expect(entries.slice(0, 2).map((entry) => [entry.action, entry.subject, entry.result])).toEqual([
        ['replay', 'no-such-job', 'not_found'],
        ['refund', 'ORD-9021', code],
      ]);
      expect(entries[0]!.detail).toEqual(expect.any(String));
      // A body that is not even valid is no action: nothing was tried, nothing logged.
      await api(harness, session, '/orders/ORD-9021/refund', { body: { amount: '-1' } });
      expect(await (await api(harness, session, '/audit')).json()).toHaveLength(entries.length);
      for (const query of ['limit=0', 'limit=501', 'subject=', 'who=me']) {
        const response = await api(harness, session, `/audit?${query}`);
        expect([query, response.status]).toEqual([query, 400]);
      }
    });

    it('refuses parameters on the connectors list', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const response = await api(harness, session, '/connectors?platform=salla');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation_failed' });
    });

    it('answers 400, never 500, to a control character, an impossible day or an endless name in a path or query', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      const reads = [
        '/orders?q=%00',
        '/orders?q=0500000001%00',
        '/orders?from=2026-99-99',
        '/orders?from=2026-13-01&to=2026-00-00',
        '/orders?to=2026-02-31',
        '/audit?subject=%00',
        '/orders/%00',
        `/orders/${'A'.repeat(300)}`,
      ];
      for (const path of reads) {
        const response = await api(harness, session, path);
        expect([path, response.status]).toEqual([path, 400]);
        expect(await response.json()).toMatchObject({ code: 'validation_failed' });
      }
      const actions = [
        '/orders/a%00b/refund',
        `/orders/${'A'.repeat(8000)}/cancel`,
        '/deliveries/%00/replay',
        '/alerts/%00/acknowledge',
      ];
      for (const path of actions) {
        const response = await api(harness, session, path, { body: {} });
        expect([path.slice(0, 40), response.status]).toEqual([path.slice(0, 40), 400]);
      }
      // Nothing was tried, so nothing is logged (a row of 8,000 characters least of all).
      const entries = (await (await api(harness, session, '/audit')).json()) as unknown[];
      expect(entries).toHaveLength(1);
    });

    it('refuses an activity window that is not 1 to 90 days, or an unknown parameter', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      for (const query of ['days=0', 'days=91', 'days=two', 'days=1.5', 'since=2026-01-01']) {
        const response = await api(harness, session, `/activity?${query}`);
        expect([query, response.status]).toEqual([query, 400]);
        expect(await response.json()).toMatchObject({ code: 'validation_failed' });
      }
    });
  });

  describe('security', () => {
    it('answers the audit log only to a session; it names a session without any of its id, and logs no refused request', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      expect((await api(harness, { cookie: '', csrf: '' }, '/audit')).status).toBe(401);
      const session = await signIn(harness);
      await paidOrder(harness, 'ORD-9022');
      // No CSRF token, and a wrong one: refused before anything runs.
      expect((await api(harness, session, '/orders/ORD-9022/cancel', { body: {}, csrf: null })).status).toBe(
        403,
      );
      expect(
        (await api(harness, session, '/orders/ORD-9022/cancel', { body: {}, csrf: 'x'.repeat(43) })).status,
      ).toBe(403);
      const entries = (await (await api(harness, session, '/audit')).json()) as Array<{
        action: string;
        session: string;
      }>;
      expect(entries.map((entry) => entry.action)).toEqual(['sign_in']);
      const id = session.cookie.split('=')[1]!;
      const tag = entries[0]!.session.replace('session ', '');
      expect(id).not.toContain(tag);
      expect(JSON.stringify(entries)).not.toContain(id.slice(0, 8));
      expect(JSON.stringify(entries)).not.toContain(session.csrf);
    });

    it('answers the connectors only to a session, and never a customer phone from the facts', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      expect((await api(harness, { cookie: '', csrf: '' }, '/connectors')).status).toBe(401);
      const session = await signIn(harness);
      await connectorOrder(harness, 'salla:store-1:8', 'skipped', 'a test order');
      const text = await (await api(harness, session, '/connectors')).text();
      expect(text).toContain('a test order');
      expect(text).not.toMatch(/5\d{8}/);
    });

    it('answers the activity only to a session, and no phone in it', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const anonymous = await api(harness, { cookie: '', csrf: '' }, '/activity');
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'console_session_required' });
      const session = await signIn(harness);
      await harness.edge.operations.earn('purchase', {
        order_number: 'S-9012',
        phone_number: '0500000002',
        total_price: 20,
        products: [{ product_name: 'Cup', product_price: 20, quantity: 1 }],
      });
      const text = await (await api(harness, session, '/activity')).text();
      expect(text).not.toMatch(/5\d{8}/);
    });

    it('never answers a phone in full, even when the search names it', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const session = await signIn(harness);
      await harness.edge.operations.earn('purchase', {
        order_number: 'S-9006',
        phone_number: '0500000002',
        total_price: 20,
        products: [{ product_name: 'Cup', product_price: 20, quantity: 1 }],
      });
      const text = await (await api(harness, session, '/orders?q=0500000002')).text();
      expect(text).toContain('S-9006');
      expect(text).not.toMatch(/5\d{8}/);
      // A LIKE wildcard in the search matches nothing it should not.
      expect(await (await api(harness, session, '/orders?q=%25')).json()).toEqual([]);
    });
  });
});
