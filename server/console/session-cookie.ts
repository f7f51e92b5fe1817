import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { consoleSessionPolicy } from './session-store.ts';

/** The cookie's name before its prefix (`__Secure-points-console` when Secure). */
const cookieName = 'points-console';
const localHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The console's path, where the cookie is sent: the routes sit under `…/console`, and in library mode the
 * edge may itself be mounted under a prefix (`/points/console`).
 */
function consolePath(c: Context): string {
  const path = c.req.path;
  const at = path.lastIndexOf('/console');
  return at === -1 ? '/console' : path.slice(0, at + '/console'.length);
}

/** The session cookie's reading and writing, with its flags decided in one place. */
export interface SessionCookie {
  /** The session id the browser sent, if any. */
  read(c: Context): string | undefined;
  /**
   * Sets the cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's request carries
   * it), `Path` the console, `Max-Age` the session's absolute lifetime, and `Secure` (`__Secure-` prefixed).
   */
  write(c: Context, id: string): void;
  /** Tells the browser to drop it (sign-out, or a cookie that opens no session). */
  clear(c: Context): void;
}

/**
 * The console's session cookie. It is `Secure` unless both `PUBLIC_URL` and the request are plain HTTP on
 * this machine (`localhost`, `127.0.0.1`, `[::1]`: the demo and the tests), so a TLS proxy that forwards to
 * `127.0.0.1` still gets a Secure cookie. `__Host-` would need `Path=/`, sending the cookie to every route
 * of the edge; `Path` keeps it to the console instead, with the `__Secure-` prefix.
 *
 * @example
 * const cookie = sessionCookie({ publicUrl: config.publicUrl });
 * cookie.write(c, session.id);
 */
export function sessionCookie(options: { publicUrl: string }): SessionCookie {
  const publicUrl = new URL(options.publicUrl);
  const publicIsLocal = publicUrl.protocol === 'http:' && localHosts.includes(publicUrl.hostname);
  const isSecure = (c: Context) => !(publicIsLocal && localHosts.includes(new URL(c.req.url).hostname));
  const flags = (c: Context) => {
    const secure = isSecure(c);
    return {
      ...(secure ? { prefix: 'secure' as const } : {}),
      httpOnly: true,
      secure,
      sameSite: 'Strict' as const,
      path: consolePath(c),
    };
  };
  return {
    read: (c) => (isSecure(c) ? getCookie(c, cookieName, 'secure') : getCookie(c, cookieName)),
    write: (c, id) =>
      setCookie(c, cookieName, id, { ...flags(c), maxAge: consoleSessionPolicy.absoluteMs / 1000 }),
    clear: (c) => void deleteCookie(c, cookieName, flags(c)),
  };
}
