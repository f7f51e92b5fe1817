import { expect, fixture, html } from '@open-wc/testing';
import '../../widgets/product-message/points-product-message.ts';
import type { PointsProductMessage } from '../../widgets/product-message/points-product-message.ts';

describe('<points-product-message>', () => {
  it('shows the points earned in English', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="199.00" earn-rate="10" lang="en"></points-product-message>`,
    );
    expect(el.shadowRoot!.textContent).to.contain('Earn 1,990 Points');
  });

  it('re-renders when the amount attribute changes', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message amount="10" earn-rate="10" lang="en"></points-product-message>`,
    );
    el.setAttribute('amount', '25.50');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('255');
  });

  it('speaks Arabic with Arabic-Indic digits', async () => {
    const el = await fixture<PointsProductMessage>(
      html`<points-product-message
        amount="199"
        earn-rate="10"
        lang="ar"
        numerals="arab"
      ></points-product-message>`,
    );
    expect(el.shadowRoot!.textContent).to.contain('١٬٩٩٠');
    await expect(el).to.be.accessible();
  });
});
