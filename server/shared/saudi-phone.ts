/**
 * Saudi mobile numbers, in one place for the server, the connectors and the sandbox.
 * Points' rule (points-api.md §1.7): strip spaces and dashes, strip one leading `+966`, `00966`, `966` or
 * `0`, then require nine digits starting with 5.
 */

/**
 * Normalises a Saudi mobile number the way Points does. Returns `undefined` when it cannot be one.
 *
 * @example
 * normalizeSaudiPhone('+966 50-000-0001'); // '500000001'
 * normalizeSaudiPhone('0500000001'); // '500000001'
 * normalizeSaudiPhone('12345'); // undefined
 */
export function normalizeSaudiPhone(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '');
  const local = compact.replace(/^(\+966|00966|966|0)/, '');
  return /^5\d{8}$/.test(local) ? local : undefined;
}

/**
 * Arabic-Indic (٠–٩), Persian (۰–۹) and full-width (０–９) digits as ASCII: shoppers type any of them on
 * Arabic and Asian keyboards, and each block's digits end in 0–9 in their low four bits.
 */
function asciiDigits(input: string): string {
  return input.replace(/[٠-٩۰-۹０-９]/g, (digit) => String(digit.charCodeAt(0) & 0xf));
}

/** What a platform tells us of a customer's phone, in whichever parts it keeps it. */
export interface PlatformPhone {
  /** The number as the platform holds it: free text, a number, with or without a country code. */
  number: string | number | null | undefined;
  /** A dialling code kept apart from the number, e.g. Salla's `mobile_code` "+966". */
  dialCode?: string | number | null | undefined;
  /** The ISO country of the address the number was typed with, e.g. WooCommerce's `billing.country`. */
  country?: string | null | undefined;
}

/**
 * A platform's phone as the `5XXXXXXXX` Points wants, or `undefined` when it is not a Saudi mobile.
 * Accepts free text as shoppers type it (`+966 5x`, `9665x`, `05x`, brackets, dots, Arabic digits), a
 * separate dialling code, and refuses a number typed with a foreign dialling code or country.
 *
 * @example
 * platformPhoneToSaudi({ number: 555555555, dialCode: '+966' }); // '555555555' (Salla)
 * platformPhoneToSaudi({ number: '050 123 4567', country: 'SA' }); // '501234567' (WooCommerce)
 * platformPhoneToSaudi({ number: '0501234567', country: 'AE' }); // undefined: an Emirati number
 */
export function platformPhoneToSaudi(phone: PlatformPhone): string | undefined {
  if (phone.number === null || phone.number === undefined) return undefined;
  // Separators people type, direction marks copied with the number, and control characters are dropped.
  const number = asciiDigits(String(phone.number)).replace(/[\s().\-\u200e\u200f\u202a-\u202e\p{Cc}]/gu, '');
  if (number === '') return undefined;
  const dialCode =
    phone.dialCode === null || phone.dialCode === undefined
      ? ''
      : asciiDigits(String(phone.dialCode)).replace(/[^\d]/g, '');
  if (dialCode !== '' && dialCode !== '966') return undefined;
  const hasOwnCode = /^(\+|00)/.test(number);
  if (!hasOwnCode && phone.country && phone.country.toUpperCase() !== 'SA') return undefined;
  const withCode = dialCode === '966' && !hasOwnCode && !number.startsWith('966') ? `+966${number}` : number;
  return normalizeSaudiPhone(withCode);
}

/** `+96650*****01`: enough for the customer to recognise the number, never the whole of it. */
export function maskPhone(phone: string): string {
  return `+966${phone.slice(0, 2)}*****${phone.slice(-2)}`;
}
