import { hmacSha256 } from '../shared/hmac.ts';
import { constantTimeEqual } from '../shared/constant-time.ts';
import { base64Url } from './session-store.ts';

/** The request header the console's page sends its CSRF token in. */
export const csrfHeader = 'x-csrf-token';

/**
 * The session's CSRF token: an HMAC of a fixed label under the session id. Only a holder of the id (the
 * server, given the `HttpOnly` cookie) can make it, so nothing more is stored, and a copy of the database
 * (which has only the id's hash) gives neither.
 */
export async function csrfTokenOf(sessionId: string): Promise<string> {
  return base64Url(await hmacSha256(sessionId, 'points-console-csrf'));
}

/** Whether `given` is the session's CSRF token, in constant time. */
export async function csrfTokenMatches(sessionId: string, given: string | undefined): Promise<boolean> {
  return constantTimeEqual(given ?? '', await csrfTokenOf(sessionId));
}
