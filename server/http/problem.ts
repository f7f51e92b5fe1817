import type { Context } from 'hono';
import { fieldErrorMap, type FieldIssue } from '../shared/field-errors.ts';
import { problemStatus, type ProblemCode } from './problem-codes.ts';

export type { ProblemCode };

/** Body of an `application/problem+json` answer (RFC 9457) with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  /** Field errors, for `validation_failed`, `invalid_request` and `points_rejected`: dot-notation path → messages. */
  errors?: Record<string, string[]>;
}

/**
 * A request that cannot be served, thrown from anywhere under a route; `app.onError` answers it as its
 * problem document (status from `problemStatus`).
 *
 * @example
 * if (!order) throw new ProblemError('order_not_found', 'No such order.');
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly errors: Record<string, string[]> | undefined;

  constructor(code: ProblemCode, detail: string, errors?: Record<string, string[]>) {
    super(detail);
    this.name = 'ProblemError';
    this.code = code;
    this.errors = errors;
  }
}

/**
 * Answers with an RFC 9457 problem document, in the code's status.
 *
 * @example
 * return problem(c, 'invalid_order_token', 'The order token has expired.');
 */
export function problem(
  c: Context,
  code: ProblemCode,
  detail?: string,
  errors?: Record<string, string[]>,
): Response {
  const status = problemStatus[code];
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
  code: 'rate_limited' | 'checkout_in_progress',
  retryAfterSeconds: number,
  detail: string,
): Response {
  c.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return problem(c, code, detail);
}
