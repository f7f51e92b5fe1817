import { Hono } from 'hono';
import { sql } from 'kysely';
import type { EdgeContext } from '../edge-context.ts';
import { pendingMigrations } from '../store/migrations.ts';

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
    try {
      await sql`select 1`.execute(ctx.store.db);
      const pending = await pendingMigrations(ctx.store);
      if (pending.length > 0) return c.json({ status: 'migrations pending', pending }, 503);
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'database unreachable' }, 503);
    }
  });

  return app;
}
