import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { countInWindow } from '../store/window-counts.ts';
import { storeAlertFiring } from './alert-store.ts';
import type { Logger } from './log-line.ts';

/** What we alert on. */
export type AlertKind =
  | 'points_400'
  | 'points_403'
  | 'points_422'
  | 'points_429'
  | 'webhook_verification_failed'
  | 'webhook_5xx'
  | 'dead_letter'
  | 'lane_blocked';

/** Fire when `threshold` events happen within `windowMs`; then stay quiet for one window. */
export interface AlertRule {
  threshold: number;
  windowMs: number;
}

const fiveMinutes = 5 * 60_000;

/** How many of the latest alerts `fired` keeps: a long-running process fires without end. */
export const keptFirings = 50;

/** Defaults: a few refusals are normal support traffic, a spike is not; a single dead letter is news. */
export const defaultAlertRules: Record<AlertKind, AlertRule> = {
  points_400: { threshold: 10, windowMs: fiveMinutes },
  points_403: { threshold: 3, windowMs: fiveMinutes },
  points_422: { threshold: 10, windowMs: fiveMinutes },
  points_429: { threshold: 5, windowMs: fiveMinutes },
  webhook_verification_failed: { threshold: 5, windowMs: fiveMinutes },
  webhook_5xx: { threshold: 3, windowMs: fiveMinutes },
  dead_letter: { threshold: 1, windowMs: fiveMinutes },
  lane_blocked: { threshold: 1, windowMs: 15 * 60_000 },
};

/** An alert as logged and posted. */
export interface AlertEvent {
  alert: AlertKind;
  count: number;
  windowMs: number;
  at: string;
  detail?: Record<string, string | number>;
}

/** Options for {@link createAlerts}. */
export interface AlertOptions {
  logger: Logger;
  now?: () => number;
  /** `ALERT_WEBHOOK_URL`: each alert is also POSTed there as JSON. */
  url?: string | undefined;
  fetch?: typeof fetch;
  rules?: Partial<Record<AlertKind, AlertRule>>;
  /**
   * Where each alert is kept for the console (the `alerts` table, `alert-store.ts`); its open row there also
   * keeps the POST to one a window across instances. Without it, alerts live in this process only.
   */
  db?: Kysely<Database> | undefined;
  /**
   * Where events are counted: `process` (this instance's memory, the default; right for one process on
   * SQLite) or `database` (the `rate_windows` table in `db`, so instances and Workers isolates sharing it
   * reach a threshold together instead of each on its own share of the traffic).
   */
  countIn?: 'process' | 'database';
}

/**
 * Counts events and raises an alert when a kind crosses its threshold: a structured `error` log line
 * `{ alert, count, windowMs }` (what log-based alerting keys on), a row in the `alerts` table (opened, or
 * the kind's open row updated) and, when configured, a POST to the alert URL. One alert per kind per window
 * in each instance, and one POST per kind per window across instances sharing the table, so a storm makes
 * one page, not thousands. Details carry names and counts only, never a secret or a phone number.
 *
 * In process memory, events are counted in sliding windows and `record` returns the alert it raised. In
 * the database (`countIn: 'database'`), each event is one upsert in a fixed window shared by every
 * instance, and none while this instance's alert of that kind is quiet, so a storm writes little; the
 * alert is decided after `record` returned. If the count cannot be written, the event is counted in
 * memory instead. Either way `settled()` is the promise a runtime must keep alive for what follows (a
 * Worker passes it to `waitUntil`).
 *
 * @example
 * const alerts = createAlerts({ logger, url: config.alertWebhookUrl, db: store.db });
 * alerts.record('dead_letter', { kind: job.kind });
 */
export function createAlerts(options: AlertOptions) {
  const now = options.now ?? Date.now;
  const rules = { ...defaultAlertRules, ...options.rules };
  const seen = new Map<AlertKind, number[]>();
  const lastFired = new Map<AlertKind, number>();
  const fired: AlertEvent[] = [];
  let delivering: Promise<unknown> = Promise.resolve();

  async function post(event: AlertEvent): Promise<void> {
    const send = options.fetch ?? fetch;
    await send(options.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(5000),
    }).catch((error: unknown) =>
      options.logger.warn({ err: error, alertKind: event.alert }, 'could not post the alert'),
    );
  }

  /** Keeps the alert, then posts it unless another instance already did in this window. Never throws. */
  async function deliver(event: AlertEvent, at: number): Promise<void> {
    let page = true;
    if (options.db) {
      try {
        const firing = { kind: event.alert, count: event.count, windowMs: event.windowMs, at };
        ({ post: page } = await storeAlertFiring(options.db, { ...firing, detail: event.detail }));
      } catch (error) {
        // Paged anyway: a missed page is worse than a second one.
        options.logger.warn({ err: error, alertKind: event.alert }, 'could not store the alert');
      }
    }
    if (page && options.url) await post(event);
  }

  /** This instance's sliding count of a kind, with this event. */
  function countInProcess(kind: AlertKind, at: number): number {
    const times = (seen.get(kind) ?? []).filter((time) => time > at - rules[kind].windowMs);
    times.push(at);
    seen.set(kind, times);
    return times.length;
  }

  /** Raises the alert when `count` reached the threshold and this instance's last one is a window old. */
  function decide(kind: AlertKind, count: number, at: number, detail?: AlertEvent['detail']) {
    const rule = rules[kind];
    if (count < rule.threshold) return undefined;
    const previous = lastFired.get(kind);
    if (previous !== undefined && at - previous < rule.windowMs) return undefined;
    lastFired.set(kind, at);
    const event: AlertEvent = {
      alert: kind,
      count,
      windowMs: rule.windowMs,
      at: new Date(at).toISOString(),
      ...(detail ? { detail } : {}),
    };
    fired.push(event);
    if (fired.length > keptFirings) fired.shift();
    options.logger.error(event, `alert: ${kind}`);
    // In order, so that a kind's second firing updates the row its first one wrote.
    delivering = delivering.then(() => deliver(event, at));
    return event;
  }

  /** Counts the event in the shared window, then decides; in memory when the table cannot be written. */
  async function countInDatabase(kind: AlertKind, at: number, detail?: AlertEvent['detail']) {
    const { windowMs } = rules[kind];
    let count: number;
    try {
      ({ hits: count } = await countInWindow(options.db!, `alert:${kind}`, windowMs, at));
    } catch (error) {
      options.logger.warn({ err: error, alertKind: kind }, 'could not count the alert event');
      count = countInProcess(kind, at);
    }
    decide(kind, count, at, detail);
  }

  const inDatabase = options.countIn === 'database' && options.db !== undefined;
  let counting: Promise<unknown> = Promise.resolve();

  return {
    /**
     * Notes one event. Counted in memory, returns the alert when this event raised one; counted in the
     * database, the alert is decided after (see `settled`) and this returns undefined.
     */
    record(kind: AlertKind, detail?: Record<string, string | number>): AlertEvent | undefined {
      const at = now();
      if (!inDatabase) return decide(kind, countInProcess(kind, at), at, detail);
      const previous = lastFired.get(kind);
      // This instance's alert of the kind is quiet for a window: nothing to decide, nothing to write.
      if (previous !== undefined && at - previous < rules[kind].windowMs) return undefined;
      counting = counting.then(() => countInDatabase(kind, at, detail));
      return undefined;
    },
    /** The latest alerts raised here, at most {@link keptFirings} (newest last). */
    fired: fired as readonly AlertEvent[],
    /** Resolves when every event so far is counted and every alert stored and posted (or failed to be, which is logged). */
    settled: () => counting.then(() => delivering),
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
