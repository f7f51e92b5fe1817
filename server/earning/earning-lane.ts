import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { backoffMs } from '../jobs/queue.ts';
import { sarToHalalas } from '../money.ts';
import type { PointsClient } from '../points/client.ts';
import { PointsError, PointsInputError, PointsRateLimitError } from '../points/errors.ts';
import {
  earningRequestSchema,
  productRatingRequestSchema,
  storeRatingRequestSchema,
} from '../points/requests.ts';
import type { EarningResult } from '../points/schemas.ts';
import type { Store } from '../store/db.ts';
import type { EarningsTable } from '../store/schema.ts';
import { acquireLease, releaseLease } from '../store/leases.ts';

export type EarningKind = EarningsTable['kind'];
export type EarningRow = Selectable<EarningsTable>;

/** The Points calls the lane makes; give it a client built with `retries: 0` so the lane owns 429 handling. */
export type EarningGateway = Pick<
  PointsClient,
  'createEarning' | 'createStoreRatingEarning' | 'createProductRatingEarning'
>;

const schemas = {
  purchase: earningRequestSchema,
  store_rating: storeRatingRequestSchema,
  product_rating: productRatingRequestSchema,
} satisfies Record<EarningKind, z.ZodType>;

/** Name of the database lease that admits one earning call at a time across every instance. */
export const earningLeaseName = 'lane:earning';

/** Options for {@link createEarningLane}. */
export interface EarningLaneOptions {
  store: Store;
  points: EarningGateway;
  /** This instance's name in the `leases` table. */
  holder?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long one call may hold the lease (longer than the client's timeout); default 60 s. */
  leaseTtlMs?: number;
  /** How often to look again while another instance holds the lease; default 50 ms. */
  pollMs?: number;
  /** 429 answers tolerated for one earning before giving up (the row stays `queued`); default 10. */
  maxRateLimited?: number;
  /** Called for every 429 Points answers (metrics). */
  onRateLimited?: (retryAfterMs: number | undefined) => void;
}

/** What became of one earning request. */
export interface EarningOutcome {
  kind: EarningKind;
  reference: string;
  state: EarningRow['state'];
  pointsUuid: string | null;
  totalPoints: number | null;
  /** Points' id of a pending earning (customer has not activated the app yet). */
  pendingId: number | null;
  /** True when an earlier call already settled this reference and Points was not called again. */
  replayed: boolean;
}

export interface EarningLane {
  earn(kind: EarningKind, input: unknown): Promise<EarningOutcome>;
  /**
   * Sends again every earning left `queued` (429s outlasted the retries) or `unknown` (no answer) for at
   * least `olderThanMs`. Safe: Points refuses a second award for the same reference, and the lane reads
   * that refusal after an unknown outcome as "awarded". Returns how many settled.
   */
  retryStale(olderThanMs: number): Promise<number>;
}

/** Answers that end an earning; a `rejected` one may be sent again (e.g. after the channel is enabled). */
const settledStates: ReadonlySet<EarningRow['state']> = new Set(['awarded', 'pending_activation']);

function outcomeOf(row: EarningRow, replayed: boolean): EarningOutcome {
  return {
    kind: row.kind,
    reference: row.reference,
    state: row.state,
    pointsUuid: row.points_uuid,
    totalPoints: row.total_points === null ? null : Number(row.total_points),
    pendingId: row.pending_id === null ? null : Number(row.pending_id),
    replayed,
  };
}

function parse(kind: EarningKind, input: unknown) {
  const parsed = schemas[kind].safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    (fieldErrors[issue.path.join('.') || '(root)'] ??= []).push(issue.message);
  }
  throw new PointsInputError(`Invalid ${kind} earning: ${Object.keys(fieldErrors).join(', ')}`, fieldErrors);
}

/**
 * The earning lane. Points answers 429 when two earning calls of one merchant overlap, so every earning
 * call (purchase, store rating, product rating) goes through here: one call in flight per process (a
 * promise chain) and across processes (the `lane:earning` lease in the database). Each request is kept
 * in `earnings`, keyed by its order number or review reference, so a repeat returns the stored answer
 * instead of calling Points again. A 429 releases the lease and waits `Retry-After` (or a backoff).
 *
 * @example
 * const lane = createEarningLane({ store, points: createPointsClient({ ...keys, retries: 0 }) });
 * const outcome = await lane.earn('purchase', { order_number: 'S-1', phone_number: '0500000002', ... });
 */
export function createEarningLane(options: EarningLaneOptions): EarningLane {
  const { store, points } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const holder = options.holder ?? `instance-${crypto.randomUUID()}`;
  const leaseTtlMs = options.leaseTtlMs ?? 60_000;
  const pollMs = options.pollMs ?? 50;
  const maxRateLimited = options.maxRateLimited ?? 10;
  let tail: Promise<unknown> = Promise.resolve();

  const readRow = (key: string) =>
    store.db.selectFrom('earnings').selectAll().where('key', '=', key).executeTakeFirstOrThrow();

  async function update(key: string, values: Partial<EarningRow>): Promise<void> {
    await store.db
      .updateTable('earnings')
      .set({ ...values, updated_at: now() })
      .where('key', '=', key)
      .execute();
  }

  function call(kind: EarningKind, body: unknown): Promise<EarningResult> {
    if (kind === 'purchase') return points.createEarning(body as never);
    if (kind === 'store_rating') return points.createStoreRatingEarning(body as never);
    return points.createProductRatingEarning(body as never);
  }

  /** A purchase earning is also an order of ours, so `get`, `refund` and webhooks find it. */
  async function recordEarningOrder(body: z.output<typeof earningRequestSchema>, result: EarningResult) {
    if (result.status !== 'awarded') return;
    const total = sarToHalalas(body.total_price) ?? 0;
    const at = now();
    await store.db
      .insertInto('orders')
      .values({
        order_number: body.order_number,
        type: 'earning',
        state: 'confirmed',
        points_uuid: result.order.uuid,
        reference_number: result.order.reference_number ?? null,
        points_status: result.order.order_status,
        points_updated_at: result.order.updated_at ?? null,
        shipping_status: null,
        expected_total_halalas: total,
        settled_total_halalas: total,
        refunded_halalas: 0,
        total_points: Number(result.order.total_points),
        checkout_url: null,
        checkout_expires_at: null,
        details: JSON.stringify({ products: body.products, ...(body.name ? { name: body.name } : {}) }),
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    // Points' webhook for it may have come first and had it adopted; it is ours.
    await store.db
      .updateTable('orders')
      .set({ adopted_at: null })
      .where('points_uuid', '=', result.order.uuid)
      .where('adopted_at', 'is not', null)
      .execute();
  }

  async function takeLease(): Promise<void> {
    while (!(await acquireLease(store, earningLeaseName, holder, leaseTtlMs, now()))) await sleep(pollMs);
  }

  async function send(kind: EarningKind, key: string, body: unknown): Promise<EarningOutcome> {
    for (let rateLimited = 0; ;) {
      await takeLease();
      let retryAfterMs: number | undefined;
      try {
        const row = await readRow(key);
        if (settledStates.has(row.state)) return outcomeOf(row, true);
        const wasUnknown = row.state === 'unknown';
        await update(key, { state: 'unknown', attempts: row.attempts + 1 });
        try {
          const result = await call(kind, body);
          if (kind === 'purchase') await recordEarningOrder(body as never, result);
          await update(
            key,
            result.status === 'awarded'
              ? {
                  state: 'awarded',
                  points_uuid: result.order.uuid,
                  total_points: Number(result.order.total_points),
                  last_error: null,
                }
              : {
                  state: 'pending_activation',
                  pending_id: result.pending.id,
                  total_points: Number(result.pending.total_points),
                  last_error: null,
                },
          );
          return outcomeOf(await readRow(key), false);
        } catch (error) {
          if (!(error instanceof PointsError)) throw error;
          if (error instanceof PointsRateLimitError) {
            options.onRateLimited?.(error.retryAfterMs);
            rateLimited += 1;
            await update(key, { state: 'queued', last_error: error.message.slice(0, 500) });
            if (rateLimited > maxRateLimited) throw error;
            retryAfterMs = error.retryAfterMs ?? backoffMs(rateLimited, 500, 30_000);
          } else if (error.outcomeUnknown) {
            await update(key, { state: 'unknown', last_error: error.message.slice(0, 500) });
            throw error;
          } else if (wasUnknown && /already been taken/i.test(error.message + JSON.stringify(error))) {
            // Our earlier call went through after all; Points refuses the duplicate reference.
            await update(key, { state: 'awarded', last_error: 'awarded by an earlier attempt' });
            return outcomeOf(await readRow(key), false);
          } else {
            await update(key, { state: 'rejected', last_error: error.message.slice(0, 500) });
            throw error;
          }
        }
      } finally {
        await releaseLease(store, earningLeaseName, holder);
      }
      await sleep(retryAfterMs);
    }
  }

  async function earn(kind: EarningKind, input: unknown): Promise<EarningOutcome> {
    const body = parse(kind, input);
    const reference = 'order_number' in body ? body.order_number : body.review_reference;
    const key = `${kind}:${reference}`;
    const at = now();
    await store.db
      .insertInto('earnings')
      .values({
        key,
        kind,
        reference,
        state: 'queued',
        request: JSON.stringify(body),
        points_uuid: null,
        total_points: null,
        pending_id: null,
        attempts: 0,
        last_error: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
    const existing = await readRow(key);
    if (settledStates.has(existing.state)) return outcomeOf(existing, true);

    const turn = tail.then(() => send(kind, key, body));
    tail = turn.catch(() => undefined);
    return turn;
  }

  async function retryStale(olderThanMs: number): Promise<number> {
    const stale = await store.db
      .selectFrom('earnings')
      .select(['kind', 'request'])
      .where('state', 'in', ['queued', 'unknown'])
      .where('updated_at', '<=', now() - olderThanMs)
      .orderBy('created_at')
      .limit(100)
      .execute();
    let settled = 0;
    for (const row of stale) {
      const outcome = await earn(row.kind, JSON.parse(row.request)).catch(() => undefined);
      if (outcome && settledStates.has(outcome.state)) settled += 1;
    }
    return settled;
  }

  return { earn, retryStale };
}
