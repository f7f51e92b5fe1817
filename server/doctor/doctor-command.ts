import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { loadConfig } from '../runtime/node/config.ts';
import type { FetchLike } from '../points/client.ts';
import type { Store } from '../store/db.ts';
import { runChecks, type CheckResult } from './checks.ts';

/** Where doctor writes, and its outside world (tests inject transports). */
export interface DoctorIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  pointsFetch?: FetchLike;
  serverFetch?: typeof fetch;
  repoDir?: string;
  store?: Store;
  now?: () => number;
}

export const doctorUsage = `Usage: points-edge doctor [--server URL] [--strict] [--json]

Checks this deployment against the go-live checklist; each line says what to do next.
  --server URL   the running server to check (default PUBLIC_URL); with SQLite, doctor asks its
                 /readyz about the database the server holds
  --strict       warnings fail too (for CI and deploy scripts)
  --json         one JSON object on stdout: { ready, summary, failed, warned, checks }

Exit codes: 0 ready, 1 a check failed (or warned, with --strict), 2 bad usage, 78 invalid configuration.
`;

const marks = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const;

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The last line: ready or not, and the checks that failed or warned by name. */
export function summary(rows: CheckResult[], strict = false): string {
  const names = (status: CheckResult['status']) =>
    rows.filter((row) => row.status === status).map((row) => row.check);
  const failed = names('fail');
  const warned = names('warn');
  if (failed.length > 0) {
    const also = warned.length > 0 ? `; ${count(warned.length, 'warning')}: ${warned.join(', ')}` : '';
    return `Not ready: ${count(failed.length, 'check')} failed: ${failed.join(', ')}${also}.`;
  }
  if (warned.length > 0) {
    return `${strict ? 'Not ready (--strict)' : 'Ready'} with ${count(warned.length, 'warning')}: ${warned.join(', ')}.`;
  }
  return 'Ready: every check passed.';
}

/** What `--json` prints: the verdict the exit code gives, the summary line, and every row. */
export interface DoctorReport {
  ready: boolean;
  summary: string;
  /** Names of the checks that failed, and of those that warned. */
  failed: string[];
  warned: string[];
  checks: CheckResult[];
}

export function doctorReport(rows: CheckResult[], strict = false): DoctorReport {
  const names = (status: CheckResult['status']) =>
    rows.filter((row) => row.status === status).map((row) => row.check);
  const failed = names('fail');
  const warned = names('warn');
  return {
    ready: failed.length === 0 && !(strict && warned.length > 0),
    summary: summary(rows, strict),
    failed,
    warned,
    checks: rows,
  };
}

/** The checks as an aligned table, what to do next under each row that did not pass, then the summary. */
export function formatChecks(rows: CheckResult[], strict = false): string {
  const width = Math.max(...rows.map((row) => row.check.length));
  const lines = rows.map((row) => {
    const next = row.fix ? `\n      ${' '.repeat(width)}  next: ${row.fix}` : '';
    return `${marks[row.status]}  ${row.check.padEnd(width)}  ${row.detail}${next}`;
  });
  return `${lines.join('\n')}\n\n${summary(rows, strict)}`;
}

/** Each problem of an invalid configuration as its own failed row, naming the variable to set. */
function configurationRows(error: ConfigError): CheckResult[] {
  return error.problems.map((problem) => {
    const name = /^([A-Z0-9_]+):/.exec(problem)?.[1];
    return {
      check: name ? `configuration: ${name}` : 'configuration valid',
      status: 'fail',
      detail: name ? problem.slice(name.length + 1).trim() : problem,
      fix: name
        ? `Set ${name} as the README's configuration table says, then run doctor again.`
        : "Fix the environment as the README's configuration table says.",
    };
  });
}

/**
 * `points-edge doctor [--server URL] [--strict] [--json]`: exit 0 when no check fails (and, with
 * `--strict`, none warns), 1 otherwise, 2 on bad usage, 78 when the configuration itself is invalid.
 */
export async function runDoctorCommand(argv: string[], io: DoctorIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        server: { type: 'string' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`points-edge doctor: ${(error as Error).message}\n\n${doctorUsage}`);
    return 2;
  }
  if (values.help) {
    io.out(doctorUsage);
    return 0;
  }
  const strict = values.strict ?? false;
  const print = (rows: CheckResult[]) =>
    io.out(values.json ? JSON.stringify(doctorReport(rows, strict), null, 2) : formatChecks(rows, strict));
  let rows: CheckResult[];
  try {
    const config = loadConfig(io.env);
    rows = await runChecks({
      config,
      ...(values.server !== undefined ? { serverUrl: values.server } : {}),
      ...(io.pointsFetch ? { pointsFetch: io.pointsFetch } : {}),
      ...(io.serverFetch ? { serverFetch: io.serverFetch } : {}),
      ...(io.repoDir ? { repoDir: io.repoDir } : {}),
      ...(io.store ? { store: io.store } : {}),
      ...(io.now ? { now: io.now } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(configurationRows(error));
    return 78;
  }
  print(rows);
  return doctorReport(rows, strict).ready ? 0 : 1;
}
