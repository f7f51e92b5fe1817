import type { Context, ErrorHandler } from 'hono';
import type { Logger } from '../observability/log-line.ts';
import { PointsError, PointsInputError, PointsValidationError } from '../points/errors.ts';
import { pointsErrorProblem } from './problem-codes.ts';
import { problem, ProblemError } from './problem.ts';

/** Requests from an authenticated operator (the admin bearer token), who may read the Points client's own words. */
const operatorRequests = new WeakSet<Request>();

/** Marks the request as an operator's: a failed Points call is then answered with the client's message. */
export function trustCaller(c: Context): void {
  operatorRequests.add(c.req.raw);
}

/** What the public (a shopper's browser, anyone) is told: the operation names and Points' words stay in the log. */
const publicDetail = {
  invalid_request: 'This order is not valid.',
  points_rejected: 'Points did not accept this order.',
  points_unavailable: 'Points is unavailable right now. Please try again.',
} as const;

/** The problem answer to a failed Points call: its kind's code, a detail for the caller, and field errors. */
function pointsProblem(c: Context, error: PointsError): Response {
  const code = pointsErrorProblem[error.code];
  const fields =
    error instanceof PointsInputError || error instanceof PointsValidationError
      ? error.fieldErrors
      : undefined;
  // The client's message already says when the outcome is unknown.
  const detail = operatorRequests.has(c.req.raw) ? error.message : publicDetail[code];
  return problem(c, code, detail, fields);
}

/**
 * `app.onError` of the edge server: the one place a thrown error becomes an answer. A {@link ProblemError}
 * is its problem document, a {@link PointsError} is mapped by `pointsErrorProblem` (an outage logged as an
 * error line, a refusal as a warning), anything else is a logged 500 `internal_error` (its message never
 * reaches the client).
 */
export function errorAnswer(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ProblemError) return problem(c, error.code, error.message, error.errors);
    if (error instanceof PointsError) {
      const { code, status, operation } = error;
      const entry = { err: { code, status, operation }, path: c.req.path };
      if (pointsErrorProblem[code] === 'points_unavailable') logger.error(entry, 'Points call failed');
      else logger.warn(entry, 'Points call refused');
      return pointsProblem(c, error);
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return problem(c, 'internal_error', 'Something went wrong on our side.');
  };
}
