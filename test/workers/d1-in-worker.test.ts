import { Miniflare } from 'miniflare';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Our store code bundled as a Worker (no Node built-ins: workerd runs it without nodejs_compat) and run in workerd.
let mf: Miniflare;
let bundle: string;
beforeAll(async () => {
  const built = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'esnext',
      lib: { entry: 'test/workers/fixtures/d1-worker.ts', formats: ['es'], fileName: 'worker' },
      // Left as imports (not shimmed away for the browser), so that one would show here and fail in workerd.
      rollupOptions: { external: [/^node:/] },
    },
  });
  const outputs = (Array.isArray(built) ? built : [built]) as Rollup.RollupOutput[];
  bundle = outputs.flatMap((output) => output.output).find((chunk) => chunk.type === 'chunk')!.code;
  mf = new Miniflare({ modules: true, script: bundle, d1Databases: ['DB'] });
}, 60_000);
afterAll(() => mf?.dispose());

describe('the D1 store inside a Worker', () => {
  it('imports nothing from Node', () => {
    // Kysely's JSDoc shows `import … from 'node:fs'` in comments; only real import statements count.
    expect(bundle).not.toMatch(/^\s*import\b[^\n]*["']node:|require\(["']node:/m);
    expect(bundle).toContain('D1TransactionError');
  });

  it('migrates its D1 database to the latest schema', async () => {
    const answer = await mf.dispatchFetch('http://worker/migrate');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ pending: [] });
  });

  it('takes a lease, enqueues in a transaction and claims, all inside one invocation', async () => {
    const answer = await mf.dispatchFetch('http://worker/work?jobs=10');
    expect(answer.status).toBe(200);
    const result = (await answer.json()) as { lease: boolean; claimed: number; ms: number };
    expect(result).toMatchObject({ lease: true, claimed: 10 });
    // Measured, not asserted: the time the Worker itself spent (see the report).
    console.info(`d1 in worker: lease + 10 enqueues in one batch + claim took ${result.ms.toFixed(1)} ms`);
  });
});
