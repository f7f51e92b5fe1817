import { describe, it, expect } from 'vitest';
import { matchSecret, parsePointsWebhook, pointsWebhookDedupeKey } from '../../../server/points/webhook.ts';
import type { PointsWebhookResult } from '../../../server/points/webhook.ts';
import { fixture, fixtureText, webhookFixtureNames } from './fixtures.ts';

const current = 'test_webhook_secret_current';
const previous = 'test_webhook_secret_previous';

function deliver(body: string | Uint8Array, headers: Record<string, string> = {}, secrets = [current]) {
  return parsePointsWebhook({
    rawBody: body,
    headers: new Headers({ 'content-type': 'application/json', 'x-webhook-secret': current, ...headers }),
    secrets,
  });
}

function accepted(result: PointsWebhookResult) {
  if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.detail}`);
  if (result.event === 'unknown') throw new Error(`unknown event ${result.name}`);
  return result;
}

function withOrder(name: string, changes: Record<string, unknown>): string {
  const body = fixture(name);
  return JSON.stringify({ ...body, order: { ...(body.order as object), ...changes } });
}

describe('parsePointsWebhook — happy', () => {
  it.each(webhookFixtureNames)('accepts the documented example %s', (name) => {
    const body = fixture<{ event: string }>(name);
    const result = accepted(deliver(fixtureText(name), { 'x-webhook-event': body.event }));
    expect(result.event).toBe(body.event);
    expect(result.secretIndex).toBe(0);
  });

  it('covers all eight order events and the merchant event in the fixtures', () => {
    const events = new Set(webhookFixtureNames.map((name) => fixture<{ event: string }>(name).event));
    expect([...events].sort()).toEqual(
      [
        'approved',
        'authorized',
        'auto_refunded',
        'cancelled',
        'captured',
        'completed',
        'low_balance_warning',
        'refunded',
        'shipping_status_updated',
      ].sort(),
    );
  });

  it('gives typed payloads with per-event extras', () => {
    const refund = accepted(deliver(fixtureText('webhook-refunded')));
    if (refund.event !== 'refunded') throw new Error('expected refunded');
    expect(refund.payload.order).toMatchObject({
      refund_amount: 25,
      left_amount: 125.75,
      refund_points: 500,
    });

    const shipping = accepted(deliver(fixtureText('webhook-shipping-status-updated')));
    if (shipping.event !== 'shipping_status_updated') throw new Error('expected shipping');
    expect(shipping.payload.order.status).toBe('ready_shipping');

    const cancelled = accepted(deliver(fixtureText('webhook-cancelled')));
    if (cancelled.event !== 'cancelled') throw new Error('expected cancelled');
    expect(cancelled.payload.order.reason).toBe('Customer requested cancellation');
  });

  it('reads merchant events with amounts sent as strings', () => {
    const result = accepted(deliver(fixtureText('webhook-low-balance-warning')));
    if (result.event !== 'low_balance_warning') throw new Error('expected merchant event');
    expect(result.payload.data.balance_after_order).toBe(-500);
    expect(result.payload.merchant.id).toBe(7);
  });

  it('accepts numeric strings, extra fields and a Uint8Array body', () => {
    const body = withOrder('webhook-approved', { total_price: '150.75', brand_new_field: { x: 1 } });
    const result = accepted(deliver(new TextEncoder().encode(body)));
    if (result.event !== 'approved') throw new Error('expected approved');
    expect(result.payload.order.total_price).toBe(150.75);
    expect(result.payload.order).toHaveProperty('brand_new_field');
  });

  it('reads headers case-insensitively from a plain Node header record', () => {
    const result = parsePointsWebhook({
      rawBody: fixtureText('webhook-approved'),
      headers: { 'X-Webhook-Secret': current, 'x-webhook-event': ['approved'] },
      secrets: [current],
    });
    expect(result.ok).toBe(true);
  });

  it('reports unknown event names instead of rejecting them', () => {
    const result = deliver(JSON.stringify({ event: 'points_expired', order: { id: 1 } }), {
      'x-webhook-event': 'points_expired',
    });
    expect(result).toMatchObject({ ok: true, event: 'unknown', name: 'points_expired' });
  });
});

describe('parsePointsWebhook — secrets and rotation', () => {
  it('accepts the previous secret during a rotation and says which one matched', () => {
    const result = deliver(fixtureText('webhook-approved'), { 'x-webhook-secret': previous }, [
      current,
      previous,
    ]);
    expect(result).toMatchObject({ ok: true, secretIndex: 1 });
  });

  it('rejects a secret that is no longer configured', () => {
    const result = deliver(fixtureText('webhook-approved'), { 'x-webhook-secret': previous }, [current]);
    expect(result).toMatchObject({ ok: false, reason: 'bad_secret' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a prefix of the secret', current.slice(0, -1)],
    ['the secret plus a suffix', `${current}x`],
    ['different case', current.toUpperCase()],
  ])('rejects a %s secret header', (_label, value) => {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (value !== undefined) headers.set('x-webhook-secret', value);
    const result = parsePointsWebhook({
      rawBody: fixtureText('webhook-approved'),
      headers,
      secrets: [current],
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_secret' });
    if (!result.ok) expect(result.detail).not.toContain(current);
  });

  it('checks the secret before reading the body', () => {
    const result = deliver('not json', { 'x-webhook-secret': 'wrong' });
    expect(result).toMatchObject({ ok: false, reason: 'bad_secret' });
  });

  it('refuses to run without a configured secret', () => {
    expect(() => deliver(fixtureText('webhook-approved'), {}, [''])).toThrow(TypeError);
  });

  it('matchSecret compares against every secret and returns the first match', () => {
    expect(matchSecret('b', ['a', 'b', 'b'])).toBe(1);
    expect(matchSecret('c', ['a', 'b'])).toBe(-1);
  });

  it('matchSecret refuses a prefix, an extension and a same-length near miss of a secret', () => {
    const secret = 'test-webhook-secret-0001';
    expect(matchSecret(secret, [secret])).toBe(0);
    expect(matchSecret(secret.slice(0, -1), [secret])).toBe(-1);
    expect(matchSecret(`${secret}1`, [secret])).toBe(-1);
    expect(matchSecret(secret.replace('0001', '0002'), [secret])).toBe(-1);
    expect(matchSecret('', [secret])).toBe(-1);
    expect(matchSecret('é'.repeat(12), ['e'.repeat(24)])).toBe(-1); // same bytes count, not the same text
  });
});

describe('parsePointsWebhook — malformed deliveries', () => {
  it.each([
    ['not JSON', '{"event": "approved",'],
    ['empty', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('rejects a body that is %s as malformed_json', (_label, body) => {
    expect(deliver(body)).toMatchObject({ ok: false, reason: 'malformed_json' });
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['without event', JSON.stringify({ order: {} })],
    ['with a numeric event', JSON.stringify({ event: 5 })],
  ])('rejects a body that is %s as invalid_envelope', (_label, body) => {
    expect(deliver(body)).toMatchObject({ ok: false, reason: 'invalid_envelope' });
  });

  it.each([
    ['no order id', { id: undefined }],
    ['an order id that is not a uuid', { id: '12' }],
    ['an unknown order_status', { order_status: 'paid' }],
    ['a negative-looking total as text', { total_price: 'abc' }],
    ['no updated_at', { updated_at: undefined }],
  ])('rejects an approved event with %s, naming the field', (_label, changes) => {
    const result = deliver(withOrder('webhook-approved', changes));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_envelope' });
    if (!result.ok) expect(result.detail).toMatch(/^approved: order\./);
  });

  it('rejects a refund without refund_amount', () => {
    const result = deliver(withOrder('webhook-refunded', { refund_amount: undefined }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_envelope' });
  });

  it('rejects an X-Webhook-Event header that differs from the body', () => {
    const result = deliver(fixtureText('webhook-approved'), { 'x-webhook-event': 'refunded' });
    expect(result).toMatchObject({ ok: false, reason: 'event_mismatch' });
  });
});

describe('pointsWebhookDedupeKey', async () => {
  const keyOf = (body: string) => {
    const result = deliver(body);
    if (!result.ok) throw new Error(result.detail);
    return pointsWebhookDedupeKey(result);
  };

  it('gives a retried delivery the same key', async () => {
    expect(await keyOf(fixtureText('webhook-refunded'))).toBe(await keyOf(fixtureText('webhook-refunded')));
    // The same payload re-serialised (whitespace, number formatting) is still the same delivery.
    expect(await keyOf(JSON.stringify(fixture('webhook-refunded')))).toBe(
      await keyOf(fixtureText('webhook-refunded')),
    );
  });

  it('gives a second partial refund a different key', async () => {
    const first = await keyOf(fixtureText('webhook-refunded'));
    const second = await keyOf(
      withOrder('webhook-refunded', { refund_amount: 25, left_amount: 100.75 }), // same updated_at
    );
    expect(second).not.toBe(first);
  });

  it('tells shipping updates apart by status even within the same second', async () => {
    const ready = await keyOf(fixtureText('webhook-shipping-status-updated'));
    const delivered = await keyOf(withOrder('webhook-shipping-status-updated', { status: 'delivered' }));
    expect(delivered).not.toBe(ready);
  });

  it('tells events of one order apart', async () => {
    expect(await keyOf(fixtureText('webhook-approved'))).not.toBe(
      await keyOf(fixtureText('webhook-completed')),
    );
  });

  it('is a readable stable string', async () => {
    expect(await keyOf(fixtureText('webhook-refunded'))).toBe(
      'refunded:550e8400-e29b-41d4-a716-446655440000:2026-04-18T15%3A00%3A00Z:25.00:125.75',
    );
  });

  it('keys merchant and unknown events too', async () => {
    const merchant = await keyOf(fixtureText('webhook-low-balance-warning'));
    expect(merchant).toBe('low_balance_warning:7:2026-04-20T10%3A05%3A00.000000Z:-500.00');
    const unknown = JSON.stringify({ event: 'points_expired', x: 1 });
    expect(await keyOf(unknown)).toBe(await keyOf(unknown));
    expect(await keyOf(unknown)).not.toBe(await keyOf(JSON.stringify({ event: 'points_expired', x: 2 })));
  });
});
