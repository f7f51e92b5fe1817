import { Hono } from 'hono';
import type { Operations } from '../admin/operations.ts';
import type { EdgeContext } from '../edge-context.ts';
import { problem } from '../http/problem.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import { consoleApi } from './console-api.ts';
import { consolePages, type ConsoleAssets } from './console-pages.ts';
import { consoleOperatorsOf } from './operators.ts';
import { requireConsoleSession, type ConsoleEnv } from './require-session.ts';
import { sameOriginWrites } from './same-origin.ts';
import { sessionCookie } from './session-cookie.ts';
import { sessionRoutes } from './session-routes.ts';

/**
 * `/console`: the operator console, off (404 on every path) unless `ADMIN_TOKEN` or `CONSOLE_OPERATORS` is
 * set (at start: a reload can change the operators, not turn the console on or off). `/console` and its
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
  // The operators as the configuration holds them now: a SIGHUP reload swaps them in (edge-parts.ts).
  const operators = () => consoleOperatorsOf(ctx.config);
  if (operators().length === 0) {
    app.all('*', (c) =>
      problem(c, 'not_found', 'Disabled: neither ADMIN_TOKEN nor CONSOLE_OPERATORS is configured.'),
    );
    return app;
  }
  const cookie = sessionCookie({ publicUrl: ctx.config.publicUrl });
  app.use('*', sameOriginWrites({ publicUrl: ctx.config.publicUrl }));
  app.route(
    '/session',
    sessionRoutes({ db: ctx.store.db, now: ctx.now, operators, limits: options.limits, cookie }),
  );
  const api = new Hono<ConsoleEnv>();
  api.use('*', requireConsoleSession({ db: ctx.store.db, now: ctx.now, cookie, operators }));
  api.route('/', consoleApi(ctx, options.operations));
  app.route('/api', api);
  app.route('/', consolePages(options.assets));
  return app;
}
