/**
 * Typed errors of the Points API client. Every error extends {@link PointsError}; branch on the class
 * (`instanceof`) or on the stable `code`. Messages come from the Points envelope or are written here;
 * they never contain the private key (the client scrubs it from anything the server echoes).
 */
import { fieldErrorMap, type FieldIssue } from '../shared/field-errors.ts';

/** Stable machine-readable kind of a {@link PointsError}. */
export type PointsErrorCode =
  | 'invalid_input'
  | 'auth'
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'rate_limited'
  | 'server'
  | 'invalid_response'
  | 'network'
  | 'timeout'
  | 'aborted';

export interface PointsErrorOptions {
  /** HTTP status, or `null` when no response was received (network, timeout, input checks). */
  status?: number | null;
  /**
   * `true` when a non-idempotent call may or may not have taken effect (timeout, network failure after
   * sending, 5xx). The caller must reconcile, e.g. with `getOrder`, before trying again.
   */
  outcomeUnknown?: boolean;
  /** Route template of the call, e.g. `POST /v1/orders/{orderUuid}/refund` (never holds a key). */
  operation?: string;
  cause?: unknown;
}

export class PointsError extends Error {
  readonly code: PointsErrorCode;
  readonly status: number | null;
  readonly outcomeUnknown: boolean;
  readonly operation: string | undefined;

  constructor(code: PointsErrorCode, message: string, options: PointsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? null;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.operation = options.operation;
  }
}

/** Our own check of a request failed; nothing was sent to Points. */
export class PointsInputError extends PointsError {
  readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, fieldErrors: Record<string, string[]>, options: PointsErrorOptions = {}) {
    super('invalid_input', message, options);
    this.fieldErrors = fieldErrors;
  }

  /** The error for input to `what` that failed its zod schema: `Invalid <what>: <fields>`. */
  static fromIssues(what: string, issues: readonly FieldIssue[]): PointsInputError {
    const fieldErrors = fieldErrorMap(issues, '(root)');
    return new PointsInputError(`Invalid ${what}: ${Object.keys(fieldErrors).join(', ')}`, fieldErrors);
  }
}

/** 400 with one of the two documented auth messages: the `x-api-key` (or public key) is missing or invalid. */
export class PointsAuthError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('auth', message, options);
  }
}

/** 400 for a business rule: illegal state transition, refund not allowed, duplicate webhook URL… */
export class PointsBadRequestError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('bad_request', message, options);
  }
}

/** 403: merchant not verified, channel disabled or unfunded, IP not whitelisted. */
export class PointsForbiddenError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('forbidden', message, options);
  }
}

/** 404: unknown uuid, or one owned by another merchant. */
export class PointsNotFoundError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('not_found', message, options);
  }
}

/** 422: Points rejected the body; `fieldErrors` uses dot-notation keys (`products.0.quantity`). */
export class PointsValidationError extends PointsError {
  readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, fieldErrors: Record<string, string[]>, options: PointsErrorOptions = {}) {
    super('validation', message, options);
    this.fieldErrors = fieldErrors;
  }
}

/** 429: the earning lock is held or the integration-status limit was hit. Nothing happened. */
export class PointsRateLimitError extends PointsError {
  /** From `Retry-After` (seconds or HTTP date) when Points sent it. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs: number | undefined, options: PointsErrorOptions = {}) {
    super('rate_limited', message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx from Points. */
export class PointsServerError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('server', message, options);
  }
}

/** A 2xx answer that is not JSON or does not match its schema. */
export class PointsResponseError extends PointsError {
  /** Schema issues as `path: message` lines (never values). */
  readonly issues: string[];

  constructor(message: string, issues: string[], options: PointsErrorOptions = {}) {
    super('invalid_response', message, options);
    this.issues = issues;
  }
}

/** The connection failed (refused, reset, DNS…). */
export class PointsNetworkError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('network', message, options);
  }
}

/** No answer within `timeoutMs`. */
export class PointsTimeoutError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('timeout', message, options);
  }
}

/** The caller's `signal` aborted the call. */
export class PointsAbortedError extends PointsError {
  constructor(message: string, options: PointsErrorOptions = {}) {
    super('aborted', message, options);
  }
}
