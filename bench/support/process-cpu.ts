import { readFileSync } from 'node:fs';

/** Linux's clock tick (`getconf CLK_TCK`), 100 on every common kernel. */
const ticksPerSecond = 100;

/**
 * CPU time a process has used so far, all its threads, user and system, in microseconds; undefined where
 * there is no `/proc` (not Linux). Tick resolution (10 ms): meant for differences over seconds of load.
 *
 * @example
 * const before = processCpuMicros(pid); await load(); const used = processCpuMicros(pid)! - before!;
 */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1_000_000) / ticksPerSecond;
}
