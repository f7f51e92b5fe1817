import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const baseEnv = {
  PATH: process.env['PATH'],
  POINTS_ENV: 'sandbox',
  POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: 'test-private-key-should-never-print',
  POINTS_WEBHOOK_SECRET: 'test-webhook-secret-should-never-print',
  PORT: '0',
  LOG_LEVEL: 'info',
};

/** Runs `server/cli.ts` until it prints `until` or exits; resolves with its output and exit code. */
function run(args: string[], env: Record<string, string | undefined>, until?: RegExp) {
  return new Promise<{
    code: number | null;
    output: string;
    kill: () => void;
    exited: Promise<{ code: number | null; output: string }>;
  }>((resolve) => {
    const child = spawn(process.execPath, ['server/cli.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const kill = () => child.kill('SIGTERM');
    const exited = new Promise<{ code: number | null; output: string }>((done) =>
      child.on('exit', (code) => done({ code, output })),
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) resolve({ code: null, output, kill, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ code, output, kill, exited }));
  });
}

describe('points-edge CLI', () => {
  it('serve: starts on SQLite, migrates, answers /healthz, and on SIGTERM drains, logs a clean stop and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-main-'));
    const started = await run(
      ['serve'],
      { ...baseEnv, DATABASE_URL: `sqlite:${join(dir, 'points.db')}` },
      /listening/,
    );
    const line = JSON.parse(started.output.split('\n').find((l) => l.includes('listening'))!);
    const health = await fetch(`${line.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(started.output).not.toContain('should-never-print');
    started.kill();
    const stopped = await started.exited;
    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain(
      '"signal":"SIGTERM","msg":"stopping: finishing requests and jobs in flight"',
    );
    expect(stopped.output).toContain('edge server stopped cleanly');
  });

  it('serve: a bad configuration exits 78 naming the variables, never their values', async () => {
    const result = await run(['serve'], {
      ...baseEnv,
      POINTS_ENV: 'production',
      POINTS_API_BASE_URL: undefined,
      POINTS_PRIVATE_KEY: 'short-should-never-print',
    });
    expect(result.code).toBe(78);
    expect(result.output).toContain('POINTS_PRIVATE_KEY: must be at least 32 characters');
    expect(result.output).not.toContain('should-never-print');
  });

  it('migrate: brings a new database up to date, then says it is', async () => {
    const env = {
      ...baseEnv,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-mig-')), 'p.db')}`,
    };
    expect((await run(['migrate'], env)).output).toContain('Applied: 0001_initial');
    expect((await run(['migrate'], env)).output).toContain('up to date');
  });

  it('reads .env from the working directory; a variable set in the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-dotenv-'));
    const cli = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));
    writeFileSync(
      join(dir, '.env'),
      [
        'POINTS_API_BASE_URL=http://127.0.0.1:9/api',
        'POINTS_PUBLIC_KEY=test_public_key',
        'POINTS_PRIVATE_KEY=test_private_key_dotenv',
        'POINTS_WEBHOOK_SECRET=test_webhook_secret_dotenv',
        'DATABASE_URL=sqlite:./from-dotenv.db',
      ].join('\n'),
    );
    const migrate = (env: Record<string, string>) =>
      spawnSync(process.execPath, [cli, 'migrate'], { cwd: dir, env: { PATH: process.env['PATH'], ...env } });
    expect(migrate({}).stdout.toString()).toContain('Applied: 0001_initial');
    expect(existsSync(join(dir, 'from-dotenv.db'))).toBe(true);
    migrate({ DATABASE_URL: 'sqlite:./from-environment.db' });
    expect(existsSync(join(dir, 'from-environment.db'))).toBe(true);
  });

  it('prints usage for an unknown command and exits non-zero', async () => {
    const result = await run(['frobnicate'], baseEnv);
    expect(result.code).toBe(2);
    expect(result.output).toContain('unknown command frobnicate');
    expect(result.output).toContain('Usage: points-edge');
  });
});
