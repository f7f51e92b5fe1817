import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, makeSandbox, postForm, startCheckout, startReceiver, type TestSandbox } from './helpers.ts';

const callback = 'https://shop.example/return?order=ORD-1';
let sandbox: TestSandbox;
let clock = 0;

beforeEach(() => {
  clock = Date.parse('2026-04-20T07:00:00Z');
  sandbox = makeSandbox({ now: () => clock });
});
afterEach(() => sandbox.close());

async function page(path: string) {
  const res = await sandbox.app.request(path);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** POSTs a form and expects the 303 of a successful step; returns the Location. */
async function step(path: string, fields: Record<string, string> = {}) {
  const res = await postForm(sandbox, path, fields);
  expect(res.status, `${path} ${JSON.stringify(fields)}`).toBe(303);
  return res.headers.get('location') ?? '';
}

function query(location: string) {
  return Object.fromEntries(new URL(location).searchParams);
}

describe('hosted checkout — happy flows', () => {
  it('full redemption: phone → OTP → all points → confirm → callback', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { total_price: 100, callback_url: callback });
    const s = `/session/${sessionId}`;
    const first = await page(s);
    expect(first.status).toBe(200);
    expect(first.html).toContain('<html lang="ar" dir="rtl">');
    expect(first.html).toContain('<h1>أدخل رقم جوالك</h1>');
    expect(first.html).toMatch(/<label for="phone">/);

    expect(await step(`${s}/phone`, { phone: '0500000001' })).toBe(s);
    const otp = await page(s);
    expect(otp.html).toContain('+96650*****01');
    expect(otp.html).toContain('123456');
    expect(await step(`${s}/otp`, { otp: '123456' })).toBe(s);

    const redeem = await page(s);
    expect(redeem.html).toContain('5,000');
    expect(redeem.html).toContain('150.00');
    expect(redeem.html).toContain('3,334');
    expect(await step(`${s}/redeem`, { choice: 'full' })).toBe(s);

    const confirm = await page(s);
    expect(confirm.html).toContain('<h1>تأكيد الاستبدال</h1>');
    const location = await step(`${s}/confirm`, { action: 'confirm' });
    expect(location.startsWith('https://shop.example/return?')).toBe(true);
    expect(query(location)).toEqual({
      order: 'ORD-1',
      order_uuid: uuid,
      order_number: expect.any(String),
      status: 'approved',
    });

    expect(sandbox.getOrder(uuid)).toMatchObject({
      order_status: 'approved',
      redeemed_points: 3334,
      total_points: 3334,
      cash_amount: 0,
      phone_number: '500000001',
    });
    expect(sandbox.customer('500000001')?.balance).toBe(5000 - 3334);
    const done = await page(s);
    expect(done.html).toContain('تم الدفع بنجاح');
  });

  it('partial redemption with the phone from the checkout request: OTP first, then card for the rest', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, {
      total_price: 100,
      phone_number: '+966500000001',
      callback_url: callback,
    });
    const s = `/session/${sessionId}`;
    expect((await page(s)).html).toContain('<h1>تحقق من رقمك</h1>');
    await step(`${s}/otp`, { otp: '123456' });
    await step(`${s}/redeem`, { choice: 'partial', points: '1000' });
    expect((await page(s)).html).toContain('30.00');
    await step(`${s}/confirm`, { action: 'confirm' });
    const pay = await page(s);
    expect(pay.html).toContain('70.00');
    const location = await step(`${s}/pay`, {
      card_number: '4242 4242 4242 4242',
      card_expiry: '12/30',
      card_cvc: '123',
    });
    expect(query(location).status).toBe('approved');
    expect(sandbox.getOrder(uuid)).toMatchObject({
      redeemed_points: 1000,
      cash_amount: 70,
      order_status: 'approved',
    });
    expect(sandbox.customer('500000001')?.balance).toBe(4000);
  });

  it('confirm → back returns to the choice without spending points', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000001' });
    const s = `/session/${sessionId}`;
    await step(`${s}/otp`, { otp: '123456' });
    await step(`${s}/redeem`, { choice: 'partial', points: '10' });
    await step(`${s}/confirm`, { action: 'back' });
    expect((await page(s)).html).toContain('<h1>استبدل نقاطك</h1>');
    expect(sandbox.customer('500000001')?.balance).toBe(5000);
  });

  it('zero balance: only card payment is offered', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { callback_url: callback });
    const s = `/session/${sessionId}`;
    await step(`${s}/phone`, { phone: '500000002' });
    await step(`${s}/otp`, { otp: '123456' });
    const redeem = await page(s);
    expect(redeem.html).toContain('لا توجد نقاط في رصيدك بعد');
    expect(redeem.html).not.toContain('name="points"');
    await step(`${s}/redeem`, { choice: 'none' });
    const location = await step(`${s}/pay`, {
      card_number: '4111111111111111',
      card_expiry: '01/29',
      card_cvc: '999',
    });
    expect(query(location).status).toBe('approved');
    expect(sandbox.getOrder(uuid)).toMatchObject({ redeemed_points: 0, cash_amount: 100 });
  });

  it('no Points account: the Arabic message, then paying the full amount by card', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { callback_url: callback });
    const s = `/session/${sessionId}`;
    const res = await postForm(sandbox, `${s}/phone`, { phone: '500000003' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('للاسف ما عندك حساب في بوينتس');
    expect(html).toContain('role="alert"');
    await step(`${s}/skip-points`);
    expect((await page(s)).html).toContain('<h1>ادفع المبلغ المتبقي</h1>');
    const location = await step(`${s}/pay`, {
      card_number: '4242424242424242',
      card_expiry: '12/30',
      card_cvc: '123',
    });
    expect(query(location).status).toBe('approved');
    expect(sandbox.getOrder(uuid)?.redeemed_points).toBe(0);
  });

  it('a no-account phone sent with the checkout starts at the phone step', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000003' });
    expect((await page(`/session/${sessionId}`)).html).toContain('<h1>أدخل رقم جوالك</h1>');
  });

  it('change number from the OTP step', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000001' });
    const s = `/session/${sessionId}`;
    await step(`${s}/change-phone`);
    expect((await page(s)).html).toContain('<h1>أدخل رقم جوالك</h1>');
  });

  it('fires approved to the webhook when the checkout is paid', async () => {
    const receiver = await startReceiver();
    sandbox.close();
    sandbox = makeSandbox({ webhookUrl: receiver.url, webhookSecret: 'test_secret' });
    const { sessionId, uuid } = await startCheckout(sandbox);
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 100 });
    await sandbox.settleDeliveries();
    expect(receiver.bodies()).toEqual([
      expect.objectContaining({
        event: 'approved',
        order: expect.objectContaining({
          id: uuid,
          order_status: 'approved',
          type: 'replacing',
          total_points: 100,
        }),
      }),
    ]);
    await receiver.close();
  });
});

describe('hosted checkout — cancel, failure, expiry', () => {
  it('cancel: order cancelled, redirect with status=cancelled', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { callback_url: callback });
    const location = await step(`/session/${sessionId}/cancel`);
    expect(query(location)).toMatchObject({ order: 'ORD-1', order_uuid: uuid, status: 'cancelled' });
    expect(sandbox.getOrder(uuid)).toMatchObject({
      order_status: 'cancelled',
      cancel_reason: 'Checkout cancelled by the customer',
    });
    expect((await page(`/session/${sessionId}`)).html).toContain('تم إلغاء الطلب');
  });

  it('declined card: order cancelled, redirect with status=cancelled, points kept', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, {
      phone_number: '500000001',
      callback_url: callback,
    });
    const s = `/session/${sessionId}`;
    await step(`${s}/otp`, { otp: '123456' });
    await step(`${s}/redeem`, { choice: 'partial', points: '500' });
    await step(`${s}/confirm`, { action: 'confirm' });
    const location = await step(`${s}/pay`, {
      card_number: '4000 0000 0000 0002',
      card_expiry: '12/30',
      card_cvc: '123',
    });
    expect(query(location).status).toBe('cancelled');
    expect(sandbox.getOrder(uuid)).toMatchObject({
      order_status: 'cancelled',
      cancel_reason: 'Payment failed',
    });
    expect(sandbox.customer('500000001')?.balance).toBe(5000);
    expect((await page(s)).html).toContain('تم رفض الدفع');
  });

  it('expired session: 410 error page, order cancelled, posts refused', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { callback_url: callback });
    clock += 30 * 60_000 + 1;
    const res = await page(`/session/${sessionId}?lang=en`);
    expect(res.status).toBe(410);
    expect(res.html).toContain('This checkout session has expired');
    expect(sandbox.getOrder(uuid)).toMatchObject({
      order_status: 'cancelled',
      cancel_reason: 'Checkout session expired',
    });
    expect((await postForm(sandbox, `/session/${sessionId}/phone`, { phone: '500000001' })).status).toBe(410);
  });

  it('sessionTtlMs sets the lifetime', async () => {
    sandbox.close();
    sandbox = makeSandbox({ now: () => clock, sessionTtlMs: 1000 });
    const { sessionId } = await startCheckout(sandbox);
    clock += 999;
    expect((await page(`/session/${sessionId}`)).status).toBe(200);
    clock += 1;
    expect((await page(`/session/${sessionId}`)).status).toBe(410);
  });

  it('unknown session → 404 page', async () => {
    const res = await page('/session/nope');
    expect(res.status).toBe(404);
    expect(res.html).toContain('جلسة الدفع غير موجودة');
  });

  it('an order cancelled through the API ends the session', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox);
    await api(sandbox, 'POST', `/v1/orders/${uuid}/cancel`);
    expect((await page(`/session/${sessionId}`)).html).toContain('تم إلغاء الطلب');
    expect((await postForm(sandbox, `/session/${sessionId}/phone`, { phone: '500000001' })).status).toBe(303);
  });
});

describe('hosted checkout — validation and accessibility', () => {
  it('invalid phone: 422, error tied to the input', async () => {
    const { sessionId } = await startCheckout(sandbox);
    const res = await postForm(sandbox, `/session/${sessionId}/phone?lang=en`, { phone: '12345' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/aria-describedby="phone-hint phone-error"/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('<p id="phone-error" class="error">Enter a valid Saudi mobile number');
    expect(html).toContain('href="#phone"');
    expect(html).toContain('value="12345"');
  });

  it('wrong OTP: 422 and still on the OTP step', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000001' });
    const res = await postForm(sandbox, `/session/${sessionId}/otp`, { otp: '000000' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('رمز التحقق غير صحيح');
  });

  it('redeem errors: no choice, no points, too many points', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000001', total_price: 10 });
    const s = `/session/${sessionId}`;
    await step(`${s}/otp`, { otp: '123456' });
    expect((await postForm(sandbox, `${s}/redeem`, {})).status).toBe(422);
    expect((await postForm(sandbox, `${s}/redeem`, { choice: 'bogus' })).status).toBe(422);
    const none = await postForm(sandbox, `${s}/redeem`, { choice: 'partial', points: '' });
    expect(await none.text()).toContain('id="points-error"');
    const many = await postForm(sandbox, `${s}/redeem`, { choice: 'partial', points: '335' });
    expect(many.status).toBe(422);
    expect(await many.text()).toContain('عدد النقاط أكبر من رصيدك');
    expect((await postForm(sandbox, `${s}/redeem`, { choice: 'partial', points: '334' })).status).toBe(303);
  });

  it('full redemption refused when the balance does not cover the order', async () => {
    const { sessionId } = await startCheckout(sandbox, { phone_number: '500000001', total_price: 1000 });
    const s = `/session/${sessionId}`;
    await step(`${s}/otp`, { otp: '123456' });
    expect((await page(s)).html).not.toContain('value="full"');
    const res = await postForm(sandbox, `${s}/redeem`, { choice: 'full' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="choice-error"');
  });

  it('card errors: all three fields', async () => {
    const { sessionId } = await startCheckout(sandbox);
    const s = `/session/${sessionId}`;
    await step(`${s}/phone`, { phone: '500000002' });
    await step(`${s}/otp`, { otp: '123456' });
    await step(`${s}/redeem`, { choice: 'none' });
    const res = await postForm(sandbox, `${s}/pay?lang=en`, {
      card_number: '4242',
      card_expiry: '13/30',
      card_cvc: '1',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const id of ['card_number', 'card_expiry', 'card_cvc']) {
      expect(html).toContain(`id="${id}-error"`);
      expect(html).toContain(`href="#${id}"`);
    }
    expect(html).not.toContain('value="4242"');
  });

  it('a step posted out of order just redirects to the current step', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox);
    const res = await postForm(sandbox, `/session/${sessionId}/pay`, { card_number: '4242424242424242' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/session/${sessionId}`);
    expect(sandbox.getOrder(uuid)?.order_status).toBe('new');
  });

  it('escapes merchant-supplied text', async () => {
    const { sessionId } = await startCheckout(sandbox, { order_number: '<script>alert(1)</script>' });
    const { html } = await page(`/session/${sessionId}`);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('sends a strict CSP and serves its stylesheet', async () => {
    const { sessionId } = await startCheckout(sandbox);
    const { headers } = await page(`/session/${sessionId}`);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('cache-control')).toBe('no-store');
    const css = await sandbox.app.request('/session-assets/checkout.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});

describe('hosted checkout — English and callback parameters', () => {
  it('?lang=en renders English LTR and keeps the language through the steps', async () => {
    const { sessionId } = await startCheckout(sandbox);
    const s = `/session/${sessionId}`;
    const first = await page(`${s}?lang=en`);
    expect(first.html).toContain('<html lang="en" dir="ltr">');
    expect(first.html).toContain('<h1>Enter your mobile number</h1>');
    expect(first.html).toContain(`action="${s}/phone?lang=en"`);
    expect(first.html).toContain(`href="${s}?lang=ar"`);
    expect(await step(`${s}/phone?lang=en`, { phone: '500000003' }).catch(() => 'not 303')).toBe('not 303');
    const noAccount = await postForm(sandbox, `${s}/phone?lang=en`, { phone: '500000003' });
    const html = await noAccount.text();
    expect(html).toContain('للاسف ما عندك حساب في بوينتس');
    expect(html).toContain("Unfortunately, you don't have a Points account.".replace("'", '&#39;'));
    expect(await step(`${s}/phone?lang=en`, { phone: '500000001' })).toBe(`${s}?lang=en`);
    expect((await page(`${s}?lang=en`)).html).toContain('<h1>Verify your number</h1>');
  });

  it('callbackParams chooses the parameters; an existing query string is kept', async () => {
    sandbox.close();
    sandbox = makeSandbox({ callbackParams: ['order_number', 'reference_number'] });
    const { sessionId } = await startCheckout(sandbox, {
      order_number: 'CB-1',
      callback_url: 'https://shop.example/r?a=1&b=2',
    });
    const location = await step(`/session/${sessionId}/cancel`);
    expect(query(location)).toEqual({
      a: '1',
      b: '2',
      order_number: 'CB-1',
      reference_number: 'REF-2026-000001',
    });
  });

  it('without callback_url the session page itself shows the result', async () => {
    const { sessionId } = await startCheckout(sandbox);
    expect(await step(`/session/${sessionId}/cancel`)).toBe(`/session/${sessionId}`);
  });
});
