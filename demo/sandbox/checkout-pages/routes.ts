import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Core } from '../core.ts';
import type { Order, Session } from '../store.ts';
import {
  backToRedeem,
  callbackTarget,
  cancelByCustomer,
  cardErrors,
  cashDue,
  changePhone,
  chooseRedemption,
  confirmRedemption,
  loadSession,
  payByCard,
  pointsValue,
  redemptionOffer,
  skipPoints,
  submitPhone,
  verifyOtp,
} from './flow.ts';
import { pageLang, strings, type ErrorCode, type PageLang } from './i18n.ts';
import { checkoutCss } from './styles.ts';
import {
  confirmPage,
  donePage,
  messagePage,
  otpPage,
  payPage,
  phonePage,
  redeemPage,
  type PageModel,
} from './views.ts';

const form = {
  phone: z.object({ phone: z.string().default('') }),
  otp: z.object({ otp: z.string().default('') }),
  redeem: z.object({
    choice: z.enum(['full', 'partial', 'none']).optional(),
    points: z.string().default(''),
  }),
  confirm: z.object({ action: z.enum(['confirm', 'back']).default('confirm') }),
  pay: z.object({
    card_number: z.string().default(''),
    card_expiry: z.string().default(''),
    card_cvc: z.string().default(''),
  }),
};

/** Only text fields; a malformed or multipart file body reads as empty. */
async function formBody(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/**
 * The hosted checkout (`checkout_url`): plain HTML forms, POST then 303, Arabic by default, `?lang=en`.
 *
 * @example
 * app.route('/', checkoutPages(core));
 */
export function checkoutPages(core: Core) {
  const app = new Hono();

  app.get('/session-assets/checkout.css', (c) =>
    c.body(checkoutCss, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=300' }),
  );

  app.use('/session/*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders)) c.res.headers.set(name, value);
  });

  function model(lang: PageLang, session: Session, order: Order, extra: Partial<PageModel> = {}): PageModel {
    const merchant = core.store.merchants.find((m) => m.id === order.merchantId);
    return { lang, session, order, merchantName: merchant?.name ?? '', otp: core.options.otp, ...extra };
  }

  /** Renders the session's current step (status 422 when `extra` carries errors). */
  function render(
    c: Context,
    lang: PageLang,
    session: Session,
    order: Order,
    extra: Partial<PageModel> = {},
  ) {
    const page = model(lang, session, order, extra);
    const status = extra.errors?.length ? 422 : 200;
    switch (session.step) {
      case 'phone':
        return c.html(phonePage(page), status);
      case 'otp':
        return c.html(otpPage(page), status);
      case 'redeem':
        return c.html(redeemPage(page, redemptionOffer(core, session, order)), status);
      case 'confirm':
        return c.html(confirmPage(page, pointsValue(core, order, session.redeemPoints)), status);
      case 'pay':
        return c.html(payPage(page, cashDue(core, session, order)), status);
      case 'done':
        return c.html(donePage(page, order.callbackUrl ? callbackTarget(core, session, order) : null));
    }
  }

  /** Loads the session or answers the error page; `step` (for POSTs) must be the current step. */
  function withSession(
    handler: (c: Context, lang: PageLang, session: Session, order: Order) => Response | Promise<Response>,
    steps?: Session['step'][],
  ) {
    return async (c: Context) => {
      const lang = pageLang(c.req.query('lang'));
      const t = strings[lang];
      const loaded = loadSession(core, c.req.param('id') ?? '');
      if (loaded === 'not-found') return c.html(messagePage(lang, t.notFoundTitle, t.expiredText), 404);
      if (loaded === 'expired') {
        const order = core.store.orders.get(
          core.store.sessions.get(c.req.param('id') ?? '')?.orderUuid ?? '',
        );
        return c.html(messagePage(lang, t.expiredTitle, t.expiredText, order?.callbackUrl), 410);
      }
      const { session, order } = loaded;
      if (steps && !steps.includes(session.step)) return here(c, lang, session);
      return handler(c, lang, session, order);
    };
  }

  function here(c: Context, lang: PageLang, session: Session) {
    return c.redirect(`/session/${session.id}${lang === 'en' ? '?lang=en' : ''}`, 303);
  }

  function finish(c: Context, session: Session, order: Order) {
    return c.redirect(callbackTarget(core, session, order), 303);
  }

  app.get(
    '/session/:id',
    withSession((c, lang, session, order) => render(c, lang, session, order)),
  );

  app.post(
    '/session/:id/phone',
    withSession(
      async (c, lang, session, order) => {
        const { phone } = form.phone.parse(await formBody(c));
        const result = submitPhone(core, session, phone);
        if (result === 'ok') return here(c, lang, session);
        const values = { phone };
        if (result === 'invalid')
          return render(c, lang, session, order, { errors: [['phone', 'phone-invalid']], values });
        return c.html(phonePage(model(lang, session, order, { values }), true));
      },
      ['phone'],
    ),
  );

  app.post(
    '/session/:id/change-phone',
    withSession(
      (c, lang, session) => {
        changePhone(session);
        return here(c, lang, session);
      },
      ['otp', 'redeem', 'confirm', 'pay'],
    ),
  );

  app.post(
    '/session/:id/skip-points',
    withSession(
      (c, lang, session) => {
        skipPoints(session);
        return here(c, lang, session);
      },
      ['phone'],
    ),
  );

  app.post(
    '/session/:id/otp',
    withSession(
      async (c, lang, session, order) => {
        const { otp } = form.otp.parse(await formBody(c));
        if (verifyOtp(core, session, otp)) return here(c, lang, session);
        return render(c, lang, session, order, { errors: [['otp', 'otp-invalid']] });
      },
      ['otp'],
    ),
  );

  app.post(
    '/session/:id/redeem',
    withSession(
      async (c, lang, session, order) => {
        const body = form.redeem.safeParse(await formBody(c));
        const values = { choice: body.data?.choice ?? '', points: body.data?.points ?? '' };
        if (!body.success || !body.data.choice) {
          return render(c, lang, session, order, { errors: [['choice', 'choice-required']], values });
        }
        const points = /^\d{1,9}$/.test(body.data.points.trim())
          ? Number(body.data.points.trim())
          : undefined;
        const error = chooseRedemption(core, session, order, body.data.choice, points);
        if (!error) return here(c, lang, session);
        const id = error === 'not-enough-points' ? 'choice' : 'points';
        return render(c, lang, session, order, { errors: [[id, error]], values });
      },
      ['redeem'],
    ),
  );

  app.post(
    '/session/:id/confirm',
    withSession(
      async (c, lang, session, order) => {
        const body = form.confirm.safeParse(await formBody(c));
        if (body.success && body.data.action === 'back') {
          backToRedeem(session);
          return here(c, lang, session);
        }
        const next = confirmRedemption(core, session, order);
        return next === 'paid' ? finish(c, session, order) : here(c, lang, session);
      },
      ['confirm'],
    ),
  );

  app.post(
    '/session/:id/pay',
    withSession(
      async (c, lang, session, order) => {
        const body = form.pay.parse(await formBody(c));
        const card = { number: body.card_number, expiry: body.card_expiry, cvc: body.card_cvc };
        const found = cardErrors(card);
        const errors: Array<[string, ErrorCode]> = [];
        if (found.number) errors.push(['card_number', found.number]);
        if (found.expiry) errors.push(['card_expiry', found.expiry]);
        if (found.cvc) errors.push(['card_cvc', found.cvc]);
        if (errors.length) {
          const values = { card_expiry: body.card_expiry };
          return render(c, lang, session, order, { errors, values });
        }
        payByCard(core, session, order, card);
        return finish(c, session, order);
      },
      ['pay'],
    ),
  );

  app.post(
    '/session/:id/cancel',
    withSession(
      (c, _lang, session, order) => {
        cancelByCustomer(core, session, order);
        return finish(c, session, order);
      },
      ['phone', 'otp', 'redeem', 'confirm', 'pay'],
    ),
  );

  return app;
}
