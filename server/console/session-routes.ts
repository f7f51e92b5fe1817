import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { readBodyText, bodyAborted } from '../http/body-limit.ts';
import { fieldErrors, problem, tooManyRequests } from '../http/problem.ts';
import type { RequestLimits } from '../http/rate-limit.ts';
import type { Database } from '../store/schema.ts';
import { recordConsoleAction, whoOf } from './audit-log.ts';
import { csrfTokenOf } from './csrf-token.ts';
import { operatorWithToken, type ConsoleOperator } from './operators.ts';
import { requireConsoleSession, type ConsoleEnv } from './require-session.ts';
import type { SessionCookie } from './session-cookie.ts';
import {
  createConsoleSession,
  deleteConsoleSession,
  findConsoleSession,
  type ConsoleSession,
} from './session-store.ts';

/** The sign-in form: an operator's token (or the admin token), in a form field (never the URL). */
const signInForm = z.strictObject({ token: z.string().min(1).max(1000) });

/**
 * What the page learns of its session: who is signed in and their role (it offers actions only to a
 * manager), its CSRF token (held in memory only) and when it ends.
 */
async function sessionAnswer(session: ConsoleSession) {
  return {
    operator: { name: session.operator, role: session.role },
    csrfToken: await csrfTokenOf(session.id),
    expiresAt: new Date(session.expiresAt).toISOString(),
    idleExpiresAt: new Date(session.idleExpiresAt).toISOString(),
  };
}

/** The sign-in form's fields, or the answer refusing it. */
async function readSignInForm(c: Context): Promise<z.infer<typeof signInForm> | Response> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
    return problem(
      c,
      'unsupported_media_type',
      'Send the sign-in form as application/x-www-form-urlencoded.',
    );
  }
  const text = await readBodyText(c);
  if (text === undefined) return bodyAborted(c);
  const form = signInForm.safeParse(Object.fromEntries(new URLSearchParams(text)));
  if (!form.success)
    return problem(c, 'validation_failed', 'Give your console token.', fieldErrors(form.error.issues));
  return form.data;
}

/**
 * `/console/session`: `POST` signs in with an operator's token from a form field (compared in constant time
 * with every operator's, `operators.ts`; only wrong tokens count towards the admin lockout, so a right
 * token always works), sets the session cookie and answers who signed in and the CSRF token; `GET` answers
 * whether a session is open, whose, and its CSRF token (a reloaded page); `DELETE` signs out. Sign-in and
 * sign-out go to the audit log (`audit-log.ts`). Cross-site writes are refused before this
 * (`same-origin.ts`).
 *
 * @example
 * app.route('/session', sessionRoutes({ db, now, operators: () => consoleOperatorsOf(config), limits, cookie }));
 */
export function sessionRoutes(options: {
  db: Kysely<Database>;
  now: () => number;
  operators: () => readonly ConsoleOperator[];
  limits: RequestLimits;
  cookie: SessionCookie;
}): Hono<ConsoleEnv> {
  const { db, now, operators, limits, cookie } = options;
  const app = new Hono<ConsoleEnv>();
  const signedIn = requireConsoleSession({ db, now, cookie, operators });

  app.post('/', async (c) => {
    c.header('cache-control', 'no-store');
    const form = await readSignInForm(c);
    if (form instanceof Response) return form;
    const operator = operatorWithToken(operators(), form.token);
    if (!operator) {
      const wait = await limits.adminFailures.take(limits.client(c));
      if (wait !== undefined) {
        return tooManyRequests(c, 'rate_limited', wait, 'Too many wrong tokens; try again later.');
      }
      return problem(c, 'unauthorized', 'That is not an operator token.');
    }
    const session = await createConsoleSession(db, now(), operator);
    await recordConsoleAction(db, now(), { ...whoOf(session), action: 'sign_in', result: 'done' });
    cookie.write(c, session.id);
    return c.json(await sessionAnswer(session));
  });

  // Without a session this is a plain answer, not a 401: the page asks it on every load.
  app.get('/', async (c) => {
    c.header('cache-control', 'no-store');
    const id = cookie.read(c);
    const session = id ? await findConsoleSession(db, id, now(), operators()) : undefined;
    if (!session && id) cookie.clear(c);
    return c.json(session ? { signedIn: true, ...(await sessionAnswer(session)) } : { signedIn: false });
  });

  app.delete('/', signedIn, async (c) => {
    const session = c.get('consoleSession');
    await deleteConsoleSession(db, session.id);
    await recordConsoleAction(db, now(), { ...whoOf(session), action: 'sign_out', result: 'done' });
    cookie.clear(c);
    return c.body(null, 204);
  });

  return app;
}
