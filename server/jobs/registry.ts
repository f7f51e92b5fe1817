import type { EdgeContext } from '../edge-context.ts';
import { receiptJob } from '../webhooks/receipt-writer.ts';
import { notifyJob, notifyMaxAttempts, notifyMerchantJob, notifyRetryDelayMs } from './notify-merchant.ts';
import { processReceiptJob } from './process-receipt.ts';
import {
  connectorDeliveryJob,
  connectorMaxAttempts,
  connectorRetryDelayMs,
  processConnectorDeliveryJob,
} from '../connectors/process-delivery.ts';
import type { SettleDependencies } from '../connectors/settle-order.ts';
import { defaultJobRetryDelayMs } from '../shared/backoff.ts';
import { defaultMaxAttempts, type Job } from './queue.ts';
import type { JobHandler } from './worker.ts';

/** Webhook processing retries fast: the default, 1 s doubling to 5 min. */
const receiptRetryDelayMs = (attempt: number): number => defaultJobRetryDelayMs(attempt);

/** What a job handler may be given besides the context (transports tests replace, the earning lane). */
export interface JobDependencies {
  merchantFetch?: typeof fetch | undefined;
  /** What connector deliveries settle with; without it they stay queued (the worker dead-letters none). */
  connectors?: SettleDependencies | undefined;
}

/** One job kind: where it runs, what runs it, and how it is retried. */
export interface JobKind {
  kind: string;
  lane: string;
  handler: (ctx: EdgeContext, dependencies: JobDependencies) => JobHandler;
  /** Attempts before the job is dead-lettered. */
  maxAttempts: number;
  /** Delay before the next attempt after `attempt` failed ones. */
  retryDelayMs: (attempt: number) => number;
}

/** Every job kind the edge server runs. */
export const jobKinds: readonly JobKind[] = [
  {
    ...receiptJob,
    handler: (ctx) => processReceiptJob(ctx),
    // webhooks/receipt-writer.ts enqueues its rows with the queue's default.
    maxAttempts: defaultMaxAttempts,
    retryDelayMs: receiptRetryDelayMs,
  },
  {
    ...connectorDeliveryJob,
    handler: (ctx, { connectors }) =>
      connectors
        ? processConnectorDeliveryJob(ctx, connectors)
        : async () => {
            throw new Error('connector deliveries need the earning lane (JobDependencies.connectors)');
          },
    maxAttempts: connectorMaxAttempts,
    retryDelayMs: connectorRetryDelayMs,
  },
  {
    ...notifyJob,
    handler: (ctx, { merchantFetch }) => notifyMerchantJob(ctx, merchantFetch),
    maxAttempts: notifyMaxAttempts,
    retryDelayMs: notifyRetryDelayMs,
  },
];

/** The lanes the worker claims from: every kind's. */
export const jobLanes: string[] = [...new Set(jobKinds.map((kind) => kind.lane))];

/** The handler of every job kind, by kind (for the worker). */
export function jobHandlers(ctx: EdgeContext, dependencies: JobDependencies): Record<string, JobHandler> {
  return Object.fromEntries(jobKinds.map((kind) => [kind.kind, kind.handler(ctx, dependencies)]));
}

/** The delay before retrying `job`, by its kind's policy (for the worker). */
export function jobRetryDelayMs(job: Job): number {
  // A job of an unknown kind is dead-lettered by the worker whatever its delay.
  const kind = jobKinds.find((known) => known.kind === job.kind);
  return (kind?.retryDelayMs ?? receiptRetryDelayMs)(job.attempts);
}
