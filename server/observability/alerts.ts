import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
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
}

/**
 * Counts events in sliding windows and raises an alert when one crosses its threshold: a structured
 * `error` log line `{ alert, count, windowMs }` (what log-based alerting keys on), a row in the `alerts`
 * table (opened, or the kind's open row updated) and, when configured, a POST to the alert URL. One alert
 * per kind per window in each instance, and one POST per kind per window across instances sharing the
 * table, so a storm makes one page, not thousands. Details carry names and counts only, never a secret or
 * a phone number.
 *
 * Events are counted in memory (a table write per Points answer would be a write on every hot path); only
 * a firing writes, after `record` returned: `settled()` is the promise a runtime must keep alive for it
 * (a Worker passes it to `waitUntil`).
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

  return {
    /** Notes one event; returns the alert when this event raised one. */
    record(kind: AlertKind, detail?: Record<string, string | number>): AlertEvent | undefined {
      const rule = rules[kind];
      const at = now();
      const times = (seen.get(kind) ?? []).filter((time) => time > at - rule.windowMs);
      times.push(at);
      seen.set(kind, times);
      if (times.length < rule.threshold) return undefined;
      const previous = lastFired.get(kind);
      if (previous !== undefined && at - previous < rule.windowMs) return undefined;
      lastFired.set(kind, at);
      const event: AlertEvent = {
        alert: kind,
        count: times.length,
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
    },
    /** The latest alerts raised here, at most {@link keptFirings} (newest last). */
    fired: fired as readonly AlertEvent[],
    /** Resolves when every alert so far is stored and posted (or failed to be, which is logged). */
    settled: () => delivering,
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
