import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { BenchRow } from './run.ts';
import { edgeEnv, scratchDir } from './support/env.ts';
import { freePort, root, waitForHealthy } from './support/processes.ts';
import { percentile, round } from './support/stats.ts';

const runs = 5;
const idleMs = 2000;

/**
 * Start time of `node server/main.ts` (spawn to the first 200 on `/healthz`, fresh SQLite file each run,
 * migrations included) and its resident memory after idling.
 */
export async function serverStart(): Promise<BenchRow[]> {
  const startMs: number[] = [];
  const rssMiB: number[] = [];
  for (let run = 0; run < runs; run++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, ['server/main.ts'], {
      cwd: root,
      env: { ...process.env, ...edgeEnv({ dir: scratchDir('bench-start'), port }) },
      stdio: 'ignore',
    });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, () => child.exitCode !== null);
      startMs.push(performance.now() - started);
      await new Promise((done) => setTimeout(done, idleMs));
      rssMiB.push(residentMiB(child.pid!));
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
  const note = `median of ${runs} runs; fresh SQLite file, migrations included`;
  return [
    {
      name: 'server: start to first 200 on /healthz',
      value: round(percentile(startMs, 50), 0),
      unit: 'ms',
      note,
    },
    {
      name: 'server: idle RSS',
      value: round(percentile(rssMiB, 50), 1),
      unit: 'MiB',
      note: `${idleMs / 1000} s after start, no traffic`,
    },
  ];
}

function residentMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error('cannot read VmRSS');
  return Number(kib) / 1024;
}
