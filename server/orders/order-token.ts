import { verify } from 'hono/jwt';
import { z } from 'zod';
import { orderClaimsSchema, toResolvedOrder, type ResolvedOrder } from './resolved-order.ts';

/** Why an order token was refused; the browser only ever sees the generic 401. */
export class OrderTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'OrderTokenError';
  }
}

const tokenClaimsSchema = orderClaimsSchema.extend({ exp: z.number().int() });

/** Default longest an order token may still be valid for, in seconds (`ORDER_TOKEN_MAX_LIFETIME_SECONDS`). */
export const defaultOrderTokenMaxLifetimeSeconds = 24 * 3600;

/** Limits of {@link verifyOrderToken}. */
export interface OrderTokenLimits {
  /** A token whose `exp` is further away than this is refused (a year-9999 token replays forever). */
  maxLifetimeSeconds?: number;
  /** Now, in epoch ms. */
  now?: number;
}

/**
 * Verifies an order token signed by the merchant's backend (JWT, HS256, `ORDER_TOKEN_SECRET`) and returns
 * the order it vouches for. Expiry is required and at most `maxLifetimeSeconds` away: a token without `exp`, or with one
 * years away, could be replayed for as long.
 * Only HS256 is accepted, so an `alg: none` or RS256 token cannot sneak through.
 *
 * @example
 * const order = await verifyOrderToken(body.orderToken, config.orderTokenSecret);
 */
export async function verifyOrderToken(
  token: string,
  secret: string,
  limits: OrderTokenLimits = {},
): Promise<ResolvedOrder> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, { alg: 'HS256', exp: true, nbf: true, iat: true });
  } catch (error) {
    const name = (error as Error).name;
    throw new OrderTokenError(
      name === 'JwtTokenExpired' ? 'token expired' : 'token signature or format invalid',
    );
  }
  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const fields = claims.error.issues.map((issue) => issue.path.join('.') || 'token').join(', ');
    throw new OrderTokenError(`token claims invalid: ${fields}`);
  }
  const maxLifetimeSeconds = limits.maxLifetimeSeconds ?? defaultOrderTokenMaxLifetimeSeconds;
  const nowSeconds = Math.floor((limits.now ?? Date.now()) / 1000);
  if (claims.data.exp > nowSeconds + maxLifetimeSeconds) {
    throw new OrderTokenError(`token expires more than ${maxLifetimeSeconds} s from now`);
  }
  return toResolvedOrder(claims.data);
}
