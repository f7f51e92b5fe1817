import type { Core } from '../core.ts';
import { endSession, expireSessions } from '../orders/checkout.ts';
import { cancelOrder } from '../orders/transitions.ts';
import { normalizeSaudiPhone } from '../../../server/shared/saudi-phone.ts';
import type { Order, Session } from '../store.ts';

/**
 * The hosted checkout's steps without any HTML: phone → OTP → choose points → confirm → pay. Pages and
 * the `completeCheckout` control both drive sessions through these functions.
 */

export const cancelledByCustomer = 'Checkout cancelled by the customer';
export const paymentFailed = 'Payment failed';

export type Loaded = { session: Session; order: Order } | 'not-found' | 'expired';

export function loadSession(core: Core, id: string): Loaded {
  expireSessions(core);
  const session = core.store.sessions.get(id);
  const order = session && core.store.orders.get(session.orderUuid);
  if (!session || !order) return 'not-found';
  if (session.ended === 'expired') return 'expired';
  // The merchant may have completed or cancelled the order through the API meanwhile.
  if (session.step !== 'done' && order.orderStatus !== 'new') session.step = 'done';
  return { session, order };
}

/** What the redemption step offers, in points and halalas. */
export function redemptionOffer(core: Core, session: Session, order: Order) {
  const pointValue = core.options.pointValueHalalas;
  const balance = session.phone ? core.store.customer(session.phone).balance : 0;
  const pointsForTotal = Math.ceil(order.totalHalalas / pointValue);
  const maxPoints = Math.min(balance, pointsForTotal);
  return {
    balance,
    balanceHalalas: balance * pointValue,
    pointsForTotal,
    maxPoints,
    maxValueHalalas: Math.min(order.totalHalalas, maxPoints * pointValue),
    canPayInFull: order.totalHalalas > 0 && balance >= pointsForTotal,
  };
}

/** Value of `points` against this order, never more than its total. */
export function pointsValue(core: Core, order: Order, points: number): number {
  return Math.min(order.totalHalalas, points * core.options.pointValueHalalas);
}

export function cashDue(core: Core, session: Session, order: Order): number {
  return order.totalHalalas - pointsValue(core, order, session.redeemPoints);
}

export type PhoneResult = 'invalid' | 'no-account' | 'ok';

export function submitPhone(core: Core, session: Session, raw: string): PhoneResult {
  const phone = normalizeSaudiPhone(raw);
  if (!phone) return 'invalid';
  // A customer who never activated the app cannot redeem either: same message as no account [INF].
  if (core.store.customer(phone).account !== 'active') return 'no-account';
  session.phone = phone;
  session.verified = false;
  session.step = 'otp';
  return 'ok';
}

export function changePhone(session: Session): void {
  session.phone = null;
  session.verified = false;
  session.redeemPoints = 0;
  session.step = 'phone';
}

/** Continue without Points: the whole amount by card. */
export function skipPoints(session: Session): void {
  session.phone = null;
  session.redeemPoints = 0;
  session.step = 'pay';
}

export function verifyOtp(core: Core, session: Session, code: string): boolean {
  if (code.replace(/\s/g, '') !== core.options.otp) return false;
  session.verified = true;
  session.step = 'redeem';
  return true;
}

export type RedeemChoice = 'full' | 'partial' | 'none';

/** Returns an error code for the page, or null when the choice was taken. */
export function chooseRedemption(
  core: Core,
  session: Session,
  order: Order,
  choice: RedeemChoice,
  partialPoints: number | undefined,
): 'points-required' | 'too-many-points' | 'not-enough-points' | null {
  const offer = redemptionOffer(core, session, order);
  let points = 0;
  if (choice === 'full') {
    if (!offer.canPayInFull) return 'not-enough-points';
    points = offer.pointsForTotal;
  } else if (choice === 'partial') {
    if (partialPoints === undefined || partialPoints < 1) return 'points-required';
    if (partialPoints > offer.maxPoints) return 'too-many-points';
    points = partialPoints;
  }
  session.redeemPoints = points;
  session.step = points > 0 ? 'confirm' : 'pay';
  return null;
}

/** After the customer confirms the points: paid in full by points, or on to the card step. */
export function confirmRedemption(core: Core, session: Session, order: Order): 'paid' | 'pay' | 'changed' {
  if (session.redeemPoints > redemptionOffer(core, session, order).balance) {
    session.step = 'redeem';
    return 'changed';
  }
  if (cashDue(core, session, order) === 0) {
    settle(core, session, order);
    return 'paid';
  }
  session.step = 'pay';
  return 'pay';
}

export function backToRedeem(session: Session): void {
  session.redeemPoints = 0;
  session.step = 'redeem';
}

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
}

export type CardErrors = Partial<Record<keyof CardInput, 'card-number' | 'card-expiry' | 'card-cvc'>>;

export function cardErrors(card: CardInput): CardErrors {
  const errors: CardErrors = {};
  if (!/^\d{16}$/.test(card.number.replace(/[\s-]/g, ''))) errors.number = 'card-number';
  if (!/^(0[1-9]|1[0-2])\s*\/\s*\d{2}$/.test(card.expiry.trim())) errors.expiry = 'card-expiry';
  if (!/^\d{3,4}$/.test(card.cvc.trim())) errors.cvc = 'card-cvc';
  return errors;
}

/** Charges the simulated card: the documented failing number is declined and cancels the order. */
export function payByCard(core: Core, session: Session, order: Order, card: CardInput): 'paid' | 'declined' {
  if (card.number.replace(/[\s-]/g, '') === core.options.failingCard) {
    endSession(session, 'payment_failed');
    cancelOrder(core, order, paymentFailed);
    return 'declined';
  }
  settle(core, session, order);
  return 'paid';
}

/** The order is paid: points leave the balance, the order is approved and `approved` fires. */
function settle(core: Core, session: Session, order: Order): void {
  if (session.phone && session.redeemPoints > 0)
    core.store.customer(session.phone).balance -= session.redeemPoints;
  order.redeemedPoints = session.redeemPoints;
  order.totalPoints = session.redeemPoints;
  order.cashHalalas = cashDue(core, session, order);
  order.phone = session.phone ?? order.phone;
  order.orderStatus = 'approved';
  order.updatedAt = core.now();
  endSession(session, 'paid');
  core.emit(order, [{ event: 'approved' }]);
}

export function cancelByCustomer(core: Core, session: Session, order: Order): void {
  endSession(session, 'cancelled');
  cancelOrder(core, order, cancelledByCustomer);
}

/**
 * Where the browser goes when the session is over: `callback_url` with the configured parameters
 * appended (its own query string kept), or the session page itself when there is no callback.
 */
export function callbackTarget(core: Core, session: Session, order: Order): string {
  if (!order.callbackUrl) return `/session/${session.id}`;
  const url = new URL(order.callbackUrl);
  const values = {
    order_uuid: order.uuid,
    order_number: order.orderNumber,
    status: order.orderStatus,
    reference_number: order.referenceNumber,
  };
  for (const name of core.options.callbackParams) url.searchParams.set(name, values[name]);
  return url.toString();
}
