import { expect, fixture, oneEvent } from '@open-wc/testing';
import '../../widgets/order-status/points-order-status.ts';
import type { PointsOrderStatus } from '../../widgets/order-status/points-order-status.ts';
import type { OrderStatusBody } from '../../widgets/shared/events.ts';
import { deferred, json, scriptServer, shadowText, type ScriptedServer, waitUntil } from './helpers.ts';

const edge = 'https://edge.test/';
const instant = { initialMs: 0, maxMs: 0, factor: 1 };
const status = (
  state: OrderStatusBody['state'],
  final: boolean,
  extra: Partial<OrderStatusBody> = {},
): OrderStatusBody => ({
  orderNumber: 'A-1042',
  state,
  final,
  amount: '199.00',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

/** An order-status element polling instantly against the scripted server. */
async function orderStatus(attributes: string): Promise<PointsOrderStatus> {
  const el = document.createElement('points-order-status');
  el.backoff = instant;
  el.setAttribute('server', edge);
  for (const [name, value] of new URLSearchParams(attributes)) el.setAttribute(name, value);
  return fixture<PointsOrderStatus>(el);
}

const message = (el: PointsOrderStatus) => shadowText(el.shadowRoot!.querySelector('[part=message]')!);

/** Answers the scripted statuses in turn, repeating the last one. */
function answers(...responses: (() => Response)[]) {
  let call = 0;
  return () => responses[Math.min(call++, responses.length - 1)]!();
}

describe('<points-order-status>', () => {
  let server: ScriptedServer | undefined;
  /** The page's visibility as the element sees it: test pages may run in background tabs. */
  const setHidden = (hidden: boolean) =>
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  beforeEach(() => setHidden(false));
  afterEach(() => {
    server?.restore();
    delete (document as { hidden?: boolean }).hidden;
  });

  it('polls from pending to confirmed, announcing each change politely, then stops', async () => {
    server = scriptServer(
      answers(
        () => json(status('pending', false)),
        () => json(status('pending', false)),
        () => json(status('confirmed', true, { pointsRedeemed: 500 })),
      ),
    );
    const seen: string[] = [];
    document.addEventListener('points-order-status', (event) => seen.push(event.detail.state));
    const el = await orderStatus('order-number=A-1042&token=status-token&lang=en');
    await waitUntil(() => seen.includes('confirmed'), 'reaches confirmed');
    await el.updateComplete;
    expect(seen).to.deep.equal(['pending', 'confirmed']);
    expect(message(el)).to.equal('Thank you! Order A-1042 is confirmed.');
    expect(shadowText(el)).to.contain('You paid with 500 Points.');
    const live = el.shadowRoot!.querySelector('[role=status]')!;
    expect(live.getAttribute('aria-live')).to.equal('polite');
    expect(live.contains(el.shadowRoot!.querySelector('[part=message]'))).to.equal(true);
    expect(server.requests).to.have.length(3);
    expect(el.polling).to.equal(false);
    const [first] = server.requests;
    expect(first!.url.pathname).to.equal('/orders/A-1042/status');
    expect(first!.url.searchParams.get('token')).to.equal('status-token');
    expect(first!.credentials).to.equal('omit');
  });

  for (const [lang, dir, text] of [
    ['en', 'ltr', 'The payment session ran out'],
    ['en', 'rtl', 'The payment session ran out'],
    ['ar', 'rtl', 'انتهت مهلة الدفع'],
    ['ar', 'ltr', 'انتهت مهلة الدفع'],
  ] as const) {
    it(`${lang} ${dir}: shows a failure and passes axe while waiting and when final`, async () => {
      server = scriptServer(
        answers(
          () => json(status('pending', false)),
          () => json(status('expired', true)),
        ),
      );
      const el = document.createElement('points-order-status');
      el.backoff = { initialMs: 60_000, maxMs: 60_000, factor: 1 };
      Object.assign(el, { server: edge, orderNumber: 'A-1042', token: 't', lang });
      el.dir = dir;
      await fixture(el);
      await waitUntil(() => el.shadowRoot!.querySelector('[data-state=pending]'), 'pending shown');
      await expect(el).to.be.accessible();
      el.backoff = instant;
      // The page coming back into view polls at once.
      document.dispatchEvent(new Event('visibilitychange'));
      await waitUntil(() => message(el).includes(text), 'final state');
      expect(getComputedStyle(el.shadowRoot!.querySelector('[part=root]')!).direction).to.equal(dir);
      await expect(el).to.be.accessible();
    });
  }

  it('pauses while the page is hidden and resumes when it is visible again', async () => {
    server = scriptServer(
      answers(
        () => json(status('pending', false)),
        () => json(status('confirmed', true)),
      ),
    );
    const el = document.createElement('points-order-status');
    el.backoff = { initialMs: 60_000, maxMs: 60_000, factor: 1 };
    Object.assign(el, { server: edge, orderNumber: 'A-1042', token: 't' });
    await fixture(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[data-state=pending]'), 'pending shown');

    setHidden(true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(el.polling).to.equal(false);

    setHidden(false);
    const confirmed = oneEvent(el, 'points-order-status');
    document.dispatchEvent(new Event('visibilitychange'));
    expect((await confirmed).detail.state).to.equal('confirmed');
    expect(server.requests).to.have.length(2);
  });

  it('stops polling when removed from the page', async () => {
    server = scriptServer(() => json(status('pending', false)));
    const el = document.createElement('points-order-status');
    el.backoff = { initialMs: 60_000, maxMs: 60_000, factor: 1 };
    Object.assign(el, { server: edge, orderNumber: 'A-1042', token: 't' });
    await fixture(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[data-state=pending]'), 'pending shown');
    expect(el.polling).to.equal(true);
    el.remove();
    expect(el.polling).to.equal(false);
  });

  it('carries on when moved in the page while a request is in flight', async () => {
    const held = deferred<Response>();
    let calls = 0;
    server = scriptServer(() => (++calls === 1 ? held.promise : json(status('confirmed', true))));
    const el = await orderStatus('order-number=A-1042&token=t&lang=en');
    await waitUntil(() => server!.requests.length === 1, 'first request sent');
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(el); // disconnect + connect
    held.resolve(json(status('pending', false)));
    await waitUntil(() => message(el).includes('confirmed'), 'polling went on');
    elsewhere.remove();
  });

  it('keeps trying through server errors, then shows the answer', async () => {
    server = scriptServer(
      answers(
        () => json({ oops: true }, 503),
        () => json({ unexpected: 'shape' }),
        () => json(status('confirmed', true)),
      ),
    );
    const el = await orderStatus('order-number=A-1042&token=t&lang=en');
    await waitUntil(() => message(el).includes('confirmed'));
    expect(server.requests).to.have.length(3);
  });

  for (const [code, answer, text] of [
    ['order_not_found', () => json({ code: 'order_not_found' }, 404), "We couldn't find this order."],
    ['link_expired', () => json({ code: 'bad_token' }, 403), 'This order link has expired.'],
  ] as const) {
    it(`stops on ${code} and says so`, async () => {
      server = scriptServer(answer);
      const failed = oneEvent(document, 'points-error');
      const el = await orderStatus('order-number=A-1042&token=t&lang=en');
      expect((await failed).detail.code).to.equal(code);
      await el.updateComplete;
      expect(message(el)).to.contain(text);
      expect(el.polling).to.equal(false);
      expect(server.requests).to.have.length(1);
    });
  }

  it('escapes the order number into the URL and renders it as text', async () => {
    const evil = '<img src=x onerror=alert(1)>/../admin';
    server = scriptServer(() => json(status('confirmed', true, { orderNumber: evil })));
    const el = await orderStatus(`token=t&lang=en&order-number=${encodeURIComponent(evil)}`);
    await waitUntil(() => message(el).includes('confirmed'));
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(message(el)).to.contain(evil);
    expect(server.requests[0]!.url.pathname).to.equal(`/orders/${encodeURIComponent(evil)}/status`);
  });

  it('starts over for a new order number', async () => {
    server = scriptServer((request) =>
      json(status('confirmed', true, { orderNumber: request.url.pathname.split('/')[2]! })),
    );
    const el = await orderStatus('order-number=A-1&token=t&lang=en');
    await waitUntil(() => message(el).includes('A-1'));
    el.setAttribute('order-number', 'B-2');
    await waitUntil(() => message(el).includes('B-2'));
    expect(server.requests.map((request) => request.url.pathname)).to.deep.equal([
      '/orders/A-1/status',
      '/orders/B-2/status',
    ]);
  });
});
