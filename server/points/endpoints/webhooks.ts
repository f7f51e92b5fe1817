/**
 * The webhook management endpoints (points-api.md §2.13): list, register, read, change and delete the
 * merchant's webhooks. All but registering are retried (sending them twice does no harm); a replayed
 * registration could hit the duplicate-URL rule, so it is not.
 */
import { z } from 'zod';
import {
  createWebhookRequestSchema,
  listWebhooksQuerySchema,
  updateWebhookRequestSchema,
} from '../requests.ts';
import type { CreateWebhookInput, ListWebhooksInput, UpdateWebhookInput } from '../requests.ts';
import { webhookListSchema, webhookResourceSchema } from '../schemas.ts';
import type { WebhookList, WebhookResource } from '../schemas.ts';
import type { Call, CallOptions } from '../transport.ts';
import { checkInput, uuidSegment } from './input.ts';

/**
 * The webhook management methods of a Points client, sent through `call`.
 *
 * @example
 * const webhooks = webhookEndpoints(createTransport({ privateKey, environment: 'sandbox' }));
 * const { data } = await webhooks.listWebhooks({ page: 1 });
 */
export function webhookEndpoints(call: Call) {
  const webhookPath = (uuid: string) => `/v1/webhooks/${uuidSegment(uuid, 'webhook uuid')}`;

  /** PUT or PATCH of one webhook: same body, same answer. */
  const writeWebhook = async (
    method: 'PUT' | 'PATCH',
    uuid: string,
    input: UpdateWebhookInput,
    callOptions?: CallOptions,
  ): Promise<WebhookResource> =>
    call(
      {
        method,
        route: '/v1/webhooks/{webhookUuid}',
        path: webhookPath(uuid),
        body: checkInput(updateWebhookRequestSchema, input, 'webhook update'),
        auth: true,
        retry: 'idempotent',
        unwrap: 'data',
        schema: webhookResourceSchema,
      },
      callOptions,
    );

  return {
    /** §2.13 One page of webhooks with Laravel `links`/`meta`. Retried. */
    async listWebhooks(input: ListWebhooksInput = {}, callOptions?: CallOptions): Promise<WebhookList> {
      const query = checkInput(listWebhooksQuerySchema, input, 'webhook list query');
      return call(
        {
          method: 'GET',
          route: '/v1/webhooks',
          path: '/v1/webhooks',
          query,
          auth: true,
          retry: 'idempotent',
          unwrap: 'body',
          schema: webhookListSchema,
        },
        callOptions,
      );
    },

    /** §2.13 Registers a webhook. Not retried (a replay could hit the duplicate-URL rule). */
    async createWebhook(input: CreateWebhookInput, callOptions?: CallOptions): Promise<WebhookResource> {
      const body = checkInput(createWebhookRequestSchema, input, 'webhook');
      return call(
        {
          method: 'POST',
          route: '/v1/webhooks',
          path: '/v1/webhooks',
          body,
          auth: true,
          retry: 'never',
          unwrap: 'data',
          schema: webhookResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.13 Retried. */
    async getWebhook(uuid: string, callOptions?: CallOptions): Promise<WebhookResource> {
      return call(
        {
          method: 'GET',
          route: '/v1/webhooks/{webhookUuid}',
          path: webhookPath(uuid),
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: webhookResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.13 PUT ("replaces provided fields"). Retried. */
    replaceWebhook: (uuid: string, input: UpdateWebhookInput, callOptions?: CallOptions) =>
      writeWebhook('PUT', uuid, input, callOptions),

    /** §2.13 PATCH ("changes only supplied fields"; Points treats both alike). Retried. */
    updateWebhook: (uuid: string, input: UpdateWebhookInput, callOptions?: CallOptions) =>
      writeWebhook('PATCH', uuid, input, callOptions),

    /** §2.13 Retried (a repeat after success answers 404, which the caller may treat as done). */
    async deleteWebhook(uuid: string, callOptions?: CallOptions): Promise<void> {
      await call(
        {
          method: 'DELETE',
          route: '/v1/webhooks/{webhookUuid}',
          path: webhookPath(uuid),
          auth: true,
          retry: 'idempotent',
          unwrap: 'body',
          schema: z.unknown(),
        },
        callOptions,
      );
    },
  };
}

export type WebhookEndpoints = ReturnType<typeof webhookEndpoints>;
