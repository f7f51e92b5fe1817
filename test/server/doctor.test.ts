import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../server/doctor/doctor-command.ts';
import { engines } from '../support/databases.ts';
import { createHarness, edgeUrl, testSecrets, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

function builtWidgets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'points-widgets-'));
  writeFileSync(join(dir, 'points-widgets.js'), "export * from './widgets.Ab12_x.js';\n");
  writeFileSync(join(dir, 'widgets.Ab12_x.js'), 'console.log("widgets");');
  return dir;
}

/** A throwaway git checkout holding `files` (tracked). */
function gitRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'points-doctor-repo-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '.'], { cwd: dir });
  return dir;
}

async function doctor(options: {
  publicUrl?: string;
  repo: string;
  skewMs?: number;
  args?: string[];
  baseUrl?: string;
}) {
  const out: string[] = [];
  const code = await runDoctorCommand(options.args ?? [], {
    env: {
      POINTS_ENV: 'sandbox',
      POINTS_API_BASE_URL: options.baseUrl ?? `${harness.sandbox.options.baseUrl}/api`,
      POINTS_PUBLIC_KEY: harness.sandbox.options.publicKey,
      POINTS_PRIVATE_KEY: harness.sandbox.options.privateKey,
      POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      PUBLIC_URL: options.publicUrl ?? edgeUrl,
    },
    out: (text) => out.push(text),
    err: (text) => out.push(text),
    store: harness.store,
    repoDir: options.repo,
    pointsFetch: async (input, init) => {
      const response = await harness.sandbox.app.fetch(new Request(input, init));
      const headers = new Headers(response.headers);
      headers.set('date', new Date(Date.now() + (options.skewMs ?? 0)).toUTCString());
      return new Response(response.body, { status: response.status, headers });
    },
    serverFetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
  });
  return { code, output: out.join('\n') };
}

describe.each(engines)('points-edge doctor on %s', (engine) => {
  it('passes a healthy sandbox deployment (http public URL only warns outside production)', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const result = await doctor({ repo: gitRepo({ 'README.md': '# shop\n' }) });
    expect(result.output).toContain('Ready: every check passed.');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/PASS\s+webhook registered at our URL/);
    expect(result.output).toMatch(/PASS\s+widget bundle served with its SRI hash/);
    expect(result.output).toMatch(/WARN\s+public URL is HTTPS/);
    const json = await doctor({ repo: gitRepo({ 'a.txt': 'x' }), args: ['--json'] });
    expect(JSON.parse(json.output)).toContainEqual(
      expect.objectContaining({ check: 'clock in step with Points', status: 'pass' }),
    );
  });

  it('fails with the fix for each problem, without printing the secret', async () => {
    harness = await createHarness(engine);
    await harness.store.db.deleteFrom('points_migrations').where('name', '=', '0002_earnings').execute();
    const repo = gitRepo({ '.env': `POINTS_WEBHOOK_SECRET=${testSecrets.webhook}\n`, 'ok.md': 'fine' });
    const result = await doctor({ publicUrl: 'https://edge.example', repo, skewMs: 5 * 60_000 });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL\s+no secret in tracked files\s+a configured secret appears in \.env/);
    expect(result.output).toMatch(/FAIL\s+webhook registered at our URL/);
    expect(result.output).toContain('fix: Run points-edge webhooks register.');
    expect(result.output).toMatch(
      /FAIL\s+database reachable and migrated\s+migrations pending: 0002_earnings/,
    );
    expect(result.output).toMatch(/FAIL\s+clock in step with Points\s+off by (299|300) s/);
    expect(result.output).toMatch(/FAIL\s+widget bundle served/);
    expect(result.output).not.toContain(testSecrets.webhook);
  });

  it('accepts the documented …/api/v1 base URL, and names a wrong base path when Points answers 404', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const documented = await doctor({
      repo: gitRepo({ 'a.txt': 'x' }),
      baseUrl: `${harness.sandbox.options.baseUrl}/api/v1/`,
    });
    expect(documented.output).toMatch(/PASS\s+Points accepts the keys/);
    expect(documented.output).toMatch(/PASS\s+webhook registered at our URL/);

    for (const wrong of [harness.sandbox.options.baseUrl, `${harness.sandbox.options.baseUrl}/api/v2`]) {
      const result = await doctor({ repo: gitRepo({ 'a.txt': 'x' }), baseUrl: wrong });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        /FAIL\s+Points accepts the keys\s+wrong base path: .*\/v1\/webhooks answered 404/,
      );
      expect(result.output).toContain('fix: Set POINTS_API_BASE_URL to https://sandbox.papp.sa/api');
      expect(result.output).not.toContain('network');
    }
  });

  it('names a wrong base path when a web page answers instead of the API', async () => {
    harness = await createHarness(engine);
    const out: string[] = [];
    const code = await runDoctorCommand([], {
      env: {
        POINTS_API_BASE_URL: 'https://dashboard.example',
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY: 'test_private_key',
        POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      },
      out: (text) => out.push(text),
      err: () => {},
      store: harness.store,
      repoDir: gitRepo({ 'a.txt': 'x' }),
      pointsFetch: async () =>
        new Response('<!doctype html><title>Dashboard</title>', { headers: { 'content-type': 'text/html' } }),
      serverFetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(
      /FAIL\s+Points accepts the keys\s+wrong base path: https:\/\/dashboard\.example\/v1\/webhooks did not answer as the API/,
    );
  });

  it('fails when Points refuses the key', async () => {
    harness = await createHarness(engine);
    const out: string[] = [];
    const code = await runDoctorCommand(['--json'], {
      env: {
        POINTS_API_BASE_URL: `${harness.sandbox.options.baseUrl}/api`,
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY: 'test_private_key_unknown',
        POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      },
      out: (text) => out.push(text),
      err: () => {},
      store: harness.store,
      repoDir: gitRepo({ 'a.txt': 'x' }),
      pointsFetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      serverFetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
    });
    expect(code).toBe(1);
    const rows = JSON.parse(out.join('')) as Array<{ check: string; status: string; fix?: string }>;
    expect(rows.find((row) => row.check === 'Points accepts the keys')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('POINTS_PRIVATE_KEY'),
    });
  });

  it('exits 78 on an invalid configuration', async () => {
    harness = await createHarness(engine);
    const out: string[] = [];
    const code = await runDoctorCommand([], { env: {}, out: (text) => out.push(text), err: () => {} });
    expect(code).toBe(78);
    expect(out.join('')).toContain('POINTS_PRIVATE_KEY: is required');
  });
});
