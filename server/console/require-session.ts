import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import { problem } from '../http/problem.ts';
import { trustCaller } from '../http/error-answer.ts';
import type { Database } from '../store/schema.ts';
import { csrfHeader, csrfTokenMatches } from './csrf-token.ts';
import type { ConsoleOperator } from './operators.ts';
import { changesState } from './same-origin.ts';
import type { SessionCookie } from './session-cookie.ts';
import { findConsoleSession, type ConsoleSession } from './session-store.ts';

/** What the console's signed-in routes find on their context. */
export type ConsoleEnv = { Variables: { consoleSession: ConsoleSession } };

/**
 * Lets a request through only with a live session cookie of an operator `operators` still lists with the
 * same token and role (401 `console_session_required` otherwise, and the cookie is cleared) and, when it
 * changes something, the session's CSRF token in `x-csrf-token` (403 `csrf_rejected`). Answers are never
 * cached.
 *
 * @example
 * api.use('*', requireConsoleSession({ db: store.db, now: Date.now, cookie, operators: () => operators }));
 */
export function requireConsoleSession(options: {
  db: Kysely<Database>;
  now: () => number;
  cookie: SessionCookie;
  operators: () => readonly ConsoleOperator[];
}): MiddlewareHandler<ConsoleEnv> {
  return async function consoleSessionMiddleware(c, next) {
    c.header('cache-control', 'no-store');
    const id = options.cookie.read(c);
    const session = id
      ? await findConsoleSession(options.db, id, options.now(), options.operators())
      : undefined;
    if (!session) {
      if (id) options.cookie.clear(c);
      return problem(c, 'console_session_required', 'Sign in to the console.');
    }
    if (changesState(c) && !(await csrfTokenMatches(session.id, c.req.header(csrfHeader)))) {
      return problem(c, 'csrf_rejected', 'The CSRF token is missing or wrong.');
    }
    c.set('consoleSession', session);
    // A signed-in operator may read the Points client's own words in an error, as on /admin.
    trustCaller(c);
    await next();
  };
}
