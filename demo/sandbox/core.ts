import type { ResolvedOptions } from './options.ts';
import { isoTimestamp, toWebhookOrder } from './orders/resource.ts';
import type { Order, SandboxStore } from './store.ts';
import type { DeliveryEngine } from './webhooks/delivery.ts';

export type WebhookEvent =
  | 'approved'
  | 'authorized'
  | 'captured'
  | 'cancelled'
  | 'completed'
  | 'shipping_status_updated'
  | 'refunded'
  | 'auto_refunded';

export interface EventToSend {
  event: WebhookEvent;
  /** Per-event fields added to `order` (§4.3). */
  extras?: Record<string, unknown>;
}

/** What routes, pages and controls share: options, state and the delivery engine. */
export interface Core {
  options: ResolvedOptions;
  store: SandboxStore;
  engine: DeliveryEngine;
  now(): number;
  /** Sends `events` (one batch) for `order` to every webhook of its merchant, with the order as it is now. */
  emit(order: Order, events: EventToSend[]): void;
}

export function createCore(options: ResolvedOptions, store: SandboxStore, engine: DeliveryEngine): Core {
  return {
    options,
    store,
    engine,
    now: () => options.now(),
    emit(order, events) {
      const timestamp = isoTimestamp(options.now());
      const targets = store.webhooks.filter((w) => w.merchantId === order.merchantId);
      engine.publish(
        events.flatMap(({ event, extras }) => {
          const body = JSON.stringify({ event, order: { ...toWebhookOrder(order), ...extras }, timestamp });
          return targets.map((w) => ({
            target: { webhookUuid: w.uuid, url: w.url, secret: w.secret },
            event,
            orderUuid: order.uuid,
            body,
          }));
        }),
      );
    },
  };
}
