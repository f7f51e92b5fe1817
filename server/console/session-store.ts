import type { Kysely } from 'kysely';
import { constantTimeEqual } from '../shared/constant-time.ts';
import { hmacSha256 } from '../shared/hmac.ts';
import type { Database } from '../store/schema.ts';
import type { ConsoleOperator, OperatorRole } from './operators.ts';

/**
 * How long a console session lasts: it ends after 8 hours without a request (a working day's pauses) and,
 * whatever happens, 12 hours after sign-in (a shift), so a stolen cookie is not good for long.
 */
export const consoleSessionPolicy = {
  idleMs: 8 * 3600_000,
  absoluteMs: 12 * 3600_000,
  /** `last_seen_at` is written at most this often: a page of requests is one write, not ten. */
  touchEveryMs: 60_000,
} as const;

/** A live console session, found by the id in its cookie. */
export interface ConsoleSession {
  /** The random id from the cookie (kept in memory for this request only: the CSRF token derives from it). */
  id: string;
  createdAt: number;
  /** When the session ends at the latest (absolute expiry). */
  expiresAt: number;
  /** When it ends if no request comes first. */
  idleExpiresAt: number;
  /** Who signed in: `admin` or a `CONSOLE_OPERATORS` name. */
  operator: string;
  role: OperatorRole;
  /**
   * Which of their sign-ins, for the audit log: `session ` and the first 8 characters of the id's SHA-256,
   * the same for every request of one sign-in, and no help in guessing the id.
   */
  tag: string;
}

/** The audit log's name for the session whose id hashes to `hash`. */
const tagOf = (hash: string) => `session ${hash.slice(0, 8)}`;

const encoder = new TextEncoder();

/** base64url without padding: what goes in a cookie and in the table. */
export function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** SHA-256 of a session id: the table holds only this, so a copy of the database opens no session. */
async function idHash(id: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(id))));
}

/** Binds a session to its operator's token, name and role as they are now (see `operator_proof`). */
async function operatorProof(id: string, operator: ConsoleOperator): Promise<string> {
  return base64Url(
    await hmacSha256(operator.token, `console-session\n${id}\n${operator.name}\n${operator.role}`),
  );
}

/**
 * Opens a session of `operator`: 32 random bytes as its id (returned once, for the cookie), only their hash
 * stored. Sessions already over are deleted on the way, so the table holds only live ones.
 *
 * @example
 * const session = await createConsoleSession(store.db, Date.now(), operator);
 * setSessionCookie(c, session.id);
 */
export async function createConsoleSession(
  db: Kysely<Database>,
  now: number,
  operator: ConsoleOperator,
): Promise<ConsoleSession> {
  const id = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const hash = await idHash(id);
  const expiresAt = now + consoleSessionPolicy.absoluteMs;
  await db
    .deleteFrom('console_sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - consoleSessionPolicy.idleMs)]),
    )
    .execute();
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: hash,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      operator_name: operator.name,
      operator_role: operator.role,
      operator_proof: await operatorProof(id, operator),
    })
    .execute();
  return {
    id,
    createdAt: now,
    expiresAt,
    idleExpiresAt: now + consoleSessionPolicy.idleMs,
    operator: operator.name,
    role: operator.role,
    tag: tagOf(hash),
  };
}

/**
 * The live session with this id, or undefined (unknown, forged, idle too long, past its end, or its
 * operator's token, role or name is no longer what `operators` says). Counts the request as activity: the
 * idle expiry moves on.
 *
 * @example
 * const session = await findConsoleSession(db, cookieId, Date.now(), consoleOperatorsOf(config));
 */
export async function findConsoleSession(
  db: Kysely<Database>,
  id: string,
  now: number,
  operators: readonly ConsoleOperator[],
): Promise<ConsoleSession | undefined> {
  // Ids we hand out are 43 base64url characters; anything else is not worth a query.
  if (!/^[\w-]{43}$/.test(id)) return undefined;
  const hash = await idHash(id);
  const row = await db
    .selectFrom('console_sessions')
    .selectAll()
    .where('id_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const lastSeen = Number(row.last_seen_at);
  const expiresAt = Number(row.expires_at);
  if (expiresAt <= now || lastSeen + consoleSessionPolicy.idleMs <= now) {
    await db.deleteFrom('console_sessions').where('id_hash', '=', hash).execute();
    return undefined;
  }
  // Refused, not deleted: during a rolling restart an instance still on the old tokens must not delete
  // the sessions the new tokens opened. The row goes when it expires.
  const operator = operators.find((candidate) => candidate.name === row.operator_name);
  if (!operator || !constantTimeEqual(row.operator_proof, await operatorProof(id, operator)))
    return undefined;
  let seen = lastSeen;
  if (now - lastSeen >= consoleSessionPolicy.touchEveryMs) {
    await db.updateTable('console_sessions').set({ last_seen_at: now }).where('id_hash', '=', hash).execute();
    seen = now;
  }
  return {
    id,
    createdAt: Number(row.created_at),
    expiresAt,
    idleExpiresAt: Math.min(expiresAt, seen + consoleSessionPolicy.idleMs),
    operator: operator.name,
    role: operator.role,
    tag: tagOf(hash),
  };
}

/** Ends a session (sign-out). */
export async function deleteConsoleSession(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .deleteFrom('console_sessions')
    .where('id_hash', '=', await idHash(id))
    .execute();
}
