import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { createPointsClient, pointsBaseUrls, type FetchLike } from '../points/client.ts';
import { PointsAuthError, PointsNotFoundError, PointsResponseError } from '../points/errors.ts';
import { DatabaseLockedError, openDatabase } from '../runtime/node/store/open-database.ts';
import type { Store } from '../store/db.ts';
import { pendingMigrations } from '../store/migrations.ts';
import { connectorChecks } from './connector-checks.ts';

/** One row of the doctor's table. */
export interface CheckResult {
  check: string;
  /** `skip`: the check cannot run here (no git checkout); not a warning. */
  status: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  /** What to do next: the command or the setting. Every row but a pass has one. */
  fix?: string;
}

/** What the checks need; everything that talks to the outside is injectable for tests. */
export interface DoctorDeps {
  config: Config;
  /** Transport to Points. */
  pointsFetch?: FetchLike;
  /** Transport to our own server (widget bundle). */
  serverFetch?: typeof fetch;
  /** Our running server's URL; default `PUBLIC_URL`. */
  serverUrl?: string;
  /** The git checkout to scan for secrets; default the working directory. */
  repoDir?: string;
  /** An open database; default: open `DATABASE_URL` for the check. */
  store?: Store;
  now?: () => number;
}

/** Clock difference tolerated against Points' `Date` header. */
const maxSkewMs = 60_000;

const pass = (check: string, detail: string): CheckResult => ({ check, status: 'pass', detail });
const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'fail',
  detail,
  fix,
});
const warn = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'warn',
  detail,
  fix,
});
const skip = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'skip',
  detail,
  fix,
});

function environmentKeys(config: Config): CheckResult {
  const check = 'keys match the environment';
  const official = pointsBaseUrls[config.environment];
  const other = pointsBaseUrls[config.environment === 'production' ? 'sandbox' : 'production'];
  if (config.points.baseUrl === other) {
    return fail(
      check,
      `${config.environment} keys pointed at ${other}`,
      `Set POINTS_API_BASE_URL to ${official} (or unset it).`,
    );
  }
  if (config.environment === 'production') {
    const looksSandbox = /sandbox|test|demo/i;
    if (looksSandbox.test(config.points.publicKey) || looksSandbox.test(config.points.privateKey)) {
      return fail(
        check,
        'production uses keys that look like sandbox or test keys',
        'Set POINTS_PUBLIC_KEY and POINTS_PRIVATE_KEY to the production keys from the Points dashboard.',
      );
    }
  }
  return pass(check, `${config.environment}, ${config.points.baseUrl}`);
}

function httpsUrls(config: Config): CheckResult {
  const check = 'public and return URLs are HTTPS';
  const urls = {
    PUBLIC_URL: config.publicUrl,
    RETURN_URL_SUCCESS: config.returnUrls.success,
    RETURN_URL_PENDING: config.returnUrls.pending,
    RETURN_URL_FAILURE: config.returnUrls.failure,
  };
  const plain = Object.entries(urls).filter(([, url]) => url && !url.startsWith('https://'));
  if (plain.length === 0) return pass(check, config.publicUrl);
  const names = plain.map(([name]) => name).join(', ');
  const detail = `${plain.map(([name, url]) => `${name} ${url}`).join(', ')} not https://`;
  const fix = `Serve the edge and the store behind TLS and set ${names} to their https:// addresses.`;
  return config.environment === 'production' ? fail(check, detail, fix) : warn(check, detail, fix);
}

/** What a secret left over from the demo or a template looks like. */
const placeholderSecret = /demo|not_for_production|changeme|example/i;

/** Production secrets are long and not the demo's (the demo's are long enough to pass the length rule). */
function productionSecrets(config: Config): CheckResult {
  const check = 'secrets fit for production';
  if (config.environment !== 'production')
    return pass(check, 'sandbox: demo and short secrets allowed; production refuses them');
  const secrets = {
    POINTS_PRIVATE_KEY: config.points.privateKey,
    POINTS_WEBHOOK_SECRET: config.webhookSecrets[0],
    POINTS_WEBHOOK_SECRET_PREVIOUS: config.webhookSecrets[1],
    ORDER_TOKEN_SECRET: config.orderTokenSecret,
    ADMIN_TOKEN: config.adminToken,
    MERCHANT_WEBHOOK_SECRET: config.merchantWebhook?.secret,
    ...Object.fromEntries(
      config.consoleOperators.map((operator) => [`CONSOLE_OPERATORS (${operator.name})`, operator.token]),
    ),
  };
  const weak = Object.entries(secrets)
    .filter(([, value]) => value !== undefined && (value.length < 32 || placeholderSecret.test(value)))
    .map(([name]) => name);
  if (weak.length === 0) return pass(check, '32 characters or more, none a demo value');
  return fail(
    check,
    `${weak.join(', ')}: a demo value or shorter than 32 characters`,
    `Set ${weak.join(', ')} to new random values (openssl rand -hex 32).`,
  );
}

/** `*` and plain http:// are refused by the configuration in production; a local origin only warns. */
function storeOrigins(config: Config): CheckResult {
  const check = 'store origins';
  if (config.storeOrigins.length === 0) return pass(check, "none: only pages on the edge's own origin");
  const local = config.storeOrigins.filter((origin) => origin.startsWith('http://'));
  if (config.environment === 'production' && local.length > 0) {
    return warn(
      check,
      `${local.join(', ')} is a local development origin`,
      'Remove it from STORE_ORIGINS before go-live.',
    );
  }
  return pass(check, config.storeOrigins.join(', '));
}

/** Configured secret values found in files tracked by git (names only, never the values). */
async function secretsInRepo(config: Config, repoDir: string): Promise<CheckResult> {
  const check = 'no secret in tracked files';
  const secrets = [
    config.points.privateKey,
    ...config.webhookSecrets,
    config.orderTokenSecret,
    config.adminToken,
    config.merchantWebhook?.secret,
    ...config.consoleOperators.map((operator) => operator.token),
  ].filter((value): value is string => typeof value === 'string' && value.length >= 8);
  let files: string[];
  try {
    const { stdout } = await promisify(execFile)('git', ['ls-files', '-z'], {
      cwd: repoDir,
      maxBuffer: 64 * 1024 * 1024,
    });
    files = stdout.split('\0').filter(Boolean);
  } catch {
    return skip(
      check,
      `skipped: not a git checkout (${repoDir})`,
      'To scan, run doctor in the git checkout you deploy from.',
    );
  }
  const leaks: string[] = [];
  for (const file of files) {
    const text = await readFile(join(repoDir, file), 'utf8').catch(() => '');
    if (secrets.some((secret) => text.includes(secret))) leaks.push(file);
  }
  if (leaks.length === 0) return pass(check, `${files.length} tracked files scanned`);
  return fail(
    check,
    `a configured secret appears in ${leaks.join(', ')}`,
    'Remove it from the file and from git history, then rotate that secret (docs/runbooks/key-rotation.md).',
  );
}

async function database(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const check = 'database reachable and migrated';
  if (config.databaseUrl.startsWith('d1:') && !deps.store) {
    // Only the Worker holds its D1 binding: its /readyz is the one place to ask.
    if (deps.serverUrl) return await serverDatabase(check, deps.serverUrl, deps.serverFetch ?? fetch, 'd1');
    return warn(
      check,
      'not checked: a D1 database is reached only by its Worker',
      'Run points-edge doctor --server <the Worker URL>: doctor then asks the Worker (GET /readyz).',
    );
  }
  let store = deps.store;
  try {
    store ??= await openDatabase(config.databaseUrl);
    await sql`select 1`.execute(store.db);
    const pending = await pendingMigrations(store);
    if (pending.length > 0)
      return fail(check, `migrations pending: ${pending.join(', ')}`, 'Run points-edge migrate.');
    return pass(check, `${store.engine}, opened from here (DATABASE_URL)`);
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      if (deps.serverUrl) return await serverDatabase(check, deps.serverUrl, deps.serverFetch ?? fetch);
      return warn(
        check,
        'not checked: the SQLite file is held by a running server',
        'Run points-edge doctor --server <its URL>: doctor then asks that server (GET /readyz).',
      );
    }
    return fail(
      check,
      `cannot open the database: ${(error as Error).message}`,
      'Check DATABASE_URL and that the database is up.',
    );
  } finally {
    if (!deps.store) await store?.close();
  }
}

/** The database as the running server that holds it sees it (its `/readyz`). */
async function serverDatabase(
  check: string,
  serverUrl: string,
  get: typeof fetch,
  engine: 'sqlite' | 'd1' = 'sqlite',
): Promise<CheckResult> {
  const url = `${serverUrl.replace(/\/+$/, '')}/readyz`;
  try {
    const response = await get(url);
    const body = (await response.json().catch(() => ({}))) as { status?: string; pending?: string[] };
    if (response.ok && body.status === 'ready')
      return pass(check, `asked the running server: ${url} is ready`);
    if (body.status === 'migrations pending') {
      return fail(
        check,
        `the running server (${url}) has migrations pending: ${(body.pending ?? []).join(', ')}`,
        engine === 'd1'
          ? 'Run npx wrangler d1 migrations apply DB --remote.'
          : 'Restart the server: it migrates at start.',
      );
    }
    return fail(
      check,
      `the running server (${url}) answered ${response.status} ${body.status ?? ''}`.trim(),
      "Check the server's DATABASE_URL and its log.",
    );
  } catch (error) {
    return fail(
      check,
      `cannot reach ${url}: ${(error as Error).message}`,
      'Start the server, or pass --server with its URL.',
    );
  }
}

/** Asks Points about our webhooks: proves the keys work at this base URL, finds our URL, reads its clock. */
async function pointsChecks(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  const now = deps.now ?? Date.now;
  let serverDate: string | null = null;
  const base = deps.pointsFetch ?? ((input, init) => fetch(input, init));
  const client = createPointsClient({
    baseUrl: config.points.baseUrl,
    privateKey: config.points.privateKey,
    retries: 1,
    timeoutMs: 10_000,
    fetch: async (input, init) => {
      const response = await base(input, init);
      serverDate = response.headers.get('date');
      return response;
    },
  });
  const ours = `${config.publicUrl}/webhooks/points`;
  try {
    const urls: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const list = await client.listWebhooks({ page, per_page: 50 });
      urls.push(...list.data.map((hook) => hook.url));
      if (!list.meta || list.meta.current_page >= list.meta.last_page) break;
    }
    const results = [pass('Points accepts the keys', config.points.baseUrl)];
    results.push(
      urls.includes(ours)
        ? pass('webhook registered at our URL', ours)
        : fail(
            'webhook registered at our URL',
            `Points has ${urls.length} webhook(s), none at ${ours}`,
            'Run points-edge webhooks register.',
          ),
    );
    results.push(clock(serverDate, now()));
    return results;
  } catch (error) {
    let detail = (error as Error).message;
    let fix = 'Check that Points is reachable from here (network, IP whitelist).';
    if (error instanceof PointsAuthError) {
      fix = 'The private key is wrong for this base URL: check POINTS_PRIVATE_KEY and POINTS_ENV.';
    } else if (error instanceof PointsNotFoundError || error instanceof PointsResponseError) {
      // Something answers, but not Points' API on a route every merchant has: the base path is wrong.
      const answer = error instanceof PointsNotFoundError ? 'answered 404' : 'did not answer as the API';
      detail = `wrong base path: ${config.points.baseUrl}/v1/webhooks ${answer}`;
      fix = `Set POINTS_API_BASE_URL to ${pointsBaseUrls[config.environment]} (or unset it); …/api and …/api/v1 both work.`;
    }
    return [
      fail('Points accepts the keys', detail, fix),
      fail('webhook registered at our URL', 'could not ask Points', fix),
      clock(serverDate, now()),
    ];
  }
}

function clock(serverDate: string | null, now: number): CheckResult {
  const check = 'clock in step with Points';
  const theirs = serverDate ? Date.parse(serverDate) : Number.NaN;
  if (Number.isNaN(theirs))
    return warn(check, 'Points sent no Date header', 'Make sure NTP runs on this host.');
  const skew = Math.abs(now - theirs);
  if (skew > maxSkewMs) {
    return fail(
      check,
      `off by ${Math.round(skew / 1000)} s`,
      'Enable time synchronisation (NTP, chrony or systemd-timesyncd).',
    );
  }
  return pass(check, `within ${Math.ceil(skew / 1000)} s`);
}

async function widgetBundle(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const check = 'widget bundle served with its SRI hash';
  const root = (deps.serverUrl ?? config.publicUrl).replace(/\/+$/, '');
  const get = deps.serverFetch ?? fetch;
  try {
    const manifest = await get(`${root}/widgets.json`);
    if (!manifest.ok)
      return fail(
        check,
        `${root}/widgets.json answered ${manifest.status}`,
        'Run npm run build and restart the server.',
      );
    const { url, integrity } = (await manifest.json()) as { url: string; integrity: string };
    const code = Buffer.from(await (await get(new URL(url, `${root}/`).href)).arrayBuffer());
    const actual = `sha384-${createHash('sha384').update(code).digest('base64')}`;
    if (actual !== integrity)
      return fail(
        check,
        `${url} does not match ${integrity}`,
        'A proxy or CDN changes the file; serve it unmodified.',
      );
    return pass(check, `${url} ${integrity.slice(0, 18)}…`);
  } catch (error) {
    return fail(
      check,
      `cannot reach ${root}: ${(error as Error).message}`,
      'Start the server, or pass --server with its URL.',
    );
  }
}

/**
 * The go-live checklist (points-api.md §1, §2 security notes): each check passes, warns, fails or is
 * skipped, with what to do next. Never prints a secret: checks report names, counts and file names only.
 *
 * @example
 * const rows = await runChecks({ config: loadConfig() });
 */
export async function runChecks(deps: DoctorDeps): Promise<CheckResult[]> {
  const { config } = deps;
  return [
    environmentKeys(config),
    httpsUrls(config),
    productionSecrets(config),
    storeOrigins(config),
    await secretsInRepo(config, deps.repoDir ?? process.cwd()),
    await database(config, deps),
    ...(await pointsChecks(config, deps)),
    await widgetBundle(config, deps),
    ...(await connectorChecks(deps)),
  ];
}
