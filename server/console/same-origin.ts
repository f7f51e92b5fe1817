import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../http/problem.ts';

/** Methods that only read: everything else changes something and must come from the console's own page. */
const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether `c` is a request that changes something (sign-in and sign-out included). */
export const changesState = (c: Context) => !readOnlyMethods.has(c.req.method);

/**
 * Refuses (403 `csrf_rejected`) a request that changes something unless the browser says it came from
 * this origin: `Sec-Fetch-Site: same-origin` when the browser sends it, and an `Origin` of this server (the
 * request's own, or `PUBLIC_URL`'s behind a proxy). A request with neither header is refused too: every
 * browser sends `Origin` on a POST, and scripts and the CLI have `/admin`. The session's CSRF token
 * (`csrf-token.ts`) is checked on top of this for signed-in requests.
 *
 * @example
 * app.use('*', sameOriginWrites({ publicUrl: config.publicUrl }));
 */
export function sameOriginWrites(options: { publicUrl: string }): MiddlewareHandler {
  const publicOrigin = new URL(options.publicUrl).origin;
  return async function sameOriginWritesMiddleware(c, next) {
    if (!changesState(c)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const ownOrigin = origin === new URL(c.req.url).origin || origin === publicOrigin;
    if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && !ownOrigin)) {
      return problem(c, 'csrf_rejected', 'This request came from another site.');
    }
    if (site === undefined && origin === undefined) {
      return problem(c, 'csrf_rejected', 'This request does not say where it came from.');
    }
    await next();
  };
}
