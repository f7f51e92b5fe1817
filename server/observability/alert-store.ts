import { sql, type Kysely } from 'kysely';
import type { AlertsTable, Database } from '../store/schema.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';

/**
 * An alert closes on its own once it has not fired for this long: the condition went quiet. Its next
 * firing opens a new row.
 */
export const alertQuietMs = 24 * 3600_000;

/** One firing to keep: what `createAlerts` logged (epoch ms here). */
export interface AlertFiring {
  kind: string;
  count: number;
  windowMs: number;
  at: number;
  detail?: Record<string, string | number> | undefined;
}

/**
 * `open` until acknowledged in the console or quiet for {@link alertQuietMs}; `acknowledged` and `quiet`
 * are closed.
 */
export type AlertStatus = 'open' | 'acknowledged' | 'quiet';

/** An alert as the console shows it. */
export interface StoredAlert {
  id: string;
  kind: string;
  status: AlertStatus;
  /** Events counted in the window of the latest firing. */
  count: number;
  /** How many times it fired while open. */
  firings: number;
  windowMs: number;
  detail: Record<string, string | number> | null;
  firstFiredAt: string;
  lastFiredAt: string;
  acknowledgedAt: string | null;
  /** The session that acknowledged it, as the audit log names it. */
  acknowledgedBy: string | null;
}

/**
 * Writes a firing into the `alerts` table: opens the kind's row, or updates the open one (count, firings,
 * last fired, detail), in one upsert on `open_kind` so instances firing together still share one row. Says
 * whether this firing is the window's page: the first firing of the kind, across instances, since the
 * last page's window ended.
 *
 * @example
 * const { post } = await storeAlertFiring(db, { kind: 'dead_letter', count: 1, windowMs: 300_000, at: Date.now() });
 */
export async function storeAlertFiring(
  db: Kysely<Database>,
  firing: AlertFiring,
  quietMs = alertQuietMs,
): Promise<{ id: string; post: boolean }> {
  const { kind, at, windowMs } = firing;
  // A row that went quiet closes first, so this firing opens a new one.
  await db
    .updateTable('alerts')
    .set({ open_kind: null })
    .where('open_kind', '=', kind)
    .where('last_fired_at', '<=', at - quietMs)
    .execute();
  const detail = firing.detail ? JSON.stringify(firing.detail) : null;
  const postedUntil = at + windowMs;
  const row = await db
    .insertInto('alerts')
    .values({
      id: timeOrderedId(at),
      kind,
      open_kind: kind,
      count: firing.count,
      firings: 1,
      window_ms: windowMs,
      detail,
      first_fired_at: at,
      last_fired_at: at,
      posted_until: postedUntil,
      acknowledged_at: null,
      acknowledged_by: null,
    })
    .onConflict((conflict) =>
      conflict.column('open_kind').doUpdateSet({
        count: firing.count,
        firings: sql`alerts.firings + 1`,
        window_ms: windowMs,
        detail,
        last_fired_at: sql`case when alerts.last_fired_at > ${at} then alerts.last_fired_at else ${at} end`,
        // Both read the row as it was: only a firing after the last page's window pages again.
        posted_until: sql`case when alerts.posted_until <= ${at} then ${postedUntil} else alerts.posted_until end`,
      }),
    )
    .returning(['id', 'posted_until'])
    .executeTakeFirstOrThrow();
  return { id: row.id, post: Number(row.posted_until) === postedUntil };
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

function shown(row: AlertsTable, now: number, quietMs: number): StoredAlert {
  const status: AlertStatus =
    row.acknowledged_at !== null
      ? 'acknowledged'
      : row.open_kind !== null && Number(row.last_fired_at) > now - quietMs
        ? 'open'
        : 'quiet';
  return {
    id: row.id,
    kind: row.kind,
    status,
    count: Number(row.count),
    firings: Number(row.firings),
    windowMs: Number(row.window_ms),
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, string | number>),
    firstFiredAt: iso(row.first_fired_at),
    lastFiredAt: iso(row.last_fired_at),
    acknowledgedAt: row.acknowledged_at === null ? null : iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
  };
}

/**
 * The open alerts (newest firing first; at most one a kind) and the latest `recent` closed ones.
 *
 * @example
 * const { open, closed } = await listAlerts(db, Date.now());
 */
export async function listAlerts(
  db: Kysely<Database>,
  now: number,
  options: { recent?: number; quietMs?: number } = {},
): Promise<{ open: StoredAlert[]; closed: StoredAlert[] }> {
  const quietMs = options.quietMs ?? alertQuietMs;
  const open = await db
    .selectFrom('alerts')
    .selectAll()
    .where('open_kind', 'is not', null)
    .where('last_fired_at', '>', now - quietMs)
    .orderBy('last_fired_at', 'desc')
    .execute();
  const closed = await db
    .selectFrom('alerts')
    .selectAll()
    .where((eb) => eb.or([eb('open_kind', 'is', null), eb('last_fired_at', '<=', now - quietMs)]))
    .orderBy('last_fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.recent ?? 20)
    .execute();
  return {
    open: open.map((row) => shown(row, now, quietMs)),
    closed: closed.map((row) => shown(row, now, quietMs)),
  };
}

/**
 * Closes an alert as acknowledged by `operator`; its kind's next firing opens a new row. Undefined for an
 * unknown id; an alert acknowledged before stays as it was (`changed: false`).
 *
 * @example
 * const answer = await acknowledgeAlert(db, id, session.operator, Date.now());
 */
export async function acknowledgeAlert(
  db: Kysely<Database>,
  id: string,
  operator: string,
  now: number,
): Promise<{ alert: StoredAlert; changed: boolean } | undefined> {
  const result = await db
    .updateTable('alerts')
    .set({ acknowledged_at: now, acknowledged_by: operator, open_kind: null })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { alert: shown(row, now, alertQuietMs), changed: Number(result.numUpdatedRows) > 0 };
}
