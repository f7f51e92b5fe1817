import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { readJsonBody } from '../http/json-body.ts';
import { checkedParams } from '../http/path-params.ts';
import { plainText } from '../http/plain-text.ts';
import { fieldErrors, ProblemError, tooManyRequests } from '../http/problem.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import type { Metrics } from '../observability/metrics.ts';
import { shippingStatusSchema } from '../points/schemas.ts';
import { orderStates } from '../orders/order-state.ts';
import { constantTimeEqual } from '../shared/constant-time.ts';
import { trustCaller } from '../http/error-answer.ts';
import { platformIds } from '../connectors/registry.ts';
import { maxOrderListLimit, type Operations } from './operations.ts';

const refundBody = z.strictObject({
  amount: z.union([z.string(), z.number()]).optional(),
  reason: z.string().max(500).optional(),
});
const cancelBody = z.strictObject({ reason: z.string().max(500).optional() });
const adoptBody = z.strictObject({ uuid: z.guid() });
const completeBody = z.strictObject({
  paymentMethod: z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']).optional(),
});
const shipBody = z
  .strictObject({
    status: shippingStatusSchema.optional(),
    nameAr: z.string().min(1).max(120).optional(),
    nameEn: z.string().min(1).max(120).optional(),
  })
  .refine((body) => Boolean(body.status ?? body.nameAr ?? body.nameEn), {
    message: 'Give at least one of status, nameAr, nameEn',
  });
const earnBody = z.strictObject({
  kind: z.enum(['purchase', 'store_rating', 'product_rating']),
  input: z.record(z.string(), z.unknown()),
});
const webhookBody = z.strictObject({ name: z.string().min(1).max(255).optional(), url: z.url().optional() });
const reconcileBody = z.strictObject({ full: z.boolean().optional() });
/** `GET /admin/orders`: every filter optional; none lists the latest orders. */
const orderQuery = z.strictObject({
  order_number: plainText(200).optional(),
  reference_number: plainText(200).optional(),
  state: z.enum(orderStates).optional(),
  limit: z.coerce.number().int().min(1).max(maxOrderListLimit).optional(),
});

/** `GET /admin/connectors/orders`: every filter optional; none lists the latest connector orders. */
const connectorOrderQuery = z.strictObject({
  platform: z.enum(platformIds).optional(),
  outcome: z.enum(['waiting', 'earned', 'pending', 'skipped', 'reversed', 'failed']).optional(),
  reference: plainText(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Every path parameter: an order number, a job id, a webhook uuid, a connector order key. */
const pathParams = z.record(z.string(), plainText(1000));
const paramPaths = [
  '/orders/:orderNumber',
  '/orders/:orderNumber/*',
  '/webhooks/:uuid',
  '/deliveries/:id/*',
  '/connectors/orders/:key',
  '/connectors/orders/:key/*',
];

/** Admin bodies are optional: an empty one is `{}`. */
const readBody = <S extends z.ZodType>(c: Context, schema: S) => readJsonBody(c, schema, { empty: {} });

/**
 * Bearer `ADMIN_TOKEN` in constant time; 404 when no token is configured (the route is disabled). The right
 * token always works. Only wrong tokens are counted and, past the limit, answered 429: strangers, or a
 * scraper with a stale token behind the same proxy address, must not lock support out.
 */
function requireAdminToken(adminToken: string | undefined, limits: RequestLimits): MiddlewareHandler {
  return async function adminTokenMiddleware(c, next) {
    if (!adminToken) throw new ProblemError('not_found', 'Disabled: no ADMIN_TOKEN is configured.');
    const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!constantTimeEqual(given, adminToken)) {
      const wait = await limits.adminFailures.take(limits.client(c));
      if (wait !== undefined) {
        return tooManyRequests(c, 'rate_limited', wait, 'Too many wrong admin tokens; try again later.');
      }
      c.header('www-authenticate', 'Bearer');
      throw new ProblemError('unauthorized', 'A valid admin bearer token is required.');
    }
    c.header('cache-control', 'no-store');
    trustCaller(c);
    await next();
  };
}

/**
 * `GET /metrics` in Prometheus text format, behind the admin bearer token (Prometheus sends it with
 * `authorization: { credentials: … }`).
 */
export function metricsRoute(metrics: Metrics, adminToken: string | undefined, limits: RequestLimits): Hono {
  const app = new Hono();
  app.use('*', requireAdminToken(adminToken, limits));
  app.get('/', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));
  return app;
}

/**
 * `/admin`: the operations API for support and the CLI's `--server` mode. Bearer `ADMIN_TOKEN`, compared
 * in constant time; without a configured token every admin route answers 404 (disabled).
 *
 * @example
 * app.route('/admin', adminRoutes(ops, config.adminToken, createRequestLimits(config, Date.now, ports.connectionAddress, store)));
 * // curl -H "authorization: Bearer $ADMIN_TOKEN" https://edge.example/admin/orders/ORD-1
 */
export function adminRoutes(ops: Operations, adminToken: string | undefined, limits: RequestLimits): Hono {
  const app = new Hono();

  app.use('*', requireAdminToken(adminToken, limits));
  for (const path of paramPaths) {
    app.use(path, checkedParams(pathParams));
  }

  /** Runs an operation: its result, or 204 when it has none. Failures are answered by `app.onError`. */
  const run = async (c: Context, operation: () => Promise<unknown>) => {
    const result = await operation();
    return result === undefined ? c.body(null, 204) : c.json(result as object);
  };

  app.get('/orders', (c) => {
    const query = orderQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ProblemError('validation_failed', 'Invalid query.', fieldErrors(query.error.issues));
    }
    const { order_number, reference_number, state, limit } = query.data;
    return run(c, () =>
      ops.findOrders({
        ...(order_number ? { orderNumber: order_number } : {}),
        ...(reference_number ? { referenceNumber: reference_number } : {}),
        ...(state ? { state } : {}),
        ...(limit ? { limit } : {}),
      }),
    );
  });
  app.get('/orders/:orderNumber', (c) =>
    run(c, () => ops.getOrder(c.req.param('orderNumber'), { live: c.req.query('live') === '1' })),
  );

  app.post('/orders/:orderNumber/refund', async (c) => {
    const body = await readBody(c, refundBody);
    return run(c, () =>
      ops.refund(c.req.param('orderNumber'), {
        ...(body.amount !== undefined ? { amount: body.amount } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
      }),
    );
  });
  app.post('/orders/:orderNumber/cancel', async (c) => {
    const body = await readBody(c, cancelBody);
    return run(c, () => ops.cancel(c.req.param('orderNumber'), body.reason ? { reason: body.reason } : {}));
  });
  app.post('/orders/:orderNumber/authorize', (c) => run(c, () => ops.authorize(c.req.param('orderNumber'))));
  app.post('/orders/:orderNumber/capture', (c) => run(c, () => ops.capture(c.req.param('orderNumber'))));
  app.post('/orders/:orderNumber/complete', async (c) => {
    const body = await readBody(c, completeBody);
    return run(c, () =>
      ops.complete(
        c.req.param('orderNumber'),
        body.paymentMethod ? { paymentMethod: body.paymentMethod } : {},
      ),
    );
  });
  app.post('/orders/:orderNumber/ship', async (c) => {
    const body = await readBody(c, shipBody);
    return run(c, () =>
      ops.ship(c.req.param('orderNumber'), {
        ...(body.status ? { status: body.status } : {}),
        ...(body.nameAr ? { nameAr: body.nameAr } : {}),
        ...(body.nameEn ? { nameEn: body.nameEn } : {}),
      }),
    );
  });

  app.post('/adopt', async (c) => {
    const body = await readBody(c, adoptBody);
    return run(c, () => ops.adopt(body.uuid));
  });

  app.post('/earnings', async (c) => {
    const body = await readBody(c, earnBody);
    return run(c, () => ops.earn(body.kind, body.input));
  });

  app.get('/webhooks', (c) => run(c, () => ops.listWebhooks()));
  app.post('/webhooks', async (c) => {
    const body = await readBody(c, webhookBody);
    return run(c, () =>
      ops.registerWebhook({
        ...(body.name ? { name: body.name } : {}),
        ...(body.url ? { url: body.url } : {}),
      }),
    );
  });
  app.delete('/webhooks/:uuid', (c) => run(c, () => ops.deleteWebhook(c.req.param('uuid'))));

  app.get('/deliveries', (c) => run(c, () => ops.listDeliveries()));
  app.post('/deliveries/:id/replay', (c) => run(c, () => ops.replayDelivery(c.req.param('id'))));

  app.get('/connectors/orders', (c) => {
    const query = connectorOrderQuery.safeParse(c.req.query());
    if (!query.success) {
      throw new ProblemError('validation_failed', 'Invalid query.', fieldErrors(query.error.issues));
    }
    const { platform, outcome, reference, limit } = query.data;
    return run(c, () =>
      ops.listConnectorOrders({
        ...(platform ? { platform } : {}),
        ...(outcome ? { outcome } : {}),
        ...(reference ? { reference } : {}),
        ...(limit ? { limit } : {}),
      }),
    );
  });
  app.get('/connectors/orders/:key', (c) => run(c, () => ops.getConnectorOrder(c.req.param('key'))));
  app.post('/connectors/orders/:key/replay', (c) =>
    run(c, () => ops.replayConnectorOrder(c.req.param('key'))),
  );
  app.post('/connectors/sweep', (c) => run(c, () => ops.sweepConnectors()));
  app.get('/connectors/last-deliveries', (c) => run(c, () => ops.lastConnectorDeliveries()));

  app.post('/reconcile', async (c) => {
    const body = await readBody(c, reconcileBody);
    return run(c, () => ops.reconcile({ full: body.full ?? false }));
  });

  return app;
}
