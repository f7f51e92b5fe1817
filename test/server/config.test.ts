import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { ConfigError, configVariables, loadConfig as loadPortableConfig } from '../../server/config.ts';
import { loadConfig } from '../../server/runtime/node/config.ts';

const longSecret = (label: string) => `${label}-test-value-`.padEnd(40, 'x');

const sandboxEnv = {
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: 'test_private_key',
  POINTS_WEBHOOK_SECRET: 'test_webhook_secret',
};

const productionEnv = {
  POINTS_ENV: 'production',
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: longSecret('private'),
  POINTS_WEBHOOK_SECRET: longSecret('webhook'),
  ORDER_TOKEN_SECRET: longSecret('order-token'),
  ADMIN_TOKEN: longSecret('admin'),
  PUBLIC_URL: 'https://pay.store.example',
  STORE_ORIGINS: 'https://store.example, https://www.store.example/',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: happy', () => {
  it('fills sandbox defaults', () => {
    const config = loadConfig(sandboxEnv);
    expect(config.environment).toBe('sandbox');
    expect(config.points.baseUrl).toBe('https://sandbox.papp.sa/api');
    expect(config.databaseUrl).toBe('sqlite:./data/points.db');
    expect(config.webhookSecrets).toEqual(['test_webhook_secret']);
    expect(config.port).toBe(8787);
  });

  it('accepts a valid production environment and normalises origins', () => {
    const config = loadConfig(productionEnv);
    expect(config.points.baseUrl).toBe('https://business.papp.sa/api');
    expect(config.storeOrigins).toEqual(['https://store.example', 'https://www.store.example']);
  });

  it('keeps the previous webhook secret for rotation, current first', () => {
    const config = loadConfig({ ...sandboxEnv, POINTS_WEBHOOK_SECRET_PREVIOUS: 'old_secret' });
    expect(config.webhookSecrets).toEqual(['test_webhook_secret', 'old_secret']);
  });

  it('reads NAME_FILE for mounted secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-config-'));
    writeFileSync(join(dir, 'key'), 'from_file_private_key\n');
    const { POINTS_PRIVATE_KEY: _, ...rest } = sandboxEnv;
    const config = loadConfig({ ...rest, POINTS_PRIVATE_KEY_FILE: join(dir, 'key') });
    expect(config.points.privateKey).toBe('from_file_private_key');
  });

  it('refuses NAME_FILE where the runtime reads no files, naming the variable to set instead', () => {
    const { POINTS_PRIVATE_KEY: _, ...rest } = sandboxEnv;
    const env = { ...rest, POINTS_PRIVATE_KEY_FILE: '/run/secrets/key' };
    expect(() => loadPortableConfig(env)).toThrow(
      'POINTS_PRIVATE_KEY_FILE: this runtime reads no files; set POINTS_PRIVATE_KEY itself',
    );
    expect(loadPortableConfig(env, () => 'given_by_the_runtime').points.privateKey).toBe(
      'given_by_the_runtime',
    );
  });

  it('accepts every documented base URL form: …/api and …/api/v1, current and legacy hosts', () => {
    const forms = {
      'https://business.papp.sa/api/v1': 'https://business.papp.sa/api',
      'https://business.papp.sa/api/v1/': 'https://business.papp.sa/api',
      'https://business.papp.sa/api': 'https://business.papp.sa/api',
      'https://api.papp.sa/api/v1': 'https://api.papp.sa/api',
    };
    for (const [given, normalised] of Object.entries(forms)) {
      expect(loadConfig({ ...productionEnv, POINTS_API_BASE_URL: given }).points.baseUrl).toBe(normalised);
    }
    expect(
      loadConfig({ ...sandboxEnv, POINTS_API_BASE_URL: 'https://sandbox.papp.sa/api/v1' }).points.baseUrl,
    ).toBe('https://sandbox.papp.sa/api');
  });

  it('allows plain http for a loopback API (the local sandbox)', () => {
    const config = loadConfig({ ...sandboxEnv, POINTS_API_BASE_URL: 'http://127.0.0.1:4010/api/' });
    expect(config.points.baseUrl).toBe('http://127.0.0.1:4010/api');
  });
});

describe('loadConfig: errors', () => {
  it('names every missing variable', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/POINTS_PUBLIC_KEY: is required/);
    expect(problems.join('\n')).toMatch(/POINTS_PRIVATE_KEY: is required/);
    expect(problems.join('\n')).toMatch(/POINTS_WEBHOOK_SECRET: is required/);
  });

  it('rejects unknown environments, bad URLs, ports and database URLs', () => {
    const problems = problemsOf({
      ...sandboxEnv,
      POINTS_ENV: 'staging',
      PUBLIC_URL: 'not a url',
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
    }).join('\n');
    for (const name of ['POINTS_ENV', 'PUBLIC_URL', 'PORT', 'DATABASE_URL']) expect(problems).toContain(name);
  });

  it('WORKER_SUBREQUEST_LIMIT: the Free plan by default, the Paid plan when set, nonsense refused', () => {
    expect(loadConfig(sandboxEnv).workerSubrequestLimit).toBe(50);
    expect(loadConfig({ ...sandboxEnv, WORKER_SUBREQUEST_LIMIT: '1000' }).workerSubrequestLimit).toBe(1000);
    for (const value of ['20', 'lots', '1.5']) {
      expect(problemsOf({ ...sandboxEnv, WORKER_SUBREQUEST_LIMIT: value }).join('\n')).toContain(
        'WORKER_SUBREQUEST_LIMIT',
      );
    }
  });

  it('rate limits and the order-token lifetime: sane defaults, configurable, validated', () => {
    expect(loadConfig(sandboxEnv)).toMatchObject({
      rateLimits: { checkoutsPerMinute: 30, callbacksPerMinute: 60, adminFailuresPerMinute: 10 },
      clientIpHeader: undefined,
      orderTokenMaxLifetimeSeconds: 86_400,
    });
    const tuned = loadConfig({
      ...sandboxEnv,
      RATE_LIMIT_CHECKOUTS_PER_MINUTE: '0',
      CLIENT_IP_HEADER: 'X-Forwarded-For',
      ORDER_TOKEN_MAX_LIFETIME_SECONDS: '900',
    });
    expect(tuned).toMatchObject({
      rateLimits: { checkoutsPerMinute: 0 },
      clientIpHeader: 'x-forwarded-for',
      orderTokenMaxLifetimeSeconds: 900,
    });
    const problems = problemsOf({
      ...sandboxEnv,
      RATE_LIMIT_CALLBACKS_PER_MINUTE: '-1',
      RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: 'many',
      CLIENT_IP_HEADER: 'x forwarded',
      ORDER_TOKEN_MAX_LIFETIME_SECONDS: '253402300799',
    }).join('\n');
    for (const name of [
      'RATE_LIMIT_CALLBACKS_PER_MINUTE',
      'RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE',
      'CLIENT_IP_HEADER',
      'ORDER_TOKEN_MAX_LIFETIME_SECONDS',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('retention periods: a month of webhook bodies and a year of audit log by default, configurable, bounded', () => {
    expect(loadConfig(sandboxEnv).retention).toEqual({ webhookBodyDays: 30, auditDays: 365 });
    expect(
      loadConfig({ ...sandboxEnv, WEBHOOK_BODY_RETENTION_DAYS: '7', AUDIT_RETENTION_DAYS: '2555' }).retention,
    ).toEqual({ webhookBodyDays: 7, auditDays: 2555 });
    for (const [name, value] of [
      ['WEBHOOK_BODY_RETENTION_DAYS', '0'],
      // Past the receipt's own 180 days: the body would go with the row anyway.
      ['WEBHOOK_BODY_RETENTION_DAYS', '181'],
      ['WEBHOOK_BODY_RETENTION_DAYS', '1.5'],
      ['AUDIT_RETENTION_DAYS', '29'],
      ['AUDIT_RETENTION_DAYS', 'forever'],
    ] as const) {
      expect(problemsOf({ ...sandboxEnv, [name]: value }).join('\n')).toContain(name);
    }
  });

  it('the full reconciliation window: 180 days unless set, whole days from 3 to 3650', () => {
    expect(loadConfig(sandboxEnv).reconcile).toEqual({ fullWindowDays: 180 });
    expect(loadConfig({ ...sandboxEnv, RECONCILE_FULL_WINDOW_DAYS: '30' }).reconcile).toEqual({
      fullWindowDays: 30,
    });
    // Under the sweep's 3 days the nightly pass would check less than the sweep.
    for (const value of ['2', '3651', '1.5', 'forever']) {
      expect(problemsOf({ ...sandboxEnv, RECONCILE_FULL_WINDOW_DAYS: value })).toEqual([
        expect.stringMatching(/^RECONCILE_FULL_WINDOW_DAYS: /),
      ]);
    }
  });

  it('the time zone: Asia/Riyadh unless set, any IANA name Intl knows, a wrong one refused by name', () => {
    expect(loadConfig(sandboxEnv).timeZone).toBe('Asia/Riyadh');
    for (const zone of ['Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns', 'UTC'])
      expect(loadConfig({ ...sandboxEnv, TIME_ZONE: zone }).timeZone).toBe(zone);
    for (const zone of ['Asia/Riyad', 'Riyadh', 'GMT+25', 'Mars/Olympus_Mons']) {
      expect(problemsOf({ ...sandboxEnv, TIME_ZONE: zone })).toEqual([
        'TIME_ZONE: must be an IANA time zone name, e.g. Asia/Riyadh, Europe/Berlin or UTC',
      ]);
    }
  });

  it('refuses plain http to a non-loopback API', () => {
    expect(problemsOf({ ...sandboxEnv, POINTS_API_BASE_URL: 'http://api.example/api' }).join()).toContain(
      'POINTS_API_BASE_URL',
    );
  });

  it('refuses a file and a value for the same variable', () => {
    expect(problemsOf({ ...sandboxEnv, POINTS_PRIVATE_KEY_FILE: '/nonexistent' }).join()).toContain(
      'either POINTS_PRIVATE_KEY or POINTS_PRIVATE_KEY_FILE',
    );
  });

  it('needs a merchant webhook secret with a merchant webhook URL', () => {
    expect(problemsOf({ ...sandboxEnv, MERCHANT_WEBHOOK_URL: 'https://shop.example/hook' }).join()).toContain(
      'MERCHANT_WEBHOOK_SECRET',
    );
  });
});

describe('loadConfig: production security', () => {
  it('refuses the sandbox base URL in production', () => {
    expect(
      problemsOf({ ...productionEnv, POINTS_API_BASE_URL: 'https://sandbox.papp.sa/api' }).join(),
    ).toContain('production cannot use the sandbox API');
  });

  it('refuses non-HTTPS URLs in production', () => {
    const problems = problemsOf({
      ...productionEnv,
      PUBLIC_URL: 'http://127.0.0.1:8787',
      RETURN_URL_SUCCESS: 'http://store.example/thanks',
    }).join('\n');
    expect(problems).toContain('PUBLIC_URL: production needs an https:// URL');
    expect(problems).toContain('RETURN_URL_SUCCESS: production needs an https:// URL');
  });

  it('refuses short secrets in production and never prints them', () => {
    const shortSecret = 'short-secret-value';
    const error = (() => {
      try {
        loadConfig({ ...productionEnv, POINTS_WEBHOOK_SECRET: shortSecret, ADMIN_TOKEN: shortSecret });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.message).toContain('POINTS_WEBHOOK_SECRET: must be at least 32 characters');
    expect(error?.message).toContain('ADMIN_TOKEN: must be at least 32 characters');
    expect(error?.message).not.toContain(shortSecret);
  });

  it('never echoes a secret value in any message', () => {
    const secretValue = 'visible-if-leaked-123';
    const problems = problemsOf({ ...sandboxEnv, POINTS_PRIVATE_KEY: secretValue, PORT: secretValue }).join(
      '\n',
    );
    expect(problems).not.toContain(secretValue);
  });
});

describe('configuration docs', () => {
  it('README and .env.example name every variable the server reads', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of configVariables) {
      expect(readme, `README lacks ${name}`).toContain(`\`${name}`);
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
