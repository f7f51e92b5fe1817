import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { root, waitForHealthy } from '../../bench/support/processes.ts';

/** `node server/main.ts` as a merchant runs it, on a fixed port so it comes back at the same URL. */
export interface EdgeProcess {
  url: string;
  /** Starts the process (again) and resolves on the first 200 from `/healthz`. */
  start(): Promise<void>;
  /** Kills it with SIGKILL (a crash: no shutdown code runs) and waits for the exit. */
  crash(): Promise<void>;
  /** SIGTERM: graceful stop, database closed. */
  stop(): Promise<void>;
}

export function edgeProcess(env: Record<string, string>, port: number): EdgeProcess {
  let child: ChildProcess | undefined;
  const url = `http://127.0.0.1:${port}`;

  async function end(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  }

  return {
    url,
    async start() {
      const started = spawn(process.execPath, ['server/main.ts'], {
        cwd: root,
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child = started;
      await waitForHealthy(`${url}/healthz`, () => started.exitCode !== null);
    },
    crash: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
