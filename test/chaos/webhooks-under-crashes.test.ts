import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchSecrets, edgeEnv, sandboxKeys, scratchDir } from '../../bench/support/env.ts';
import { freePort } from '../../bench/support/processes.ts';
import type { Sandbox } from '../../demo/sandbox/index.ts';
import { signStatusToken } from '../../server/orders/status-token.ts';
import { edgeProcess, type EdgeProcess } from './edge-process.ts';
import { seededRandom, servedSandbox, shuffle } from './chaos-support.ts';

const totalDeliveries = 2000;
const orderCount = 40;
const crashAfter = [650, 1300];
const senders = 8;

type Kind = 'valid' | 'wrong-secret' | 'malformed';
interface Delivery {
  kind: Kind;
  body: string;
  headers: Record<string, string>;
}

/** The public state `GET /orders/:n/status` answers for a Points `order_status`. */
const expectedState: Record<string, string> = {
  approved: 'confirmed',
  cancelled: 'cancelled',
  partially_refunded: 'partially_refunded',
  fully_refunded: 'refunded',
};

let sandboxServer: Awaited<ReturnType<typeof servedSandbox>>;
let sandbox: Sandbox;
let edge: EdgeProcess;
let dbFile: string;

beforeAll(async () => {
  const dir = scratchDir('chaos-webhooks');
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({ products: [{ sku: 'CUP', name: 'Cup', price: '100.00' }] }));
  sandboxServer = await servedSandbox(benchSecrets.webhook);
  sandbox = sandboxServer.sandbox;
  dbFile = join(dir, 'points.db');
  edge = edgeProcess(
    // Its many checkouts come from one client; the throttle is not under test here.
    edgeEnv({
      dir,
      sandboxApi: `${sandboxServer.url}/api`,
      extra: { CATALOG_FILE: catalog, RATE_LIMIT_CHECKOUTS_PER_MINUTE: '0' },
    }),
    await freePort(),
  );
  await edge.start();
});

afterAll(async () => {
  await edge?.stop();
  await sandboxServer?.close();
});

/** Real orders: checkout through the edge, then paid, declined, refunded in part or in full on the sandbox. */
async function createOrders(): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < orderCount; i++) {
    const response = await fetch(`${edge.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'CUP', quantity: 1 }] }),
    });
    expect(response.status).toBe(200);
    const { orderNumber } = (await response.json()) as { orderNumber: string };
    numbers.push(orderNumber);
    const declined = i % 4 === 0;
    const { order } = await sandbox.completeCheckout(
      orderNumber,
      declined ? { card: '4000000000000002' } : {},
    );
    const refund = (amount?: number) =>
      sandbox.app.request(`/api/v1/orders/${order.uuid}/refund`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': sandboxKeys.privateKey },
        body: JSON.stringify(amount === undefined ? {} : { amount }),
      });
    if (i % 4 === 1) expect((await refund()).status).toBe(200);
    if (i % 4 === 2) {
      expect((await refund(30)).status).toBe(200);
      expect((await refund(20)).status).toBe(200);
    }
  }
  await sandbox.settleDeliveries();
  return numbers;
}

/** 2,000 attempts: every real event at least once, duplicates, shuffled, 5% wrong secret, 5% malformed. */
function chaoticDeliveries(random: () => number): { deliveries: Delivery[]; validBodies: Set<string> } {
  const events = sandbox.deliveries().map((attempt) => ({ body: attempt.body, headers: attempt.headers }));
  const validBodies = new Set(events.map((event) => event.body));
  const badCount = totalDeliveries * 0.05;
  const deliveries: Delivery[] = events.map((event) => ({ kind: 'valid', ...event }));
  for (let i = 0; i < badCount; i++) {
    const event = events[i % events.length]!;
    const changed = JSON.parse(event.body) as { order: { updated_at: string } };
    changed.order.updated_at = `2099-01-01T00:00:${String(i).padStart(2, '0')}.000000Z`;
    deliveries.push({
      kind: 'wrong-secret',
      body: JSON.stringify(changed),
      headers: { ...event.headers, 'x-webhook-secret': `test-wrong-secret-${i}` },
    });
    deliveries.push({
      kind: 'malformed',
      body:
        i % 2 === 0
          ? event.body.slice(0, event.body.length / 2)
          : JSON.stringify({ event: 'approved', order: { id: i } }),
      headers: { 'content-type': 'application/json', 'x-webhook-secret': benchSecrets.webhook },
    });
  }
  while (deliveries.length < totalDeliveries) {
    const event = events[Math.floor(random() * events.length)]!;
    deliveries.push({ kind: 'valid', ...event });
  }
  return { deliveries: shuffle(deliveries, random), validBodies };
}

async function send(delivery: Delivery): Promise<number> {
  try {
    const response = await fetch(`${edge.url}/webhooks/points`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0; // connection refused or reset: the server is down
  }
}

async function publicState(orderNumber: string, statusKey: string): Promise<string> {
  const token = await signStatusToken(statusKey, orderNumber, Date.now());
  const response = await fetch(`${edge.url}/orders/${encodeURIComponent(orderNumber)}/status?token=${token}`);
  return ((await response.json()) as { state: string }).state;
}

describe('webhook intake while the server is killed', () => {
  it('stores every valid delivery exactly once and every order ends in the state Points holds', async () => {
    const orderNumbers = await createOrders();
    const random = seededRandom(20261121);
    const { deliveries, validBodies } = chaoticDeliveries(random);
    expect(deliveries).toHaveLength(totalDeliveries);

    const queue = [...deliveries];
    const answers: Record<Kind, number[]> = { valid: [], 'wrong-secret': [], malformed: [] };
    const acknowledged = new Set<string>();
    let answered = 0;
    let inFlight = 0;
    let crashes = 0;
    let outage: Promise<void> | undefined;

    // Like Points, a valid delivery that was not acknowledged is sent again later (so it arrives out of order).
    async function sender(): Promise<void> {
      for (;;) {
        if (outage) await outage;
        const delivery = queue.shift();
        if (!delivery) {
          if (inFlight === 0) return;
          await new Promise((done) => setTimeout(done, 5));
          continue;
        }
        inFlight++;
        const status = await send(delivery);
        inFlight--;
        answered++;
        if (status !== 0) answers[delivery.kind].push(status);
        if (status >= 200 && status < 300) acknowledged.add(delivery.body);
        if (delivery.kind === 'valid' && (status === 0 || status >= 500)) queue.push(delivery);
        // Only while other deliveries are in flight, so the crash cuts some of them off.
        if (crashes < crashAfter.length && answered >= crashAfter[crashes]! && inFlight > 0 && !outage) {
          crashes++;
          outage = edge
            .crash()
            .then(() => edge.start())
            .finally(() => (outage = undefined));
        }
      }
    }
    await Promise.all(Array.from({ length: senders }, sender));
    if (outage) await outage;
    expect(crashes).toBe(2);
    // The crashes hit live traffic: some deliveries found the server gone and were sent again.
    const unanswered =
      answered - answers.valid.length - answers['wrong-secret'].length - answers.malformed.length;
    expect(unanswered).toBeGreaterThan(0);

    expect(new Set(answers.valid)).toEqual(new Set([200]));
    expect(new Set(answers['wrong-secret'])).toEqual(new Set([401]));
    expect(new Set(answers.malformed)).toEqual(new Set([400]));
    expect(acknowledged).toEqual(validBodies);

    // Processing fetches each order from Points; the jobs a killed process held are taken over at its restart.
    const statusKey = createHmac('sha256', sandboxKeys.privateKey)
      .update('points-kit:status-token-key:v1')
      .digest('hex');
    const want = new Map(
      orderNumbers.map((number) => [number, expectedState[sandbox.findOrderByNumber(number)!.order_status]!]),
    );
    expect([...want.values()].every(Boolean)).toBe(true);
    const deadline = Date.now() + 100_000;
    let mismatched: string[];
    for (;;) {
      mismatched = [];
      for (const [number, state] of want) {
        if ((await publicState(number, statusKey)) !== state) mismatched.push(number);
      }
      if (mismatched.length === 0 || Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(mismatched).toEqual([]);

    await edge.stop();
    const db = new DatabaseSync(dbFile, { readOnly: true });
    const rows = db.prepare('select raw_body, status, dedupe_key from webhook_receipts').all() as Array<{
      raw_body: string;
      status: string;
      dedupe_key: string | null;
    }>;
    const orderRows = db.prepare('select order_number, state from orders').all() as Array<{
      order_number: string;
      state: string;
    }>;
    db.close();
    expect(new Map(orderRows.map((row) => [row.order_number, row.state]))).toEqual(want);
    const stored = rows.filter((row) => row.status !== 'malformed').map((row) => row.raw_body);
    expect(stored.length).toBe(validBodies.size);
    expect(new Set(stored)).toEqual(validBodies);
    expect(rows.filter((row) => row.status === 'malformed').every((row) => row.dedupe_key === null)).toBe(
      true,
    );
    expect(rows.filter((row) => row.status === 'received')).toEqual([]);
  });
});
