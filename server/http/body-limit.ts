import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';

/** The largest body accepted, and the answer to a larger one. */
export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

const digits = /^\d+$/;

/**
 * Hono's `bodyLimit`, without its cost on the common case. A request that declares its length (and is not
 * chunked) is judged by that number, which Node's HTTP parser holds the body to, so the body is left
 * untouched for the route to read on the adapter's fast path. Only a chunked body is counted as it streams.
 *
 * @example
 * app.post('/webhooks/points', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('too large', 413) }), handler);
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const counting = streamingBodyLimit(options);
  const declaredLengthLimit: MiddlewareHandler = async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && digits.test(length) && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > options.maxSize) return options.onError(c);
      await next();
      return;
    }
    return counting(c, next);
  };
  return declaredLengthLimit;
}
