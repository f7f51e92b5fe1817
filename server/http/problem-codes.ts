/**
 * Every error code the edge server's HTTP API answers with, and its one HTTP status. Clients (the widgets,
 * the CLI's `--server` mode, a merchant's backend) branch on the code, never on the prose. docs/
 * integration-guide.md ("Errors") explains each.
 */
import type { PointsErrorCode } from '../points/errors.ts';

export const problemStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unknown_sku: 400,
  not_configured: 400,
  unauthorized: 401,
  invalid_order_token: 401,
  console_session_required: 401,
  csrf_rejected: 403,
  not_found: 404,
  order_not_found: 404,
  order_already_paid: 409,
  order_not_at_points: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_request: 422,
  points_rejected: 422,
  rate_limited: 429,
  checkout_in_progress: 429,
  internal_error: 500,
  points_unavailable: 503,
  storage_unavailable: 503,
} as const;

/** Stable error codes of the edge server's HTTP API. */
export type ProblemCode = keyof typeof problemStatus;

/** The codes a failed Points call is answered with. */
export type PointsProblemCode = 'invalid_request' | 'points_rejected' | 'points_unavailable';

/**
 * How a failed Points call is answered, by the kind of its `PointsError`: our client's check of Points'
 * rules refused it before sending is `invalid_request` (Points was never called); Points' refusal is
 * `points_rejected`; no usable answer is `points_unavailable`.
 */
export const pointsErrorProblem: Record<PointsErrorCode, PointsProblemCode> = {
  invalid_input: 'invalid_request',
  auth: 'points_rejected',
  bad_request: 'points_rejected',
  forbidden: 'points_rejected',
  not_found: 'points_rejected',
  validation: 'points_rejected',
  rate_limited: 'points_rejected',
  server: 'points_unavailable',
  invalid_response: 'points_unavailable',
  network: 'points_unavailable',
  timeout: 'points_unavailable',
  aborted: 'points_unavailable',
};
