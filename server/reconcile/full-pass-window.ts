/**
 * Default and bounds of `RECONCILE_FULL_WINDOW_DAYS`: the nightly full pass reads the open orders that
 * changed within this many days. Points publishes no refund window for its API (points-api.md §2.12: only
 * the dashboard's 3-day window for storefront orders is stated, and not for this endpoint), and no expiry
 * for checkout sessions, so the default is half a year, far past anything stated, and as long as we keep
 * an order's receipts. Older open orders are still repaired by their webhook or `points-edge get --live`.
 * Not below the sweep's 3 days: the full pass would then check less than the sweep.
 */
export const fullPassWindowDays = { default: 180, min: 3, max: 3650 } as const;
