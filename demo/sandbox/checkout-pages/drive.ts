import type { Core } from '../core.ts';
import type { Order, Session, SessionStep } from '../store.ts';
import {
  changePhone,
  chooseRedemption,
  confirmRedemption,
  loadSession,
  payByCard,
  skipPoints,
  submitPhone,
  verifyOtp,
} from './flow.ts';

/** A card number the hosted page accepts; any 16 digits except the failing card work. */
export const goodCard = '4242424242424242';

export interface CompleteCheckoutOptions {
  /** Customer phone (any §1.7 format); omitted: pay the whole amount by card without Points. */
  phone?: string;
  /** Points to redeem (default 0: all by card). */
  redeemPoints?: number;
  /** Card for the cash part (default a good card; pass the failing card to decline). */
  card?: string;
}

/** The session by id, else the open (or newest) session of an order number (a leading `#` ignored). */
function findSession(core: Core, ref: string): Session | undefined {
  const byId = core.store.sessions.get(ref);
  if (byId) return byId;
  const orderNumber = ref.replace(/^#/, '');
  const sessions = [...core.store.sessions.values()].filter(
    (s) => core.store.orders.get(s.orderUuid)?.orderNumber === orderNumber,
  );
  return sessions.find((s) => s.step !== 'done') ?? sessions.at(-1);
}

/**
 * Drives a hosted checkout to its end without HTML, through the same steps as the pages: phone, OTP,
 * points, confirmation, card. Throws when a step is refused.
 *
 * @example
 * const { session, order } = driveCheckout(core, 'ORD-1', { phone: '500000001', redeemPoints: 1000 });
 */
export function driveCheckout(
  core: Core,
  ref: string,
  how: CompleteCheckoutOptions,
): { session: Session; order: Order } {
  const found = findSession(core, ref);
  const loaded = found ? loadSession(core, found.id) : 'not-found';
  if (loaded === 'not-found') throw new Error('Checkout session not found');
  if (loaded === 'expired') throw new Error('Checkout session expired');
  const { session, order } = loaded;
  // The flow functions move `session.step`; read it through a function so TypeScript does not narrow it.
  const step = (): SessionStep => session.step;
  const points = how.redeemPoints ?? 0;
  if (how.phone === undefined && points > 0) throw new Error('Redeeming points needs a phone');
  if (step() === 'done') throw new Error('Checkout session is already over');
  // Start from the phone step, wherever a customer (or an earlier call) left the session.
  changePhone(session);
  if (how.phone === undefined) {
    skipPoints(session);
  } else {
    const result = submitPhone(core, session, how.phone);
    if (result !== 'ok') throw new Error(result === 'invalid' ? 'Invalid phone number' : 'No Points account');
    verifyOtp(core, session, core.options.otp);
    const error = chooseRedemption(core, session, order, points > 0 ? 'partial' : 'none', points);
    if (error) throw new Error(`Cannot redeem ${points} points: ${error}`);
    if (step() === 'confirm') confirmRedemption(core, session, order);
  }
  if (step() === 'pay') {
    payByCard(core, session, order, { number: how.card ?? goodCard, expiry: '12/30', cvc: '123' });
  }
  return { session, order };
}
