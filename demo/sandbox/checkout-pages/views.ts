import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatPoints, sarForPage } from '../money.ts';
import { maskPhone } from '../../../server/shared/saudi-phone.ts';
import type { Order, Session } from '../store.ts';
import { strings, type ErrorCode, type PageLang, type Strings } from './i18n.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Everything a step page needs. */
export interface PageModel {
  lang: PageLang;
  session: Session;
  order: Order;
  merchantName: string;
  otp: string;
  /** Field id → error code, in the order the fields appear. */
  errors?: Array<[string, ErrorCode]>;
  values?: Record<string, string>;
}

export interface Offer {
  balance: number;
  balanceHalalas: number;
  pointsForTotal: number;
  maxPoints: number;
  maxValueHalalas: number;
  canPayInFull: boolean;
}

function query(lang: PageLang): string {
  return lang === 'en' ? '?lang=en' : '';
}

function money(t: Strings, halalas: number): string {
  return `${sarForPage(halalas)} ${t.sar}`;
}

/** The page frame: header with brand, language switch and cancel, then the card. */
export function layout(lang: PageLang, title: string, body: Html, session?: Session): Html {
  const t = strings[lang];
  const other = lang === 'en' ? 'ar' : 'en';
  const switchHref = session ? `/session/${session.id}?lang=${other}` : `?lang=${other}`;
  const cancel =
    session && session.step !== 'done'
      ? html`<form method="post" action="/session/${session.id}/cancel${query(lang)}" class="cancel-form">
          <button type="submit" class="close" aria-label="${t.cancel}" title="${t.cancel}">×</button>
        </form>`
      : '';
  return html`<!doctype html>
    <html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — ${t.brand}</title>
        <link rel="stylesheet" href="/session-assets/checkout.css" />
      </head>
      <body>
        <header class="top">
          <span class="logo">${t.brand}<span class="dot" aria-hidden="true"></span></span>
          <a class="lang" href="${switchHref}" lang="${other}" hreflang="${other}">${t.switchLang}</a>
          ${cancel}
        </header>
        <main class="card">${body}</main>
        <p class="sandbox-note">${t.sandbox}</p>
      </body>
    </html>`;
}

function summary(t: Strings, model: PageModel): Html {
  return html`<section class="summary" aria-labelledby="summary-title">
    <h2 id="summary-title" class="visually-hidden">${t.orderSummary}</h2>
    <p class="merchant">${model.merchantName}</p>
    <dl>
      <div>
        <dt>${t.orderNumber}</dt>
        <dd dir="ltr">${model.order.orderNumber}</dd>
      </div>
      <div>
        <dt>${t.total}</dt>
        <dd>${money(t, model.order.totalHalalas)}</dd>
      </div>
    </dl>
  </section>`;
}

function errorSummary(t: Strings, model: PageModel): Html | '' {
  if (!model.errors?.length) return '';
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
    <h2 id="error-summary-title">${t.errorSummary}</h2>
    <ul>
      ${model.errors.map(([id, code]) => html`<li><a href="#${id}">${t.errors[code]}</a></li>`)}
    </ul>
  </div>`;
}

interface FieldSpec {
  id: string;
  label: string;
  hint?: string;
  attrs?: string;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
function field(t: Strings, model: PageModel, spec: FieldSpec): Html {
  const error = model.errors?.find(([id]) => id === spec.id)?.[1];
  const first = model.errors?.[0]?.[0] === spec.id;
  const describedBy = [spec.hint ? `${spec.id}-hint` : '', error ? `${spec.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const value = model.values?.[spec.id] ?? '';
  return html`<div class="field${error ? ' invalid' : ''}">
    <label for="${spec.id}">${spec.label}</label>
    ${spec.hint ? html`<p id="${spec.id}-hint" class="hint">${spec.hint}</p>` : ''}
    ${error ? html`<p id="${spec.id}-error" class="error">${t.errors[error]}</p>` : ''}
    <input
      id="${spec.id}"
      name="${spec.id}"
      value="${value}"
      ${raw(spec.attrs ?? '')}
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
      ${error ? raw('aria-invalid="true"') : ''}
      ${first ? raw('autofocus') : ''}
    />
  </div>`;
}

function action(model: PageModel, step: string): string {
  return `/session/${model.session.id}/${step}${query(model.lang)}`;
}

export function phonePage(model: PageModel, noAccount = false): Html {
  const t = strings[model.lang];
  const body = html`<h1>${t.phoneTitle}</h1>
    ${summary(t, model)} ${errorSummary(t, model)}
    ${
      noAccount
        ? html`<div class="notice" role="alert" id="no-account">
            <p lang="ar" dir="rtl">${strings.ar.noAccount}</p>
            ${model.lang === 'en' ? html`<p>${t.noAccount}</p>` : ''}
            <form method="post" action="${action(model, 'skip-points')}">
              <button type="submit" class="secondary">${t.payWithoutPoints}</button>
            </form>
          </div>`
        : ''
    }
    <form method="post" action="${action(model, 'phone')}" novalidate>
      ${field(t, model, {
        id: 'phone',
        label: t.phoneLabel,
        hint: t.phoneHint,
        attrs: 'type="tel" inputmode="tel" autocomplete="tel-national" dir="ltr" required',
      })}
      <button type="submit" class="primary">${t.continue}</button>
    </form>`;
  return layout(model.lang, t.phoneTitle, body, model.session);
}

export function otpPage(model: PageModel): Html {
  const t = strings[model.lang];
  const body = html`<h1>${t.otpTitle}</h1>
    ${summary(t, model)} ${errorSummary(t, model)}
    <div class="phone-box">
      <p>${t.otpSent} <bdi dir="ltr">${maskPhone(model.session.phone ?? '')}</bdi></p>
      <form method="post" action="${action(model, 'change-phone')}">
        <button type="submit" class="link">${t.changePhone}</button>
      </form>
    </div>
    <form method="post" action="${action(model, 'otp')}" novalidate>
      ${field(t, model, {
        id: 'otp',
        label: t.otpLabel,
        hint: `${t.otpHint} ${model.otp}`,
        attrs:
          'type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" dir="ltr" required',
      })}
      <button type="submit" class="primary">${t.verify}</button>
    </form>`;
  return layout(model.lang, t.otpTitle, body, model.session);
}

function choice(value: string, label: Html | string, checked: boolean): Html {
  return html`<div class="choice">
    <input
      type="radio"
      id="choice-${value}"
      name="choice"
      value="${value}"
      ${checked ? raw('checked') : ''}
    />
    <label for="choice-${value}">${label}</label>
  </div>`;
}

export function redeemPage(model: PageModel, offer: Offer): Html {
  const t = strings[model.lang];
  const chosen =
    model.values?.['choice'] ?? (offer.canPayInFull ? 'full' : offer.maxPoints ? 'partial' : 'none');
  const fullLabel = html`${t.full}
    <span class="amount"
      >(${money(t, model.order.totalHalalas)} = ${formatPoints(offer.pointsForTotal)} ${t.points})</span
    >`;
  const choiceError = model.errors?.find(([id]) => id === 'choice')?.[1];
  const options =
    offer.maxPoints === 0
      ? html`<p class="notice">${t.zeroBalance}</p>
          <input type="hidden" name="choice" value="none" />`
      : html`<fieldset id="choice" tabindex="-1" ${choiceError ? raw('aria-describedby="choice-error"') : ''}>
          <legend>${t.chooseMethod}</legend>
          ${choiceError ? html`<p id="choice-error" class="error">${t.errors[choiceError]}</p>` : ''}
          ${offer.canPayInFull ? choice('full', fullLabel, chosen === 'full') : ''}
          ${choice('partial', t.partial, chosen === 'partial')}
          ${field(t, model, {
            id: 'points',
            label: t.partialLabel,
            hint: `${t.partialHint} ${formatPoints(offer.maxPoints)} ${t.points} (${money(t, offer.maxValueHalalas)})`,
            attrs: `type="number" inputmode="numeric" min="1" max="${offer.maxPoints}" step="1" dir="ltr"`,
          })}
          ${choice('none', t.none, chosen === 'none')}
        </fieldset>`;
  const body = html`<h1>${t.redeemTitle}</h1>
    ${summary(t, model)} ${errorSummary(t, model)}
    <section class="balance" aria-labelledby="balance-title">
      <h2 id="balance-title">${t.balance}</h2>
      <dl>
        <div>
          <dt>${t.balancePoints}</dt>
          <dd>${formatPoints(offer.balance)} ${t.points}</dd>
        </div>
        <div>
          <dt>${t.balanceValue}</dt>
          <dd>${money(t, offer.balanceHalalas)}</dd>
        </div>
      </dl>
    </section>
    <form method="post" action="${action(model, 'redeem')}" novalidate>
      ${options}
      <button type="submit" class="primary">${offer.maxPoints === 0 ? t.continue : t.redeem}</button>
    </form>`;
  return layout(model.lang, t.redeemTitle, body, model.session);
}

export function confirmPage(model: PageModel, valueHalalas: number): Html {
  const t = strings[model.lang];
  const points = formatPoints(model.session.redeemPoints);
  const body = html`<div class="icon" aria-hidden="true">!</div>
    <h1>${t.confirmTitle}</h1>
    <p class="confirm-text">
      ${t.confirmText}
      <strong>${money(t, valueHalalas)} (${points} ${t.points})</strong>${model.lang === 'ar' ? '؟' : '?'}
      ${t.confirmNote}
    </p>
    <form method="post" action="${action(model, 'confirm')}" class="buttons">
      <button type="submit" name="action" value="confirm" class="primary">${t.confirm}</button>
      <button type="submit" name="action" value="back" class="secondary">${t.back}</button>
    </form>`;
  return layout(model.lang, t.confirmTitle, body, model.session);
}

export function payPage(model: PageModel, dueHalalas: number): Html {
  const t = strings[model.lang];
  const redeemed = model.session.redeemPoints;
  const body = html`<h1>${t.payTitle}</h1>
    ${summary(t, model)} ${errorSummary(t, model)}
    <dl class="due">
      ${
        redeemed
          ? html`<div>
              <dt>${t.pointsApplied}</dt>
              <dd>${formatPoints(redeemed)} ${t.points}</dd>
            </div>`
          : ''
      }
      <div>
        <dt>${t.due}</dt>
        <dd>${money(t, dueHalalas)}</dd>
      </div>
    </dl>
    <form method="post" action="${action(model, 'pay')}" novalidate>
      ${field(t, model, {
        id: 'card_number',
        label: t.cardNumber,
        hint: t.cardHint,
        attrs: 'type="text" inputmode="numeric" autocomplete="cc-number" dir="ltr" required',
      })}
      ${field(t, model, {
        id: 'card_expiry',
        label: t.cardExpiry,
        attrs: 'type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" dir="ltr" required',
      })}
      ${field(t, model, {
        id: 'card_cvc',
        label: t.cardCvc,
        attrs: 'type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" dir="ltr" required',
      })}
      <button type="submit" class="primary">${t.pay} ${money(t, dueHalalas)}</button>
    </form>`;
  return layout(model.lang, t.payTitle, body, model.session);
}

export function donePage(model: PageModel, returnUrl: string | null): Html {
  const t = strings[model.lang];
  const paid = model.order.orderStatus !== 'cancelled' && model.order.orderStatus !== 'new';
  const title = paid
    ? t.successTitle
    : model.session.ended === 'payment_failed'
      ? t.failedTitle
      : t.cancelledTitle;
  const body = html`<h1>${title}</h1>
    ${summary(t, model)}
    <p>${t.doneText} <span dir="ltr">${model.order.orderStatus}</span></p>
    ${returnUrl ? html`<a class="button primary" href="${returnUrl}">${t.backToStore}</a>` : ''}`;
  return layout(model.lang, title, body, model.session);
}

export function messagePage(lang: PageLang, title: string, text: string, returnUrl?: string | null): Html {
  const t = strings[lang];
  const body = html`<h1>${title}</h1>
    <p>${text}</p>
    ${returnUrl ? html`<a class="button primary" href="${returnUrl}">${t.backToStore}</a>` : ''}`;
  return layout(lang, title, body);
}
