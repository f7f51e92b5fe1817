import { expect, fixture, html } from '@open-wc/testing';
import '../../widgets/product-message/points-product-message.ts';
import '../../widgets/checkout-message/points-checkout-message.ts';
import '../../widgets/pay-button/points-pay-button.ts';
import '../../widgets/order-status/points-order-status.ts';
import { waitUntil } from './helpers.ts';

interface Declaration {
  tagName: string;
  attributes: { name: string }[];
  events: { name: string }[];
  cssParts: { name: string }[];
}

async function declarations(): Promise<Declaration[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as {
    modules: { declarations: Declaration[] }[];
  };
  return manifest.modules.flatMap((module) => module.declarations);
}

/** Every part name in a shadow tree, nested shadow roots included. */
function partsIn(root: ShadowRoot): string[] {
  return [...root.querySelectorAll('*')].flatMap((el) => [
    ...el.part,
    ...(el.shadowRoot ? partsIn(el.shadowRoot) : []),
  ]);
}

describe('custom-elements.json', () => {
  it('lists every element, with exactly the attributes each one observes', async () => {
    const listed = await declarations();
    expect(listed.map((declaration) => declaration.tagName)).to.have.members([
      'points-product-message',
      'points-checkout-message',
      'points-pay-button',
      'points-order-status',
    ]);
    for (const declaration of listed) {
      const element = customElements.get(declaration.tagName) as unknown as { observedAttributes: string[] };
      expect(
        declaration.attributes.map((attribute) => attribute.name),
        declaration.tagName,
      ).to.have.members(element.observedAttributes);
      expect(declaration.events.every((event) => event.name.startsWith('points-'))).to.equal(true);
    }
  });

  it('names every CSS part the elements render, the dialog included', async () => {
    const listed = await declarations();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en">
        <points-product-message amount="10" earn-rate="10" appearance="card"></points-product-message>
        <points-product-message amount="10" earn-rate="10"></points-product-message>
        <points-checkout-message amount="10" earn-rate="10"></points-checkout-message>
        <points-pay-button order-token="t"></points-pay-button>
      </div>`,
    );
    const card = wrapper.querySelector('points-product-message')!;
    card.addEventListener('points-info-open', () => undefined);
    card.shadowRoot!.querySelector<HTMLElement>('[part~=info-button]')!.click();
    await waitUntil(() => card.shadowRoot!.querySelector('points-info-dialog'));
    await card.shadowRoot!.querySelector('points-info-dialog')!.updateComplete;
    for (const el of wrapper.children) {
      const documented = listed
        .find((declaration) => declaration.tagName === el.localName)!
        .cssParts.map((p) => p.name);
      expect(documented, el.localName).to.include.members(partsIn(el.shadowRoot!));
    }
    card.shadowRoot!.querySelector('points-info-dialog')!.close();
  });
});
