import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../server/connectors/connector.ts';
import { woocommerce, type WooCommerceSettings } from '../../../server/connectors/woocommerce/woocommerce.ts';

// Our check against WooCommerce's own signing code (WC_Webhook::generate_signature, copied into sign.php), run
// with php-cli. Skipped where php is not installed.
const hasPhp = spawnSync('php', ['--version']).status === 0;
const fixtures = fileURLToPath(new URL('./fixtures/woocommerce/', import.meta.url));

/** The body WooCommerce would send for a fixture, and its signature, from WooCommerce's code. */
function wooSigned(secret: string, fixture: string): { body: string; signature: string } {
  return JSON.parse(
    execFileSync('php', [`${fixtures}sign.php`, secret, `${fixtures}${fixture}`], { encoding: 'utf8' }),
  );
}

function delivery(body: string, signature: string): Delivery {
  return {
    headers: new Headers({
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://shop.example/',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-id': '12',
      'x-wc-webhook-signature': signature,
    }),
    rawBody: new TextEncoder().encode(body),
    text: body,
    pathEvent: undefined,
  };
}

const settingsWith = (secret: string) =>
  woocommerce.settings({
    WOOCOMMERCE_WEBHOOK_SECRET: secret,
    WOOCOMMERCE_EARN_ON: 'paid',
  }) as WooCommerceSettings;

describe.skipIf(!hasPhp)("woocommerce signature against WooCommerce's PHP", () => {
  it.each([
    'test-woocommerce-secret-00000000000000000',
    'test-woocommerce-&amp;-secret-&#039;-&quot;-0000',
    `test-woocommerce-&<>"'-secret-000000000000`,
  ])('accepts what WooCommerce signs with secret %j', async (secret) => {
    for (const fixture of [
      'order-created-processing.json',
      'order-updated-refunded.json',
      'order-deleted.json',
    ]) {
      const { body, signature } = wooSigned(secret, fixture);
      expect(await woocommerce.verify(delivery(body, signature), settingsWith(secret))).toEqual({ ok: true });
    }
  });

  it('refuses the body changed by one byte, and another secret', async () => {
    const secret = 'test-woocommerce-secret-00000000000000000';
    const { body, signature } = wooSigned(secret, 'order-created-processing.json');
    const changed = body.replace('"196.00"', '"196.01"');
    expect(changed).not.toBe(body);
    expect(await woocommerce.verify(delivery(changed, signature), settingsWith(secret))).toMatchObject({
      ok: false,
    });
    expect(
      await woocommerce.verify(
        delivery(body, signature),
        settingsWith('test-woocommerce-secret-11111111111111111'),
      ),
    ).toMatchObject({ ok: false });
  });

  it("parses WooCommerce's own JSON encoding (escaped slashes) to the same facts", async () => {
    const secret = 'test-woocommerce-secret-00000000000000000';
    const { body, signature } = wooSigned(secret, 'order-created-processing.json');
    expect(body).toContain('https:\\/\\/shop.example');
    const parsed = await woocommerce.parse(delivery(body, signature), JSON.parse(body));
    expect(parsed).toMatchObject({
      type: 'order',
      order: { storeId: 'shop.example', orderId: '1052', paid: true },
    });
  });
});
