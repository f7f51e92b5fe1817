import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The package root, where `node server/main.ts` and `node demo/sandbox/cli.ts` run. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A child Node process started by a bench or a chaos test. */
export interface Child {
  process: ChildProcess;
  /** Everything it wrote to stderr (for failure messages). */
  stderr(): string;
  /** SIGTERM (or `signal`), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `node <script>` from the package root with `env` added to this process's environment, and
 * resolves once a line of its stdout matches `ready` (with the match), failing if it exits first.
 *
 * @example
 * const { child, match } = await startNode('demo/sandbox/cli.ts', ['--port', '0'], {}, /sandbox: (\S+)/);
 */
export async function startNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: Child; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const child: Child = {
    process: proc,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      await exited;
    },
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (text: string) => {
      stdout += text;
      const found = ready.exec(stdout);
      if (found) {
        proc.stdout.off('data', onData);
        proc.off('exit', onExit);
        proc.stdout.resume();
        resolve(found);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${script} exited (${code}) before it was ready:\n${stderr}${stdout}`));
    proc.stdout.setEncoding('utf8').on('data', onData);
    proc.once('exit', onExit);
  });
  return { child, match };
}

/** Starts the Points sandbox CLI on a free port; resolves with its base URL. */
export async function startSandbox(args: string[] = []): Promise<{ child: Child; url: string }> {
  const { child, match } = await startNode(
    'demo/sandbox/cli.ts',
    ['--port', '0', ...args],
    {},
    /Points sandbox: (http\S+)/,
  );
  return { child, url: match[1]! };
}

/** A TCP port free right now on 127.0.0.1 (so a restarted server can reuse it). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((done) => server.close(done));
  return port;
}

/** Polls every 5 ms: the start time is what is measured, so a slower poll would hide it. */
export async function waitForHealthy(url: string, exited: () => boolean): Promise<void> {
  for (;;) {
    if (exited()) throw new Error('node server/main.ts exited before answering /healthz');
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 5));
  }
}
