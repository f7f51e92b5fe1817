import type { Harness } from '../server/edge-harness.ts';
import { edgeUrl } from '../server/edge-harness.ts';

/** Obviously fake; never a real token. */
export const adminToken = 'test-admin-token-00000000000000000000';

/** Two named operators' tokens (obviously fake), and `CONSOLE_OPERATORS` naming them. */
export const operatorTokens = {
  sara: 'test-token-sara-manager-0000000000000',
  omar: 'test-token-omar-viewer-00000000000000',
};
export const consoleOperators = `sara:manager:${operatorTokens.sara}\nomar:viewer:${operatorTokens.omar}`;

/** A request to the console as its own page in a browser would send it (same origin, `Sec-Fetch-Site`). */
export function consoleRequest(
  harness: Harness,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; base?: string } = {},
) {
  const base = init.base ?? edgeUrl;
  return harness.edge.app.request(`${base}/console${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.method && init.method !== 'GET' ? { origin: base, 'sec-fetch-site': 'same-origin' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

/** Posts the sign-in form. */
export function postSignIn(harness: Harness, token: string, headers: Record<string, string> = {}) {
  return consoleRequest(harness, '/session', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** The `name=value` of a `set-cookie` header, as a browser sends it back. */
export const cookieOf = (response: Response) =>
  (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

/** Signs in with a right token (the admin's unless given): the cookie to send and the CSRF token. */
export async function signIn(
  harness: Harness,
  token = adminToken,
): Promise<{ cookie: string; csrf: string }> {
  const response = await postSignIn(harness, token);
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: cookieOf(response), csrf: csrfToken };
}

/** A signed-in API call; a body is sent as JSON with the CSRF token. */
export function api(
  harness: Harness,
  session: { cookie: string; csrf: string },
  path: string,
  init: { method?: string; body?: unknown; csrf?: string | null } = {},
) {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const csrf = init.csrf === undefined ? session.csrf : init.csrf;
  return consoleRequest(harness, `/api${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(method !== 'GET' ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && csrf !== null ? { 'x-csrf-token': csrf } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

/** A checkout paid by card and settled: the order is `confirmed` with its Points uuid. */
export async function paidOrder(harness: Harness, orderNumber: string, total = '80.00') {
  await harness.checkout({
    orderToken: await harness.orderToken({ order_number: orderNumber, total_price: total, products: [] }),
  });
  await harness.sandbox.completeCheckout(orderNumber, { phone: '500000002' });
  await harness.settle();
}

/** A store platform's order as the connectors would have left it (only what the console reads is real). */
export async function connectorOrder(
  harness: Harness,
  key: string,
  outcome: 'waiting' | 'earned' | 'pending' | 'skipped' | 'reversed' | 'failed',
  reason: string | null = null,
) {
  const now = Date.now();
  await harness.store.db
    .insertInto('connector_orders')
    .values({
      key,
      platform: key.split(':')[0]!,
      store_id: 'store-1',
      kind: 'order',
      reference: key.split(':').at(-1)!,
      facts: JSON.stringify({ phone: '+966500000002' }),
      outcome,
      reason,
      points_uuid: null,
      earned_halalas: null,
      earned_points: null,
      reversed_halalas: 0,
      deliveries: 1,
      last_delivery_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
