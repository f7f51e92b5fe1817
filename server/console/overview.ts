import type { EdgeContext } from '../edge-context.ts';
import { readiness, type Readiness } from '../store/readiness.ts';
import { lastPlatformDeliveries, type PlatformDelivery } from './connector-summary.ts';

/** The console's first page: is the kit well, and what is waiting or stuck. */
export interface Overview {
  readiness: Readiness;
  /** When the last Points webhook arrived, and how it ended. */
  lastPointsWebhook: { at: string; event: string; status: string } | null;
  /** Each store platform's last delivery (only platforms that ever sent one). */
  lastConnectorDeliveries: PlatformDelivery[];
  /** Jobs waiting or running, by lane. */
  queue: Array<{ lane: string; queued: number; running: number }>;
  /** Jobs that used up their attempts (see the deliveries, `replay`). */
  deadLetters: number;
  /** Platforms with a configured connector. */
  connectors: string[];
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** Builds the {@link Overview} from the tables (a handful of small aggregate queries). */
export async function overview(ctx: EdgeContext): Promise<Overview> {
  const db = ctx.store.db;
  const ready = await readiness(ctx.store);
  if (ready.status === 'database unreachable') {
    return {
      readiness: ready,
      lastPointsWebhook: null,
      lastConnectorDeliveries: [],
      queue: [],
      deadLetters: 0,
      connectors: ctx.config.connectors.map((connector) => connector.id),
    };
  }
  const lastPoints = await db
    .selectFrom('webhook_receipts')
    .select(['event', 'status', 'received_at'])
    .where('source', '=', 'points')
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastConnectorDeliveries = await lastPlatformDeliveries(db);
  const counts = await db
    .selectFrom('jobs')
    .select(['lane', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('state', 'in', ['queued', 'running', 'dead'])
    .groupBy(['lane', 'state'])
    .execute();
  const lanes = new Map<string, { lane: string; queued: number; running: number }>();
  let deadLetters = 0;
  for (const { lane, state, count } of counts) {
    if (state === 'dead') {
      deadLetters += Number(count);
      continue;
    }
    const entry = lanes.get(lane) ?? { lane, queued: 0, running: 0 };
    entry[state === 'queued' ? 'queued' : 'running'] += Number(count);
    lanes.set(lane, entry);
  }
  return {
    readiness: ready,
    lastPointsWebhook: lastPoints
      ? { at: iso(lastPoints.received_at), event: lastPoints.event, status: lastPoints.status }
      : null,
    lastConnectorDeliveries,
    queue: [...lanes.values()].sort((a, b) => a.lane.localeCompare(b.lane)),
    deadLetters,
    connectors: ctx.config.connectors.map((connector) => connector.id),
  };
}
