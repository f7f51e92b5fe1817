import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { adminPage } from './admin-page.ts';
import { errorsMap, readJson } from './envelope.ts';
import { channels } from './options.ts';
import type { Sandbox } from './index.ts';

const schemas = {
  earnRate: z.object({ earn_rate: z.number().positive() }),
  channel: z.object({ enabled: z.boolean(), merchant: z.string().optional() }),
  delivery: z.object({
    duplicate_every: z.int().min(0).optional(),
    duplicate_rate: z.number().min(0).max(1).optional(),
    reorder: z.boolean().optional(),
    delay_ms: z.int().min(0).max(600_000).optional(),
  }),
  merchant: z.object({
    public_key: z.string().min(1).max(255),
    private_key: z.string().min(1).max(255),
    name: z.string().max(255).optional(),
    earn_rate: z.number().positive().optional(),
  }),
  complete: z.object({
    phone: z.string().optional(),
    redeem_points: z.int().min(0).optional(),
    card: z.string().optional(),
  }),
};

const pageHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  const data = await readJson(c);
  const result = schema.safeParse(data);
  return result.success ? result.data : c.json({ errors: errorsMap(result.error.issues, data) }, 422);
}

function problem(c: Context, error: unknown) {
  return c.json({ error: error instanceof Error ? error.message : String(error) }, 400);
}

/**
 * `/sandbox/*`: the test and admin endpoints, mirroring the controls of {@link Sandbox}. They have no
 * authentication: the sandbox is a local tool and listens on 127.0.0.1 by default.
 *
 * @example
 * app.route('/sandbox', adminRoutes(sandbox));
 */
export function adminRoutes(sandbox: Sandbox) {
  const app = new Hono();

  // A browser gets the page, a script the JSON, at the same URL.
  app.get('/', (c) => {
    const info = sandbox.info();
    if (!c.req.header('accept')?.includes('text/html')) return c.json(info);
    const page = adminPage({
      baseUrl: info.baseUrl,
      customers: info.customers,
      reset: c.req.query('reset') === 'done',
    });
    return c.html(page, 200, pageHeaders);
  });

  app.post('/reset', (c) => {
    sandbox.reset();
    // The page's form goes back to the page; a script gets JSON.
    const fromForm = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded');
    return fromForm ? c.redirect('/sandbox?reset=done', 303) : c.json({ ok: true });
  });

  app.put('/earn-rate', async (c) => {
    const input = await body(c, schemas.earnRate);
    if (input instanceof Response) return input;
    sandbox.setEarnRate(input.earn_rate);
    return c.json({ earn_rate: input.earn_rate });
  });

  app.put('/channels/:channel', async (c) => {
    const channel = c.req.param('channel');
    if (channel !== 'verified' && !channels.includes(channel as never)) {
      return c.json({ error: `Unknown channel; use one of ${[...channels, 'verified'].join(', ')}` }, 404);
    }
    const input = await body(c, schemas.channel);
    if (input instanceof Response) return input;
    try {
      sandbox.setChannel(channel as Parameters<Sandbox['setChannel']>[0], input.enabled, input.merchant);
    } catch (error) {
      return problem(c, error);
    }
    return c.json({ channel, enabled: input.enabled });
  });

  app.put('/delivery', async (c) => {
    const input = await body(c, schemas.delivery);
    if (input instanceof Response) return input;
    const knobs = sandbox.setDelivery({
      duplicateEvery: input.duplicate_every,
      duplicateRate: input.duplicate_rate,
      reorder: input.reorder,
      delayMs: input.delay_ms,
    });
    return c.json(knobs);
  });

  app.post('/merchants', async (c) => {
    const input = await body(c, schemas.merchant);
    if (input instanceof Response) return input;
    try {
      const merchant = sandbox.addMerchant({
        publicKey: input.public_key,
        privateKey: input.private_key,
        name: input.name,
        earnRate: input.earn_rate,
      });
      return c.json(merchant);
    } catch (error) {
      return problem(c, error);
    }
  });

  app.get('/orders', (c) => {
    const order = sandbox.findOrderByNumber(c.req.query('order_number') ?? '');
    return order ? c.json(order) : c.json({ error: 'Order not found' }, 404);
  });

  app.get('/orders/:uuid', (c) => {
    const order = sandbox.getOrder(c.req.param('uuid'));
    return order ? c.json(order) : c.json({ error: 'Order not found' }, 404);
  });

  app.post('/orders/:uuid/auto-refund', (c) => {
    try {
      return c.json(sandbox.fireAutoRefund(c.req.param('uuid')));
    } catch (error) {
      return problem(c, error);
    }
  });

  app.get('/customers/:phone', (c) => {
    const customer = sandbox.customer(c.req.param('phone'));
    return customer ? c.json(customer) : c.json({ error: 'Invalid phone number' }, 422);
  });

  app.get('/deliveries', (c) => c.json(sandbox.deliveries()));

  app.post('/deliveries/settle', async (c) => {
    await sandbox.settleDeliveries();
    return c.json({ settled: true });
  });

  app.post('/checkout/:ref/complete', async (c) => {
    const input = await body(c, schemas.complete);
    if (input instanceof Response) return input;
    try {
      const options = { phone: input.phone, redeemPoints: input.redeem_points, card: input.card };
      return c.json(await sandbox.completeCheckout(c.req.param('ref'), options));
    } catch (error) {
      return problem(c, error);
    }
  });

  return app;
}
