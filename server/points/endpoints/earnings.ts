/**
 * The earning endpoints (points-api.md §2.4-§2.6): points for a purchase, a store rating, a product
 * rating. Retried on 429 only: Points' per-merchant lock answer means nothing happened, while a lost
 * answer to anything else may have awarded the points (`outcomeUnknown: true`).
 */
import { earningRequestSchema, productRatingRequestSchema, storeRatingRequestSchema } from '../requests.ts';
import type { EarningInput, ProductRatingInput, StoreRatingInput } from '../requests.ts';
import { earningResultSchema } from '../schemas.ts';
import type { EarningResult } from '../schemas.ts';
import type { Call, CallOptions } from '../transport.ts';
import { checkInput } from './input.ts';

/**
 * The earning methods of a Points client, sent through `call`.
 *
 * @example
 * const earnings = earningEndpoints(createTransport({ privateKey, environment: 'sandbox' }));
 * const { status } = await earnings.createEarning({ phone_number, total_price: 150, products, order_number: 'ORD-1' });
 */
export function earningEndpoints(call: Call) {
  const earning = (route: string, body: unknown, callOptions?: CallOptions): Promise<EarningResult> =>
    call(
      {
        method: 'POST',
        route,
        path: route,
        body,
        auth: true,
        retry: 'rate-limit-only',
        unwrap: 'data',
        schema: earningResultSchema,
      },
      callOptions,
    );

  return {
    /** §2.4 Awards purchase points. Retried on 429 only; may answer `pending_client_activation`. */
    async createEarning(input: EarningInput, callOptions?: CallOptions): Promise<EarningResult> {
      return earning(
        '/v1/orders/earning',
        checkInput(earningRequestSchema, input, 'earning request'),
        callOptions,
      );
    },

    /** §2.5 Awards store-rating points. Retried on 429 only. */
    async createStoreRatingEarning(
      input: StoreRatingInput,
      callOptions?: CallOptions,
    ): Promise<EarningResult> {
      const body = checkInput(storeRatingRequestSchema, input, 'store rating request');
      return earning('/v1/orders/earning/store-rating', body, callOptions);
    },

    /** §2.6 Awards product-rating points. Retried on 429 only. */
    async createProductRatingEarning(
      input: ProductRatingInput,
      callOptions?: CallOptions,
    ): Promise<EarningResult> {
      const body = checkInput(productRatingRequestSchema, input, 'product rating request');
      return earning('/v1/orders/earning/product-rating', body, callOptions);
    },
  };
}

export type EarningEndpoints = ReturnType<typeof earningEndpoints>;
