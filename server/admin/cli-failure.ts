import { ConfigError } from '../config.ts';
import { pointsErrorProblem, type ProblemCode } from '../http/problem-codes.ts';
import { ProblemError } from '../http/problem.ts';
import { PointsError, PointsInputError, PointsValidationError } from '../points/errors.ts';
import { DatabaseLockedError } from '../runtime/node/store/open-database.ts';
import { RemoteError } from './remote-operations.ts';

/** The exit codes of `points-edge`, as its `--help` lists them. */
export const exitCodes = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

export const exitCodesHelp = `Exit codes: 0 done, 1 the operation failed (or found nothing), 2 bad usage (a flag or
argument is missing or wrong), 78 invalid configuration (the variables are named).`;

/** Bad command-line input, found before anything is opened or sent. */
export class UsageError extends Error {}

/** A failed command as the CLI reports it: the HTTP API's problem code, our words, the flags at fault. */
export interface CliFailure {
  /** A code of `http/problem-codes.ts` (what the admin API answers with). */
  code: ProblemCode | (string & {});
  detail: string;
  /** Field errors keyed by the flag (or argument) that sets the field. */
  errors?: Record<string, string[]>;
  exitCode: 1 | 2 | 78;
}

/**
 * The flag that sets each field, under the names the admin API (`nameAr`) and Points (`name_ar`) give it:
 * the CLI never asks for a field by a name the user cannot type.
 */
const flagOfField: Record<string, string> = {
  amount: '--amount',
  reason: '--reason',
  status: '--status',
  nameAr: '--ar',
  name_ar: '--ar',
  nameEn: '--en',
  name_en: '--en',
  paymentMethod: '--method',
  payment_method: '--method',
  url: '--url',
  name: '--name',
  order_number: '--order',
  reference_number: '--reference',
  reference: '--reference',
  state: '--state',
  limit: '--limit',
  platform: '--platform',
  outcome: '--outcome',
  full: '--full',
  uuid: '<Points uuid>',
  input: '--data',
  '(body)': 'the request',
  '(root)': 'the request',
};

/** `input.phone_number` (earn's `--data`) stays a path inside `--data`; a flag's field becomes the flag. */
function flagFor(field: string): string {
  const [head, ...rest] = field.split('.');
  if (head === 'input' && rest.length > 0) return `--data ${rest.join('.')}`;
  return flagOfField[field] ?? flagOfField[head ?? ''] ?? field;
}

function byFlag(errors: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!errors || Object.keys(errors).length === 0) return undefined;
  const flags: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors)) (flags[flagFor(field)] ??= []).push(...messages);
  return flags;
}

/** Our own check of the input refused it (not Points): bad usage, exit 2. */
const usageCodes: ReadonlySet<string> = new Set(['validation_failed', 'invalid_request']);

function withFields(
  code: CliFailure['code'],
  detail: string,
  errors: Record<string, string[]> | undefined,
  usage = usageCodes.has(code),
): CliFailure {
  const flags = byFlag(errors);
  return { code, detail, ...(flags ? { errors: flags } : {}), exitCode: usage ? 2 : 1 };
}

/** What went wrong, whichever way the command ran (in this process, or over `--server`). */
export function describeFailure(error: unknown): CliFailure {
  if (error instanceof UsageError) return { code: 'validation_failed', detail: error.message, exitCode: 2 };
  if (error instanceof ConfigError) {
    const errors: Record<string, string[]> = {};
    for (const problem of error.problems) {
      const [name, ...message] = problem.split(': ');
      (errors[message.length > 0 ? name! : 'environment'] ??= []).push(message.join(': ') || problem);
    }
    return { code: 'not_configured', detail: 'Invalid configuration.', errors, exitCode: 78 };
  }
  if (error instanceof DatabaseLockedError) {
    return {
      code: 'storage_unavailable',
      detail: `${error.message} While a SQLite server runs, use --server <its URL> with ADMIN_TOKEN.`,
      exitCode: 1,
    };
  }
  if (error instanceof RemoteError) return withFields(error.code, error.message, error.errors);
  if (error instanceof ProblemError) return withFields(error.code, error.message, error.errors);
  if (error instanceof PointsError) {
    const fields =
      error instanceof PointsInputError || error instanceof PointsValidationError
        ? error.fieldErrors
        : undefined;
    return withFields(
      pointsErrorProblem[error.code],
      error.message,
      fields,
      error instanceof PointsInputError,
    );
  }
  return { code: 'internal_error', detail: `unexpected error: ${(error as Error).message}`, exitCode: 1 };
}

/** One line for people: `No order X on this server. [order_not_found]`, with the flags at fault. */
export function failureLine(failure: CliFailure): string {
  const fields = failure.errors
    ? ` (${Object.entries(failure.errors)
        .map(([flag, messages]) => `${flag}: ${messages.join('; ')}`)
        .join(', ')})`
    : '';
  return `${failure.detail}${fields} [${failure.code}]`;
}
