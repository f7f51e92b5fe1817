import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `npm start` as a user runs it: the npm of this Node, in the repository, every port free (0).
const repo = fileURLToPath(new URL('../../', import.meta.url));
const npm = existsSync(join(dirname(process.execPath), 'npm'))
  ? join(dirname(process.execPath), 'npm')
  : 'npm';
const freePorts = { STORE_PORT: '0', EDGE_PORT: '0', SANDBOX_PORT: '0' };
const servers: Server[] = [];
const started: number[] = [];

afterEach(async () => {
  // A failed run must not leave its orphans behind for the next test or the developer.
  for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function occupiedPort(): Promise<number> {
  const server = await listen(0);
  servers.push(server);
  return (server.address() as { port: number }).port;
}

/** Every process below `root`, read from `ps` (zombies excluded: they are gone, only not yet reaped). */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, , stat]) => !stat?.startsWith('Z'))
    .map(([pid, ppid]) => ({ pid: Number(pid), ppid: Number(ppid) }));
  const found: number[] = [];
  for (let i = -1; i < found.length; i++) {
    const parent = i < 0 ? root : found[i];
    found.push(...rows.filter((row) => row.ppid === parent).map((row) => row.pid));
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return !stat.startsWith('Z');
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (check()) return true;
    await new Promise((tick) => setTimeout(tick, 100));
  }
  return check();
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops every process it started and frees its ports on %s to npm',
    async (signal) => {
      const child = spawn(npm, ['start'], {
        cwd: repo,
        env: { ...process.env, ...freePorts },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const banner = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Press Ctrl-C to stop.')) resolve(output);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${output}`)));
      });
      const ports = [...banner.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
      expect(new Set(ports).size).toBe(3);
      const pids = descendants(child.pid!);
      started.push(child.pid!, ...pids);
      expect(pids.length).toBeGreaterThan(0);

      child.kill(signal);
      await exited;

      expect(await eventually(() => pids.every((pid) => !alive(pid))), `left running: ${pids}`).toBe(true);
      for (const port of new Set(ports)) servers.push(await listen(port));
    },
    90_000,
  );

  it('on a busy port prints one line naming the port and its variable, and exits 1', async () => {
    const port = await occupiedPort();
    const child = spawn(process.execPath, ['demo/start.ts'], {
      cwd: repo,
      env: { ...process.env, ...freePorts, EDGE_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `Could not start the demo: port ${port} is in use; set EDGE_PORT to another port (0 = any free port)`,
    ]);
  }, 60_000);
});
