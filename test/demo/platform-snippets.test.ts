import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Delivery, ParsedDelivery } from '../../server/connectors/connector.ts';
import { connectorConfigShape } from '../../server/connectors/registry.ts';
import { salla } from '../../server/connectors/salla/salla.ts';
import { shopify } from '../../server/connectors/shopify/shopify.ts';
import { woocommerce } from '../../server/connectors/woocommerce/woocommerce.ts';
import { zid } from '../../server/connectors/zid/zid.ts';

/**
 * The snippets of the integration guide's section 11 (store platforms), each behind a
 * `<!-- platform:<name> -->` marker: run where a runtime exists here (PHP, bash, a JS sandbox), checked
 * for shape where none does (Liquid, TOML), and held to the connectors they configure.
 */
const guide = readFileSync(new URL('../../docs/integration-guide.md', import.meta.url), 'utf8');
const section = guide.slice(guide.indexOf('## 11. Store platforms'));
const workDir = mkdtempSync(join(tmpdir(), 'points-platform-snippets-'));
const has = (command: string) => spawnSync(command, ['--version']).status === 0;
const widgetsUrl = 'https://points.shop.example/widgets.js';

/** The fenced code block right after `<!-- platform:<name> -->` in section 11. */
function block(name: string): string {
  const match = new RegExp(`<!-- platform:${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!match) throw new Error(`No platform:${name} snippet in section 11 of the guide`);
  return match[1]!;
}

function delivery(headers: Record<string, string>, body: unknown, pathEvent?: string): Delivery {
  const text = JSON.stringify(body);
  return { headers: new Headers(headers), rawBody: new TextEncoder().encode(text), text, pathEvent };
}

/**
 * Runs a registration snippet with `curl` replaced by a shell function that prints its arguments, and
 * returns each call's arguments: the quoting, the loop and the JSON bodies as the shell builds them.
 */
function curlCalls(snippet: string, env: Record<string, string>): string[][] {
  const fake = `curl() { printf '%s\\0' "$@"; printf '\\001\\0'; }\n`;
  const out = execFileSync('bash', ['-euc', fake + snippet], { env: { PATH: process.env.PATH!, ...env } });
  return out
    .toString()
    .split('\u0001\u0000')
    .filter((call) => call.length > 0)
    .map((call) => call.split('\u0000').filter((arg) => arg.length > 0));
}

/** The URL of one fake curl call: its first https argument. */
const urlOf = (call: string[]) => call.find((arg) => arg.startsWith('https://'));

/** The JSON body (`-d`) of one fake curl call. */
function bodyOf(call: string[]): Record<string, unknown> {
  const index = call.indexOf('-d');
  expect(index).toBeGreaterThan(-1);
  return JSON.parse(call[index + 1]!) as Record<string, unknown>;
}

function expectActedOn(parsed: ParsedDelivery, what: string) {
  expect(parsed.type, `${what}: ${JSON.stringify(parsed)}`).not.toBe('ignored');
  expect(parsed.type, `${what}: ${JSON.stringify(parsed)}`).not.toBe('invalid');
}

describe('section 11: the guide', () => {
  it('names every connector variable', () => {
    for (const variable of Object.keys(connectorConfigShape)) expect(section).toContain(`\`${variable}\``);
  });

  it('has a subsection per platform, the sandbox paragraph and the operations', () => {
    for (const heading of [
      '### Salla',
      '### Zid',
      '### Shopify',
      '### WooCommerce',
      '### Trying a connector without a platform account',
      '### Operating connectors',
    ])
      expect(section).toContain(`\n${heading}\n`);
    expect(section).toContain('[docs/connectors/platform-facts.md](connectors/platform-facts.md)');
  });
});

describe('section 11: webhook registration', () => {
  it('shopify.app.toml subscribes the topics the Shopify connector acts on, at its route', () => {
    const toml = block('shopify-app-toml');
    const topics = [.../topics = \[([^\]]*)\]/.exec(toml)![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(topics).toEqual([
      'orders/create',
      'orders/updated',
      'orders/paid',
      'orders/cancelled',
      'orders/fulfilled',
      'refunds/create',
    ]);
    expect(toml).toMatch(/^\[webhooks\]\napi_version = "\d{4}-\d{2}"$/m);
    expect(toml).toMatch(/^\[\[webhooks\.subscriptions\]\]$/m);
    expect(toml).toMatch(/^uri = "https:\/\/[^"]+\/connectors\/shopify\/webhooks"$/m);
    for (const topic of topics) {
      const headers = { 'x-shopify-topic': topic, 'x-shopify-shop-domain': 'shop.myshopify.com' };
      const body = topic === 'refunds/create' ? { id: 1, order_id: 2, transactions: [] } : { id: 2 };
      expectActedOn(shopify.parse(delivery(headers, body), body) as ParsedDelivery, topic);
    }
  });

  it.skipIf(!has('bash'))(
    'the Salla subscribe calls are valid JSON, one per event the connector acts on',
    async () => {
      const calls = curlCalls(block('salla-subscribe'), {
        SALLA_ACCESS_TOKEN: 'token',
        SALLA_WEBHOOK_SECRET: 'secret',
      });
      expect(calls.length).toBe(8);
      for (const call of calls) {
        expect(urlOf(call)).toBe('https://api.salla.dev/admin/v2/webhooks/subscribe');
        const body = bodyOf(call);
        expect(body).toMatchObject({
          version: 2,
          secret: 'secret',
          url: 'https://points.shop.example/connectors/salla/webhooks',
        });
        const event = body.event as string;
        // order.status.updated nests the order under data.order (Salla's event contexts).
        const data =
          event === 'review.added'
            ? { type: 'rating', rating: '5' }
            : event === 'order.status.updated'
              ? { id: 9, status: 'Completed', order: { id: 1 } }
              : { id: 1 };
        const payload = { event, merchant: 1, created_at: 'Sun Jun 26 2022 12:21:48 GMT+0300', data };
        expectActedOn(await salla.parse(delivery({}, payload), payload), event);
      }
    },
  );

  it.skipIf(!has('bash'))(
    'the Zid calls give each event its own target URL, with the Basic credentials',
    async () => {
      const calls = curlCalls(block('zid-subscribe'), {
        ZID_PARTNER_TOKEN: 'partner',
        ZID_MANAGER_TOKEN: 'manager',
        ZID_WEBHOOK_USERNAME: 'points',
        ZID_WEBHOOK_PASSWORD: 'password',
      });
      expect(calls.length).toBe(3);
      for (const call of calls) {
        expect(urlOf(call)).toBe('https://api.zid.sa/v1/managers/webhooks');
        expect(call).toContain('X-Manager-Token: manager');
        const body = bodyOf(call);
        expect(body).toMatchObject({ username: 'points', password: 'password', conditions: null });
        const event = body.event as string;
        expect(body.target_url).toBe(`https://points.shop.example/connectors/zid/webhooks/${event}`);
        const order = { id: 1, store_id: 3, order_status: { code: 'new' }, payment_status: 'paid' };
        expectActedOn(await zid.parse(delivery({}, order, event), order), event);
      }
    },
  );

  it.skipIf(!has('bash'))('the WooCommerce calls create webhooks for the topics the connector reads', () => {
    const calls = curlCalls(block('woocommerce-webhook'), {
      WC_ADMIN_KEY: 'ck_x',
      WC_ADMIN_SECRET: 'cs_x',
      WOOCOMMERCE_WEBHOOK_SECRET: 'secret',
    });
    expect(calls.length).toBe(2);
    for (const call of calls) {
      expect(urlOf(call)).toMatch(/^https:\/\/[^/]+\/wp-json\/wc\/v3\/webhooks$/);
      const body = bodyOf(call);
      expect(body).toMatchObject({
        status: 'active',
        secret: 'secret',
        delivery_url: 'https://points.shop.example/connectors/woocommerce/webhooks',
      });
      const topic = body.topic as string;
      const headers = { 'x-wc-webhook-topic': topic, 'x-wc-webhook-source': 'https://shop.example/' };
      const order = { id: 52, status: 'processing', currency: 'SAR', total: '196.00' };
      expectActedOn(woocommerce.parse(delivery(headers, order), order) as ParsedDelivery, topic);
    }
  });
});

describe('section 11: product page snippets', () => {
  it('Salla Twilight: the module tag, and onPriceUpdated sets the amount', () => {
    const html = block('salla-twilight');
    expect(html).toContain(`<script type="module" src="${widgetsUrl}"></script>`);
    expect(html).toContain('<points-product-message amount="{{ product.price }}"></points-product-message>');
    const script = /<script>\n([\s\S]*?)<\/script>/.exec(html)![1]!;
    // Only the Twilight API the snippet is documented against (Twilight JS SDK, Theme Raed's product page).
    expect(new Set(script.match(/salla(\.\w+)+/g))).toEqual(
      new Set(['salla.onReady', 'salla.product.event.onPriceUpdated']),
    );

    let onPriceUpdated: ((response: unknown) => void) | undefined;
    const message = {
      amount: '199.00',
      setAttribute: (_: string, value: string) => (message.amount = value),
    };
    const salla = {
      onReady: (callback: () => void) => callback(),
      product: {
        event: { onPriceUpdated: (callback: typeof onPriceUpdated) => (onPriceUpdated = callback) },
      },
    };
    const document = {
      querySelectorAll: (selector: string) => (selector === 'points-product-message' ? [message] : []),
    };
    runInNewContext(script, { salla, document, Number });
    expect(onPriceUpdated).toBeTypeOf('function');
    onPriceUpdated!({
      status: 200,
      success: true,
      data: { price: 249.5, regular_price: 299, has_sale_price: true },
    });
    expect(message.amount).toBe('249.50');
    onPriceUpdated!({ data: { price: '-' } });
    onPriceUpdated!({});
    expect(message.amount).toBe('249.50');
  });

  it('Zid theme: the module tag and an element following the price', () => {
    const html = block('zid-theme');
    expect(html).toContain(`<script type="module" src="${widgetsUrl}"></script>`);
    expect(html).toMatch(/<points-product-message amount-from="[^"]+"><\/points-product-message>/);
  });

  it('Shopify app block: balanced Liquid tags, a valid schema, the module tag and the variant price', () => {
    const liquid = block('shopify-liquid');
    const tags = [...liquid.matchAll(/\{%-?\s*(\w+)[^%]*-?%\}/g)].map((m) => m[1]!);
    const stack: string[] = [];
    for (const tag of tags) {
      if (['if', 'unless', 'for', 'case', 'capture', 'schema', 'comment'].includes(tag)) stack.push(tag);
      else if (tag.startsWith('end')) expect(stack.pop()).toBe(tag.slice(3));
    }
    expect(stack).toEqual([]);
    expect(liquid.match(/\{\{/g)?.length).toBe(liquid.match(/\}\}/g)?.length);

    expect(liquid).toContain(`<script type="module" src="${widgetsUrl}"></script>`);
    expect(liquid).toContain(
      'amount="{{ product.selected_or_first_available_variant.price | divided_by: 100.0 }}"',
    );
    const schema = JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(liquid)![1]!) as {
      target: string;
      enabled_on: { templates: string[] };
      settings: Array<{ id: string; type: string }>;
    };
    expect(schema.target).toBe('section');
    expect(schema.enabled_on.templates).toEqual(['product']);
    const ids = schema.settings.map((setting) => setting.id);
    for (const [, id] of liquid.matchAll(/block\.settings\.(\w+)/g)) expect(ids).toContain(id);
  });

  describe.skipIf(!has('php'))('WooCommerce plugin (PHP)', () => {
    const php = block('woocommerce-php');
    const plugin = join(workDir, 'points-product-message.php');
    writeFileSync(plugin, php);

    it('is valid PHP (php -l)', () => {
      expect(execFileSync('php', ['-l', plugin]).toString()).toContain('No syntax errors detected');
    });

    it('under WordPress stubs: enqueues the module, joins found_variation and prints the element', () => {
      const harness = join(workDir, 'harness.php');
      writeFileSync(
        harness,
        `<?php
define('ABSPATH', __DIR__);
$GLOBALS['hooks'] = [];
function add_action($hook, $callback, $priority = 10, $args = 1) { $GLOBALS['hooks'][$hook][] = [$callback, $priority, $args]; return true; }
function add_filter($hook, $callback, $priority = 10, $args = 1) { return add_action($hook, $callback, $priority, $args); }
function is_product() { return true; }
$GLOBALS['registered'] = ['wc-add-to-cart-variation'];
$GLOBALS['enqueued'] = [];
$GLOBALS['inline'] = [];
function wp_enqueue_script($handle, $src = '', $deps = [], $ver = false, $args = []) { $GLOBALS['enqueued'][$handle] = ['src' => $src, 'ver' => $ver, 'args' => $args]; $GLOBALS['registered'][] = $handle; }
function wp_add_inline_script($handle, $data, $position = 'after') { if (!in_array($handle, $GLOBALS['registered'], true)) return false; $GLOBALS['inline'][$handle] = $data; return true; }
function esc_attr($text) { return htmlspecialchars((string) $text, ENT_QUOTES); }
class WC_Product { public $price; function __construct($price) { $this->price = $price; } }
function wc_get_price_to_display($product) { return $product->price; }
function run($hook, ...$args) {
  $value = $args[0] ?? null;
  $callbacks = $GLOBALS['hooks'][$hook] ?? [];
  usort($callbacks, fn ($a, $b) => $a[1] <=> $b[1]);
  foreach ($callbacks as [$callback, $priority, $count]) { $value = $callback(...array_slice($args, 0, $count)); if ($value !== null) $args[0] = $value; }
  return $value;
}
require ${JSON.stringify(plugin)};
run('wp_enqueue_scripts');
$tag = '<script src="${widgetsUrl}" id="points-widgets-js"></script>';
$oldTag = "<script type='text/javascript' src='${widgetsUrl}' id='points-widgets-js'></script>";
$other = '<script src="/jquery.js" id="jquery-js"></script>';
ob_start();
$product = new WC_Product('1234.5');
run('woocommerce_single_product_summary');
$element = ob_get_clean();
echo json_encode([
  'priorities' => array_map(fn ($hook) => array_map(fn ($h) => $h[1], $hook), $GLOBALS['hooks']),
  'enqueued' => $GLOBALS['enqueued'],
  'inline' => $GLOBALS['inline'],
  'tag' => run('script_loader_tag', $tag, 'points-widgets'),
  'oldTag' => run('script_loader_tag', $oldTag, 'points-widgets'),
  'other' => run('script_loader_tag', $other, 'jquery'),
  'element' => $element,
]);
`,
      );
      const result = JSON.parse(execFileSync('php', [harness]).toString()) as {
        priorities: Record<string, number[]>;
        enqueued: Record<string, { src: string; ver: unknown }>;
        inline: Record<string, string>;
        tag: string;
        oldTag: string;
        other: string;
        element: string;
      };
      expect(result.priorities.wp_enqueue_scripts).toEqual([20]);
      expect(result.enqueued['points-widgets']).toMatchObject({ src: widgetsUrl, ver: null });
      expect(result.tag).toBe(`<script type="module" src="${widgetsUrl}" id="points-widgets-js"></script>`);
      expect(result.oldTag).toBe(
        `<script type="module" src='${widgetsUrl}' id='points-widgets-js'></script>`,
      );
      expect(result.other).toBe('<script src="/jquery.js" id="jquery-js"></script>');
      expect(result.element).toBe('<points-product-message amount="1234.50"></points-product-message>');

      // The inline script, run against a stand-in jQuery: a variation sets the element's amount.
      const handlers: Record<string, (event: unknown, variation: unknown) => void> = {};
      const attributes: Record<string, string> = {};
      const $ = (arg: unknown): unknown => {
        if (typeof arg === 'function') return (arg as (jq: unknown) => void)($);
        const selector = arg as string;
        return {
          on: (event: string, handler: (event: unknown, variation: unknown) => void) =>
            (handlers[`${selector} ${event}`] = handler),
          attr: (name: string, value: string) => (attributes[`${selector} ${name}`] = value),
        };
      };
      runInNewContext(result.inline['wc-add-to-cart-variation']!, { jQuery: $, Number });
      handlers['.variations_form found_variation']!({}, { display_price: 89.9, variation_id: 7 });
      expect(attributes['points-product-message amount']).toBe('89.90');
    });
  });
});
