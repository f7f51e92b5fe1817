import type { Config } from '../config.ts';
import type { ActiveConnector } from '../connectors/registry.ts';
import { DatabaseLockedError, openDatabase } from '../runtime/node/store/open-database.ts';
import type { Store } from '../store/db.ts';
import type { CheckResult } from './checks.ts';

/** A connector whose last delivery is older than this is probably not registered any more. */
export const staleDeliveryMs = 7 * 24 * 3600_000;

/** The URL a platform posts to; Zid has one per event, so the check uses `order.create`'s. */
export function connectorUrl(root: string, connector: Pick<ActiveConnector, 'id'>): string {
  return `${root}/connectors/${connector.id}/webhooks${connector.id === 'zid' ? '/order.create' : ''}`;
}

function secretCheck(connector: ActiveConnector): CheckResult {
  const check = `${connector.title} connector secret`;
  if (connector.weakSecrets.length > 0) {
    return {
      check,
      status: 'warn',
      detail: `${connector.weakSecrets.join(', ')} shorter than 32 characters`,
      fix: 'Use a long random secret (openssl rand -hex 32) on both sides; production refuses short ones.',
    };
  }
  return { check, status: 'pass', detail: 'set, 32 characters or more' };
}

/** An unsigned POST must be refused with 401: the route is there, and it checks signatures. */
async function routeCheck(connector: ActiveConnector, root: string, get: typeof fetch): Promise<CheckResult> {
  const check = `${connector.title} connector route`;
  const url = connectorUrl(root, connector);
  try {
    const response = await get(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (response.status === 401)
      return { check, status: 'pass', detail: `${url} refuses unsigned deliveries` };
    if (response.status === 404) {
      return {
        check,
        status: 'fail',
        detail: `${url} answered 404: the running server has this connector off`,
        fix: `Set ${connector.title}'s secret in the server's environment and restart it.`,
      };
    }
    return {
      check,
      status: 'fail',
      detail: `${url} answered ${response.status} to an unsigned delivery`,
      fix: 'Something in front of the server answers for it; route /connectors/ to the edge server unchanged.',
    };
  } catch (error) {
    return {
      check,
      status: 'fail',
      detail: `cannot reach ${url}: ${(error as Error).message}`,
      fix: 'Start the server, or pass --server with its URL.',
    };
  }
}

async function lastDeliveryCheck(
  connector: ActiveConnector,
  store: Store,
  now: number,
): Promise<CheckResult> {
  const check = `${connector.title} last delivery`;
  const last = await store.db
    .selectFrom('webhook_receipts')
    .select((eb) => eb.fn.max('received_at').as('at'))
    .where('source', '=', connector.id)
    .executeTakeFirst();
  const at = last?.at === null || last?.at === undefined ? undefined : Number(last.at);
  if (at === undefined) {
    return {
      check,
      status: 'warn',
      detail: 'no delivery received yet',
      fix: `Register the webhook in ${connector.title} (docs/integration-guide.md, section 11), or try one with points-sandbox play ${connector.id} paid --to <this server>.`,
    };
  }
  const age = now - at;
  const when = new Date(at).toISOString();
  if (age > staleDeliveryMs) {
    return {
      check,
      status: 'warn',
      detail: `the last one came ${Math.round(age / 86_400_000)} days ago (${when})`,
      fix: `Check that the webhook is still active in ${connector.title} (WooCommerce disables one after 5 failures).`,
    };
  }
  return { check, status: 'pass', detail: when };
}

/**
 * The go-live checks of every connector that is on: its secret is long enough, its route answers an
 * unsigned delivery with 401, and it has had a delivery lately.
 */
export async function connectorChecks(deps: {
  config: Config;
  serverUrl?: string | undefined;
  serverFetch?: typeof fetch | undefined;
  store?: Store | undefined;
  now?: (() => number) | undefined;
}): Promise<CheckResult[]> {
  const { config } = deps;
  if (config.connectors.length === 0) return [];
  const root = (deps.serverUrl ?? config.publicUrl).replace(/\/+$/, '');
  const get = deps.serverFetch ?? fetch;
  const results: CheckResult[] = [];
  let store = deps.store;
  let locked = false;
  try {
    store ??= await openDatabase(config.databaseUrl);
  } catch (error) {
    locked = error instanceof DatabaseLockedError;
    store = undefined;
  }
  try {
    for (const connector of config.connectors) {
      results.push(secretCheck(connector));
      results.push(await routeCheck(connector, root, get));
      if (store) results.push(await lastDeliveryCheck(connector, store, (deps.now ?? Date.now)()));
      else {
        results.push({
          check: `${connector.title} last delivery`,
          status: 'warn',
          detail: locked
            ? 'not checked: the SQLite file is held by the running server'
            : 'not checked: no database',
          fix: `points-edge connectors list --platform ${connector.id} --server <its URL> shows its latest orders.`,
        });
      }
    }
  } finally {
    if (!deps.store) await store?.close();
  }
  return results;
}
