import { Hono } from 'hono';
import { z } from 'zod';
import { requirePrivateKey, type ApiEnv } from './auth.ts';
import type { Core } from './core.ts';
import { fail, validate } from './envelope.ts';

const statusRequest = z.object({ active: z.boolean() });
const limitPerMinute = 30;

/**
 * `POST /v1/integration/status` (§2.14): sets the key's `integration_active` flag. Its envelope differs from
 * every other endpoint (`appended_data: []`, a message), and it allows 30 calls a minute per key.
 *
 * @example
 * api.route('/v1/integration', integrationRoutes(core));
 */
export function integrationRoutes(core: Core) {
  const app = new Hono<ApiEnv>();
  app.use('*', requirePrivateKey(core));

  app.post('/status', async (c) => {
    const merchant = c.get('merchant');
    const now = core.now();
    merchant.integrationCalls = merchant.integrationCalls.filter((at) => at > now - 60_000);
    if (merchant.integrationCalls.length >= limitPerMinute) return fail(c, 429, 'Too Many Attempts.');
    merchant.integrationCalls.push(now);
    const body = await validate(c, statusRequest);
    if (body instanceof Response) return body;
    merchant.integrationActive = body.active;
    return c.json({
      data: { active: merchant.integrationActive },
      status: true,
      message: 'Integration status updated',
      appended_data: [],
    });
  });

  return app;
}
