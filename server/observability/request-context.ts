import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from './log-line.ts';

/** What every log line written while serving a request carries. */
export interface RequestScope {
  requestId: string;
}

/** The request being served, for the logger's mixin (`createLogger`). */
export const requestScope = new AsyncLocalStorage<RequestScope>();

const acceptableId = /^[\w.:-]{1,64}$/;

/** Options for {@link requestContext}. */
export interface RequestContextOptions {
  logger: Logger;
  /** Called after each request with its matched route (for metrics). */
  onResponse?: (info: { method: string; route: string; status: number; durationMs: number }) => void;
}

/**
 * Gives each request an id (the caller's `x-request-id` when it is a sane token, else a new uuid), echoes
 * it in the response, runs the request inside {@link requestScope} so every log line carries it, and writes
 * one access line: method, matched route, status and duration. Never the query string (it can hold
 * order-status tokens) and never headers above debug level (the logger redacts them there too).
 *
 * @example
 * app.use('*', requestContext({ logger, onResponse: metrics.observeHttp }));
 */
export function requestContext(options: RequestContextOptions): MiddlewareHandler {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && acceptableId.test(incoming) ? incoming : crypto.randomUUID();
    const started = performance.now();
    // Set before the handler runs, so it joins the response as that is built. Set after, it would make
    // Hono rebuild the finished response (and the Node adapter stream its body) on every request.
    c.header('x-request-id', requestId);
    await requestScope.run({ requestId }, async () => {
      // Reading every header costs the adapter a full Headers object: only when debug lines are wanted.
      if (options.logger.isLevelEnabled('debug')) {
        options.logger.debug({ method: c.req.method, path: c.req.path, headers: c.req.header() }, 'request');
      }
      await next();
      const durationMs = performance.now() - started;
      const route = c.req.routePath || 'unmatched';
      const status = c.res.status;
      options.onResponse?.({ method: c.req.method, route, status, durationMs });
      options.logger.info(
        { method: c.req.method, route, status, durationMs: Math.round(durationMs) },
        'request served',
      );
    });
  };
}
