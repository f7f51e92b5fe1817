import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatPoints } from './money.ts';

/** What the page shows of one fixture customer. */
export interface CustomerRow {
  fixture: keyof typeof uses;
  phone: string;
  account: string;
  balance: number;
}

const uses = {
  withBalance: 'pays fully or partly with points',
  zeroBalance: 'zero balance: pays by card',
  noAccount: 'no Points account',
  pendingActivation: 'app not activated: earning is pending',
};

/**
 * `GET /sandbox` in a browser: the fixture customers with their balances now, and a reset button (a form
 * POST to `/sandbox/reset`), so a second demo run can pay with points again. The JSON stays at the same URL
 * for scripts (`Accept: application/json`).
 */
export function adminPage(input: { baseUrl: string; customers: CustomerRow[]; reset: boolean }) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Points sandbox</title>
        <link rel="stylesheet" href="/session-assets/checkout.css" />
      </head>
      <body>
        <main class="card">
          <h1>Points sandbox</h1>
          <p>${input.baseUrl}: in memory; a restart or the reset below brings back the fixtures.</p>
          ${input.reset ? html`<p class="notice" role="status">The sandbox was reset to its fixtures.</p>` : ''}
          <table>
            <caption>
              Fixture customers
            </caption>
            <thead>
              <tr>
                <th scope="col">Phone</th>
                <th scope="col">Use</th>
                <th scope="col">Account</th>
                <th scope="col">Balance (points)</th>
              </tr>
            </thead>
            <tbody>
              ${input.customers.map(
                (customer) =>
                  html`<tr>
                    <td>${customer.phone}</td>
                    <td>${uses[customer.fixture]}</td>
                    <td>${customer.account}</td>
                    <td>${formatPoints(customer.balance)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <form method="post" action="/sandbox/reset">
            <button type="submit">Reset the sandbox</button>
          </form>
          <p>
            Reset brings back every fixture balance and forgets every order, session, delivery, and webhook
            registered since the start (the one given at start stays). Same as
            <code>npx points-sandbox --reset</code> or <code>POST /sandbox/reset</code>.
          </p>
          <p><a href="/sandbox/deliveries">Webhook deliveries</a> (JSON)</p>
        </main>
      </body>
    </html>` as HtmlEscapedString | Promise<HtmlEscapedString>;
}
