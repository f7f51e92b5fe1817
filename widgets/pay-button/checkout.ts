import type { ProblemCode } from '../../wire/problem-codes.ts';
import type { CheckoutRequest } from '../shared/events.ts';

export { payErrorWordingFor } from './copy.ts';

/** The edge server's answer to `POST {server}/checkout`. */
export interface CheckoutSession {
  checkoutUrl: string;
  orderNumber: string;
}

/**
 * The pay flow, loaded the first time a shopper presses the button (a lazy chunk): the request to
 * the edge server and the words for what can go wrong.
 */

/** A failed checkout start: `code` is the problem's `code`, or `network` / `bad_response`. */
export class CheckoutError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'CheckoutError';
    this.code = code;
    this.status = status;
  }
}

/** Only a web page may be navigated to: never `javascript:` or `data:` from a confused server. */
function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * `POST {server}/checkout` with the order, without cookies; resolves to the hosted checkout URL or
 * rejects with a {@link CheckoutError} carrying the problem+json `code`.
 */
export async function startCheckout(server: string, request: CheckoutRequest): Promise<CheckoutSession> {
  let response: Response;
  try {
    response = await fetch(new URL('checkout', server), {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
      body: JSON.stringify(request),
    });
  } catch (error) {
    throw new CheckoutError('network', error instanceof Error ? error.message : String(error));
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    const code = typeof body?.['code'] === 'string' ? body['code'] : `http_${response.status}`;
    const title = typeof body?.['title'] === 'string' ? body['title'] : response.statusText;
    throw new CheckoutError(code, title, response.status);
  }
  if (!isWebUrl(body?.['checkoutUrl']) || typeof body?.['orderNumber'] !== 'string') {
    throw new CheckoutError('bad_response', 'POST /checkout answered without a checkoutUrl', response.status);
  }
  return { checkoutUrl: body['checkoutUrl'], orderNumber: body['orderNumber'] };
}

/**
 * Server codes (`server/http/problem-codes.ts`) whose shopper message has another name; the other codes
 * are message keys themselves or go by their status.
 */
const aliases: Partial<Record<ProblemCode, string>> = {
  validation_failed: 'invalid_order',
  invalid_order_token: 'order_expired',
};

/** Which shopper message a failure shows: by code first, then by HTTP status. */
export function messageKeyFor(errorCode: string, httpStatus: number | undefined, known: object): string {
  const alias = Object.hasOwn(aliases, errorCode) ? aliases[errorCode as ProblemCode] : undefined;
  const code = alias ?? errorCode;
  if (Object.hasOwn(known, code)) return code;
  const status = httpStatus ?? 0;
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'order_not_found';
  if (status === 409) return 'order_already_paid';
  if (status === 410) return 'order_expired';
  if (status === 400 || status === 422) return 'invalid_order';
  if (status >= 500) return 'points_unavailable';
  return 'default';
}
