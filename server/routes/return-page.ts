import { Hono } from 'hono';
import { html } from 'hono/html';

const copy = {
  en: { title: 'Your order', back: 'Back to the store' },
  ar: { title: 'طلبك', back: 'العودة إلى المتجر' },
} as const;

/**
 * `GET /return`: a plain return page for merchants who have not configured their own return URLs.
 * It shows `<points-order-status>` for the order in the query; all values are escaped by `html`.
 */
export function returnPageRoutes(): Hono {
  const app = new Hono();
  app.get('/return', (c) => {
    const lang = c.req.query('lang') === 'en' ? 'en' : 'ar';
    const text = copy[lang];
    const order = (c.req.query('order') ?? '').slice(0, 100);
    const token = (c.req.query('token') ?? '').slice(0, 100);
    c.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'",
    );
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    return c.html(
      html`<!doctype html>
        <html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>${text.title}</title>
            <script type="module" src="./widgets.js"></script>
          </head>
          <body>
            <main>
              <h1>${text.title}</h1>
              <points-order-status order-number="${order}" token="${token}" server="./"></points-order-status>
            </main>
          </body>
        </html>`,
    );
  });
  return app;
}
