import { Hono } from 'hono';
import type { Operations } from '../admin/operations.ts';
import type { EdgeContext } from '../edge-context.ts';
import { problem } from '../http/problem.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import { consoleApi } from './console-api.ts';
import { consolePages, type ConsoleAssets } from './console-pages.ts';
import { requireConsoleSession, type ConsoleEnv } from './require-session.ts';
import { sameOriginWrites } from './same-origin.ts';
import { sessionCookie } from './session-cookie.ts';
import { sessionRoutes } from './session-routes.ts';

/**
 * `/console`: the operator console, off (404 on every path) unless `ADMIN_TOKEN` is set. `/console` and its
 * scripts are the page; `/console/session` signs in and out; `/console/api/…` is what the page reads and
 * does, behind the session. Every write must come from this origin (`same-origin.ts`) and, once signed
 * in, carry the session's CSRF token.
 *
 * @example
 * app.route('/console', consoleRoutes(ctx, { operations, limits }));
 */
export function consoleRoutes(
  ctx: EdgeContext,
  options: {
    operations: Operations;
    limits: RequestLimits;
    assets?: () => Promise<ConsoleAssets | undefined>;
  },
): Hono {
  const app = new Hono();
  const adminToken = ctx.config.adminToken;
  if (!adminToken) {
    app.all('*', (c) => problem(c, 'not_found', 'Disabled: no ADMIN_TOKEN is configured.'));
    return app;
  }
  const cookie = sessionCookie({ publicUrl: ctx.config.publicUrl });
  app.use('*', sameOriginWrites({ publicUrl: ctx.config.publicUrl }));
  app.route(
    '/session',
    sessionRoutes({ db: ctx.store.db, now: ctx.now, adminToken, limits: options.limits, cookie }),
  );
  const api = new Hono<ConsoleEnv>();
  api.use('*', requireConsoleSession({ db: ctx.store.db, now: ctx.now, cookie }));
  api.route('/', consoleApi(ctx, options.operations));
  app.route('/api', api);
  app.route('/', consolePages(options.assets));
  return app;
}
