import { spawn } from 'node:child_process';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../server/jobs/queue.ts';
import { namedBlockedLanes, watchLanes } from '../../server/jobs/watch-lanes.ts';
import { createAlerts, keptFirings } from '../../server/observability/alerts.ts';
import { createLogger, redactFields } from '../../server/observability/logger.ts';
import { engines, storeEngines } from '../support/databases.ts';
import { createHarness, storeUrl, testSecrets, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-canary-000000000000';
const phones = ['0500000001', '500000002', '+966500000004'];
let harness: Harness;
afterEach(() => harness?.close());

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe.each(engines)('observability on %s', (engine) => {
  it('log canary: a full flow at debug level never logs a key, secret, token or phone number', async () => {
    const { lines, destination } = capture();
    harness = await createHarness(engine, {
      env: { ADMIN_TOKEN: adminToken },
      logger: createLogger({
        level: 'debug',
        destination,
        secrets: [
          'sandbox_private_key_demo',
          testSecrets.webhook,
          testSecrets.previousWebhook,
          testSecrets.orderToken,
          adminToken,
        ],
      }),
    });
    const app = harness.edge.app;
    const token = await harness.orderToken({
      order_number: 'ORD-C1',
      total_price: '80.00',
      products: [],
      phone: phones[0],
    });
    expect((await harness.checkout({ orderToken: token })).status).toBe(200);
    await harness.sandbox.completeCheckout('ORD-C1', { phone: phones[1]! });
    await harness.settle();
    const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const refund = await app.request('/admin/orders/ORD-C1/refund', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ amount: '10.00' }),
    });
    expect(refund.status).toBe(200);
    const earn = await app.request('/admin/earnings', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        kind: 'purchase',
        input: {
          order_number: 'ORD-C2',
          phone_number: phones[2],
          total_price: 10,
          products: [{ product_name: 'Cup', product_price: 10, quantity: 1 }],
        },
      }),
    });
    expect(earn.status).toBe(200);
    await app.request('/webhooks/points', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': 'test-wrong-secret-canary-1234' },
      body: '{}',
    });
    await app.request(`/admin/deliveries`, {
      headers: { authorization: 'Bearer test-wrong-token-canary-99' },
    });
    await harness.settle();

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(log).toContain('[redacted]');
    for (const value of [
      'sandbox_private_key_demo',
      testSecrets.webhook,
      adminToken,
      token,
      'test-wrong-secret-canary-1234',
      'test-wrong-token-canary-99',
      '500000001',
      '500000002',
      '500000004',
    ]) {
      expect(log, `log leaks ${value.slice(0, 12)}…`).not.toContain(value);
    }
  });

  it('request id on every request and on every line logged while serving it', async () => {
    const { lines, destination } = capture();
    harness = await createHarness(engine, {
      env: { ADMIN_TOKEN: adminToken },
      logger: createLogger({ destination }),
    });
    const given = await harness.edge.app.request('/healthz', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc.123');
    const made = await harness.edge.app.request('/healthz', { headers: { 'x-request-id': 'bad id\n' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await harness.edge.app.request('/admin/orders/NOPE', {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const served = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = served.filter((line) => line['msg'] === 'request served');
    expect(requestLines).toHaveLength(3);
    expect(requestLines.every((line) => typeof line['requestId'] === 'string')).toBe(true);
    expect(requestLines[0]).toMatchObject({ requestId: 'req-abc.123', route: '/healthz', status: 200 });
  });

  it('GET /metrics: HTTP, Points, webhook, queue and dead-letter series, behind the admin token', async () => {
    harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
    await harness.checkout({
      orderToken: await harness.orderToken({ order_number: 'ORD-M1', total_price: '80.00', products: [] }),
    });
    await harness.sandbox.completeCheckout('ORD-M1', { phone: '500000002' });
    await harness.settle();
    await enqueue(harness.store.db, { lane: 'webhooks', kind: 'no-such-kind', payload: {} }, Date.now());
    await harness.edge.worker.drain();
    expect((await harness.edge.app.request('/metrics')).status).toBe(401);
    const res = await harness.edge.app.request('/metrics', {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('points_edge_http_requests_total{method="POST",route="/checkout",status="200"} 1');
    expect(text).toMatch(
      /points_edge_points_responses_total\{method="GET",route="\/v1\/orders\/\{orderUuid\}",status="200"\} \d+/,
    );
    expect(text).toMatch(/points_edge_webhooks_total\{outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/points_edge_webhook_ack_seconds_count\{status="200"\} [1-9]/);
    if (engine === 'sqlite') {
      // Every receipt was committed by the SQLite thread's group commit, which reports each commit.
      expect(text).toMatch(/points_edge_sqlite_commit_seconds_count [1-9]/);
      expect(text).toMatch(/points_edge_sqlite_committed_transactions_total [1-9]/);
    } else {
      expect(text).not.toContain('points_edge_sqlite_commit');
    }
    expect(text).toContain('points_edge_jobs{lane="webhooks",state="dead"} 1');
    expect(text).toContain('points_edge_dead_letters_total{kind="no-such-kind"} 1');
    await harness.edge.alerts.settled();
    expect(harness.edge.alerts.fired).toEqual([expect.objectContaining({ alert: 'dead_letter' })]);
    // And kept for the console, with the job's kind only.
    expect(await harness.store.db.selectFrom('alerts').select(['kind', 'detail']).execute()).toEqual([
      { kind: 'dead_letter', detail: '{"kind":"no-such-kind"}' },
    ]);
  });

  it('alerts on webhook verification failures through the route', async () => {
    harness = await createHarness(engine);
    for (let i = 0; i < 5; i++) {
      await harness.edge.app.request('/webhooks/points', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': 'test-wrong' },
        body: '{}',
      });
    }
    // On Postgres the instances count together in the database: decided after the requests.
    await harness.edge.alerts.settled();
    expect(harness.edge.alerts.fired.map((event) => event.alert)).toEqual(['webhook_verification_failed']);
  });

  it('logs each webhook verification failure as an error line with its alert field, as the runbooks say', async () => {
    const { lines, destination } = capture();
    harness = await createHarness(engine, { logger: createLogger({ destination }) });
    await harness.edge.app.request('/webhooks/points', { method: 'POST', body: '{}' });
    const refused = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'webhook refused');
    expect(refused).toEqual([expect.objectContaining({ level: 50, alert: 'webhook_verification_failed' })]);
  });
});

describe.each(storeEngines)('blocked lanes on %s', (engine) => {
  it('the watch-lanes schedule alerts when a lane has a job overdue by more than ten minutes', async () => {
    let clock = Date.now();
    harness = await createHarness(engine, { now: () => clock });
    await enqueue(
      harness.store.db,
      { lane: 'elsewhere', kind: 'stuck', payload: {}, runAt: clock - 5 * 60_000 },
      clock,
    );
    expect(await harness.edge.scheduler.runDue()).toContain('watch-lanes');
    await harness.edge.alerts.settled();
    expect(harness.edge.alerts.fired).toEqual([]);
    clock += 6 * 60_000;
    expect(await harness.edge.scheduler.runDue()).toContain('watch-lanes');
    await harness.edge.alerts.settled();
    expect(harness.edge.alerts.fired).toEqual([
      expect.objectContaining({
        alert: 'lane_blocked',
        detail: { lanes: 'elsewhere (1)', blocked: 1, jobs: 1 },
      }),
    ]);
  });

  it('one alert names every blocked lane, the longest waiting first, and not a lane still in time', async () => {
    const clock = Date.now();
    harness = await createHarness(engine, { now: () => clock });
    for (const [lane, minutesLate] of [
      ['stuck-a', 11],
      ['stuck-b', 30],
      ['stuck-b', 12],
      ['in-time', 9],
    ] as const)
      await enqueue(
        harness.store.db,
        { lane, kind: 'stuck', payload: {}, runAt: clock - minutesLate * 60_000 },
        clock,
      );
    await watchLanes(harness.store, () => clock, harness.edge.alerts);
    await harness.edge.alerts.settled();
    expect(harness.edge.alerts.fired).toEqual([
      expect.objectContaining({
        alert: 'lane_blocked',
        detail: { lanes: 'stuck-b (2), stuck-a (1)', blocked: 2, jobs: 3 },
      }),
    ]);
  });

  it('names at most ten blocked lanes and counts the rest', async () => {
    const clock = Date.now();
    harness = await createHarness(engine, { now: () => clock });
    for (let n = 1; n <= namedBlockedLanes + 2; n++)
      await enqueue(
        harness.store.db,
        { lane: `lane-${n}`, kind: 'stuck', payload: {}, runAt: clock - (60 - n) * 60_000 },
        clock,
      );
    await watchLanes(harness.store, () => clock, harness.edge.alerts);
    await harness.edge.alerts.settled();
    const lanes = Array.from({ length: namedBlockedLanes }, (_, index) => `lane-${index + 1} (1)`);
    expect(harness.edge.alerts.fired.map((event) => event.detail)).toEqual([
      { lanes: `${lanes.join(', ')} and 2 more`, blocked: 12, jobs: 12 },
    ]);
  });
});

describe('alert thresholds (fake clock)', () => {
  it('fires once the threshold is crossed within the window, once per window, and posts it', async () => {
    let clock = 0;
    const posted: unknown[] = [];
    const alerts = createAlerts({
      logger: pino({ level: 'silent' }),
      now: () => clock,
      url: `${storeUrl}/alerts`,
      fetch: async (_url, init) => {
        posted.push(JSON.parse(String(init?.body)));
        return new Response(null, { status: 204 });
      },
      rules: { points_429: { threshold: 3, windowMs: 60_000 } },
    });
    expect(alerts.record('points_429')).toBeUndefined();
    clock = 30_000;
    expect(alerts.record('points_429')).toBeUndefined();
    clock = 59_000;
    expect(alerts.record('points_429')).toMatchObject({ alert: 'points_429', count: 3 });
    clock = 60_000;
    expect(alerts.record('points_429')).toBeUndefined(); // same window: quiet
    clock = 200_000;
    expect(alerts.record('points_429')).toBeUndefined(); // old events aged out
    expect(alerts.record('points_429')).toBeUndefined();
    expect(alerts.record('points_429')).toMatchObject({ count: 3 });
    await alerts.settled();
    expect(posted).toHaveLength(2);
    expect(posted[0]).toMatchObject({ alert: 'points_429', count: 3, windowMs: 60_000 });
  });

  it('keeps only the latest alerts in memory, newest last, however long the process runs', () => {
    let clock = 0;
    const alerts = createAlerts({ logger: pino({ level: 'silent' }), now: () => clock });
    for (let n = 0; n < keptFirings + 30; n++) {
      clock += 5 * 60_000; // a new window each time, so each dead letter fires
      expect(alerts.record('dead_letter', { n })).toBeDefined();
    }
    expect(keptFirings).toBe(50);
    expect(alerts.fired.map((event) => event.detail?.['n'])).toEqual(
      Array.from({ length: keptFirings }, (_, index) => index + 30),
    );
  });

  it('a single dead letter alerts; spread-out refusals do not', () => {
    let clock = 0;
    const alerts = createAlerts({ logger: pino({ level: 'silent' }), now: () => clock });
    expect(alerts.record('dead_letter', { kind: 'notify-merchant' })).toMatchObject({
      detail: { kind: 'notify-merchant' },
    });
    for (let i = 0; i < 20; i++) {
      clock += 180_000; // at most two in any five minutes
      expect(alerts.record('points_403')).toBeUndefined();
    }
  });
});

describe('createLogger scrubbing', () => {
  it('blanks every configured secret, regex characters and overlapping values included', () => {
    const { lines, destination } = capture();
    const logger = createLogger({
      destination,
      secrets: ['test-secret.a+b', 'test-secret.a+b-longer', 'short'],
    });
    logger.info({ detail: 'x test-secret.a+b-longer y test-secret.a+b z short 0500000001' }, 'line');
    const line = JSON.parse(lines[0]!) as { detail: string };
    expect(line.detail).toBe('x [secret] y [secret] z short [phone]');
  });
});

describe('createLogger phone scrubbing', () => {
  it('masks phones where they stand in strings, never digits inside numbers, ids or timestamps', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    const ids = {
      requestId: 'req-966500000001',
      uuid: '0190f3a2-7c1d-7e4b-9a5b-c500000001ab',
      digits: 'ORD-1796500000001',
    };
    logger.info({ at: 1796500000001, ms: 500000001, ...ids }, 'numbers and ids');
    logger.info(
      { detail: 'call 0500000001, +966500000004 or 00966500000005', nested: { to: '500000002' } },
      'first line\n0500000003',
    );
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ at: 1796500000001, ms: 500000001, ...ids });
    expect(parsed[1]).toMatchObject({
      detail: 'call [phone], [phone] or [phone]',
      nested: { to: '[phone]' },
      msg: 'first line\n[phone]',
    });
  });
});

/** Runs `body` in a child Node process with `createLogger` imported; resolves with its stdout lines and when each came. */
function childLogs(body: string): Promise<{ line: string; afterMs: number }[]> {
  const logger = new URL('../../server/observability/logger.ts', import.meta.url).href;
  const child = spawn(process.execPath, [
    '--input-type=module',
    '-e',
    `import { createLogger } from ${JSON.stringify(logger)}; const logger = createLogger(); ${body}`,
  ]);
  const started = performance.now();
  const lines: { line: string; afterMs: number }[] = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    for (const line of text.split('\n').filter(Boolean))
      lines.push({ line, afterMs: performance.now() - started });
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`child exited ${code}`))));
  });
}

describe('createLogger default destination (stdout in batches)', () => {
  it('a line written just before a normal exit still reaches stdout', async () => {
    const lines = await childLogs("logger.info('last words'); process.exit(0);");
    expect(lines.map(({ line }) => JSON.parse(line).msg)).toEqual(['last words']);
  });

  it('a lone info line is written by the periodic flush, long before the process ends', async () => {
    const lines = await childLogs("logger.info('lonely'); setTimeout(() => process.exit(0), 3000);");
    expect(lines).toHaveLength(1);
    // Start-up of the child takes part of this; 3 s is when it exits.
    expect(lines[0]!.afterMs).toBeLessThan(2500);
  });

  it('warnings and errors flush the batch at once; info and debug lines wait for it', () => {
    const written: string[] = [];
    const flushedAfter: number[] = [];
    const destination = {
      write: (line: string) => void written.push(line),
      flush: () => void flushedAfter.push(written.length),
    };
    const logger = createLogger({ level: 'debug', destination });
    logger.debug('a');
    logger.info('b');
    expect(flushedAfter).toEqual([]);
    logger.warn('c');
    logger.info('d');
    logger.error('e');
    logger.fatal('f');
    expect(flushedAfter).toEqual([3, 5, 6]);
  });

  it('a destination that can no longer flush never makes logging throw', () => {
    const logger = createLogger({
      destination: {
        write: () => undefined,
        flush: () => {
          throw new Error('SonicBoom destroyed');
        },
      },
    });
    expect(() => logger.error('still fine')).not.toThrow();
  });
});

describe('redactFields', () => {
  it('hides secret fields at any depth, in arrays too, and keeps everything else', () => {
    const line = {
      route: '/checkout',
      headers: { 'x-api-key': 'k', authorization: 'Bearer t', accept: 'json' },
      input: { phone_number: '0500000001', products: [{ product_name: 'Cup', token: 't' }] },
    };
    expect(redactFields(line)).toEqual({
      route: '/checkout',
      headers: { 'x-api-key': '[redacted]', authorization: '[redacted]', accept: 'json' },
      input: { phone_number: '[redacted]', products: [{ product_name: 'Cup', token: '[redacted]' }] },
    });
    expect(line.headers['x-api-key']).toBe('k'); // the caller's object is not changed
  });

  it('returns a line with nothing to hide as it is, and leaves errors to their serializer', () => {
    const line = { method: 'POST', route: '/webhooks/points', status: 200, err: new Error('boom') };
    expect(redactFields(line)).toBe(line);
  });
});
