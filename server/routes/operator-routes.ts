import { Hono } from 'hono';
import type { EdgeContext } from '../edge-context.ts';
import { readiness } from '../store/readiness.ts';

/**
 * Operator and widget-facing read-only routes: `GET /config` (public settings for the widgets),
 * `GET /healthz` (the process answers), `GET /readyz` (database reachable and migrated).
 */
export function operatorRoutes(ctx: EdgeContext): Hono {
  const app = new Hono();

  app.get('/config', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({
      environment: ctx.config.environment,
      currency: 'SAR',
      earnRate: ctx.config.earnRate,
      defaultLanguage: 'ar',
      features: {
        orderToken: Boolean(ctx.config.orderTokenSecret),
        orderNumber: Boolean(ctx.resolveOrder),
        catalog: Boolean(ctx.catalog),
      },
    });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const { status, pending } = await readiness(ctx.store);
    if (status === 'ready') return c.json({ status });
    return c.json(status === 'migrations pending' ? { status, pending } : { status }, 503);
  });

  return app;
}
