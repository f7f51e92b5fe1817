import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Obviously fake secrets for benches and chaos tests. */
export const benchSecrets = {
  webhook: 'test-webhook-secret-bench-000000000000',
  orderToken: 'test-order-token-secret-bench-00000000',
  admin: 'test-admin-token-bench-000000000000000',
};
/** The sandbox CLI's default demo keys. */
export const sandboxKeys = { publicKey: 'sandbox_public_key_demo', privateKey: 'sandbox_private_key_demo' };

/** A fresh folder for one run's SQLite file and catalog. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `points-${prefix}-`));
}

/** Environment for `node server/main.ts` (or the bench server) against a sandbox, with a SQLite file DB. */
export function edgeEnv(options: {
  dir: string;
  sandboxApi?: string;
  port?: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    POINTS_ENV: 'sandbox',
    POINTS_API_BASE_URL: options.sandboxApi ?? 'http://127.0.0.1:9/api',
    POINTS_PUBLIC_KEY: sandboxKeys.publicKey,
    POINTS_PRIVATE_KEY: sandboxKeys.privateKey,
    POINTS_WEBHOOK_SECRET: benchSecrets.webhook,
    ORDER_TOKEN_SECRET: benchSecrets.orderToken,
    DATABASE_URL: `sqlite:${join(options.dir, 'points.db')}`,
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    ...options.extra,
  };
}
