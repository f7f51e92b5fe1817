/** One day in ms. */
export const dayMs = 86_400_000;

/**
 * How long the retention sweep keeps what it deletes, and why. Orders, earnings, connector orders, edge keys
 * and connector cursors are never deleted: they are the merchant's records and the ledgers that keep an
 * earning or a refund from happening twice. An order's callback nonce hashes stay with it: at most ten short
 * hashes, and without them a return through the order's callback link gets the failure page, paid or not.
 * Queued, running and dead jobs, and receipts still `received`
 * (their job has not finished, or died and waits for an operator's replay), are never deleted either.
 * The two periods a merchant may want to change are variables (`config.retention`); the rest are here.
 */
export const retentionPeriods = {
  /**
   * Receipts (Points' webhooks and the platforms' deliveries) once processed: the row is the dedupe key,
   * and redeliveries stop within hours (Points retries 3 times, Salla 3 times 5 minutes apart, Shopify for
   * 4 hours, WooCommerce never), so 180 days is far past them; it also covers the console's 90-day charts
   * and keeps an order's timeline for half a year.
   */
  receiptDays: 180,
  /** Done jobs: the order timeline shows merchant notifications and each receipt's job, as long as the receipts. */
  doneJobDays: 180,
  /** Alerts (the console's open and earlier ones) that last fired this long ago: the console shows the latest 20. */
  alertDays: 180,
  /** Expired leases (one per order that was checked out or updated): an expired lease is a free one. */
  expiredLeaseDays: 1,
} as const;

/** Default and bounds of `WEBHOOK_BODY_RETENTION_DAYS` and `AUDIT_RETENTION_DAYS` (`config.ts`). */
export const configurableRetention = {
  /**
   * A processed receipt's raw body: what processing and a replay read is the row's status and the job's
   * payload, not the body, which carries the customer's name, phone and address. Kept a month for support
   * questions; at most as long as the row. Points' refund bodies stay as long as their row: they are how a
   * re-stamped copy of a refund is told from a new one (`orders/counted-refunds.ts`).
   */
  webhookBodyDays: { default: 30, min: 1, max: retentionPeriods.receiptDays },
  /** The console's audit log: who refunded, cancelled or replayed what. A year by default; some keep it longer. */
  auditDays: { default: 365, min: 30, max: 3650 },
} as const;
