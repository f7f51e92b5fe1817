import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { consoleSessionPolicy } from './session-store.ts';

/** The cookie's name before its prefix (`__Secure-points-console` outside localhost). */
const cookieName = 'points-console';

/**
 * Whether the cookie is `Secure` (and `__Secure-` prefixed): everywhere but a browser on this machine
 * (`localhost`, `127.0.0.1`, `[::1]`), where the demo and the tests run over plain HTTP. `__Host-` would
 * need `Path=/`, sending the cookie to every route of the edge; `Path` keeps it to the console instead.
 */
function isSecure(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return !['localhost', '127.0.0.1', '[::1]'].includes(host);
}

/**
 * The console's path, where the cookie is sent: the routes sit under `…/console`, and in library mode the
 * edge may itself be mounted under a prefix (`/points/console`).
 */
function consolePath(c: Context): string {
  const path = c.req.path;
  const at = path.lastIndexOf('/console');
  return at === -1 ? '/console' : path.slice(0, at + '/console'.length);
}

const prefix = (c: Context) => (isSecure(c) ? ({ prefix: 'secure' } as const) : {});

/** The session id the browser sent, if any. */
export function readSessionCookie(c: Context): string | undefined {
  return isSecure(c) ? getCookie(c, cookieName, 'secure') : getCookie(c, cookieName);
}

/**
 * Sets the session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's request
 * carries it), `Path` the console, `Secure` outside localhost, and a `Max-Age` of the session's
 * absolute lifetime.
 */
export function writeSessionCookie(c: Context, id: string): void {
  setCookie(c, cookieName, id, {
    ...prefix(c),
    httpOnly: true,
    secure: isSecure(c),
    sameSite: 'Strict',
    path: consolePath(c),
    maxAge: consoleSessionPolicy.absoluteMs / 1000,
  });
}

/** Tells the browser to drop the cookie (sign-out, or a cookie that opens no session). */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, cookieName, {
    ...prefix(c),
    httpOnly: true,
    secure: isSecure(c),
    sameSite: 'Strict',
    path: consolePath(c),
  });
}
