import type { DeliveryKnobs } from '../options.ts';

/** One HTTP attempt to deliver one event to one webhook. */
export interface DeliveryAttempt {
  /** Same for every attempt (retries, duplicate) of one event to one webhook. */
  deliveryId: number;
  webhookUuid: string;
  url: string;
  event: string;
  orderUuid: string;
  headers: Record<string, string>;
  body: string;
  /** 1 for the first try, 2.. for retries. */
  attempt: number;
  /** True for the deliberate second copy sent by the duplicate knobs. */
  duplicate: boolean;
  /** HTTP status, or null on timeout / network error. */
  responseStatus: number | null;
  error: string | null;
  at: number;
}

export interface DeliveryTarget {
  webhookUuid: string;
  url: string;
  secret: string;
}

export interface DeliveryEngineOptions {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  retries: number;
  backoffMs: (retry: number) => number;
  knobs: Required<DeliveryKnobs>;
}

interface Job {
  deliveryId: number;
  target: DeliveryTarget;
  event: string;
  orderUuid: string;
  body: string;
  duplicate: boolean;
}

/**
 * Delivers webhook events like Points does (§4.1): JSON POST with `X-Webhook-Secret` and `X-Webhook-Event`,
 * a timeout per attempt and retries with backoff on non-2xx, timeout or network error. Events published
 * during one API call form a batch that is delivered in order (or reversed, with the `reorder` knob);
 * each webhook gets its batches one after another, in publish order.
 *
 * @example
 * const engine = createDeliveryEngine({ fetch, now: Date.now, timeoutMs: 10_000, retries: 3, backoffMs: () => 1000, knobs });
 * engine.publish([{ target, event: 'approved', orderUuid, body: '{…}' }]);
 * await engine.settle();
 */
export function createDeliveryEngine(options: DeliveryEngineOptions) {
  const attempts: DeliveryAttempt[] = [];
  const pending = new Set<Promise<void>>();
  /** Per webhook, the tail of its delivery queue: batches go out one after another, in publish order. */
  const queues = new Map<string, Promise<void>>();
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  let nextDeliveryId = 1;
  let deliveryCount = 0;
  let closed = false;

  function sleep(ms: number): Promise<void> {
    if (ms <= 0 || closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  }

  function shouldDuplicate(): boolean {
    deliveryCount++;
    const { duplicateEvery, duplicateRate } = options.knobs;
    if (duplicateEvery > 0 && deliveryCount % duplicateEvery === 0) return true;
    return duplicateRate > 0 && Math.random() < duplicateRate;
  }

  async function attemptOnce(job: Job, attempt: number): Promise<boolean> {
    const headers = {
      'Content-Type': 'application/json',
      'X-Webhook-Secret': job.target.secret,
      'X-Webhook-Event': job.event,
    };
    const record: DeliveryAttempt = {
      deliveryId: job.deliveryId,
      webhookUuid: job.target.webhookUuid,
      url: job.target.url,
      event: job.event,
      orderUuid: job.orderUuid,
      headers,
      body: job.body,
      attempt,
      duplicate: job.duplicate,
      responseStatus: null,
      error: null,
      at: options.now(),
    };
    attempts.push(record);
    try {
      const response = await options.fetch(job.target.url, {
        method: 'POST',
        headers,
        body: job.body,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'manual',
      });
      record.responseStatus = response.status;
      await response.body?.cancel().catch(() => undefined);
      return response.ok;
    } catch (error) {
      record.error = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network error';
      return false;
    }
  }

  async function deliver(job: Job): Promise<void> {
    for (let attempt = 1; attempt <= options.retries + 1 && !closed; attempt++) {
      if (attempt > 1) await sleep(options.backoffMs(attempt - 1));
      if (closed) return;
      if (await attemptOnce(job, attempt)) return;
    }
  }

  async function deliverBatch(jobs: Job[]): Promise<void> {
    await sleep(options.knobs.delayMs);
    const ordered = options.knobs.reorder ? [...jobs].reverse() : jobs;
    for (const job of ordered) {
      if (closed) return;
      await deliver(job);
      if (job.duplicate) continue;
      if (shouldDuplicate()) await deliver({ ...job, duplicate: true });
    }
  }

  function track(promise: Promise<void>): void {
    const tracked = promise.finally(() => pending.delete(tracked));
    pending.add(tracked);
  }

  return {
    attempts,
    /** Queues one batch of events; webhooks are delivered independently of each other. */
    publish(events: Array<Omit<Job, 'deliveryId' | 'duplicate'>>): void {
      if (closed || events.length === 0) return;
      const byWebhook = new Map<string, Job[]>();
      for (const event of events) {
        const job: Job = { ...event, deliveryId: nextDeliveryId++, duplicate: false };
        const list = byWebhook.get(event.target.webhookUuid) ?? [];
        list.push(job);
        byWebhook.set(event.target.webhookUuid, list);
      }
      for (const [webhookUuid, jobs] of byWebhook) {
        const previous = queues.get(webhookUuid) ?? Promise.resolve();
        const next = previous.then(() => deliverBatch(jobs));
        queues.set(webhookUuid, next);
        track(next);
      }
    },
    /** Resolves once no delivery (including retries and delays) is pending. */
    async settle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    clearLog(): void {
      attempts.length = 0;
      deliveryCount = 0;
    },
    /** Stops timers; pending deliveries end without further attempts. */
    close(): void {
      closed = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}

export type DeliveryEngine = ReturnType<typeof createDeliveryEngine>;
