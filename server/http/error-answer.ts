import type { Context, ErrorHandler } from 'hono';
import type { Logger } from 'pino';
import { PointsError, PointsInputError, PointsValidationError } from '../points/errors.ts';
import { pointsErrorProblem } from './problem-codes.ts';
import { problem, ProblemError } from './problem.ts';

/** The problem answer to a failed Points call: its kind's code, the client's message and field errors. */
function pointsProblem(c: Context, error: PointsError): Response {
  const fields =
    error instanceof PointsInputError || error instanceof PointsValidationError
      ? error.fieldErrors
      : undefined;
  // The client's message already says when the outcome is unknown.
  return problem(c, pointsErrorProblem[error.code], error.message, fields);
}

/**
 * `app.onError` of the edge server: the one place a thrown error becomes an answer. A {@link ProblemError}
 * is its problem document, a {@link PointsError} is mapped by `pointsErrorProblem`, anything else is a
 * logged 500 `internal_error` (its message never reaches the client).
 */
export function errorAnswer(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ProblemError) return problem(c, error.code, error.message, error.errors);
    if (error instanceof PointsError) {
      const { code, status, operation } = error;
      logger.warn({ err: { code, status, operation }, path: c.req.path }, 'Points call failed');
      return pointsProblem(c, error);
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return problem(c, 'internal_error', 'Something went wrong on our side.');
  };
}
