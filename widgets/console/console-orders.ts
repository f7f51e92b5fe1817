import { html } from 'lit';
import { ConsoleData } from './console-data.ts';
import { ConsolePage } from './console-page.ts';

export interface ConsoleOrder {
  orderNumber: string;
  state: string;
  referenceNumber: string | null;
  phone: string | null;
  expectedTotal: string;
  settledTotal: string | null;
  refundedTotal: string;
  remainingTotal: string | null;
  pointsStatus: string | null;
  shippingStatus: string | null;
  createdAt: string;
}

const states = [
  'pending',
  'confirmed',
  'partially_refunded',
  'refunded',
  'cancelled',
  'failed',
  'amount_mismatch',
];

/** The orders page: search by number, reference or phone, state and days; the list links to each order. */
export class ConsoleOrders extends ConsolePage {
  private query = new URLSearchParams();
  private readonly orders = new ConsoleData<ConsoleOrder[]>(this, () => `orders?${this.query}`);

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(event.target as HTMLFormElement)) {
      if (typeof value === 'string' && value.trim() !== '') query.set(name, value.trim());
    }
    this.query = query;
    void this.orders.reload();
  }

  override render() {
    const { t } = this;
    const { value: orders, busy } = this.orders;
    return html`<h2>${t('orders')}</h2>
      <form role="search" @submit=${this.submit}>
        <div class="row">
          <div><label for="q">${t('searchLabel')}</label><input id="q" name="q" type="search" /></div>
          <div>
            <label for="state">${t('state')}</label>
            <select id="state" name="state">
              <option value="">${t('anyState')}</option>
              ${states.map((state) => html`<option value=${state}>${state}</option>`)}
            </select>
          </div>
          <div><label for="from">${t('from')}</label><input id="from" name="from" type="date" /></div>
          <div><label for="to">${t('to')}</label><input id="to" name="to" type="date" /></div>
          <button type="submit" ?disabled=${busy}>${t('search')}</button>
        </div>
      </form>
      <p role="status">${busy ? t('loading') : ''}</p>
      ${this.orders.failure()} ${orders && orders.length === 0 ? html`<p>${t('noOrders')}</p>` : ''}
      ${
        orders && orders.length > 0
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('order')}</th>
                  <th scope="col">${t('state')}</th>
                  <th scope="col">${t('reference')}</th>
                  <th scope="col">${t('phone')}</th>
                  <th scope="col">${t('total')}</th>
                </tr>
              </thead>
              <tbody>
                ${orders.map(
                  (order) =>
                    html`<tr>
                      <td>
                        <a href="#/orders/${encodeURIComponent(order.orderNumber)}"
                          ><bdi>${order.orderNumber}</bdi></a
                        >
                      </td>
                      <td>${order.state}</td>
                      <td><bdi>${order.referenceNumber ?? ''}</bdi></td>
                      <td><bdi>${order.phone ?? ''}</bdi></td>
                      <td><bdi>${order.settledTotal ?? order.expectedTotal}</bdi></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : ''
      }`;
  }
}

customElements.define('points-console-orders', ConsoleOrders);
