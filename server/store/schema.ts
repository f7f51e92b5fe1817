import type { Generated } from 'kysely';
import type { OrderState } from '../orders/order-state.ts';

/** Orders we started a checkout for or earned points on. Money in halalas, times in epoch ms. */
export interface OrdersTable {
  order_number: string;
  type: 'replacing' | 'earning';
  state: OrderState;
  points_uuid: string | null;
  reference_number: string | null;
  points_status: string | null;
  points_updated_at: string | null;
  shipping_status: string | null;
  expected_total_halalas: number;
  settled_total_halalas: number | null;
  refunded_halalas: number;
  total_points: number | null;
  checkout_url: string | null;
  checkout_expires_at: number | null;
  /**
   * SHA-256s (base64url, space-separated, newest first) of the nonces in the `callback_url` of the order's
   * checkout sessions: only a holder of one gets a status token (see orders/callback-nonce.ts).
   */
  callback_nonce_hashes: string | null;
  /** JSON text: products, customer name and the merchant's metadata as the order was resolved. */
  details: string;
  created_at: number;
  updated_at: number;
  /**
   * Set when the row was made from Points' own record of an order this server had no row for (an older
   * integration, a restore from backup): we never knew what it should cost, so a paid checkout is flagged.
   */
  adopted_at: number | null;
  /** When a reconciliation pass last asked Points about it (epoch ms); null until one has. */
  reconciled_at: number | null;
}

/**
 * Every webhook delivery we accepted (or refused), kept raw for audit and replay: the retention sweep
 * (server/retention) clears a processed one's `raw_body` to `''` after `WEBHOOK_BODY_RETENTION_DAYS` and
 * deletes the row after 180 days.
 */
export interface WebhookReceiptsTable {
  id: string;
  /** `points`, or the platform of a connector delivery (`salla`, `zid`, `shopify`, `woocommerce`). */
  source: Generated<string>;
  dedupe_key: string | null;
  event: string;
  points_order_id: string | null;
  /** A connector delivery's order or review key (`connector_orders.key`). */
  subject: string | null;
  raw_body: string;
  /** `flagged`: processed from the authoritative order, but the body claimed what Points does not bear out. */
  status: 'received' | 'processed' | 'ignored' | 'malformed' | 'failed' | 'flagged';
  error: string | null;
  received_at: number;
  processed_at: number | null;
  /** How long the intake took to answer this delivery, in ms; null until measured, or when none answered (the catch-up sweep). */
  intake_ms: number | null;
}

/** The durable job queue: one row a job; `lane` groups jobs that share a worker or a limit. */
export interface JobsTable {
  id: string;
  lane: string;
  kind: string;
  payload: string;
  state: 'queued' | 'running' | 'done' | 'dead';
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Named leases: a schedule or a lane held by one instance until `expires_at`. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

/** Keys the edge makes for itself and keeps (`status-token`: signs order-status links). */
export interface EdgeKeysTable {
  name: string;
  value: string;
  created_at: number;
}

/** Earning calls (purchase, store rating, product rating) keyed by `kind:reference`; see `server/earning`. */
export interface EarningsTable {
  key: string;
  kind: 'purchase' | 'store_rating' | 'product_rating';
  /** The order number or review reference Points deduplicates on. */
  reference: string;
  /** `queued` (not sent or 429), `unknown` (sent, no answer), then `awarded`, `pending_activation`, `rejected`. */
  state: 'queued' | 'unknown' | 'awarded' | 'pending_activation' | 'rejected';
  /** JSON text of the request body as validated. */
  request: string;
  points_uuid: string | null;
  total_points: number | null;
  pending_id: number | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * A store platform's order (or review) as the connectors know it: the platform's facts merged over every
 * delivery, and what was done at Points. Money in halalas; see `server/connectors`.
 */
export interface ConnectorOrdersTable {
  /** `platform:store:order` (or `platform:store:review:id`): also the Points order number or review reference. */
  key: string;
  platform: string;
  store_id: string;
  kind: 'order' | 'review';
  /** The number people see on the platform. */
  reference: string | null;
  /** JSON text of the merged `OrderFacts` or `ReviewFacts`. */
  facts: string;
  /**
   * `waiting` (not due yet), `earned`, `pending` (the customer has not activated Points), `skipped`,
   * `reversed` (in part or in full: see `reversed_halalas`), `failed` (Points refused; see `reason`).
   */
  outcome: 'waiting' | 'earned' | 'pending' | 'skipped' | 'reversed' | 'failed';
  reason: string | null;
  points_uuid: string | null;
  earned_halalas: number | null;
  earned_points: number | null;
  reversed_halalas: number;
  deliveries: number;
  last_delivery_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * How far a sweep has read, in epoch ms: a connector's catch-up (`catch-up:…`, the newest change seen on the
 * platform) and the retention sweep's body clearing (`retention:receipt-bodies`, receipts cleared up to).
 */
export interface ConnectorCursorsTable {
  name: string;
  position: number;
  updated_at: number;
}

/**
 * Operator console sessions (server/console): the SHA-256 (base64url) of the random id in the cookie, never
 * the id itself. Idle sessions end `last_seen_at` + 8 h; every session ends at `expires_at` (12 h).
 */
export interface ConsoleSessionsTable {
  id_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** Who signed in (`admin` for `ADMIN_TOKEN`, else a `CONSOLE_OPERATORS` name) and their role then. */
  operator_name: string;
  operator_role: string;
  /**
   * HMAC-SHA-256 (base64url) of the session id, name and role under the operator's token at sign-in: a
   * changed token, role or name no longer matches, so it ends the session. Keyed by the token and over the
   * id (which only the cookie holds), it tells a copy of the database nothing about the token.
   */
  operator_proof: string;
}

/**
 * Rate-limit windows shared by every instance on the database (`http/store-rate-limiter.ts`): `key` is the
 * limiter's name and a client address, never a token; `hits` counted since the window began, until `ends_at`.
 */
export interface RateWindowsTable {
  key: string;
  hits: number;
  ends_at: number;
}

/**
 * What console operators did (server/console/audit-log.ts), newest last by `id` (time-ordered). `operator`
 * is who (`admin` or a `CONSOLE_OPERATORS` name); `session` tells their sign-ins apart (`session ` and 8
 * characters of its id's SHA-256), never the id itself.
 */
export interface ConsoleAuditTable {
  id: string;
  at: number;
  operator: string;
  session: string;
  /** `sign_in`, `sign_out`, `refund`, `cancel`, `ship`, `reread`, `replay`, `acknowledge_alert`. */
  action: string;
  /** The order number (the job id of a replay, the alert id of an acknowledgement); null for sign-in and sign-out. */
  subject: string | null;
  /** JSON text of what the operator asked (the amount, the reason, the shipping status). */
  request: string | null;
  /** `done`, or the problem code it was refused or failed with. */
  result: string;
  /** Points' status after it, or the failure's words. */
  detail: string | null;
}

/**
 * Alerts as they fired (server/observability/alert-store.ts), one row from the first firing of a kind until
 * it is closed: acknowledged in the console, or quiet for a day (then its next firing opens a new row).
 * `detail` is JSON text of names and counts only, never a secret or a phone.
 */
export interface AlertsTable {
  id: string;
  kind: string;
  /** The kind while the row is open (unique: one open row a kind across instances), null once closed. */
  open_kind: string | null;
  /** Events counted in the window of the latest firing. */
  count: number;
  /** How many times it fired (by any instance) while open. */
  firings: number;
  window_ms: number;
  detail: string | null;
  first_fired_at: number;
  last_fired_at: number;
  /** Until when no instance posts this kind again to `ALERT_WEBHOOK_URL`: one page a window across instances. */
  posted_until: number;
  acknowledged_at: number | null;
  /** The console session that acknowledged it, as the audit log names it. */
  acknowledged_by: string | null;
}

export interface Database {
  alerts: AlertsTable;
  console_audit: ConsoleAuditTable;
  console_sessions: ConsoleSessionsTable;
  connector_orders: ConnectorOrdersTable;
  connector_cursors: ConnectorCursorsTable;
  earnings: EarningsTable;
  edge_keys: EdgeKeysTable;
  orders: OrdersTable;
  webhook_receipts: WebhookReceiptsTable;
  jobs: JobsTable;
  leases: LeasesTable;
  rate_windows: RateWindowsTable;
  /** Kysely's own bookkeeping, listed so typed queries never collide with it. */
  points_migrations: { name: string; timestamp: Generated<string> };
}
