import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { fieldErrorMap, type FieldIssue } from '../shared/field-errors.ts';

/** Stable error codes of the edge server's HTTP API; clients branch on these, never on prose. */
export type ProblemCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'invalid_order_token'
  | 'forbidden_origin'
  | 'not_found'
  | 'order_not_found'
  | 'payload_too_large'
  | 'unknown_sku'
  | 'order_already_paid'
  | 'points_rejected'
  | 'points_unavailable'
  | 'storage_unavailable'
  | 'not_configured'
  | 'checkout_in_progress'
  | 'rate_limited'
  | 'internal_error';

/** Body of an `application/problem+json` answer (RFC 9457) with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  /** Field errors, for `validation_failed`: dot-notation path → messages. */
  errors?: Record<string, string[]>;
}

/**
 * Answers with an RFC 9457 problem document.
 *
 * @example
 * return problem(c, 401, 'invalid_order_token', 'The order token has expired.');
 */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  code: ProblemCode,
  detail?: string,
  errors?: Record<string, string[]>,
): Response {
  const body: Problem = {
    type: `https://points-kit.dev/problems/${code.replaceAll('_', '-')}`,
    title: code.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase()),
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** zod issues as a dot-notation field map, the same shape Points uses for its 422 answers. */
export function fieldErrors(issues: readonly FieldIssue[]): Record<string, string[]> {
  return fieldErrorMap(issues, '(body)');
}

/**
 * Answers 429 with `Retry-After` (whole seconds, at least 1) and a problem document.
 *
 * @example
 * return tooManyRequests(c, 'rate_limited', 30, 'Too many checkouts from this address; try again later.');
 */
export function tooManyRequests(
  c: Context,
  code: ProblemCode,
  retryAfterSeconds: number,
  detail: string,
): Response {
  c.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return problem(c, 429, code, detail);
}
