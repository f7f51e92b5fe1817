import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../server/runtime/node/serve.ts';

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
    expect(help.stdout).toContain('Exit codes: 0 done, 1 the operation failed');
    const unknown = await run(['frobnicate'], env);
    expect(unknown.code).toBe(2);
  });
});

describe('points-edge serve on a busy port', () => {
  let holder: Server | undefined;
  afterEach(() => new Promise<void>((done) => (holder ? holder.close(() => done()) : done())));

  it('prints one line naming the port and PORT, exits 1, and shows no stack', async () => {
    holder = createServer();
    await new Promise<void>((listening) => holder!.listen(0, '127.0.0.1', listening));
    const port = (holder.address() as AddressInfo).port;
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-bin-')), 'points.db')}`;
    const result = await run(['serve'], { ...env, PORT: String(port), DATABASE_URL: databaseUrl });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `points-edge serve: port ${port} on 127.0.0.1 is already in use; stop what holds it, or set PORT to another port.`,
    );
    expect(result.stdout + result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });
});
