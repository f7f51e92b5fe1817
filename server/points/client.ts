/**
 * Typed client for the Points merchant API (points-api.md §2): one function per endpoint, zod-checked
 * requests and responses, typed errors (`errors.ts`), timeouts and safe retries.
 *
 * Retry rule: a call is sent again after 429, 5xx, a network failure or a timeout only when sending it
 * twice cannot do harm — GETs, webhook PUT/PATCH/DELETE and integration status. Earning calls are
 * retried on 429 only (the per-merchant lock answer means nothing happened). Checkout, complete,
 * authorize, capture, cancel, refund, shipping status, webhook create, and earning calls after a
 * 5xx/timeout/network failure are never retried blindly: they throw with `outcomeUnknown: true`, and the
 * caller reconciles (e.g. `getOrder`) before trying again.
 */
import { z } from 'zod';
import { PointsInputError } from './errors.ts';
import {
  cancelRequestSchema,
  checkoutRequestSchema,
  completeRequestSchema,
  createWebhookRequestSchema,
  earningRequestSchema,
  integrationStatusRequestSchema,
  listWebhooksQuerySchema,
  productRatingRequestSchema,
  refundRequestSchema,
  shippingStatusRequestSchema,
  storeRatingRequestSchema,
  updateWebhookRequestSchema,
} from './requests.ts';
import type {
  CancelInput,
  CheckoutInput,
  CompleteInput,
  CreateWebhookInput,
  EarningInput,
  IntegrationStatusInput,
  ListWebhooksInput,
  ProductRatingInput,
  RefundInput,
  ShippingStatusInput,
  StoreRatingInput,
  UpdateWebhookInput,
} from './requests.ts';
import {
  checkoutSessionSchema,
  earningResultSchema,
  integrationStatusSchema,
  orderResourceSchema,
  uuidSchema,
  webhookListSchema,
  webhookResourceSchema,
} from './schemas.ts';
import type {
  CheckoutSession,
  EarningResult,
  IntegrationStatus,
  OrderResource,
  WebhookList,
  WebhookResource,
} from './schemas.ts';
import { defaultSleep, send } from './transport.ts';
import type { CallOptions, CallSpec, FetchLike, PointsResponseInfo, TransportSettings } from './transport.ts';

export type { CallOptions, FetchLike, PointsResponseInfo } from './transport.ts';

export type PointsEnvironment = 'production' | 'sandbox';

export const pointsBaseUrls: Record<PointsEnvironment, string> = {
  production: 'https://business.papp.sa/api',
  sandbox: 'https://sandbox.papp.sa/api',
};

export interface PointsClientOptions {
  /** Sent as `x-api-key`; never logged, never in an error. */
  privateKey: string;
  /** Needed for `beginCheckout` only (it goes in the URL path). */
  publicKey?: string;
  /** Picks the documented base URL; ignored when `baseUrl` is given. */
  environment?: PointsEnvironment;
  /**
   * E.g. `https://business.papp.sa/api` (paths are `/v1/...`); the documented `…/api/v1` form is accepted
   * too (see {@link normalizeBaseUrl}). Plain `http://` only for loopback hosts.
   */
  baseUrl?: string;
  /** Per HTTP attempt (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt, for calls that may be retried (default 3). */
  retries?: number;
  fetch?: FetchLike;
  userAgent?: string;
  /** Called after every HTTP attempt, for metrics. */
  onResponse?: (info: PointsResponseInfo) => void;
  /** Waits before a retry; injectable so tests need no real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
}

/** Names the runtime as it names itself (`Node.js/24`, `Bun/1.2`, `Deno/2.1`, `Cloudflare-Workers`). */
const defaultUserAgent = `points-storefront-kit/0.1.0 ${globalThis.navigator?.userAgent ?? 'unknown-runtime'}`;

/** Hosts on this machine, where plain `http://` is allowed (the local sandbox). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * One form for every documented Points base URL: Points' docs give the REST base as `…/api/v1`, its
 * OpenAPI servers as `…/api` with paths starting `/v1/…`. Both become `…/api` (no trailing slash), so a
 * call never goes to `/v1/v1/…`.
 *
 * @example normalizeBaseUrl('https://business.papp.sa/api/v1/') // 'https://business.papp.sa/api'
 */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/i, '');
}

/** The base URL from options; throws when it is missing, not a URL, or plain HTTP to a non-loopback host. */
export function resolveBaseUrl(options: Pick<PointsClientOptions, 'environment' | 'baseUrl'>): string {
  const raw = options.baseUrl ?? (options.environment ? pointsBaseUrls[options.environment] : undefined);
  if (raw === undefined) throw new TypeError('Points client: give `environment` or `baseUrl`');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('Points client: `baseUrl` is not a valid URL');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError('Points client: plain http:// is only allowed for loopback hosts; use https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('Points client: `baseUrl` must be an https:// URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('Points client: `baseUrl` must not carry credentials, a query or a fragment');
  }
  return normalizeBaseUrl(url.href);
}

function checkInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw PointsInputError.fromIssues(what, parsed.error.issues);
}

function uuidSegment(value: string, name: string): string {
  return encodeURIComponent(checkInput(uuidSchema, value, name));
}

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
export function createPointsClient(options: PointsClientOptions) {
  if (typeof options.privateKey !== 'string' || options.privateKey.trim() === '') {
    throw new TypeError('Points client: `privateKey` is required');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError('Points client: `timeoutMs` must be > 0');
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new TypeError('Points client: `retries` must be an integer from 0 to 10');
  }
  const settings: TransportSettings = {
    baseUrl: resolveBaseUrl(options),
    privateKey: options.privateKey,
    timeoutMs,
    retries,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    userAgent: options.userAgent ?? defaultUserAgent,
    onResponse: options.onResponse,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
  const publicKey = options.publicKey;

  const call = <T>(spec: CallSpec<T>, callOptions?: CallOptions): Promise<T> =>
    send(settings, spec, callOptions);

  /** POST on `/v1/orders/{orderUuid}/<action>` answering an `OrderResource`; never retried. */
  const orderAction = (
    uuid: string,
    action: string,
    body: unknown,
    callOptions?: CallOptions,
  ): Promise<OrderResource> =>
    call(
      {
        method: 'POST',
        route: `/v1/orders/{orderUuid}/${action}`,
        path: `/v1/orders/${uuidSegment(uuid, 'order uuid')}/${action}`,
        body,
        auth: true,
        retry: 'never',
        unwrap: 'data',
        schema: orderResourceSchema,
      },
      callOptions,
    );

  const earning = (route: string, body: unknown, callOptions?: CallOptions): Promise<EarningResult> =>
    call(
      {
        method: 'POST',
        route,
        path: route,
        body,
        auth: true,
        retry: 'rate-limit-only',
        unwrap: 'data',
        schema: earningResultSchema,
      },
      callOptions,
    );

  const webhookPath = (uuid: string) => `/v1/webhooks/${uuidSegment(uuid, 'webhook uuid')}`;

  /** PUT or PATCH of one webhook: same body, same answer. */
  const writeWebhook = async (
    method: 'PUT' | 'PATCH',
    uuid: string,
    input: UpdateWebhookInput,
    callOptions?: CallOptions,
  ): Promise<WebhookResource> =>
    call(
      {
        method,
        route: '/v1/webhooks/{webhookUuid}',
        path: webhookPath(uuid),
        body: checkInput(updateWebhookRequestSchema, input, 'webhook update'),
        auth: true,
        retry: 'idempotent',
        unwrap: 'data',
        schema: webhookResourceSchema,
      },
      callOptions,
    );

  return {
    /** §2.2 Starts a hosted checkout (replacing order). Uses the public key; not retried. */
    async beginCheckout(input: CheckoutInput, callOptions?: CallOptions): Promise<CheckoutSession> {
      if (!publicKey) throw new TypeError('Points client: `publicKey` is required for beginCheckout');
      const body = checkInput(checkoutRequestSchema, input, 'checkout request');
      return call(
        {
          method: 'POST',
          route: '/v1/orders/checkout/{publicKey}',
          path: `/v1/orders/checkout/${encodeURIComponent(publicKey)}`,
          body,
          auth: false,
          retry: 'never',
          unwrap: 'data',
          schema: checkoutSessionSchema,
        },
        callOptions,
      );
    },

    /** §2.3 Reads an order by its Points uuid. Retried. */
    async getOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return call(
        {
          method: 'GET',
          route: '/v1/orders/{orderUuid}',
          path: `/v1/orders/${uuidSegment(uuid, 'order uuid')}`,
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: orderResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.4 Awards purchase points. Retried on 429 only; may answer `pending_client_activation`. */
    async createEarning(input: EarningInput, callOptions?: CallOptions): Promise<EarningResult> {
      return earning(
        '/v1/orders/earning',
        checkInput(earningRequestSchema, input, 'earning request'),
        callOptions,
      );
    },

    /** §2.5 Awards store-rating points. Retried on 429 only. */
    async createStoreRatingEarning(
      input: StoreRatingInput,
      callOptions?: CallOptions,
    ): Promise<EarningResult> {
      const body = checkInput(storeRatingRequestSchema, input, 'store rating request');
      return earning('/v1/orders/earning/store-rating', body, callOptions);
    },

    /** §2.6 Awards product-rating points. Retried on 429 only. */
    async createProductRatingEarning(
      input: ProductRatingInput,
      callOptions?: CallOptions,
    ): Promise<EarningResult> {
      const body = checkInput(productRatingRequestSchema, input, 'product rating request');
      return earning('/v1/orders/earning/product-rating', body, callOptions);
    },

    /** §2.7 Marks a replacing order paid (`approved`). Not retried. */
    async completeOrder(
      uuid: string,
      input: CompleteInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(completeRequestSchema, input, 'complete request');
      return orderAction(uuid, 'complete', body, callOptions);
    },

    /** §2.8 Not retried. */
    async authorizeOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return orderAction(uuid, 'authorize', undefined, callOptions);
    },

    /** §2.9 Not retried. */
    async captureOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return orderAction(uuid, 'capture', undefined, callOptions);
    },

    /** §2.10 Not retried. */
    async cancelOrder(
      uuid: string,
      input: CancelInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(cancelRequestSchema, input, 'cancel request');
      return orderAction(uuid, 'cancel', body, callOptions);
    },

    /** §2.11 Sets the shipping status and/or custom labels. Not retried (each call fires a webhook). */
    async updateShippingStatus(
      uuid: string,
      input: ShippingStatusInput,
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(shippingStatusRequestSchema, input, 'shipping status request');
      return orderAction(uuid, 'status', body, callOptions);
    },

    /** §2.12 Full (no `amount`) or partial refund. Not retried. */
    async refundOrder(
      uuid: string,
      input: RefundInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(refundRequestSchema, input, 'refund request');
      return orderAction(uuid, 'refund', body, callOptions);
    },

    /** §2.13 One page of webhooks with Laravel `links`/`meta`. Retried. */
    async listWebhooks(input: ListWebhooksInput = {}, callOptions?: CallOptions): Promise<WebhookList> {
      const query = checkInput(listWebhooksQuerySchema, input, 'webhook list query');
      return call(
        {
          method: 'GET',
          route: '/v1/webhooks',
          path: '/v1/webhooks',
          query,
          auth: true,
          retry: 'idempotent',
          unwrap: 'body',
          schema: webhookListSchema,
        },
        callOptions,
      );
    },

    /** §2.13 Registers a webhook. Not retried (a replay could hit the duplicate-URL rule). */
    async createWebhook(input: CreateWebhookInput, callOptions?: CallOptions): Promise<WebhookResource> {
      const body = checkInput(createWebhookRequestSchema, input, 'webhook');
      return call(
        {
          method: 'POST',
          route: '/v1/webhooks',
          path: '/v1/webhooks',
          body,
          auth: true,
          retry: 'never',
          unwrap: 'data',
          schema: webhookResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.13 Retried. */
    async getWebhook(uuid: string, callOptions?: CallOptions): Promise<WebhookResource> {
      return call(
        {
          method: 'GET',
          route: '/v1/webhooks/{webhookUuid}',
          path: webhookPath(uuid),
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: webhookResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.13 PUT ("replaces provided fields"). Retried. */
    replaceWebhook: (uuid: string, input: UpdateWebhookInput, callOptions?: CallOptions) =>
      writeWebhook('PUT', uuid, input, callOptions),

    /** §2.13 PATCH ("changes only supplied fields"; Points treats both alike). Retried. */
    updateWebhook: (uuid: string, input: UpdateWebhookInput, callOptions?: CallOptions) =>
      writeWebhook('PATCH', uuid, input, callOptions),

    /** §2.13 Retried (a repeat after success answers 404, which the caller may treat as done). */
    async deleteWebhook(uuid: string, callOptions?: CallOptions): Promise<void> {
      await call(
        {
          method: 'DELETE',
          route: '/v1/webhooks/{webhookUuid}',
          path: webhookPath(uuid),
          auth: true,
          retry: 'idempotent',
          unwrap: 'body',
          schema: z.unknown(),
        },
        callOptions,
      );
    },

    /** §2.14 Sets `integration_active` on this key. Retried (idempotent; 30 calls/min per key). */
    async setIntegrationStatus(
      input: IntegrationStatusInput,
      callOptions?: CallOptions,
    ): Promise<IntegrationStatus> {
      const body = checkInput(integrationStatusRequestSchema, input, 'integration status');
      return call(
        {
          method: 'POST',
          route: '/v1/integration/status',
          path: '/v1/integration/status',
          body,
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: integrationStatusSchema,
        },
        callOptions,
      );
    },
  };
}

export type PointsClient = ReturnType<typeof createPointsClient>;
