/**
 * The order endpoints (points-api.md §2.2, §2.3, §2.7-§2.12): checkout, read, and the operations on an
 * order. Only the read is retried; every operation may have acted when its answer is lost, so it throws
 * with `outcomeUnknown: true` instead and the caller reconciles (`getOrder`).
 */
import {
  cancelRequestSchema,
  checkoutRequestSchema,
  completeRequestSchema,
  refundRequestSchema,
  shippingStatusRequestSchema,
} from '../requests.ts';
import type {
  CancelInput,
  CheckoutInput,
  CompleteInput,
  RefundInput,
  ShippingStatusInput,
} from '../requests.ts';
import { checkoutSessionSchema, orderResourceSchema } from '../schemas.ts';
import type { CheckoutSession, OrderResource } from '../schemas.ts';
import type { Call, CallOptions } from '../transport.ts';
import { checkInput, uuidSegment } from './input.ts';

/**
 * The order methods of a Points client, sent through `call`. `publicKey` is needed by `beginCheckout`
 * only (it goes in the URL path); without it that method rejects with a `TypeError`.
 *
 * @example
 * const orders = orderEndpoints(createTransport({ privateKey, environment: 'sandbox' }), publicKey);
 * const order = await orders.getOrder(uuid);
 */
export function orderEndpoints(call: Call, publicKey: string | undefined) {
  /** POST on `/v1/orders/{orderUuid}/<action>` answering an `OrderResource`; never retried. */
  const orderAction = (
    uuid: string,
    action: string,
    body: unknown,
    callOptions?: CallOptions,
  ): Promise<OrderResource> =>
    call(
      {
        method: 'POST',
        route: `/v1/orders/{orderUuid}/${action}`,
        path: `/v1/orders/${uuidSegment(uuid, 'order uuid')}/${action}`,
        body,
        auth: true,
        retry: 'never',
        unwrap: 'data',
        schema: orderResourceSchema,
      },
      callOptions,
    );

  return {
    /** §2.2 Starts a hosted checkout (replacing order). Uses the public key; not retried. */
    async beginCheckout(input: CheckoutInput, callOptions?: CallOptions): Promise<CheckoutSession> {
      if (!publicKey) throw new TypeError('Points client: `publicKey` is required for beginCheckout');
      const body = checkInput(checkoutRequestSchema, input, 'checkout request');
      return call(
        {
          method: 'POST',
          route: '/v1/orders/checkout/{publicKey}',
          path: `/v1/orders/checkout/${encodeURIComponent(publicKey)}`,
          body,
          auth: false,
          retry: 'never',
          unwrap: 'data',
          schema: checkoutSessionSchema,
        },
        callOptions,
      );
    },

    /** §2.3 Reads an order by its Points uuid. Retried. */
    async getOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return call(
        {
          method: 'GET',
          route: '/v1/orders/{orderUuid}',
          path: `/v1/orders/${uuidSegment(uuid, 'order uuid')}`,
          auth: true,
          retry: 'idempotent',
          unwrap: 'data',
          schema: orderResourceSchema,
        },
        callOptions,
      );
    },

    /** §2.7 Marks a replacing order paid (`approved`). Not retried. */
    async completeOrder(
      uuid: string,
      input: CompleteInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(completeRequestSchema, input, 'complete request');
      return orderAction(uuid, 'complete', body, callOptions);
    },

    /** §2.8 Not retried. */
    async authorizeOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return orderAction(uuid, 'authorize', undefined, callOptions);
    },

    /** §2.9 Not retried. */
    async captureOrder(uuid: string, callOptions?: CallOptions): Promise<OrderResource> {
      return orderAction(uuid, 'capture', undefined, callOptions);
    },

    /** §2.10 Not retried. */
    async cancelOrder(
      uuid: string,
      input: CancelInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(cancelRequestSchema, input, 'cancel request');
      return orderAction(uuid, 'cancel', body, callOptions);
    },

    /** §2.11 Sets the shipping status and/or custom labels. Not retried (each call fires a webhook). */
    async updateShippingStatus(
      uuid: string,
      input: ShippingStatusInput,
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(shippingStatusRequestSchema, input, 'shipping status request');
      return orderAction(uuid, 'status', body, callOptions);
    },

    /** §2.12 Full (no `amount`) or partial refund. Not retried. */
    async refundOrder(
      uuid: string,
      input: RefundInput = {},
      callOptions?: CallOptions,
    ): Promise<OrderResource> {
      const body = checkInput(refundRequestSchema, input, 'refund request');
      return orderAction(uuid, 'refund', body, callOptions);
    },
  };
}

export type OrderEndpoints = ReturnType<typeof orderEndpoints>;
