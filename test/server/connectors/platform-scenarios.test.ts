import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectorOrderKey,
  connectorReviewKey,
  type PlatformId,
} from '../../../server/connectors/connector.ts';
import { findConnectorOrder } from '../../../server/connectors/connector-orders.ts';
import {
  playScenario,
  scenarios,
  type PlayerCredentials,
  type PlayerOrder,
} from '../../../demo/sandbox/platforms/index.ts';
import { createHarness, edgeUrl, type Harness } from '../edge-harness.ts';

// Every platform, every scenario the sandbox's player can send, each also duplicated and shuffled: the
// deliveries come in any order and any number of times, and the customer ends with the right balance
// from exactly one earning.
const credentials: PlayerCredentials = {
  salla: { secret: 'test-salla-secret-00000000000000000000' },
  zid: { username: 'test-zid-user', password: 'test-zid-password-0000000000000000' },
  shopify: { secret: 'test-shopify-secret-0000000000000000' },
  woocommerce: { secret: 'test-woocommerce-secret-000000000000' },
};
const env = {
  SALLA_WEBHOOK_SECRET: credentials.salla!.secret,
  ZID_WEBHOOK_USERNAME: credentials.zid!.username,
  ZID_WEBHOOK_PASSWORD: credentials.zid!.password,
  SHOPIFY_API_SECRET: credentials.shopify!.secret,
  WOOCOMMERCE_WEBHOOK_SECRET: credentials.woocommerce!.secret,
};
const stores: Record<PlatformId, string> = {
  salla: '1305146709',
  zid: '3',
  shopify: 'coffee-house.myshopify.com',
  woocommerce: 'shop.example',
};
const platforms = Object.keys(stores) as PlatformId[];
/** What each scenario leaves: the connector order's outcome, and the customer's balance as a share of the earning. */
const expected: Record<string, { outcomes: string[]; share: 'all' | 'part' | 'none' }> = {
  paid: { outcomes: ['earned'], share: 'all' },
  completed: { outcomes: ['earned'], share: 'all' },
  cod: { outcomes: ['earned'], share: 'all' },
  'partial-refund': { outcomes: ['reversed'], share: 'part' },
  'full-refund': { outcomes: ['reversed', 'skipped'], share: 'none' },
  cancel: { outcomes: ['reversed', 'skipped'], share: 'none' },
  // Shuffled, the payment may come first after all: then it earns and is reversed.
  'out-of-order': { outcomes: ['skipped', 'reversed'], share: 'none' },
  review: { outcomes: ['earned'], share: 'all' },
};
const supported = (platform: PlatformId, scenario: string) =>
  !(scenario === 'review' && platform !== 'salla') &&
  !(scenario === 'partial-refund' && (platform === 'salla' || platform === 'zid'));

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness('sqlite', { env });
});
afterAll(async () => harness?.close());

let nextPhone = 100;
for (const platform of platforms) {
  describe(platform, () => {
    for (const scenario of Object.keys(expected).filter((name) => supported(platform, name))) {
      for (const mode of ['in order', 'duplicated and shuffled'] as const) {
        it(`${scenario}, ${mode}`, async () => {
          const phone = `0500000${String(nextPhone++).padStart(3, '0')}`;
          const order: PlayerOrder = {
            store: stores[platform],
            orderId: String(700_000 + nextPhone),
            totalSar: '199.00',
            phone: platform === 'shopify' ? `+966${phone.slice(1)}` : phone,
            ...(scenario === 'cod' ? { cod: true } : {}),
          };
          // A review id of its own per test: one review earns once, whoever sends it again.
          const reviewId = `70${nextPhone}`;
          const steps = scenarios[scenario]!.map((step) =>
            step.type === 'review' ? { ...step, reviewId } : step,
          );
          const results = await playScenario(platform, steps, order, credentials, {
            baseUrl: edgeUrl,
            fetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
            ...(mode === 'in order' ? {} : { duplicate: true, shuffle: true }),
          });
          expect(results.every((result) => result.status === 200)).toBe(true);
          await harness.edge.worker.drain();

          const key = connectorOrderKey(platform, stores[platform], order.orderId);
          const row = await findConnectorOrder(harness.store.db, key);
          const { outcomes, share } = expected[scenario]!;
          expect(outcomes).toContain(row?.outcome);
          if (scenario === 'out-of-order' && mode === 'in order') expect(row?.outcome).toBe('skipped');
          const atPoints = harness.sandbox.findOrderByNumber(key);
          const balance = harness.sandbox.customer(phone)!.balance;
          if (share === 'none') {
            expect(balance).toBe(0);
          } else {
            expect(atPoints).toMatchObject({ type: 1, total_price: 199 });
            const earned = Number(atPoints!.total_points);
            if (scenario === 'review') {
              const review = await findConnectorOrder(
                harness.store.db,
                connectorReviewKey('salla', stores.salla, reviewId),
              );
              expect(review).toMatchObject({ outcome: 'earned' });
              expect(balance).toBe(earned + Number(review!.earned_points));
            } else if (share === 'all') expect(balance).toBe(earned);
            else {
              expect(row).toMatchObject({ reversed_halalas: 5000 });
              expect(balance).toBeGreaterThan(0);
              expect(balance).toBeLessThan(earned);
            }
          }
        });
      }
    }
  });
}
