import { createMiddleware } from 'hono/factory';
import { constantTimeEqual } from '../../server/shared/constant-time.ts';
import type { Core } from './core.ts';
import { fail } from './envelope.ts';
import type { Merchant } from './store.ts';

export type ApiEnv = { Variables: { merchant: Merchant } };

/** The merchant whose active key is `key`, checking every merchant so timing says nothing. */
export function merchantByKey(
  core: Core,
  key: string,
  kind: 'publicKey' | 'privateKey',
): Merchant | undefined {
  let found: Merchant | undefined;
  for (const merchant of core.store.merchants) {
    if (constantTimeEqual(key, merchant[kind]) && merchant.keyActive) found = merchant;
  }
  return found;
}

/**
 * `x-api-key` authentication (§1.3): a missing header and an unknown or inactive key are both 400.
 *
 * @example
 * api.use('/v1/orders/:uuid/*', requirePrivateKey(core));
 */
export function requirePrivateKey(core: Core) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const key = c.req.header('x-api-key')?.trim();
    if (!key) return fail(c, 400, 'API key is required');
    const merchant = merchantByKey(core, key, 'privateKey');
    if (!merchant) return fail(c, 400, 'Invalid or inactive API key');
    c.set('merchant', merchant);
    await next();
  });
}
