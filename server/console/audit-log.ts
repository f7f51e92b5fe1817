import type { Kysely } from 'kysely';
import { pointsErrorProblem } from '../http/problem-codes.ts';
import { ProblemError } from '../http/problem.ts';
import { PointsError } from '../points/errors.ts';
import type { Database } from '../store/schema.ts';
import { timeOrderedId } from '../store/time-ordered-id.ts';
import type { ConsoleSession } from './session-store.ts';

/** What an operator did in the console. */
export type ConsoleAction =
  'sign_in' | 'sign_out' | 'refund' | 'cancel' | 'ship' | 'reread' | 'replay' | 'acknowledge_alert';

/** One line of the audit log as the console shows it. */
export interface ConsoleAuditEntry {
  id: string;
  at: string;
  /** Who: `admin` or a `CONSOLE_OPERATORS` name. */
  operator: string;
  /** Which of their sign-ins: `session ` and 8 characters of the session id's SHA-256. */
  session: string;
  action: ConsoleAction;
  /** The order number, the job id of a replay or the alert id; null for sign-in and sign-out. */
  subject: string | null;
  /** What the operator asked (amount, reason, shipping status). */
  request: Record<string, unknown> | null;
  /** `done`, or the problem code it ended with. */
  result: string;
  /** Points' status after it, or why it failed. */
  detail: string | null;
}

/** One entry to write. */
export interface ConsoleActionRecord {
  operator: string;
  session: string;
  action: ConsoleAction;
  subject?: string;
  request?: Record<string, unknown>;
  result: string;
  detail?: string | null;
}

/**
 * Who did it, as the audit log names them: the operator and which of their sign-ins.
 *
 * @example
 * await recordConsoleAction(db, Date.now(), { ...whoOf(session), action: 'sign_out', result: 'done' });
 */
export const whoOf = (session: ConsoleSession): Pick<ConsoleActionRecord, 'operator' | 'session'> => ({
  operator: session.operator,
  session: session.tag,
});

/**
 * Appends a line to the audit log (`console_audit`).
 *
 * @example
 * await recordConsoleAction(db, Date.now(), { ...whoOf(session), action: 'sign_out', result: 'done' });
 */
export async function recordConsoleAction(
  db: Kysely<Database>,
  now: number,
  record: ConsoleActionRecord,
): Promise<void> {
  await db
    .insertInto('console_audit')
    .values({
      id: timeOrderedId(now),
      at: now,
      operator: record.operator,
      session: record.session,
      action: record.action,
      subject: record.subject ?? null,
      request:
        record.request && Object.keys(record.request).length > 0 ? JSON.stringify(record.request) : null,
      result: record.result,
      detail: record.detail ?? null,
    })
    .execute();
}

/** The problem code the operator was answered (a `PointsError` maps onto one), else `error`. */
const codeOf = (error: unknown): string => {
  if (error instanceof PointsError) return pointsErrorProblem[error.code];
  return error instanceof ProblemError ? error.code : 'error';
};

/**
 * Runs an operator's action and writes what became of it to the audit log: `done` and `detailOf` its
 * answer, or the error's code and words (then the error goes on to the caller as before).
 *
 * @example
 * const answer = await audited(db, now, { ...whoOf(session), action: 'refund', subject: 'ORD-1', request: body },
 *   () => ops.refund('ORD-1', body), (done) => done.pointsStatus ?? null);
 */
export async function audited<T>(
  db: Kysely<Database>,
  now: () => number,
  record: Omit<ConsoleActionRecord, 'result' | 'detail'>,
  run: () => Promise<T>,
  detailOf: (answer: T) => string | null,
): Promise<T> {
  let answer: T;
  try {
    answer = await run();
  } catch (error) {
    await recordConsoleAction(db, now(), {
      ...record,
      result: codeOf(error),
      detail: error instanceof Error ? error.message.slice(0, 500) : null,
    });
    throw error;
  }
  await recordConsoleAction(db, now(), { ...record, result: 'done', detail: detailOf(answer) });
  return answer;
}

/**
 * The latest entries (newest first), all of them or those about one order or job.
 *
 * @example
 * await listConsoleActions(db, { subject: 'ORD-1', limit: 50 });
 */
export async function listConsoleActions(
  db: Kysely<Database>,
  query: { subject?: string; limit: number },
): Promise<ConsoleAuditEntry[]> {
  let select = db.selectFrom('console_audit').selectAll();
  if (query.subject) select = select.where('subject', '=', query.subject);
  const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    at: new Date(Number(row.at)).toISOString(),
    operator: row.operator,
    session: row.session,
    action: row.action as ConsoleAction,
    subject: row.subject,
    request: row.request === null ? null : (JSON.parse(row.request) as Record<string, unknown>),
    result: row.result,
    detail: row.detail,
  }));
}
