import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../server/config.ts';
import { loadConfig } from '../../server/runtime/node/config.ts';
import { consoleOperatorsOf, operatorWithToken } from '../../server/console/operators.ts';
import { createObservability } from '../../server/edge-parts.ts';
import type { RuntimePorts } from '../../server/runtime/ports.ts';
import type { Store } from '../../server/store/db.ts';
import { pino } from 'pino';
import * as constantTime from '../../server/shared/constant-time.ts';

// Every comparison goes through the helper; counting its calls shows none is skipped.
vi.mock('../../server/shared/constant-time.ts', { spy: true });

/** Obviously fake tokens, never real ones. */
const tokens = {
  sara: 'test-token-sara-0000000000000000000000',
  omar: 'test-token-omar-0000000000000000000000',
  admin: 'test-token-admin-000000000000000000000',
};

const sandboxEnv = {
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: 'test_private_key',
  POINTS_WEBHOOK_SECRET: 'test_webhook_secret',
};

const long = (label: string) => `${label}-test-value-`.padEnd(40, 'x');
const productionEnv = {
  POINTS_ENV: 'production',
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: long('private'),
  POINTS_WEBHOOK_SECRET: long('webhook'),
  ORDER_TOKEN_SECRET: long('order-token'),
  PUBLIC_URL: 'https://pay.store.example',
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

describe('CONSOLE_OPERATORS: happy', () => {
  it('reads name:role:token entries separated by commas, with spaces around them', () => {
    const config = loadConfig({
      ...sandboxEnv,
      CONSOLE_OPERATORS: ` sara:manager:${tokens.sara} , omar:viewer:${tokens.omar}`,
    });
    expect(config.consoleOperators).toEqual([
      { name: 'sara', role: 'manager', token: tokens.sara },
      { name: 'omar', role: 'viewer', token: tokens.omar },
    ]);
  });

  it('reads one entry a line from CONSOLE_OPERATORS_FILE, skipping blank and # lines; a token may hold ":"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-operators-'));
    const file = join(dir, 'operators');
    writeFileSync(
      file,
      `# support staff\nsara:manager:${tokens.sara}\n\nomar.k_2-x:viewer:test:token:with:colons:0000\n`,
    );
    const config = loadConfig({ ...sandboxEnv, CONSOLE_OPERATORS_FILE: file });
    expect(config.consoleOperators).toEqual([
      { name: 'sara', role: 'manager', token: tokens.sara },
      { name: 'omar.k_2-x', role: 'viewer', token: 'test:token:with:colons:0000' },
    ]);
  });

  it('lists ADMIN_TOKEN as the manager "admin" first; none without either', () => {
    const config = loadConfig({
      ...sandboxEnv,
      ADMIN_TOKEN: tokens.admin,
      CONSOLE_OPERATORS: `omar:viewer:${tokens.omar}`,
    });
    expect(consoleOperatorsOf(config)).toEqual([
      { name: 'admin', role: 'manager', token: tokens.admin },
      { name: 'omar', role: 'viewer', token: tokens.omar },
    ]);
    expect(consoleOperatorsOf(loadConfig(sandboxEnv))).toEqual([]);
  });

  it('accepts 32-character tokens in production', () => {
    const config = loadConfig({ ...productionEnv, CONSOLE_OPERATORS: `sara:manager:${tokens.sara}` });
    expect(config.consoleOperators.map((operator) => operator.name)).toEqual(['sara']);
  });
});

describe('CONSOLE_OPERATORS: error', () => {
  it('names each bad entry by its place: name, admin, repeated name, role, short or spaced token, shared token', () => {
    const problems = problemsOf({
      ...sandboxEnv,
      CONSOLE_OPERATORS: [
        `Sara:manager:${tokens.sara}`,
        `admin:manager:${tokens.admin}`,
        `omar:viewer:${tokens.omar}`,
        `omar:viewer:test-token-omar-other-00000000`,
        `lina:owner:test-token-lina-0000000000000000`,
        'nora:viewer:short',
        'huda:viewer:test token with spaces 000',
        `zaid:viewer:${tokens.omar}`,
        'no-colons-at-all',
      ].join('\n'),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 1: write name:role:token, the name of a-z/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 2: "admin" is the name ADMIN_TOKEN signs in as/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 4: its name is an earlier entry's too/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 5: the role must be one of viewer, manager/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 6: the token must be at least 16 characters/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 7: the token must be at least 16 characters/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 8: its token is another operator's too/),
      // No colons: a fine name, then no role and no token.
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 9: the role must be one of/),
      expect.stringMatching(/^CONSOLE_OPERATORS: entry 9: the token must be at least 16/),
    ]);
    expect(problems.every((problem) => problem.endsWith('(secret, value hidden)'))).toBe(true);
  });

  it('refuses an operator token that is ADMIN_TOKEN, and a token under 32 characters in production', () => {
    expect(
      problemsOf({
        ...sandboxEnv,
        ADMIN_TOKEN: tokens.admin,
        CONSOLE_OPERATORS: `sara:manager:${tokens.admin}`,
      }),
    ).toEqual([expect.stringMatching(/^CONSOLE_OPERATORS: an operator's token is ADMIN_TOKEN/)]);
    expect(
      problemsOf({ ...productionEnv, CONSOLE_OPERATORS: 'sara:manager:test-token-sara-16chars' }),
    ).toEqual(["CONSOLE_OPERATORS: entry 1's token must be at least 32 characters in production"]);
  });
});

describe('CONSOLE_OPERATORS: security', () => {
  it('never echoes a token, nor text that may be one, in any problem', () => {
    const leaked = 'visible-if-leaked-0000000000';
    const problems = problemsOf({
      ...sandboxEnv,
      ADMIN_TOKEN: leaked,
      CONSOLE_OPERATORS: [
        `${leaked}`,
        `${leaked}:viewer:${leaked}`,
        `sara:${leaked}:${tokens.sara}`,
        `omar:viewer:${leaked}`,
        `omar:viewer:${leaked} x`,
      ].join(','),
    }).join('\n');
    expect(problems).toContain('CONSOLE_OPERATORS');
    expect(problems).not.toContain('visible');
    expect(problems).not.toContain(tokens.sara);
  });

  it("gives the runtime's logger every operator token to blank from its lines", () => {
    const config = loadConfig({
      ...sandboxEnv,
      ADMIN_TOKEN: tokens.admin,
      CONSOLE_OPERATORS: `sara:manager:${tokens.sara},omar:viewer:${tokens.omar}`,
    });
    let secrets: readonly string[] = [];
    const ports = {
      createLogger: (options: { secrets: readonly string[] }) => {
        secrets = options.secrets;
        return pino({ level: 'silent' });
      },
      createMetrics: () => ({}),
    } as unknown as RuntimePorts;
    createObservability({ config, store: {} as Store, ports }, Date.now);
    expect(secrets).toEqual(expect.arrayContaining([tokens.admin, tokens.sara, tokens.omar]));
  });

  describe('sign-in compares with every operator', () => {
    const operators = [
      { name: 'admin', role: 'manager', token: tokens.admin },
      { name: 'sara', role: 'manager', token: tokens.sara },
      { name: 'omar', role: 'viewer', token: tokens.omar },
    ] as const;
    beforeEach(() => {
      vi.mocked(constantTime.constantTimeEqual).mockClear();
    });

    it.each([
      ['the first', tokens.admin, 'admin'],
      ['the last', tokens.omar, 'omar'],
      ['none', 'test-token-nobody-00000000000000000000', undefined],
      ['none, of another length', 'x', undefined],
    ])('finds %s in constant time, comparing with all of them, no early exit', (_, given, name) => {
      expect(operatorWithToken(operators, given)?.name).toBe(name);
      const calls = vi.mocked(constantTime.constantTimeEqual).mock.calls;
      expect(calls).toEqual(operators.map((operator) => [given, operator.token]));
    });
  });
});
