import type { Config } from '../config.ts';
import { remoteOperations } from '../admin/remote-operations.ts';
import type { PlatformId } from '../connectors/connector.ts';
import { lastConnectorDeliveries } from '../connectors/connector-operations.ts';
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

function lastDeliveryCheck(connector: ActiveConnector, last: LastDeliveries, now: number): CheckResult {
  const check = `${connector.title} last delivery`;
  if (!last.deliveries) {
    return {
      check,
      status: 'warn',
      detail: `not checked: ${last.notChecked}`,
      fix: last.fix,
    };
  }
  const iso = last.deliveries[connector.id];
  if (!iso) {
    return {
      check,
      status: 'warn',
      detail: `no delivery received yet${last.from}`,
      fix: `Register the webhook in ${connector.title} (docs/integration-guide.md, section 11), or try one with points-sandbox play ${connector.id} paid --to <this server>.`,
    };
  }
  const age = now - Date.parse(iso);
  if (age > staleDeliveryMs) {
    return {
      check,
      status: 'warn',
      detail: `the last one came ${Math.round(age / 86_400_000)} days ago (${iso})${last.from}`,
      fix: `Check that the webhook is still active in ${connector.title} (WooCommerce disables one after 5 failures).`,
    };
  }
  return { check, status: 'pass', detail: `${iso}${last.from}` };
}

/** Each connector's last delivery, read from the database or from the server that holds it, or why not. */
type LastDeliveries =
  | { deliveries: Partial<Record<PlatformId, string | null>>; from: string }
  | { deliveries?: undefined; notChecked: string; fix: string };

async function readLastDeliveries(
  config: Config,
  deps: { serverUrl?: string | undefined; serverFetch?: typeof fetch | undefined; store?: Store | undefined },
): Promise<LastDeliveries> {
  let store = deps.store;
  try {
    store ??= await openDatabase(config.databaseUrl);
    return {
      deliveries: await lastConnectorDeliveries(
        store,
        config.connectors.map((connector) => connector.id),
      ),
      from: '',
    };
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) {
      return { notChecked: 'no database', fix: 'Check DATABASE_URL and that the database is up.' };
    }
  } finally {
    if (!deps.store) await store?.close();
  }
  // A running SQLite server holds the file: ask it over the admin API.
  if (!deps.serverUrl) {
    return {
      notChecked: 'the SQLite file is held by a running server',
      fix: 'Run points-edge doctor --server <its URL>: doctor then asks that server.',
    };
  }
  if (!config.adminToken) {
    return {
      notChecked: 'the SQLite file is held by the running server, and asking it needs ADMIN_TOKEN',
      fix: "Set ADMIN_TOKEN here to the server's admin token.",
    };
  }
  const url = `${deps.serverUrl.replace(/\/+$/, '')}/admin/connectors/last-deliveries`;
  try {
    const deliveries = await remoteOperations(
      deps.serverUrl,
      config.adminToken,
      deps.serverFetch ?? fetch,
    ).lastConnectorDeliveries();
    return { deliveries, from: ` (asked the running server: ${url})` };
  } catch (error) {
    return {
      notChecked: `the running server (${url}) answered: ${(error as Error).message}`,
      fix: 'Check ADMIN_TOKEN here matches the server, and that the server is up.',
    };
  }
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
  const last = await readLastDeliveries(config, deps);
  const now = (deps.now ?? Date.now)();
  for (const connector of config.connectors) {
    results.push(secretCheck(connector));
    results.push(await routeCheck(connector, root, get));
    results.push(lastDeliveryCheck(connector, last, now));
  }
  return results;
}
