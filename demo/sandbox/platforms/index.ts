/**
 * The platform player: realistic, correctly signed webhook deliveries of Salla, Zid, Shopify and
 * WooCommerce, for the edge server's connector routes, so a merchant can try a connector without a
 * platform account. One file per platform says which event each step is and what its body holds.
 */
import type {
  BuiltDelivery,
  DeliveryBuilder,
  PlatformName,
  PlayerCredentials,
  PlayerOrder,
  PlayerStep,
} from './common.ts';
import { buildSalla } from './salla.ts';
import { buildShopify } from './shopify.ts';
import { buildWooCommerce } from './woocommerce.ts';
import { buildZid } from './zid.ts';

export type { BuiltDelivery, PlatformName, PlayerCredentials, PlayerOrder, PlayerStep } from './common.ts';

const builders: Record<PlatformName, DeliveryBuilder> = {
  salla: buildSalla,
  zid: buildZid,
  shopify: buildShopify,
  woocommerce: buildWooCommerce,
};

/** The platforms, in the order the docs list them. */
export const platformNames = Object.keys(builders) as PlatformName[];

/**
 * One delivery of `step`. Salla, Zid and WooCommerce send the whole current order, so the steps before
 * it matter: pass them as `history`. The same arguments always give the same delivery (a duplicate).
 * Throws for a step the platform has no delivery for (a partial refund on Salla or Zid, a review other
 * than on Salla) or a credential it needs.
 *
 * @example
 * const order = { store: 'shop.example', orderId: '1052', totalSar: '199.00', phone: '0500000001' };
 * const paid = buildDelivery('woocommerce', { type: 'paid' }, order, { woocommerce: { secret } }, [{ type: 'created' }]);
 * await fetch(`http://127.0.0.1:8787${paid.path}`, { method: 'POST', headers: paid.headers, body: paid.body });
 */
export function buildDelivery(
  platform: PlatformName,
  step: PlayerStep,
  order: PlayerOrder,
  credentials: PlayerCredentials,
  history: PlayerStep[] = [],
): BuiltDelivery {
  const build = builders[platform];
  if (!build) throw new Error(`No platform ${String(platform)}: use ${platformNames.join(', ')}`);
  return build(step, order, credentials, history);
}

/** Where each step comes in an order's life; the steps before a step are its history. */
const lifeOrder: Record<PlayerStep['type'], number> = {
  created: 0,
  paid: 1,
  completed: 2,
  review: 3,
  partial_refund: 4,
  full_refund: 5,
  cancelled: 5,
};

/** The steps of `steps` that happen before `steps[index]` in the order's life, in that order. */
function historyOf(steps: PlayerStep[], index: number): PlayerStep[] {
  const rank = (i: number) => lifeOrder[steps[i]!.type];
  return steps
    .map((step, i) => ({ step, i }))
    .filter(({ i }) => rank(i) < rank(index) || (rank(i) === rank(index) && i < index))
    .sort((a, b) => rank(a.i) - rank(b.i))
    .map(({ step }) => step);
}

/**
 * Sends a scenario's deliveries to the edge server at `baseUrl`, one after the other, in the order the
 * steps are listed. Each is built as the order stands after the steps that come before it in an order's
 * life (created, paid, completed, review, refunds, cancel), wherever they are in the list: so
 * `[created, full_refund, paid]` is a refund that overtakes the payment. `duplicate` sends every delivery
 * twice; `shuffle` sends them in a random order. Every delivery is built before the first is sent.
 *
 * @example
 * const results = await playScenario('shopify', scenarios['partial-refund'], order, { shopify: { secret } },
 *   { baseUrl: 'http://127.0.0.1:8787', duplicate: true });
 * // [{ step: { type: 'created' }, event: 'orders/create', status: 200 }, …]
 */
export async function playScenario(
  platform: PlatformName,
  steps: PlayerStep[],
  order: PlayerOrder,
  credentials: PlayerCredentials,
  options: { baseUrl: string; fetch?: typeof fetch; duplicate?: boolean; shuffle?: boolean },
): Promise<Array<{ step: PlayerStep; event: string; status: number }>> {
  const built = steps.map((step, index) => ({
    step,
    delivery: buildDelivery(platform, step, order, credentials, historyOf(steps, index)),
  }));
  const sends = options.duplicate ? built.flatMap((one) => [one, one]) : built;
  if (options.shuffle) {
    for (let i = sends.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [sends[i], sends[j]] = [sends[j]!, sends[i]!];
    }
  }
  const send = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const results = [];
  for (const { step, delivery } of sends) {
    const response = await send(`${base}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await response.arrayBuffer();
    results.push({ step, event: delivery.event, status: response.status });
  }
  return results;
}

/**
 * Ready-made step lists, by the name `points-sandbox play` takes. `cod` is meant for an order with
 * `cod: true`; `review` is Salla only; `partial-refund` Shopify and WooCommerce only; `out-of-order` is a
 * refund that arrives before the payment it refunds.
 *
 * @example
 * await playScenario('salla', scenarios.review, order, { salla: { secret } }, { baseUrl });
 */
export const scenarios: Record<string, PlayerStep[]> = {
  paid: [{ type: 'created' }, { type: 'paid' }],
  completed: [{ type: 'created' }, { type: 'paid' }, { type: 'completed' }],
  'partial-refund': [{ type: 'created' }, { type: 'paid' }, { type: 'partial_refund', amountSar: '50.00' }],
  'full-refund': [{ type: 'created' }, { type: 'paid' }, { type: 'full_refund' }],
  cancel: [{ type: 'created' }, { type: 'paid' }, { type: 'cancelled' }],
  cod: [{ type: 'created' }, { type: 'paid' }, { type: 'completed' }],
  review: [
    { type: 'created' },
    { type: 'paid' },
    { type: 'completed' },
    { type: 'review', reviewId: '7001', rating: 5, productId: '1653503260', productName: 'Sandbox item' },
  ],
  'out-of-order': [{ type: 'created' }, { type: 'full_refund' }, { type: 'paid' }],
};
