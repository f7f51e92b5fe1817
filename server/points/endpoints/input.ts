/** Checks of what a caller passes an endpoint, before anything is sent. */
import type { z } from 'zod';
import { PointsInputError } from '../errors.ts';
import { uuidSchema } from '../schemas.ts';

/**
 * `input` parsed by `schema`; throws a `PointsInputError` naming `what` otherwise (no request is sent).
 *
 * @example const body = checkInput(refundRequestSchema, input, 'refund request');
 */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw PointsInputError.fromIssues(what, parsed.error.issues);
}

/**
 * A uuid checked and encoded for a URL path; throws a `PointsInputError` naming `name` otherwise.
 *
 * @example const path = `/v1/orders/${uuidSegment(uuid, 'order uuid')}`;
 */
export function uuidSegment(value: string, name: string): string {
  return encodeURIComponent(checkInput(uuidSchema, value, name));
}
