// The demo store's own script: cart in localStorage, variant and quantity pickers, the return page and
// the merchant's orders list. It talks to the widgets only through their attributes and events.

const lang = document.documentElement.lang === 'en' ? 'en' : 'ar';
document.cookie = `demo_lang=${lang}; path=/; SameSite=Lax`;

/** What the store shows; the edge server prices orders from its own catalog (catalog.json). */
const products = {
  'KHAWLANI-250': { ar: 'بن خولاني ٢٥٠ غ', en: 'Khawlani coffee beans 250 g', price: '65.00' },
  'KHAWLANI-500': { ar: 'بن خولاني ٥٠٠ غ', en: 'Khawlani coffee beans 500 g', price: '120.00' },
  'KHAWLANI-1000': { ar: 'بن خولاني ١ كغ', en: 'Khawlani coffee beans 1 kg', price: '225.00' },
  DALLAH: { ar: 'دلة نحاسية', en: 'Brass dallah', price: '180.00' },
  'FINJAN-SET': { ar: 'فناجين، طقم من ٦', en: 'Finjan cups, set of 6', price: '45.50' },
};

const text = {
  ar: {
    added: 'أضيف إلى السلة.',
    sar: 'ر.س',
    success: 'شكراً لطلبك',
    pending: 'نتحقق من طلبك',
    failure: 'لم يكتمل الطلب',
    refund: 'استرداد',
    refundFailed: 'تعذر الاسترداد',
  },
  en: {
    added: 'Added to your cart.',
    sar: 'SAR',
    success: 'Thank you for your order',
    pending: 'Checking your order',
    failure: 'Your order was not completed',
    refund: 'Refund',
    refundFailed: 'Refund failed',
  },
}[lang];

const toHalalas = (sar) => Math.round(Number(sar) * 100);
const toSar = (halalas) => (halalas / 100).toFixed(2);

function readCart() {
  try {
    const cart = JSON.parse(localStorage.getItem('demo_cart') ?? '{}');
    return Object.fromEntries(
      Object.entries(cart).filter(([sku, quantity]) => sku in products && Number.isInteger(quantity)),
    );
  } catch {
    return {};
  }
}

function writeCart(cart) {
  localStorage.setItem('demo_cart', JSON.stringify(cart));
  showCartCount();
}

function addToCart(sku, quantity) {
  const cart = readCart();
  cart[sku] = Math.min((cart[sku] ?? 0) + quantity, 20);
  writeCart(cart);
}

function showCartCount() {
  const count = Object.values(readCart()).reduce((sum, quantity) => sum + quantity, 0);
  for (const node of document.querySelectorAll('[data-cart-count]')) node.textContent = String(count);
}

function productPage() {
  const form = document.querySelector('#add-to-cart');
  const price = document.querySelector('#price');
  const quantity = document.querySelector('#quantity');
  const message = document.querySelector('points-product-message[amount-from]');
  const added = document.querySelector('[data-added]');

  // The widget follows #price by itself (amount-from); the quantity goes to its attribute.
  function update() {
    const variant = form.querySelector('input[name=sku]:checked');
    price.textContent = variant.dataset.price;
    const count = Math.max(1, Math.min(20, Number.parseInt(quantity.value, 10) || 1));
    message.setAttribute('quantity', String(count));
    return { sku: variant.value, quantity: count };
  }
  form.addEventListener('change', update);
  quantity.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const choice = update();
    addToCart(choice.sku, choice.quantity);
    added.textContent = text.added;
  });
  for (const button of document.querySelectorAll('[data-add]')) {
    button.addEventListener('click', () => {
      addToCart(button.dataset.add, 1);
      added.textContent = text.added;
    });
  }
  update();
}

function cartPage() {
  const list = document.querySelector('[data-cart-lines]');
  const template = document.querySelector('#line-template');
  const total = document.querySelector('#total');
  const payButton = document.querySelector('points-pay-button');
  const empty = document.querySelector('[data-cart-empty]');

  function render() {
    const cart = readCart();
    const entries = Object.entries(cart);
    list.replaceChildren(
      ...entries.map(([sku, quantity]) => {
        const line = template.content.firstElementChild.cloneNode(true);
        line.querySelector('.line-name').textContent = products[sku][lang];
        line.querySelector('.line-qty').textContent = `× ${quantity}`;
        line.querySelector('.line-price').textContent =
          `${toSar(toHalalas(products[sku].price) * quantity)} ${text.sar}`;
        line.querySelector('[data-remove]').addEventListener('click', () => {
          delete cart[sku];
          writeCart(cart);
          render();
        });
        return line;
      }),
    );
    const sum = entries.reduce((acc, [sku, quantity]) => acc + toHalalas(products[sku].price) * quantity, 0);
    total.textContent = toSar(sum);
    empty.hidden = entries.length > 0;
    // Only SKUs and quantities go to the edge server; it prices them from its catalog.
    payButton.setAttribute('items', JSON.stringify(entries.map(([sku, quantity]) => ({ sku, quantity }))));
    payButton.toggleAttribute('disabled', entries.length === 0);
  }
  render();
}

function returnPage() {
  const query = new URLSearchParams(location.search);
  const order = query.get('order');
  const token = query.get('token');
  const outcome = query.get('outcome');
  const status = document.querySelector('points-order-status');
  const title = document.querySelector('main h1');
  if (outcome === 'pending' || outcome === 'failure') title.textContent = text[outcome];
  if (!order || !token) {
    status.hidden = true;
    document.querySelector('[data-no-order]').hidden = false;
    return;
  }
  document.querySelector('[data-order-number]').textContent = order;
  document.querySelector('[data-order-line]').hidden = false;
  status.setAttribute('order-number', order);
  status.setAttribute('token', token);
  status.addEventListener('points-order-status', (event) => {
    const state = event.detail.state;
    if (state === 'confirmed') {
      title.textContent = text.success;
      writeCart({});
    } else if (['cancelled', 'expired'].includes(state)) {
      title.textContent = text.failure;
    }
  });
}

/** The merchant's refund button: the store server refunds through the edge server's admin API. */
function refundCell(order) {
  const cell = document.createElement('td');
  if (order.state !== 'confirmed' && order.state !== 'partially_refunded') return cell;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link';
  button.dataset.refund = order.orderNumber;
  button.textContent = text.refund;
  button.addEventListener('click', async () => {
    button.disabled = true;
    const response = await fetch(`/demo-api/orders/${encodeURIComponent(order.orderNumber)}/refund`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    button.textContent = response.ok ? '…' : text.refundFailed;
  });
  cell.append(button);
  return cell;
}

async function ordersPage() {
  const body = document.querySelector('[data-orders]');
  const empty = document.querySelector('[data-orders-empty]');
  async function load() {
    const response = await fetch('/demo-api/orders', { headers: { accept: 'application/json' } });
    const { orders } = response.ok ? await response.json() : { orders: [] };
    body.replaceChildren(
      ...orders.map((order) => {
        const row = document.createElement('tr');
        row.dataset.order = order.orderNumber;
        const values = [
          order.orderNumber,
          order.state,
          order.total,
          String(order.pointsRedeemed),
          order.refunded,
          new Date(order.updatedAt).toLocaleString(lang === 'ar' ? 'ar-SA-u-nu-latn' : 'en-GB'),
        ];
        values.forEach((value, index) => {
          const cell = document.createElement(index === 0 ? 'th' : 'td');
          if (index === 0) cell.scope = 'row';
          if (index === 1) cell.className = `state state-${value}`;
          cell.textContent = value;
          row.append(cell);
        });
        row.append(refundCell(order));
        return row;
      }),
    );
    empty.hidden = orders.length > 0;
  }
  document.querySelector('[data-refresh]').addEventListener('click', load);
  await load();
}

showCartCount();
const pages = { product: productPage, cart: cartPage, return: returnPage, orders: ordersPage };
await pages[document.body.dataset.page]?.();
document.body.dataset.ready = 'true';
