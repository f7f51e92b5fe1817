import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { acknowledgeAlert, alertQuietMs, listAlerts } from '../../server/observability/alert-store.ts';
import { createAlerts, type AlertOptions } from '../../server/observability/alerts.ts';
import type { Store } from '../../server/store/db.ts';
import type { SharedDatabase } from './rate-limiter-cases.ts';

const silent = pino({ level: 'silent' });
const minute = 60_000;

/**
 * Alerts on a fake clock, posting into `posted`, that fire `dead_letter` at once and `points_400` at the
 * third, each in a minute.
 */
function alertsOn(
  db: Store['db'],
  clock: { now: number },
  posted: unknown[] = [],
  options: Partial<Pick<AlertOptions, 'countIn' | 'logger'>> = {},
) {
  return createAlerts({
    logger: silent,
    ...options,
    now: () => clock.now,
    db,
    url: 'https://alerts.example/hook',
    fetch: async (_url, init) => {
      posted.push(JSON.parse(String(init?.body)));
      return new Response(null, { status: 204 });
    },
    rules: {
      dead_letter: { threshold: 1, windowMs: minute },
      points_400: { threshold: 3, windowMs: minute },
    },
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

  it('counted in the database, events split between two instances reach the threshold together', async () => {
    const { first, second, db } = await openShared();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const posted: unknown[] = [];
    const one = alertsOn(first.db, clock, posted, { countIn: 'database' });
    const two = alertsOn(second.db, clock, posted, { countIn: 'database' });
    one.record('points_400', { route: '/checkout' });
    two.record('points_400', { route: '/checkout' });
    await Promise.all([one.settled(), two.settled()]);
    expect(posted).toEqual([]);
    clock.now += 1_000;
    one.record('points_400', { route: '/checkout' });
    await one.settled();
    expect(posted).toEqual([expect.objectContaining({ alert: 'points_400', count: 3 })]);
    expect(one.fired).toEqual([expect.objectContaining({ alert: 'points_400', count: 3 })]);
    expect((await listAlerts(db, clock.now)).open).toEqual([expect.objectContaining({ kind: 'points_400' })]);

    // Quiet for the window where it fired: a storm there writes nothing more.
    const hits = () =>
      db.selectFrom('rate_windows').select('hits').where('key', '=', 'alert:points_400').executeTakeFirst();
    for (let i = 0; i < 5; i++) one.record('points_400');
    await one.settled();
    expect(await hits()).toEqual({ hits: 3 });
    // In a new window the count starts again.
    clock.now += minute;
    two.record('points_400');
    await two.settled();
    expect(await hits()).toEqual({ hits: 1 });
    expect(two.fired).toEqual([]);
  });

  it('counted in memory, the same split raises nothing: each instance sees its own share', async () => {
    const { first, second } = await openShared();
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const one = alertsOn(first.db, clock);
    const two = alertsOn(second.db, clock);
    one.record('points_400');
    one.record('points_400');
    two.record('points_400');
    await Promise.all([one.settled(), two.settled()]);
    expect([...one.fired, ...two.fired]).toEqual([]);
  });

  it('counts in memory, with a warning, when the shared count cannot be written', async () => {
    const opened = await open();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const clock = { now: Date.UTC(2026, 11, 7, 9, 0, 0) };
    const alerts = alertsOn(opened.db, clock, [], { countIn: 'database', logger });
    await opened.db.schema.dropTable('rate_windows').execute();
    for (let i = 0; i < 3; i++) alerts.record('points_400');
    await alerts.settled();
    expect(alerts.fired).toEqual([expect.objectContaining({ alert: 'points_400', count: 3 })]);
    expect(lines.map((line) => line.msg)).toEqual([
      'could not count the alert event',
      'could not count the alert event',
      'could not count the alert event',
      'alert: points_400',
    ]);
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
