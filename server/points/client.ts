/**
 * Typed client for the Points merchant API (points-api.md §2): one function per endpoint, zod-checked
 * requests and responses, typed errors (`errors.ts`), timeouts and safe retries. The wire is in
 * `transport.ts`; the endpoints, by resource, in `endpoints/`.
 *
 * Retry rule: a call is sent again after 429, 5xx, a network failure or a timeout only when sending it
 * twice cannot do harm — GETs, webhook PUT/PATCH/DELETE and integration status. Earning calls are
 * retried on 429 only (the per-merchant lock answer means nothing happened). Checkout, complete,
 * authorize, capture, cancel, refund, shipping status, webhook create, and earning calls after a
 * 5xx/timeout/network failure are never retried blindly: they throw with `outcomeUnknown: true`, and the
 * caller reconciles (e.g. `getOrder`) before trying again.
 */
import { earningEndpoints, type EarningEndpoints } from './endpoints/earnings.ts';
import { integrationEndpoints, type IntegrationEndpoints } from './endpoints/integration.ts';
import { orderEndpoints, type OrderEndpoints } from './endpoints/orders.ts';
import { webhookEndpoints, type WebhookEndpoints } from './endpoints/webhooks.ts';
import { createTransport, type TransportOptions } from './transport.ts';

export { isLoopbackHost, normalizeBaseUrl, pointsBaseUrls, resolveBaseUrl } from './base-url.ts';
export type { PointsEnvironment } from './base-url.ts';
export type { CallOptions, FetchLike, PointsResponseInfo } from './transport.ts';

export interface PointsClientOptions extends TransportOptions {
  /** Needed for `beginCheckout` only (it goes in the URL path). */
  publicKey?: string;
}

/** Every endpoint of the Points merchant API, by resource. */
export type PointsClient = OrderEndpoints & EarningEndpoints & WebhookEndpoints & IntegrationEndpoints;

/**
 * Creates a Points API client. Throws a `TypeError` for unusable options (no key, no base URL,
 * plain HTTP to a remote host). API failures reject with a `PointsError` subclass; see the retry rule above.
 *
 * @example
 * const points = createPointsClient({ privateKey, publicKey, environment: 'sandbox' });
 * const { checkout_url } = await points.beginCheckout({ order_number: 'ORD-1', total_price: 150.75 });
 * const order = await points.getOrder(uuid);
 * try {
 *   await points.refundOrder(uuid, { amount: 25 });
 * } catch (error) {
 *   if (error instanceof PointsError && error.outcomeUnknown) await reconcile(uuid);
 *   else throw error;
 * }
 */
export function createPointsClient(options: PointsClientOptions): PointsClient {
  const call = createTransport(options);
  return {
    ...orderEndpoints(call, options.publicKey),
    ...earningEndpoints(call),
    ...webhookEndpoints(call),
    ...integrationEndpoints(call),
  };
}
