import { z } from 'zod';
import { parseAmount } from '../shared/format.ts';

/** Attributes any element may carry besides its own. */
export const globalAttributes = ['id', 'class', 'dir'];

const oneOf = (...values: [string, ...string[]]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** What a value must look like, for the attributes whose values are a fixed set or a number. */
const valueRules: Record<string, z.ZodType<string>> = {
  lang: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i, 'must be a language tag such as ar or en'),
  dir: oneOf('rtl', 'ltr', 'auto'),
  theme: oneOf('auto', 'light', 'dark'),
  numerals: oneOf('latn', 'arab'),
  appearance: oneOf('badge', 'card'),
  empty: oneOf('reserve', 'collapse'),
  amount: z.string().refine((text) => parseAmount(text) >= 0, 'must be a price in SAR such as 199.00'),
  quantity: z.string().regex(/^[1-9]\d{0,5}$/, 'must be a whole number from 1'),
  'earn-rate': z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a number of points per SAR such as 10'),
  server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
};

/** Longest value any attribute may have: an order token is the longest we write, well under this. */
const maxValueLength = 4096;

/** Field errors of a set of attributes: name → messages; empty when they are all fine. */
export type AttributeErrors = Record<string, string[]>;

/**
 * Checks the attributes a page (or a server) gives an element: only the element's own attributes and
 * `id`, `class`, `dir`; values within the rules above. What the element would silently ignore in a
 * browser is an error here, so a server-side mistake is found when the page is built.
 */
export function attributeErrors(
  attributes: Record<string, string>,
  ownAttributes: readonly string[],
): AttributeErrors {
  const errors: AttributeErrors = {};
  const allowed = new Set([...ownAttributes, ...globalAttributes]);
  for (const [name, value] of Object.entries(attributes)) {
    if (!allowed.has(name)) {
      errors[name] = [`is not an attribute of this element (it has: ${[...allowed].join(', ')})`];
    } else if (value.length > maxValueLength) {
      errors[name] = [`is longer than ${maxValueLength} characters`];
    } else {
      const result = valueRules[name]?.safeParse(value);
      if (result && !result.success) errors[name] = result.error.issues.map((issue) => issue.message);
    }
  }
  return errors;
}
