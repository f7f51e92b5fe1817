/** The codes and statuses live in `wire/` (clients read them too); here, how Points' errors map onto them. */
import type { PointsErrorCode } from '../points/errors.ts';

export { problemStatus, type ProblemCode } from '../../wire/problem-codes.ts';

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
