import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { html, type RenderOptions } from 'lit';
import { takeOver } from '../../widgets/ssr/take-over.ts';

/** The product message as the kit's server renders it, parsed into a host no script defines. */
async function serverRendered(): Promise<ShadowRoot> {
  const markup = await executeServerCommand<string, unknown>('points-render-widget', {
    tag: 'points-product-message',
    attributes: { amount: '199', 'earn-rate': '10', lang: 'en' },
  });
  const holder = document.createElement('div');
  // Not defined here: only its declarative shadow root is parsed.
  (holder as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(
    markup.replaceAll('points-product-message', 'points-test-host'),
  );
  document.body.append(holder);
  return holder.firstElementChild!.shadowRoot!;
}

describe('takeOver', () => {
  it('renders afresh over markup another template made, and updates from there', async () => {
    const root = await serverRendered();
    const options: RenderOptions = {};
    const view = (text: string) => html`<p class="other">${text}</p>`;
    takeOver(view('one'), root, options);
    expect(root.querySelectorAll('[part=root]').length).to.equal(0);
    expect(root.querySelector('.other')?.textContent).to.equal('one');
    const { render } = await import('lit');
    render(view('two'), root, options);
    expect(root.querySelectorAll('.other').length).to.equal(1);
    expect(root.querySelector('.other')?.textContent).to.equal('two');
  });

  it('renders afresh a value it does not take over (a list)', async () => {
    const root = await serverRendered();
    takeOver(['a', 'b'], root, {});
    expect(root.textContent).to.equal('ab');
  });
});
