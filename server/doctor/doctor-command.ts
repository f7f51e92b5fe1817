import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
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

/** The checks as an aligned table, with the fix under each failure or warning. */
export function formatChecks(rows: CheckResult[]): string {
  const width = Math.max(...rows.map((row) => row.check.length));
  const lines = rows.map((row) => {
    const mark = row.status === 'pass' ? 'PASS' : row.status === 'warn' ? 'WARN' : 'FAIL';
    return `${mark}  ${row.check.padEnd(width)}  ${row.detail}${row.fix ? `\n      ${' '.repeat(width)}  fix: ${row.fix}` : ''}`;
  });
  const failed = rows.filter((row) => row.status === 'fail').length;
  return `${lines.join('\n')}\n\n${failed === 0 ? 'Ready: every check passed.' : `${failed} check(s) failed.`}`;
}

/**
 * `points-edge doctor [--json] [--server URL]`: exit 0 when no check fails, 1 otherwise, 78 when the
 * configuration itself is invalid.
 */
export async function runDoctorCommand(argv: string[], io: DoctorIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, server: { type: 'string' } },
    strict: false,
  });
  let rows: CheckResult[];
  try {
    const config = loadConfig(io.env);
    rows = await runChecks({
      config,
      ...(typeof values.server === 'string' ? { serverUrl: values.server } : {}),
      ...(io.pointsFetch ? { pointsFetch: io.pointsFetch } : {}),
      ...(io.serverFetch ? { serverFetch: io.serverFetch } : {}),
      ...(io.repoDir ? { repoDir: io.repoDir } : {}),
      ...(io.store ? { store: io.store } : {}),
      ...(io.now ? { now: io.now } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    rows = [
      {
        check: 'configuration valid',
        status: 'fail',
        detail: error.problems.join('; '),
        fix: 'Fix the variables named.',
      },
    ];
    io.out(values.json ? JSON.stringify(rows, null, 2) : formatChecks(rows));
    return 78;
  }
  io.out(values.json ? JSON.stringify(rows, null, 2) : formatChecks(rows));
  return rows.some((row) => row.status === 'fail') ? 1 : 0;
}
