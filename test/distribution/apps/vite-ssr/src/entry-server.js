import { renderWidget } from 'points-storefront-kit/ssr';

/** The page's server-rendered parts: the widget script for the head, the product for the body. */
export async function render({ edge, nonce }) {
  const message = await renderWidget(
    'points-product-message',
    { amount: '199.00', 'earn-rate': '10', lang: 'en' },
    { nonce },
  );
  return {
    head: `<script type="module" src="${edge}/widgets.js"></script>`,
    html: `<h1>Arabic coffee set</h1>\n${message}`,
  };
}
