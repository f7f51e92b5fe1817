import { publicOrderStates, type OrderStatusBody, type PublicOrderState } from '../../wire/order-status.ts';

/*
 * The order-status element's polling and wording, loaded once the element is on a page (a lazy
 * chunk: product pages never pay for it).
 */
export { statusWordingFor } from './copy.ts';

/** What one status request found: the order, or why there is none to show. */
export type StatusResult =
  | { kind: 'status'; status: OrderStatusBody }
  | { kind: 'not_found' }
  | { kind: 'link_expired' }
  | { kind: 'retry' };

function isOrderStatus(value: unknown): value is OrderStatusBody {
  const status = value as Partial<OrderStatusBody> | null;
  return (
    typeof status === 'object' &&
    status !== null &&
    typeof status.orderNumber === 'string' &&
    publicOrderStates.includes(status.state as PublicOrderState) &&
    typeof status.final === 'boolean'
  );
}

/**
 * One `GET {server}/orders/{orderNumber}/status?token=…`, without cookies. 404 and 401/403 are final
 * answers; network failures, 5xx, 429 and malformed bodies are worth another try.
 */
export async function fetchOrderStatus(
  server: string,
  orderNumber: string,
  token: string,
): Promise<StatusResult> {
  const url = new URL(`orders/${encodeURIComponent(orderNumber)}/status`, server);
  url.searchParams.set('token', token);
  try {
    const response = await fetch(url, { credentials: 'omit', headers: { accept: 'application/json' } });
    if (response.status === 404) return { kind: 'not_found' };
    if (response.status === 401 || response.status === 403) return { kind: 'link_expired' };
    if (!response.ok) return { kind: 'retry' };
    const body: unknown = await response.json();
    return isOrderStatus(body) ? { kind: 'status', status: body } : { kind: 'retry' };
  } catch {
    return { kind: 'retry' };
  }
}

/** Delays between polls: start quick (the webhook usually lands within seconds), back off to a ceiling. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const defaultBackoff: Backoff = { initialMs: 1500, maxMs: 30_000, factor: 1.6 };

/** The delay before poll number `attempt` (0-based). */
export function delayFor(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt);
}
