import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  formatChecks,
  runDoctorCommand,
  summary,
  type DoctorReport,
} from '../../server/doctor/doctor-command.ts';
import { startEdge, type RunningEdge } from '../../server/runtime/node/serve.ts';
import { buildDelivery } from '../../demo/sandbox/platforms/index.ts';
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
  it('is ready with its warnings counted in a sandbox (an http public URL only warns there)', async () => {
    harness = await createHarness(engine, { widgetsDir: builtWidgets() });
    const result = await doctor({ repo: gitRepo({ 'README.md': '# shop\n' }) });
    expect(result.output).toContain('Ready with 1 warning: public and return URLs are HTTPS.');
    expect(result.output).not.toContain('every check passed');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/PASS\s+webhook registered at our URL/);
    expect(result.output).toMatch(/PASS\s+widget bundle served with its SRI hash/);
    expect(result.output).toMatch(/WARN\s+public and return URLs are HTTPS\s+PUBLIC_URL http:/);
    expect(result.output).toContain('next: Serve the edge and the store behind TLS and set PUBLIC_URL');
    const strict = await doctor({ repo: gitRepo({ 'a.txt': 'x' }), args: ['--strict'] });
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('Not ready (--strict) with 1 warning: public and return URLs are HTTPS.');
    const json = await doctor({ repo: gitRepo({ 'a.txt': 'x' }), args: ['--json'] });
    const report = JSON.parse(json.output) as DoctorReport;
    expect(report).toMatchObject({
      ready: true,
      summary: 'Ready with 1 warning: public and return URLs are HTTPS.',
      failed: [],
      warned: ['public and return URLs are HTTPS'],
    });
    expect(report.checks).toContainEqual(
      expect.objectContaining({ check: 'clock in step with Points', status: 'pass' }),
    );
    const strictJson = await doctor({ repo: gitRepo({ 'a.txt': 'x' }), args: ['--json', '--strict'] });
    expect(strictJson.code).toBe(1);
    expect(JSON.parse(strictJson.output)).toMatchObject({
      ready: false,
      summary: 'Not ready (--strict) with 1 warning: public and return URLs are HTTPS.',
    });
  });

  it('fails with the fix for each problem, without printing the secret', async () => {
    harness = await createHarness(engine);
    await harness.store.db.deleteFrom('points_migrations').where('name', '=', '0002_earnings').execute();
    const repo = gitRepo({ '.env': `POINTS_WEBHOOK_SECRET=${testSecrets.webhook}\n`, 'ok.md': 'fine' });
    const result = await doctor({ publicUrl: 'https://edge.example', repo, skewMs: 5 * 60_000 });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL\s+no secret in tracked files\s+a configured secret appears in \.env/);
    expect(result.output).toMatch(/FAIL\s+webhook registered at our URL/);
    expect(result.output).toContain('next: Run points-edge webhooks register.');
    expect(result.output).toMatch(
      /FAIL\s+database reachable and migrated\s+migrations pending: 0002_earnings/,
    );
    expect(result.output).toMatch(/FAIL\s+clock in step with Points\s+off by (299|300) s/);
    expect(result.output).toMatch(/FAIL\s+widget bundle served/);
    expect(result.output).toMatch(
      /^Not ready: 5 checks failed: no secret in tracked files, database reachable/m,
    );
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
      expect(result.output).toContain('next: Set POINTS_API_BASE_URL to https://sandbox.papp.sa/api');
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
    const rows = (
      JSON.parse(out.join('')) as { checks: Array<{ check: string; status: string; fix?: string }> }
    ).checks;
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
    expect(out.join('')).toMatch(/FAIL\s+configuration: POINTS_PRIVATE_KEY\s+is required/);
    expect(out.join('')).toContain('next: Set POINTS_PRIVATE_KEY as');
  });
});

describe('points-edge doctor summary and skipped checks', () => {
  it('counts warnings, never skipped checks, and --strict fails on a warning only', () => {
    const passed = { check: 'a', status: 'pass', detail: 'ok' } as const;
    const skipped = { check: 'b', status: 'skip', detail: 'skipped', fix: 'run it elsewhere' } as const;
    const warned = { check: 'c', status: 'warn', detail: 'meh', fix: 'do x' } as const;
    expect(summary([passed, skipped])).toBe('Ready: every check passed.');
    expect(summary([passed, warned, { ...warned, check: 'd' }])).toBe('Ready with 2 warnings: c, d.');
    expect(formatChecks([passed, skipped])).toMatch(/^SKIP {2}b {2}skipped\n\s+next: run it elsewhere$/m);
  });

  it('documents its exit codes in --help and exits 2 on an unknown flag', async () => {
    const out: string[] = [];
    const io = { env: {}, out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
    expect(await runDoctorCommand(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Exit codes: 0 ready, 1 a check failed (or warned, with --strict), 2 bad');
    expect(await runDoctorCommand(['--strcit'], io)).toBe(2);
    expect(out.join('')).toContain("Unknown option '--strcit'");
  });

  it('skips the secret scan outside a git checkout instead of warning', async () => {
    harness = await createHarness('sqlite', { widgetsDir: builtWidgets() });
    const result = await doctor({ repo: mkdtempSync(join(tmpdir(), 'points-not-git-')) });
    expect(result.output).toMatch(/SKIP\s+no secret in tracked files\s+skipped: not a git checkout/);
    expect(result.output).toContain('Ready with 1 warning: public and return URLs are HTTPS.');
    expect(result.code).toBe(0);
  });
});

describe('points-edge doctor in production', () => {
  const production = {
    POINTS_ENV: 'production',
    POINTS_PUBLIC_KEY: 'p'.repeat(32),
    POINTS_PRIVATE_KEY: 'k'.repeat(40),
    POINTS_WEBHOOK_SECRET: 'a'.repeat(40),
    ORDER_TOKEN_SECRET: 'b'.repeat(40),
    PUBLIC_URL: 'https://edge.example',
    STORE_ORIGINS: 'https://store.example',
  };

  async function productionDoctor(env: Record<string, string>) {
    const out: string[] = [];
    const code = await runDoctorCommand(['--json'], {
      env: { ...production, ...env },
      out: (text) => out.push(text),
      err: () => {},
      store: harness.store,
      repoDir: gitRepo({ 'a.txt': 'x' }),
      pointsFetch: async () => new Response('{"message":"Unauthenticated."}', { status: 401 }),
      serverFetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
    });
    const rows = (
      JSON.parse(out.join('')) as { checks: Array<{ check: string; status: string; fix?: string }> }
    ).checks;
    return { code, rows, failed: rows.filter((row) => row.status === 'fail').map((row) => row.check) };
  }

  it.each([
    ['an http:// PUBLIC_URL', { PUBLIC_URL: 'http://edge.example' }, 'configuration: PUBLIC_URL'],
    [
      'an http:// return URL',
      { RETURN_URL_SUCCESS: 'http://store.example/thanks' },
      'configuration: RETURN_URL_SUCCESS',
    ],
    ['a short secret', { ADMIN_TOKEN: 'short-admin-token' }, 'configuration: ADMIN_TOKEN'],
    [
      'the sandbox API',
      { POINTS_API_BASE_URL: 'https://sandbox.papp.sa/api' },
      'configuration: POINTS_API_BASE_URL',
    ],
    ['a * store origin', { STORE_ORIGINS: '*' }, 'configuration: STORE_ORIGINS'],
    ['an http:// store origin', { STORE_ORIGINS: 'http://store.example' }, 'configuration: STORE_ORIGINS'],
    ['a demo secret', { ADMIN_TOKEN: 'demo_admin_token_not_for_production' }, 'secrets fit for production'],
    [
      'a short console operator token',
      { CONSOLE_OPERATORS: 'omar:viewer:test-token-16-chars' },
      'configuration: CONSOLE_OPERATORS',
    ],
    [
      "a console operator's demo token",
      { CONSOLE_OPERATORS: 'omar:viewer:demo_viewer_token_not_for_production' },
      'secrets fit for production',
    ],
    [
      'a sandbox key',
      { POINTS_PUBLIC_KEY: 'test_public_key_for_sandbox_use_only' },
      'keys match the environment',
    ],
  ])('fails on %s', async (_, env, check) => {
    harness = await createHarness('sqlite');
    const result = await productionDoctor(env);
    expect(result.failed).toContain(check);
    expect(result.code).not.toBe(0);
    for (const row of result.rows) if (row.status !== 'pass') expect(row.fix).toMatch(/\w/);
  });

  it("names a weak console operator's token by the operator, never printing it", async () => {
    harness = await createHarness('sqlite');
    const token = 'demo_viewer_token_not_for_production';
    const result = await productionDoctor({
      CONSOLE_OPERATORS: `sara:manager:${'c'.repeat(40)},omar:viewer:${token}`,
    });
    const row = result.rows.find((candidate) => candidate.check === 'secrets fit for production') as
      { detail?: string; fix?: string } | undefined;
    expect(row?.detail).toBe('CONSOLE_OPERATORS (omar): a demo value or shorter than 32 characters');
    expect(JSON.stringify(result.rows)).not.toContain(token);
  });

  it('only warns about a localhost store origin, and passes long random secrets', async () => {
    harness = await createHarness('sqlite');
    const result = await productionDoctor({ STORE_ORIGINS: 'https://store.example,http://localhost:3000' });
    expect(result.rows).toContainEqual(
      expect.objectContaining({
        check: 'store origins',
        status: 'warn',
        fix: expect.stringContaining('STORE_ORIGINS'),
      }),
    );
    expect(result.rows).toContainEqual(
      expect.objectContaining({ check: 'secrets fit for production', status: 'pass' }),
    );
    expect(result.rows).toContainEqual(
      expect.objectContaining({ check: 'public and return URLs are HTTPS', status: 'pass' }),
    );
  });
});

describe('points-edge doctor with a running SQLite server', () => {
  let running: RunningEdge | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('asks the server that holds the file (/readyz) when --server reaches it, and says so', async () => {
    harness = await createHarness('sqlite');
    const env = {
      POINTS_ENV: 'sandbox',
      POINTS_API_BASE_URL: `${harness.sandbox.options.baseUrl}/api`,
      POINTS_PUBLIC_KEY: harness.sandbox.options.publicKey,
      POINTS_PRIVATE_KEY: harness.sandbox.options.privateKey,
      POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-doctor-db-')), 'points.db')}`,
      PORT: '0',
    };
    running = await startEdge({ env, logger: pino({ level: 'silent' }) });
    const run = async (args: string[]) => {
      const out: string[] = [];
      await runDoctorCommand(['--json', ...args], {
        env,
        out: (text) => out.push(text),
        err: () => {},
        repoDir: gitRepo({ 'a.txt': 'x' }),
        pointsFetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      });
      const rows = (
        JSON.parse(out.join('')) as {
          checks: Array<{
            check: string;
            status: string;
            detail: string;
            fix?: string;
          }>;
        }
      ).checks;
      return rows.find((row) => row.check === 'database reachable and migrated');
    };
    expect(await run([])).toMatchObject({
      status: 'warn',
      detail: 'not checked: the SQLite file is held by a running server',
      fix: expect.stringContaining('--server'),
    });
    expect(await run(['--server', running.url])).toMatchObject({
      status: 'pass',
      detail: `asked the running server: ${running.url}/readyz is ready`,
    });
  });

  it("asks the running server for each connector's last delivery when it holds the file", async () => {
    harness = await createHarness('sqlite');
    const secret = 'test-woocommerce-secret-000000000000';
    const env = {
      POINTS_ENV: 'sandbox',
      POINTS_API_BASE_URL: `${harness.sandbox.options.baseUrl}/api`,
      POINTS_PUBLIC_KEY: harness.sandbox.options.publicKey,
      POINTS_PRIVATE_KEY: harness.sandbox.options.privateKey,
      POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      WOOCOMMERCE_WEBHOOK_SECRET: secret,
      ADMIN_TOKEN: 'test-admin-token-doctor-0000000000000',
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'points-doctor-db-')), 'points.db')}`,
      PORT: '0',
    };
    running = await startEdge({ env, logger: pino({ level: 'silent' }) });
    const delivery = buildDelivery(
      'woocommerce',
      { type: 'created' },
      { store: 'shop.example', orderId: '1052', totalSar: '199.00', phone: '0500000041' },
      { woocommerce: { secret } },
    );
    const posted = await fetch(`${running.url}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(posted.status).toBe(200);
    const lastDelivery = async (runEnv: Record<string, string>) => {
      const out: string[] = [];
      await runDoctorCommand(['--json', '--server', running!.url], {
        env: runEnv,
        out: (text) => out.push(text),
        err: () => {},
        repoDir: gitRepo({ 'a.txt': 'x' }),
        pointsFetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
      });
      const rows = (
        JSON.parse(out.join('')) as { checks: Array<{ check: string; status: string; detail: string }> }
      ).checks;
      return rows.find((row) => row.check === 'WooCommerce last delivery');
    };
    expect(await lastDelivery(env)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining(
        `(asked the running server: ${running.url}/admin/connectors/last-deliveries)`,
      ),
    });
    const { ADMIN_TOKEN: _token, ...withoutToken } = env;
    expect(await lastDelivery(withoutToken)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('asking it needs ADMIN_TOKEN'),
    });
    expect(
      await lastDelivery({ ...env, ADMIN_TOKEN: 'test-admin-token-doctor-wrong-0000000' }),
    ).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('not checked: the running server'),
    });
  });
});

describe('points-edge doctor for a Worker on D1 (DATABASE_URL=d1:DB)', () => {
  async function databaseRow(args: string[], readyz: () => Response) {
    const out: string[] = [];
    await runDoctorCommand([...args, '--json'], {
      env: {
        POINTS_ENV: 'sandbox',
        POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
        POINTS_PUBLIC_KEY: 'pk_test_public',
        POINTS_PRIVATE_KEY: 'k'.repeat(32),
        POINTS_WEBHOOK_SECRET: testSecrets.webhook,
        DATABASE_URL: 'd1:DB',
      },
      out: (text) => out.push(text),
      err: () => {},
      repoDir: gitRepo({ 'a.txt': 'x' }),
      pointsFetch: async () => new Response('{}', { status: 503 }),
      serverFetch: async (input) =>
        new URL(String(input)).pathname === '/readyz' ? readyz() : new Response('{}', { status: 404 }),
    });
    const report = JSON.parse(out.join('')) as DoctorReport;
    return report.checks.find((row) => row.check === 'database reachable and migrated');
  }

  it('asks the Worker with --server, and says how to migrate D1 when it has migrations pending', async () => {
    expect(
      await databaseRow(['--server', 'https://edge.example'], () => Response.json({ status: 'ready' })),
    ).toMatchObject({
      status: 'pass',
      detail: 'asked the running server: https://edge.example/readyz is ready',
    });
    const pending = await databaseRow(['--server', 'https://edge.example'], () =>
      Response.json({ status: 'migrations pending', pending: ['0008_rate_windows'] }, { status: 503 }),
    );
    expect(pending).toMatchObject({
      status: 'fail',
      fix: 'Run npx wrangler d1 migrations apply DB --remote.',
    });
    expect(pending?.detail).toContain('0008_rate_windows');
  });

  it('warns without --server, never opening a database of its own', async () => {
    expect(await databaseRow([], () => Response.json({ status: 'ready' }))).toMatchObject({
      status: 'warn',
      detail: 'not checked: a D1 database is reached only by its Worker',
      fix: expect.stringContaining('--server'),
    });
  });
});
