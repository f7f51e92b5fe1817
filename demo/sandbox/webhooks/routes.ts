import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { requirePrivateKey, type ApiEnv } from '../auth.ts';
import type { Core } from '../core.ts';
import { errorsMap, fail, invalid, ok, validate } from '../envelope.ts';
import { isoTimestamp } from '../orders/resource.ts';
import { newWebhookSecret, type Webhook } from '../store.ts';

const name = z.string().trim().min(1).max(255);
const url = z.url({ protocol: /^https?$/ }).max(500);
const createRequest = z.object({ name, url });
const updateRequest = z
  .object({ name: name.optional(), url: url.optional() })
  .refine((body) => body.name !== undefined || body.url !== undefined, {
    message: 'At least one of name or url is required.',
    path: ['name'],
  });
const listQuery = z.object({
  per_page: z.coerce.number().int().min(1).max(100).default(15),
  page: z.coerce.number().int().min(1).default(1),
});

const duplicateUrl = 'Validation failed or webhook already exists for this URL';

function toResource(webhook: Webhook) {
  return {
    uuid: webhook.uuid,
    merchant_id: webhook.merchantId,
    name: webhook.name,
    url: webhook.url,
    secret: webhook.secret,
    created_at: isoTimestamp(webhook.createdAt),
    updated_at: isoTimestamp(webhook.updatedAt),
  };
}

/**
 * Webhook management (§2.13): list (Laravel paginator), create, read, update (PUT/PATCH), delete.
 *
 * @example
 * api.route('/v1/webhooks', webhookRoutes(core));
 */
export function webhookRoutes(core: Core) {
  const app = new Hono<ApiEnv>();
  app.use('*', requirePrivateKey(core));

  function own(c: Context<ApiEnv>): Webhook | undefined {
    const merchant = c.get('merchant');
    return core.store.webhooks.find((w) => w.uuid === c.req.param('uuid') && w.merchantId === merchant.id);
  }

  function urlTaken(c: Context<ApiEnv>, candidate: string, except?: Webhook): boolean {
    const merchantId = c.get('merchant').id;
    return core.store.webhooks.some(
      (w) => w.merchantId === merchantId && w.url === candidate && w !== except,
    );
  }

  function unverified(c: Context<ApiEnv>) {
    return c.get('merchant').verified ? undefined : fail(c, 403, 'Merchant is not verified or not published');
  }

  app.get('/', (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) return invalid(c, errorsMap(query.error.issues, c.req.query()));
    const { per_page: perPage, page } = query.data;
    const all = core.store.webhooks.filter((w) => w.merchantId === c.get('merchant').id);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const path = `${core.options.baseUrl}/api/v1/webhooks`;
    const link = (n: number) => `${path}?per_page=${perPage}&page=${n}`;
    const from = slice.length ? (page - 1) * perPage + 1 : null;
    return ok(c, slice.map(toResource), {
      links: {
        first: link(1),
        last: link(lastPage),
        prev: page > 1 ? link(page - 1) : null,
        next: page < lastPage ? link(page + 1) : null,
      },
      meta: {
        current_page: page,
        from,
        last_page: lastPage,
        path,
        per_page: perPage,
        to: from === null ? null : from + slice.length - 1,
        total: all.length,
      },
    });
  });

  app.post('/', async (c) => {
    const refused = unverified(c);
    if (refused) return refused;
    const body = await validate(c, createRequest);
    if (body instanceof Response) return body;
    if (urlTaken(c, body.url)) return fail(c, 400, duplicateUrl);
    const now = core.now();
    const webhook: Webhook = {
      uuid: randomUUID(),
      merchantId: c.get('merchant').id,
      name: body.name,
      url: body.url,
      secret: newWebhookSecret(),
      createdAt: now,
      updatedAt: now,
    };
    core.store.webhooks.push(webhook);
    return ok(c, toResource(webhook));
  });

  app.get('/:uuid', (c) => {
    const webhook = own(c);
    return webhook ? ok(c, toResource(webhook)) : fail(c, 404, 'Webhook not found');
  });

  async function update(c: Context<ApiEnv>) {
    const refused = unverified(c);
    if (refused) return refused;
    const webhook = own(c);
    if (!webhook) return fail(c, 404, 'Webhook not found');
    const body = await validate(c, updateRequest);
    if (body instanceof Response) return body;
    if (body.url !== undefined && urlTaken(c, body.url, webhook)) return fail(c, 400, duplicateUrl);
    if (body.name !== undefined) webhook.name = body.name;
    if (body.url !== undefined) webhook.url = body.url;
    webhook.updatedAt = core.now();
    return ok(c, toResource(webhook));
  }
  app.put('/:uuid', update);
  app.patch('/:uuid', update);

  app.delete('/:uuid', (c) => {
    const refused = unverified(c);
    if (refused) return refused;
    const webhook = own(c);
    if (!webhook) return fail(c, 404, 'Webhook not found');
    core.store.webhooks = core.store.webhooks.filter((w) => w !== webhook);
    return ok(c);
  });

  return app;
}
