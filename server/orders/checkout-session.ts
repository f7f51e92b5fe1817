import type { OrderResource } from '../points/schemas.ts';
import type { OrderRow } from './repository.ts';

/**
 * The metadata key that names the checkout session a Points order was created for. Points echoes
 * `metadata` on every order it reads back and in every webhook, and an order number can have several
 * Points orders (one per session: a cart change cancels the old session and starts a new one), so this
 * is how we tell the session we wait on from the ones it replaced.
 */
export const sessionMetadataKey = 'points_edge_session';

/** A fresh, unguessable checkout session id. */
export function newCheckoutSessionId(): string {
  return crypto.randomUUID();
}

/** The merchant's metadata with our session id added (sent with the checkout to Points). */
export function withSessionMetadata(
  metadata: Record<string, unknown> | undefined,
  sessionId: string,
): Record<string, unknown> {
  return { ...metadata, [sessionMetadataKey]: sessionId };
}

/** The session id stored with our order (in `details`), when the order was started by this version. */
export function currentSessionOf(row: Pick<OrderRow, 'details'>): string | undefined {
  try {
    const details = JSON.parse(row.details) as { session?: unknown };
    return typeof details.session === 'string' ? details.session : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when a Points order is not the session our order waits on: we know our current session and the
 * Points order names another (or none), or it is for another total than the one we expect.
 */
export function isOtherSession(row: OrderRow, order: OrderResource, settledHalalas: number): boolean {
  const current = currentSessionOf(row);
  const theirs = order.metadata?.[sessionMetadataKey];
  if (current !== undefined && theirs !== current) return true;
  return settledHalalas !== row.expected_total_halalas;
}
