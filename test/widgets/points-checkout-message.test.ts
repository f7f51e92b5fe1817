import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/checkout-message/points-checkout-message.ts';
import type { PointsCheckoutMessage } from '../../widgets/checkout-message/points-checkout-message.ts';
import { shadowText, waitUntil } from './helpers.ts';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;

describe('<points-checkout-message>', () => {
  for (const [lang, dir, title, body] of [
    ['en', 'ltr', 'Pay with your Points balance', 'earn up to 4,500 Points on the rest'],
    ['en', 'rtl', 'Pay with your Points balance', 'earn up to 4,500 Points on the rest'],
    ['ar', 'rtl', 'ادفع برصيد نقاطك', 'واكسب حتى 4,500 نقطة على المبلغ المتبقي'],
    ['ar', 'ltr', 'ادفع برصيد نقاطك', 'واكسب حتى 4,500 نقطة على المبلغ المتبقي'],
  ] as const) {
    it(`${lang} ${dir}: invites to redeem the balance and earn on the rest, and passes axe`, async () => {
      const el = await fixture<PointsCheckoutMessage>(
        html`<points-checkout-message
          amount="450.00"
          earn-rate="10"
          lang=${lang}
          dir=${dir}
        ></points-checkout-message>`,
      );
      expect(shadowText(part(el, 'title'))).to.equal(title);
      expect(shadowText(part(el, 'message'))).to.contain(body);
      expect(getComputedStyle(part(el, 'root')).direction).to.equal(dir);
      await expect(el).to.be.accessible();
    });
  }

  it('re-renders on amount and numerals', async () => {
    const el = await fixture<PointsCheckoutMessage>(
      html`<points-checkout-message amount="450" earn-rate="10" lang="ar"></points-checkout-message>`,
    );
    el.setAttribute('amount', '1.00');
    el.setAttribute('numerals', 'arab');
    await el.updateComplete;
    expect(shadowText(part(el, 'points'))).to.equal('١٠ نقاط');
  });

  it('the root carries the direction of its own language on a page of the other direction', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div dir="rtl" lang="ar">
          <points-checkout-message amount="450" earn-rate="10" lang="en"></points-checkout-message>
        </div>
        <div dir="ltr" lang="en">
          <points-checkout-message amount="450" earn-rate="10" lang="ar"></points-checkout-message>
        </div>
      </div>`,
    );
    const [english, arabic] = [...wrapper.querySelectorAll('points-checkout-message')];
    await Promise.all([english!.updateComplete, arabic!.updateComplete]);
    expect(getComputedStyle(part(english!, 'root')).direction).to.equal('ltr');
    expect(getComputedStyle(part(arabic!, 'root')).direction).to.equal('rtl');
  });

  it('opens the redeem explanation from the keyboard, and Esc gives focus back', async () => {
    const el = await fixture<PointsCheckoutMessage>(
      html`<points-checkout-message amount="450" earn-rate="10" lang="en"></points-checkout-message>`,
    );
    part(el, 'info-button').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() =>
      el.shadowRoot!.querySelector('points-info-dialog')?.shadowRoot?.querySelector('dialog[open]'),
    );
    const dialog = el.shadowRoot!.querySelector('points-info-dialog')!.shadowRoot!.querySelector('dialog')!;
    expect(dialog.querySelector('h2')!.textContent).to.equal('Pay with your Points');
    expect(dialog.textContent).to.contain('pay for all or part of your order');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'info-button'));
  });

  it('can be cancelled through points-info-open', async () => {
    const el = await fixture<PointsCheckoutMessage>(
      html`<points-checkout-message amount="450" earn-rate="10"></points-checkout-message>`,
    );
    let asked = 0;
    el.addEventListener('points-info-open', (event) => {
      asked++;
      event.preventDefault();
    });
    part(el, 'info-button').click();
    await el.updateComplete;
    expect(asked).to.equal(1);
    expect(el.shadowRoot!.querySelector('points-info-dialog')).to.equal(null);
  });

  it('collapses when empty="collapse" and there is no amount', async () => {
    const el = await fixture<PointsCheckoutMessage>(
      html`<points-checkout-message earn-rate="10" empty="collapse"></points-checkout-message>`,
    );
    expect(el.getBoundingClientRect().height).to.equal(0);
  });
});
