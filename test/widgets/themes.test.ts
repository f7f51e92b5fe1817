import { expect, fixture, html } from '@open-wc/testing';
import '../../widgets/product-message/points-product-message.ts';
import '../../widgets/checkout-message/points-checkout-message.ts';
import '../../widgets/pay-button/points-pay-button.ts';
import '../../widgets/order-status/points-order-status.ts';
import type { PointsPayButton } from '../../widgets/pay-button/points-pay-button.ts';
import { backgroundBehind, outlineContrast, parseColor, ratio, textContrast } from './contrast.ts';
import { emulateMedia, mediaRulesOf, resetMedia } from './media.ts';
import { json, problem, scriptServer, waitUntil, type ScriptedServer } from './helpers.ts';

const pages = {
  light: 'background: #fff; color: #222',
  dark: 'background: #121212; color: #eee',
};

const partOf = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;

/** Every element in the states whose text sits on a surface the element does or does not paint. */
async function renderAll(page: keyof typeof pages, theme: string) {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div lang="en" style="${pages[page]}; padding: 1rem; inline-size: 560px">
      <points-product-message amount="10" earn-rate="10" theme=${theme}></points-product-message>
      <points-product-message
        amount="10"
        earn-rate="10"
        theme=${theme}
        appearance="card"
      ></points-product-message>
      <points-checkout-message amount="10" earn-rate="10" theme=${theme}></points-checkout-message>
      <points-pay-button order-token="t" server="https://edge.test/" theme=${theme}></points-pay-button>
      <points-order-status
        order-number="A-1"
        token="t"
        server="https://edge.test/"
        theme=${theme}
      ></points-order-status>
    </div>`,
  );
  const [badge, card] = [...wrapper.querySelectorAll('points-product-message')];
  const checkout = wrapper.querySelector('points-checkout-message')!;
  const pay = wrapper.querySelector<PointsPayButton>('points-pay-button')!;
  const status = wrapper.querySelector('points-order-status')!;
  pay.navigate = () => undefined;
  await pay.pay();
  await waitUntil(() => status.shadowRoot!.querySelector('[data-state=expired]'), 'expired status shown');
  await waitUntil(() => partOf(pay, 'retry'), 'pay error shown');
  return { wrapper, badge: badge!, card: card!, checkout, pay, status };
}

/** The text parts the audit measured, with their contrast. */
function measured(all: Awaited<ReturnType<typeof renderAll>>): Record<string, number> {
  const { badge, card, checkout, pay, status } = all;
  return {
    'badge message': textContrast(partOf(badge, 'message')),
    'card message': textContrast(partOf(card, 'message')),
    'card points figure': textContrast(partOf(card, 'points')),
    'card learn more': textContrast(partOf(card, 'info-button')),
    'checkout points figure': textContrast(partOf(checkout, 'points')),
    'pay button label': textContrast(partOf(pay, 'button')),
    'pay error': textContrast(partOf(pay, 'error').querySelector('span')!),
    'pay retry': textContrast(partOf(pay, 'retry')),
    'failed order status': textContrast(partOf(status, 'message')),
  };
}

const failing = (contrasts: Record<string, number>, minimum: number) =>
  Object.entries(contrasts)
    .filter(([, value]) => value < minimum)
    .map(([name, value]) => `${name} ${value.toFixed(2)}:1`);

describe('themes: WCAG AA contrast on the surface each element paints', () => {
  let server: ScriptedServer;
  beforeEach(() => {
    server = scriptServer((request) =>
      request.url.pathname === '/checkout'
        ? problem(503, 'points_unavailable')
        : json({ orderNumber: 'A-1', state: 'expired', final: true }),
    );
  });
  afterEach(async () => {
    server.restore();
    await resetMedia();
  });

  for (const page of ['light', 'dark'] as const) {
    for (const theme of ['auto', 'light', 'dark']) {
      it(`theme="${theme}" on a ${page} page: text at least 4.5:1`, async () => {
        const all = await renderAll(page, theme);
        expect(failing(measured(all), 4.5)).to.deep.equal([]);
      });
    }

    it(`focus rings on a ${page} page under theme="auto": at least 3:1 on the badge tint and the page`, async () => {
      const { badge, pay } = await renderAll(page, 'auto');
      partOf(badge, 'info-button').focus();
      const onTint = outlineContrast(partOf(badge, 'info-button'));
      partOf(pay, 'button').focus();
      const onPage = outlineContrast(partOf(pay, 'button'));
      expect(failing({ 'badge info button': onTint, 'pay button': onPage }, 3)).to.deep.equal([]);
    });
  }

  for (const theme of ['light', 'dark']) {
    it(`focus ring under theme="${theme}": at least 3:1 on the badge tint`, async () => {
      const { badge } = await renderAll(theme === 'dark' ? 'dark' : 'light', theme);
      partOf(badge, 'info-button').focus();
      expect(outlineContrast(partOf(badge, 'info-button'))).to.be.at.least(3);
    });
  }

  for (const [theme, page] of [
    ['light', 'dark'],
    ['dark', 'light'],
  ] as const) {
    it(`focus ring under theme="${theme}" on a ${page} page: 3:1 on the halo it draws, the halo 3:1 on the page`, async () => {
      const { pay, wrapper } = await renderAll(page, theme);
      const button = partOf(pay, 'button');
      button.focus();
      const style = getComputedStyle(button);
      const halo = parseColor(
        /rgba?\([^)]*\)|color\([^)]*\)/.exec(style.boxShadow)?.[0] ?? 'rgba(0, 0, 0, 0)',
      );
      expect(halo[3], style.boxShadow).to.equal(1);
      expect(ratio(parseColor(style.outlineColor), halo)).to.be.at.least(3);
      expect(ratio(halo, backgroundBehind(wrapper))).to.be.at.least(3);
    });
  }

  it('theme="auto" follows the page, not the system: a light store on a dark-mode phone stays legible', async () => {
    const all = await renderAll('light', 'auto');
    // No rule reads the system setting; where the engine emulates it, a dark system changes nothing.
    expect(
      [all.badge, all.card, all.checkout, all.pay, all.status].flatMap((el) =>
        mediaRulesOf(el, 'prefers-color-scheme'),
      ),
    ).to.deep.equal([]);
    const before = measured(all);
    await emulateMedia('prefers-color-scheme', 'dark', [
      all.badge,
      all.card,
      all.checkout,
      all.pay,
      all.status,
    ]);
    all.wrapper
      .querySelectorAll('*')
      .forEach((el) => (el as HTMLElement & { requestUpdate?: () => void }).requestUpdate?.());
    await all.card.updateComplete;
    expect(measured(all)).to.deep.equal(before);
    expect(failing(before, 4.5)).to.deep.equal([]);
  });

  it('theme="auto" follows the page when the store switches to dark', async () => {
    const all = await renderAll('light', 'auto');
    const tint = () => getComputedStyle(partOf(all.badge, 'root')).backgroundColor;
    expect(tint()).to.equal('rgb(241, 238, 254)');
    all.wrapper.setAttribute('style', `${pages.dark}; padding: 1rem; inline-size: 560px`);
    // A store's dark mode is a class or style on <html> or <body>; here the wrapper changed, so say so.
    document.body.classList.add('dark-store');
    await waitUntil(() => tint() === 'rgb(43, 36, 82)', 'dark tint');
    document.body.classList.remove('dark-store');
    expect(failing(measured(all), 4.5)).to.deep.equal([]);
  });
});
