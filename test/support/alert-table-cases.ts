import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { acknowledgeAlert, alertQuietMs, listAlerts } from '../../server/observability/alert-store.ts';
import { createAlerts } from '../../server/observability/alerts.ts';
import type { Store } from '../../server/store/db.ts';
import type { SharedDatabase } from './rate-limiter-cases.ts';

const silent = pino({ level: 'silent' });
const minute = 60_000;

/** Alerts on a fake clock, posting into `posted`, that fire `dead_letter` at once and reset every minute. */
function alertsOn(db: Store['db'], clock: { now: number }, posted: unknown[] = []) {
  return createAlerts({
    logger: silent,
    now: () => clock.now,
    db,
    url: 'https://alerts.example/hook',
    fetch: async (_url, init) => {
      posted.push(JSON.parse(String(init?.body)));
      return new Response(null, { status: 204 });
    },
    rules: { dead_letter: { threshold: 1, windowMs: minute } },
  });
}

/**
 * The cases of alerts kept in the `alerts` table, for each engine's test file (test/server on SQLite and
 * Postgres, test/workers on D1): call inside a `describe`. `shared` opens two handles on one fresh,
 * migrated database (two instances, or two isolates).
 */
export function alertTableCases(shared: () => Promise<SharedDatabase>): void {
  let opened: SharedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const openShared = async () => {
    opened = await shared();
    return { ...opened, db: opened.first.db };
  };
  const open = async () => (await openShared()).first;

  it('a firing writes one open row; a refire while open updates it (count, firings, last fired)', async () => {
    const { db } = await open();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const alerts = alertsOn(db, clock);
    alerts.record('dead_letter', { kind: 'notify-merchant' });
    await alerts.settled();
    expect(await db.selectFrom('alerts').selectAll().execute()).toEqual([
      expect.objectContaining({ kind: 'dead_letter', open_kind: 'dead_letter', firings: 1 }),
    ]);
    const first = (await listAlerts(db, clock.now)).open;
    expect(first).toEqual([
      expect.objectContaining({
        kind: 'dead_letter',
        status: 'open',
        count: 1,
        firings: 1,
        windowMs: minute,
        detail: { kind: 'notify-merchant' },
        firstFiredAt: '2026-12-07T09:00:00.000Z',
        lastFiredAt: '2026-12-07T09:00:00.000Z',
        acknowledgedAt: null,
      }),
    ]);

    clock.now += 5 * minute;
    alerts.record('dead_letter', { kind: 'process-receipt' });
    await alerts.settled();
    const listed = await listAlerts(db, clock.now);
    expect(listed.open).toEqual([
      expect.objectContaining({
        id: first[0]!.id,
        firings: 2,
        detail: { kind: 'process-receipt' },
        firstFiredAt: '2026-12-07T09:00:00.000Z',
        lastFiredAt: '2026-12-07T09:05:00.000Z',
      }),
    ]);
    expect(listed.closed).toEqual([]);
    expect(await db.selectFrom('alerts').select('id').execute()).toHaveLength(1);
  });

  it('an acknowledged alert is closed; the next firing opens a new row, and acknowledging twice changes nothing', async () => {
    const { db } = await open();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const alerts = alertsOn(db, clock);
    alerts.record('dead_letter');
    await alerts.settled();
    const [opened] = (await listAlerts(db, clock.now)).open;
    clock.now += minute;
    const answer = await acknowledgeAlert(db, opened!.id, 'session abcd1234', clock.now);
    expect(answer).toMatchObject({
      changed: true,
      alert: { status: 'acknowledged', acknowledgedBy: 'session abcd1234' },
    });
    expect((await listAlerts(db, clock.now)).open).toEqual([]);
    expect(await acknowledgeAlert(db, opened!.id, 'session ffff0000', clock.now + 1)).toMatchObject({
      changed: false,
      alert: { acknowledgedBy: 'session abcd1234', acknowledgedAt: new Date(clock.now).toISOString() },
    });
    expect(await acknowledgeAlert(db, 'no-such-alert', 'session abcd1234', clock.now)).toBeUndefined();

    clock.now += 2 * minute;
    alerts.record('dead_letter');
    await alerts.settled();
    const listed = await listAlerts(db, clock.now);
    expect(listed.open).toEqual([expect.objectContaining({ firings: 1 })]);
    expect(listed.open[0]!.id).not.toBe(opened!.id);
    expect(listed.closed).toEqual([expect.objectContaining({ id: opened!.id, status: 'acknowledged' })]);
  });

  it('an alert quiet for a day is closed on its own, and its next firing opens a new row', async () => {
    const { db } = await open();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const alerts = alertsOn(db, clock);
    alerts.record('dead_letter');
    await alerts.settled();
    clock.now += alertQuietMs - 1;
    expect((await listAlerts(db, clock.now)).open).toHaveLength(1);
    clock.now += 1;
    const quiet = await listAlerts(db, clock.now);
    expect(quiet.open).toEqual([]);
    expect(quiet.closed).toEqual([expect.objectContaining({ status: 'quiet' })]);
    alerts.record('dead_letter');
    await alerts.settled();
    const listed = await listAlerts(db, clock.now);
    expect(listed.open).toEqual([expect.objectContaining({ firings: 1 })]);
    expect(listed.closed).toEqual([expect.objectContaining({ status: 'quiet' })]);
  });

  it('two instances on one database share the open row and post once a window between them', async () => {
    const { first, second, db } = await openShared();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const posted: unknown[] = [];
    const one = alertsOn(first.db, clock, posted);
    const two = alertsOn(second.db, clock, posted);
    one.record('dead_letter', { kind: 'notify-merchant' });
    await one.settled();
    clock.now += 10_000;
    // The other instance's own window is fresh: it logs, but the page for this window went already.
    expect(two.record('dead_letter', { kind: 'notify-merchant' })).toBeDefined();
    await two.settled();
    expect(posted).toHaveLength(1);
    expect((await listAlerts(db, clock.now)).open).toEqual([expect.objectContaining({ firings: 2 })]);
    // After the window: a page again.
    clock.now += minute;
    two.record('dead_letter', { kind: 'notify-merchant' });
    await two.settled();
    expect(posted).toHaveLength(2);
    expect((await listAlerts(db, clock.now)).open).toEqual([expect.objectContaining({ firings: 3 })]);
  });

  it('still logs and posts when the table cannot be written, and says so in a warning', async () => {
    const opened = await open();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const posted: unknown[] = [];
    const alerts = createAlerts({
      logger,
      db: opened.db,
      url: 'https://alerts.example/hook',
      fetch: async (_url, init) => {
        posted.push(JSON.parse(String(init?.body)));
        return new Response(null, { status: 204 });
      },
    });
    await opened.db.schema.dropTable('alerts').execute();
    expect(alerts.record('dead_letter', { kind: 'notify-merchant' })).toBeDefined();
    await alerts.settled();
    expect(posted).toEqual([expect.objectContaining({ alert: 'dead_letter' })]);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'alert: dead_letter'],
      [40, 'could not store the alert'],
    ]);
  });
}
