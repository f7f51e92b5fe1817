import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { fieldErrors, ProblemError } from './problem.ts';

/**
 * Refuses a request whose path parameters `schema` does not accept (400 `validation_failed`, naming each),
 * before the route or any guard on it runs. Mount it on the route's pattern, where Hono knows the params.
 *
 * @example
 * app.use('/orders/:orderNumber/*', checkedParams(z.object({ orderNumber: plainText(255) })));
 */
export function checkedParams(schema: z.ZodType): MiddlewareHandler {
  return async function checkedParamsMiddleware(c, next) {
    const params = schema.safeParse(c.req.param());
    if (!params.success) {
      throw new ProblemError('validation_failed', 'Invalid path.', fieldErrors(params.error.issues));
    }
    await next();
  };
}
