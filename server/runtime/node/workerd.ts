import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readVariables } from '../../config.ts';
import { openD1Store } from '../../store/d1-store.ts';
import type { D1Database } from '../../store/d1-dialect.ts';
import { migrateToLatest } from '../../store/migrations.ts';
import { loadConfig } from './config.ts';
import { packageRoot } from './package-files.ts';

export const workerdUsage = `Usage: points-edge workerd [--port N] [--host H] [--persist-to DIR] [--cron-every SECONDS]

Runs the built Worker (dist/worker/worker.js) locally in workerd, Cloudflare's runtime, through Miniflare:
a local D1 database in DIR (default ./data/d1, kept between runs), the built widgets and console as its
static assets, the cron trigger every SECONDS (default 60). Takes the same environment as points-edge serve,
passed to the Worker as its vars and secrets (NAME_FILE variables are read here); DATABASE_URL is not used.
Needs the miniflare package (npm install -D miniflare).`;

/** The Worker's compatibility settings; the wrangler template (templates/wrangler.jsonc) names the same. */
export const workerCompatibility = { date: '2026-07-30', flags: ['nodejs_compat'] };

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** Answers the Worker's `ASSETS` reads from a folder; the catalog `CATALOG_FILE` names is one of them. */
function assetsFromDisk(folder: string, catalogFile: string | undefined) {
  const catalogPath = catalogFile ? `/${catalogFile.replace(/^\.?\/+/, '')}` : undefined;
  return (request: Request): Response => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    const file = path === catalogPath ? resolve(catalogFile!) : resolve(folder, `.${path}`);
    if (path !== catalogPath && !file.startsWith(resolve(folder))) return new Response(null, { status: 404 });
    if (!existsSync(file)) return new Response(null, { status: 404 });
    return new Response(readFileSync(file), {
      headers: { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' },
    });
  };
}

/** Miniflare's handle on the Worker, as far as the cron trigger goes. */
interface ScheduledFetcher {
  scheduled(options: { cron: string }): Promise<unknown>;
}

/** The Worker's vars and secrets: this environment's configuration variables, `NAME_FILE` ones read. */
function workerBindings(env: Record<string, string | undefined>): Record<string, string> {
  const { values } = readVariables(env, (path) => readFileSync(path, 'utf8'));
  return {
    ...values,
    ...(env['LOG_LEVEL'] ? { LOG_LEVEL: env['LOG_LEVEL'] } : {}),
    DATABASE_URL: 'd1:DB',
  };
}

/**
 * `points-edge workerd`: the built Worker in local workerd with a local D1 (see {@link workerdUsage}).
 * Applies the migrations, listens, fires the cron trigger on a timer, and stops on SIGINT or SIGTERM.
 * Resolves with the exit code once stopped.
 *
 * @example
 * process.exitCode = await runWorkerd(['--port', '8787'], process.env);
 */
export async function runWorkerd(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'persist-to': { type: 'string', default: './data/d1' },
      'cron-every': { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(workerdUsage);
    return 0;
  }
  // The same checks and messages as `serve` (exit 78 on a bad variable), before starting anything.
  const config = loadConfig({ ...env, DATABASE_URL: 'd1:DB' });
  const port = Number(values.port ?? config.port);
  const host = values.host ?? config.host;
  const cronEveryMs = Number(values['cron-every']) * 1000;
  if (!Number.isInteger(port) || port < 0 || !(cronEveryMs > 0)) {
    console.error(workerdUsage);
    return 2;
  }
  const built = fileURLToPath(new URL('dist/worker/', packageRoot));
  if (!existsSync(`${built}worker.js`)) {
    console.error(`points-edge workerd: ${built}worker.js is missing: run npm run build`);
    return 1;
  }
  const { Miniflare } = await import('miniflare').catch(() => {
    throw new Error('needs the miniflare package: npm install -D miniflare');
  });
  const persistTo = resolve(values['persist-to']);
  mkdirSync(persistTo, { recursive: true });
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: `${built}worker.js`,
    compatibilityDate: workerCompatibility.date,
    compatibilityFlags: workerCompatibility.flags,
    bindings: workerBindings(env),
    d1Databases: { DB: 'points-edge-local' },
    d1Persist: persistTo,
    serviceBindings: { ASSETS: assetsFromDisk(`${built}assets`, config.catalogFile) },
    host,
    port,
  });
  const url = await miniflare.ready;
  const d1 = (await miniflare.getD1Database('DB')) as unknown as D1Database;
  const applied = (await migrateToLatest(openD1Store(d1))).results?.length ?? 0;
  console.log(
    `edge server listening on ${url.origin} (workerd, D1 in ${persistTo}${applied ? `, ${applied} migrations applied` : ''})`,
  );

  let cron: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    cron = cron
      .then(async () => {
        const worker = (await miniflare.getWorker()) as unknown as ScheduledFetcher;
        await worker.scheduled({ cron: '* * * * *' });
      })
      .catch((error: unknown) => console.error(`points-edge workerd: cron: ${String(error)}`));
  }, cronEveryMs);

  // Miniflare's own handlers exit 143 at once; ours stop workerd the same way (dispose) and exit 0, as serve does.
  await new Promise<void>((stopped) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.once(signal, () => stopped());
    }
  });
  clearInterval(timer);
  await cron;
  await miniflare.dispose();
  return 0;
}
