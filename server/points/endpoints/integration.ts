/** The integration status endpoint (points-api.md §2.14): whether this key's integration is active. */
import { integrationStatusRequestSchema } from '../requests.ts';
import type { IntegrationStatusInput } from '../requests.ts';
import { integrationStatusSchema } from '../schemas.ts';
import type { IntegrationStatus } from '../schemas.ts';
import type { Call, CallOptions } from '../transport.ts';
import { checkInput } from './input.ts';

/**
 * The integration method of a Points client, sent through `call`.
 *
 * @example
 * const integration = integrationEndpoints(createTransport({ privateKey, environment: 'sandbox' }));
 * await integration.setIntegrationStatus({ active: true });
 */
export function integrationEndpoints(call: Call) {
  return {
    /** §2.14 Sets `integration_active` on this key. Retried (idempotent; 30 calls/min per key). */
    async setIntegrationStatus(
      input: IntegrationStatusInput,
      callOptions?: CallOptions,
    ): Promise<IntegrationStatus> {
      const body = checkInput(integrationStatusRequestSchema, input, 'integration status');
      return call(
        {
          method: 'POST',
          route: '/v1/integration/status',
          path: '/v1/integration/status',
          body,
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: integrationStatusSchema,
        },
        callOptions,
      );
    },
  };
}

export type IntegrationEndpoints = ReturnType<typeof integrationEndpoints>;
