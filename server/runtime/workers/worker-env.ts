import type { D1Database } from '../../store/d1-dialect.ts';

/** A binding that answers requests: the static assets (`ASSETS`) or another Worker. */
export interface Fetcher {
  fetch(request: Request): Promise<Response>;
}

/** What the Worker's functions get when they run: Cloudflare's `ExecutionContext`, as Hono types it. */
export type { ExecutionContext } from 'hono';

/**
 * The Worker's environment: the D1 database (the binding `DATABASE_URL` names, `DB` by default), the
 * built widgets and console as static assets (`ASSETS`), and every variable and secret of `points-edge
 * serve` as a string binding (`wrangler.jsonc` `vars`, `wrangler secret put`).
 */
export interface WorkerEnv {
  ASSETS?: Fetcher;
  [binding: string]: unknown;
}

/** The binding the D1 store is opened on when `DATABASE_URL` names none. */
export const defaultD1Binding = 'DB';

/** The Worker's string bindings (vars and secrets): the environment `loadConfig` validates. */
export function environmentOf(env: WorkerEnv): Record<string, string> {
  const values: Record<string, string> = { DATABASE_URL: `d1:${defaultD1Binding}` };
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') values[name] = value;
  return values;
}

/** The D1 binding `DATABASE_URL` names (`d1:DB`), or a sentence saying what is wrong. */
export function d1BindingOf(env: WorkerEnv, databaseUrl: string): D1Database | string {
  const name = /^d1:([A-Za-z_]\w*)$/.exec(databaseUrl)?.[1];
  if (!name) return 'DATABASE_URL: on Workers it names a D1 binding, like d1:DB';
  const binding = env[name] as Partial<D1Database> | undefined;
  if (typeof binding?.prepare !== 'function' || typeof binding.batch !== 'function') {
    return `${name}: no D1 database is bound under this name (wrangler.jsonc "d1_databases")`;
  }
  return binding as D1Database;
}
