/**
 * Every error code the edge server's HTTP API answers with, and its one HTTP status. Clients (the widgets,
 * the CLI's `--server` mode, a merchant's backend) branch on the code, never on the prose. docs/
 * integration-guide.md ("Errors") explains each.
 */
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
  operator_forbidden: 403,
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
  server_not_configured: 503,
} as const;

/** Stable error codes of the edge server's HTTP API. */
export type ProblemCode = keyof typeof problemStatus;
