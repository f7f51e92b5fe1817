import { sql, type Kysely } from 'kysely';
import type { OrderRow } from '../orders/repository.ts';
import type { Database } from '../store/schema.ts';
import { containing } from './like-pattern.ts';

/** What one step in an order's life was. */
export type TimelineKind =
  | 'order_created'
  | 'points_webhook'
  | 'connector_delivery'
  | 'earning_call'
  | 'merchant_notification'
  | 'console_action';

/** One thing that happened to an order, with its outcome, as the tables hold it. */
export interface TimelineEntry {
  /** ISO time it happened (received, enqueued, created). */
  at: string;
  kind: TimelineKind;
  /** The webhook event, the state change told to the merchant, the earning's kind. */
  summary: string;
  /** The receipt's, job's or earning call's state: `processed`, `flagged`, `done`, `dead`, `awarded`… */
  outcome: string;
  /** The stored reason of a failure, if any. */
  detail: string | null;
  /** The job behind it, when there is one (a dead one can be replayed). */
  jobId: string | null;
  replayable: boolean;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
/** Entries of one order at most: a timeline is read by a person. */
const maxEntries = 200;

type JobRow = { id: string; state: string; attempts: number; last_error: string | null; payload: string };

/**
 * Everything stored about an order, oldest first: its creation, each Points webhook about its Points uuid
 * (receipt and processing), each store-platform delivery about it, its earning call, and each merchant
 * notification (`order.updated`, whose `cause` says what led to it: a webhook event, `callback` for the
 * shopper's return, `admin:refund`…), and each console action on it (the audit log), each with its
 * outcome. Read only from what the tables already keep.
 */
export async function orderTimeline(db: Kysely<Database>, order: OrderRow): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [
    {
      at: iso(order.created_at),
      kind: 'order_created',
      summary: order.type,
      outcome: 'created',
      detail: null,
      jobId: null,
      replayable: false,
    },
  ];

  const receipts = await db
    .selectFrom('webhook_receipts')
    .select(['id', 'source', 'event', 'status', 'error', 'received_at'])
    .where((eb) =>
      eb.or([
        ...(order.points_uuid
          ? [eb.and([eb('source', '=', 'points'), eb('points_order_id', '=', order.points_uuid)])]
          : []),
        eb.and([eb('source', '!=', 'points'), eb('subject', '=', order.order_number)]),
      ]),
    )
    .orderBy('received_at')
    .limit(maxEntries)
    .execute();
  const jobs = await jobsOfReceipts(
    db,
    receipts.map((receipt) => receipt.id),
  );
  for (const receipt of receipts) {
    const job = jobs.get(receipt.id);
    entries.push({
      at: iso(receipt.received_at),
      kind: receipt.source === 'points' ? 'points_webhook' : 'connector_delivery',
      summary: receipt.source === 'points' ? receipt.event : `${receipt.source} ${receipt.event}`,
      // A receipt still `received` is waiting for (or failing in) its job: the job says which.
      outcome: receipt.status === 'received' && job ? job.state : receipt.status,
      detail: receipt.error ?? job?.last_error ?? null,
      jobId: job?.id ?? null,
      replayable: job?.state === 'dead',
    });
  }

  const earnings = await db
    .selectFrom('earnings')
    .select(['kind', 'state', 'last_error', 'created_at'])
    .where('reference', '=', order.order_number)
    .execute();
  for (const earning of earnings) {
    entries.push({
      at: iso(earning.created_at),
      kind: 'earning_call',
      summary: earning.kind,
      outcome: earning.state,
      detail: earning.last_error,
      jobId: null,
      replayable: false,
    });
  }

  const notifications = await db
    .selectFrom('jobs')
    .select(['id', 'state', 'attempts', 'last_error', 'payload', 'created_at'])
    .where('kind', '=', 'notify-merchant')
    .where(
      sql<boolean>`payload like ${containing(`"orderNumber":${JSON.stringify(order.order_number)}`)} escape '\\'`,
    )
    .orderBy('created_at')
    .limit(maxEntries)
    .execute();
  for (const job of notifications) {
    const event = parse(job.payload);
    // The LIKE found candidates; only an exact order number counts.
    if (event?.orderNumber !== order.order_number) continue;
    entries.push({
      at: iso(job.created_at),
      kind: 'merchant_notification',
      summary: `${String(event.previousState)} → ${String(event.state)} (${String(event.cause)})`,
      outcome: job.state,
      detail: job.last_error,
      jobId: job.id,
      replayable: job.state === 'dead',
    });
  }

  const actions = await db
    .selectFrom('console_audit')
    .select(['operator', 'action', 'request', 'result', 'detail', 'at'])
    .where('subject', '=', order.order_number)
    .orderBy('at')
    .limit(maxEntries)
    .execute();
  for (const action of actions) {
    const request = action.request ? ` ${action.request}` : '';
    entries.push({
      at: iso(action.at),
      kind: 'console_action',
      summary: `${action.action}${request} (${action.operator})`,
      outcome: action.result,
      detail: action.detail,
      jobId: null,
      replayable: false,
    });
  }

  return entries.sort((a, b) => a.at.localeCompare(b.at)).slice(0, maxEntries);
}

function parse(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The processing job of each receipt, by receipt id (its payload carries `receiptId`). */
async function jobsOfReceipts(db: Kysely<Database>, receiptIds: string[]): Promise<Map<string, JobRow>> {
  const found = new Map<string, JobRow>();
  if (receiptIds.length === 0) return found;
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'state', 'attempts', 'last_error', 'payload'])
    .where('kind', 'in', ['process-receipt', 'process-connector-delivery'])
    .where((eb) =>
      eb.or(
        receiptIds.map(
          (id) => sql<boolean>`payload like ${containing(`"receiptId":${JSON.stringify(id)}`)} escape '\\'`,
        ),
      ),
    )
    .execute();
  for (const row of rows) {
    const receiptId = parse(row.payload)?.receiptId;
    if (typeof receiptId === 'string') found.set(receiptId, row);
  }
  return found;
}
