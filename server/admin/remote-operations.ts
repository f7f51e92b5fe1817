import type { Operations } from './operations.ts';

/** The operations the CLI runs, wherever they run. */
export type OperationsApi = Pick<
  Operations,
  | 'getOrder'
  | 'findOrders'
  | 'adopt'
  | 'refund'
  | 'cancel'
  | 'authorize'
  | 'capture'
  | 'complete'
  | 'ship'
  | 'earn'
  | 'listWebhooks'
  | 'registerWebhook'
  | 'deleteWebhook'
  | 'listDeliveries'
  | 'replayDelivery'
  | 'reconcile'
  | 'listConnectorOrders'
  | 'getConnectorOrder'
  | 'replayConnectorOrder'
  | 'sweepConnectors'
  | 'lastConnectorDeliveries'
>;

/** A failed admin API call: its problem document's code, detail and field errors. */
export class RemoteError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: Record<string, string[]> | undefined;
  constructor(status: number, code: string, message: string, errors?: Record<string, string[]>) {
    super(message);
    this.name = 'RemoteError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

/**
 * The operations of a running edge server, over its admin API: what the CLI uses with `--server`, because
 * a running SQLite server holds its database's lock (no second server process may write to it).
 *
 * @example
 * const ops = remoteOperations('https://edge.example', process.env.ADMIN_TOKEN!);
 * await ops.refund('ORD-1', { amount: '25.00' });
 */
export function remoteOperations(
  baseUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): OperationsApi {
  const root = baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(`${root}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const problem = parsed as
        { detail?: string; code?: string; errors?: Record<string, string[]> } | undefined;
      const code = problem?.code ?? (response.status >= 500 ? 'internal_error' : 'bad_request');
      throw new RemoteError(
        response.status,
        code,
        problem?.detail ?? `The server answered HTTP ${response.status}.`,
        problem?.errors,
      );
    }
    return parsed as T;
  }

  const order = (orderNumber: string) => `/orders/${encodeURIComponent(orderNumber)}`;
  return {
    getOrder: (orderNumber, options = {}) =>
      call('GET', `${order(orderNumber)}${options.live ? '?live=1' : ''}`),
    findOrders: (query = {}) => {
      const search = new URLSearchParams();
      if (query.orderNumber) search.set('order_number', query.orderNumber);
      if (query.referenceNumber) search.set('reference_number', query.referenceNumber);
      if (query.state) search.set('state', query.state);
      if (query.limit !== undefined) search.set('limit', String(query.limit));
      return call('GET', `/orders?${search}`);
    },
    adopt: (uuid) => call('POST', '/adopt', { uuid }),
    refund: (orderNumber, input = {}) => call('POST', `${order(orderNumber)}/refund`, input),
    cancel: (orderNumber, input = {}) => call('POST', `${order(orderNumber)}/cancel`, input),
    authorize: (orderNumber) => call('POST', `${order(orderNumber)}/authorize`),
    capture: (orderNumber) => call('POST', `${order(orderNumber)}/capture`),
    complete: (orderNumber, input = {}) => call('POST', `${order(orderNumber)}/complete`, input),
    ship: (orderNumber, input) => call('POST', `${order(orderNumber)}/ship`, input),
    earn: (kind, input) => call('POST', '/earnings', { kind, input }),
    listWebhooks: () => call('GET', '/webhooks'),
    registerWebhook: (input = {}) => call('POST', '/webhooks', input),
    deleteWebhook: (uuid) => call('DELETE', `/webhooks/${encodeURIComponent(uuid)}`),
    listDeliveries: () => call('GET', '/deliveries'),
    replayDelivery: (id) => call('POST', `/deliveries/${encodeURIComponent(id)}/replay`),
    reconcile: (options = {}) => call('POST', '/reconcile', { full: options.full ?? false }),
    listConnectorOrders: (query = {}) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) search.set(name, String(value));
      return call('GET', `/connectors/orders?${search}`);
    },
    getConnectorOrder: (key) => call('GET', `/connectors/orders/${encodeURIComponent(key)}`),
    replayConnectorOrder: (key) => call('POST', `/connectors/orders/${encodeURIComponent(key)}/replay`),
    sweepConnectors: () => call('POST', '/connectors/sweep'),
    lastConnectorDeliveries: () => call('GET', '/connectors/last-deliveries'),
  };
}
