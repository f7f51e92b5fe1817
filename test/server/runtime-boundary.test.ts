import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The server's portable code must run on Workers too, so `eslint.config.js` keeps Node's modules, `pg`,
 * `@hono/node-server` and `prom-client` inside `server/runtime/node/` (and the Node-only command line
 * tools). This runs the project's own ESLint configuration on sample lines to prove the rule bites.
 */
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The runtime-boundary errors ESLint reports for `source` as the file `path`. */
async function boundaryErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const sample = 1;\n`, { filePath: path });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

const nodeImports = [
  "import { readFile } from 'node:fs/promises';",
  "import { createHmac } from 'node:crypto';",
  "import { setTimeout as delay } from 'node:timers/promises';",
  "import { readFileSync } from 'fs';",
  "import pg from 'pg';",
  "import { serve } from '@hono/node-server';",
  "import type { Registry } from 'prom-client';",
  "export { nodePorts } from '../runtime/node/node-ports.ts';",
  "import { openDatabase } from '../runtime/node/store/open-database.ts';",
];

describe('the runtime boundary (eslint no-restricted-imports)', () => {
  it.each([
    'server/orders/sample.ts',
    'server/edge.ts',
    'server/runtime/ports.ts',
    'server/runtime/workers/index.ts',
  ])('refuses Node imports in portable code: %s', async (path) => {
    for (const line of nodeImports) {
      const errors = await boundaryErrors(path, line);
      expect(errors, line).toHaveLength(1);
      expect(errors[0]).toContain('server/runtime/node/');
    }
  });

  it('allows them in the Node runtime and the Node-only command line tools', async () => {
    for (const path of [
      'server/runtime/node/sample.ts',
      'server/runtime/node/store/sample.ts',
      'server/cli.ts',
      'server/doctor/sample.ts',
      'server/admin/cli-sample.ts',
      'server/index.ts',
    ]) {
      for (const line of nodeImports)
        expect(await boundaryErrors(path, line), `${path}: ${line}`).toEqual([]);
    }
  });

  it('allows portable imports, and node:async_hooks only in the request context', async () => {
    expect(
      await boundaryErrors('server/orders/sample.ts', "import type { Store } from '../store/db.ts';"),
    ).toEqual([]);
    expect(await boundaryErrors('server/orders/sample.ts', "import { Hono } from 'hono';")).toEqual([]);
    const als = "import { AsyncLocalStorage } from 'node:async_hooks';";
    expect(await boundaryErrors('server/observability/request-context.ts', als)).toEqual([]);
    expect(await boundaryErrors('server/observability/logger.ts', als)).toHaveLength(1);
    expect(
      await boundaryErrors('server/observability/request-context.ts', "import { readFile } from 'node:fs';"),
    ).toHaveLength(1);
  });
});
