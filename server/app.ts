import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { adminRoutes, metricsRoute } from './admin/admin-routes.ts';
import type { Operations } from './admin/operations.ts';
import type { EdgeContext } from './edge-context.ts';
import type { Metrics } from './observability/metrics.ts';
import { requestContext } from './observability/request-context.ts';
import { bodyLimit } from './http/body-limit.ts';
import { errorAnswer } from './http/error-answer.ts';
import { problem } from './http/problem.ts';
import { createRequestLimits } from './http/rate-limit.ts';
import { callbackRoutes } from './routes/callback.ts';
import { checkoutRoutes } from './routes/checkout.ts';
import { operatorRoutes } from './routes/operator-routes.ts';
import { orderStatusRoutes } from './routes/order-status.ts';
import { returnPageRoutes } from './routes/return-page.ts';
import { widgetRoutes, type WidgetBundle } from './routes/widget-bundle.ts';
import { widgetRenderRoutes } from './routes/widget-render.ts';
import { webhookRoutes, type WebhookIntakeStats } from './webhooks/receive-webhook.ts';
import { connectorRoutes, type ConnectorIntakeStats } from './connectors/intake-route.ts';
import type { ConsoleAssets } from './console/console-pages.ts';
import { consoleRoutes } from './console/console-routes.ts';

/**
 * Largest body any route but the webhook (which has its own) reads: a checkout with a full order token or a
 * hundred cart lines, an admin operation, is a few KB.
 */
export const requestBodyLimitBytes = 32 * 1024;

/** Browser-facing routes: CORS answers only the merchant's configured store origins. */
const browserPaths = ['/checkout', '/config', '/orders/*'];
/**
 * Server-to-server routes: Points' webhooks (`/webhooks/…`) and the store platforms' (`/connectors/…`).
 * No browser reads their answers, and each has a body limit of its own.
 */
const isWebhookPath = (path: string) =>
  path.startsWith('/webhooks/') || path === '/webhooks' || path.startsWith('/connectors/');

/**
 * Composes the edge server's HTTP API. Pure composition: no I/O here, so the app can be served
 * standalone, mounted under a prefix in the merchant's own Hono app, or called with `app.request()`.
 *
 * @example
 * const app = createEdgeApp(context, { widgets, webhookStats });
 * serve({ fetch: app.fetch, port: 8787 });
 */
export function createEdgeApp(
  ctx: EdgeContext,
  parts: {
    widgets: WidgetBundle | undefined;
    webhookStats: WebhookIntakeStats;
    connectorStats?: ConnectorIntakeStats;
    operations?: Operations;
    metrics?: Metrics;
    /** The runtime's address of a request's connection (see `RuntimePorts`); default `unknown`. */
    connectionAddress?: (c: Context) => string;
    /** The built console's files (the runtime's `loadConsole` port). */
    consoleAssets?: () => Promise<ConsoleAssets | undefined>;
    onHttpResponse?: (info: { method: string; route: string; status: number; durationMs: number }) => void;
  },
): Hono {
  const app = new Hono();

  app.use(
    '*',
    requestContext({
      logger: ctx.logger,
      ...(parts.onHttpResponse ? { onResponse: parts.onHttpResponse } : {}),
    }),
  );
  // Browser security headers on everything a browser may read. Not on Points' webhook deliveries: a
  // server reads that answer, and a dozen headers are a tenth of the route's cost at full load. (A plain
  // prefix test: hono/combine's `except` matched a router of its own on every request.)
  // A route's own policy wins (`overwrite: false`): the return page sends a stricter CSP of its own. The
  // default locks down what is left, JSON, scripts and redirects, which load nothing.
  const browserSecurityHeaders = secureHeaders({
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    overwrite: false,
  });
  app.use('*', (c, next) => (isWebhookPath(c.req.path) ? next() : browserSecurityHeaders(c, next)));
  const requestBodyLimit = bodyLimit({
    maxSize: requestBodyLimitBytes,
    onError: (c) =>
      problem(c, 'payload_too_large', `Request bodies are limited to ${requestBodyLimitBytes} bytes.`),
  });
  app.use('*', (c, next) => (isWebhookPath(c.req.path) ? next() : requestBodyLimit(c, next)));
  for (const path of browserPaths) {
    app.use(
      path,
      cors({
        origin: (origin) => (ctx.config.storeOrigins.includes(origin) ? origin : null),
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['content-type'],
        maxAge: 600,
      }),
    );
  }

  app.route('/', operatorRoutes(ctx));
  app.route('/', widgetRoutes(parts.widgets));
  app.route('/', widgetRenderRoutes(ctx));
  // In memory on SQLite (one process); in the database when instances share it (README, "Rate limits").
  const limits = createRequestLimits(
    ctx.config,
    ctx.now,
    parts.connectionAddress ?? (() => 'unknown'),
    ctx.store,
  );
  app.route('/', checkoutRoutes(ctx, limits));
  app.route('/', callbackRoutes(ctx, limits));
  app.route('/', orderStatusRoutes(ctx));
  app.route('/', returnPageRoutes());
  app.route('/', webhookRoutes(ctx, parts.webhookStats));
  app.route(
    '/',
    connectorRoutes(ctx, parts.connectorStats ?? {}, (platform, ms) =>
      parts.metrics?.observeConnectorAck(platform, ms),
    ),
  );
  if (parts.operations) {
    app.route('/admin', adminRoutes(parts.operations, ctx.config.adminToken, limits));
  }
  if (parts.operations) {
    app.route(
      '/console',
      consoleRoutes(ctx, {
        operations: parts.operations,
        limits,
        ...(parts.consoleAssets ? { assets: parts.consoleAssets } : {}),
      }),
    );
  }
  if (parts.metrics) app.route('/metrics', metricsRoute(parts.metrics, ctx.config.adminToken, limits));

  app.notFound((c) => problem(c, 'not_found', 'No such route.'));
  app.onError(errorAnswer(ctx.logger));
  return app;
}
