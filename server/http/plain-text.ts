import { z } from 'zod';

/**
 * Text an operator types or a path carries (an order number, a job id, a search): 1 to `max` characters
 * and no control character. None belongs in a key, and Postgres refuses NUL in text: unchecked, `%00` in
 * a path was a 500 there and a miss on SQLite.
 *
 * @example
 * const query = z.strictObject({ q: plainText(200).optional() });
 */
export const plainText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}*$/u, 'must not hold control characters');

/**
 * A day as `YYYY-MM-DD` that is on the calendar (not `2026-02-31`): what `Date.parse` would otherwise turn
 * into another day, or into NaN, which Postgres refuses as a number.
 */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A day as YYYY-MM-DD')
  .refine((day) => {
    const time = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
  }, 'A day on the calendar');
