/**
 * Builds the Cloudflare Worker (`npm run build` runs it after the widgets and console):
 *   dist/worker/worker.js       the edge server bundled for workerd (`server/runtime/workers/worker.ts`)
 *   dist/worker/assets/         the widgets and console it serves, with files.json listing them
 *   dist/worker/migrations/     the schema as SQL files for `wrangler d1 migrations apply`
 * Bundled as wrangler bundles (esbuild, node:* left to `nodejs_compat`) but with the `node` condition where
 * wrangler takes `browser`: Lit renders on a server only through its node builds. Prebuilt, so the file
 * `points-edge workerd` runs is the one a merchant deploys (wrangler bundles it again without resolving
 * anything), and `points-storefront-kit/workers` is this file too.
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrationSqlFiles } from '../server/store/migration-sql.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/worker`;

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/migrations`, { recursive: true });

await build({
  entryPoints: [`${root}server/workers.ts`],
  outfile: `${out}/worker.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Lit's `node` builds, which render on a server (its `browser` builds need a `document`).
  conditions: ['workerd', 'worker', 'node'],
  mainFields: ['module', 'main'],
  target: 'es2024',
  external: ['node:*'],
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  keepNames: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const assetFolder = (from: string, to: string, keep: (name: string) => boolean): string[] => {
  if (!existsSync(from)) throw new Error(`${from} is missing: run vite build first`);
  mkdirSync(to, { recursive: true });
  const names = readdirSync(from).filter(keep);
  for (const name of names) cpSync(`${from}/${name}`, `${to}/${name}`);
  return names;
};
const widgets = assetFolder(
  `${root}dist/widgets`,
  `${out}/assets/widgets`,
  (name) => name.endsWith('.js') || name === 'widgets.css',
);
const consoleFiles = assetFolder(`${root}dist/console`, `${out}/assets/console`, (name) =>
  /^[\w.-]+\.(js|css)$/.test(name),
);
writeFileSync(`${out}/assets/files.json`, JSON.stringify({ widgets, console: consoleFiles }, null, 2));

for (const file of await migrationSqlFiles()) writeFileSync(`${out}/migrations/${file.name}.sql`, file.sql);
console.log(
  `worker: dist/worker/worker.js, ${widgets.length} widget and ${consoleFiles.length} console assets`,
);
