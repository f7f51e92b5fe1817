import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../server/serve.ts';

const adminToken = 'test-admin-token-bin-0000000000000000';
const env = {
  POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: 'test_private_key_bin',
  POINTS_WEBHOOK_SECRET: 'test_webhook_secret_bin',
  ADMIN_TOKEN: adminToken,
  PORT: '0',
};
let running: RunningEdge | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function run(args: string[], extra: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['server/cli.ts', ...args], {
      env: { PATH: process.env['PATH'], ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('points-edge bin against a running SQLite server', () => {
  it('talks to the server with --server; opening the locked file directly says to use --server', async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-bin-')), 'points.db')}`;
    running = await startEdge({
      env: { ...env, DATABASE_URL: databaseUrl },
      logger: pino({ level: 'silent' }),
    });
    const viaServer = await run(['deliveries', 'list', '--json', '--server', running.url], env);
    expect(viaServer).toMatchObject({ code: 0 });
    expect(JSON.parse(viaServer.stdout)).toEqual([]);
    const missing = await run(['find', '--order', 'NOPE', '--server', running.url], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No matching order.');
    const direct = await run(['get', 'NOPE'], { ...env, DATABASE_URL: databaseUrl });
    expect(direct.code).toBe(1);
    expect(direct.stderr).toContain('use --server');
    const help = await run(['--help'], env);
    expect(help.stdout).toContain('deliveries list | replay');
  });
});
