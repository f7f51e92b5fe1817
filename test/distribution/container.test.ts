import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  confirmedOrder,
  freePort,
  payAndReturn,
  sandboxEdgeEnv,
  startSandbox,
  testSecrets,
  until,
  type Running,
} from '../support/running-kit.ts';
import { installPackedKit, type InstalledKit } from './installed-kit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
const suffix = `${process.pid}-${Date.now()}`;
const image = `points-edge-test:${suffix}`;
const container = `points-edge-test-${suffix}`;
const volume = `points-edge-test-${suffix}`;

/** Docker answers here (`.ci/use-docker.sh` installs Debian's docker.io and starts dockerd as root). */
const dockerRuns = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
if (!dockerRuns)
  console.warn('Docker cannot run here (no daemon answers `docker info`): the container test is skipped');

let kit: InstalledKit | undefined;
let sandbox: Running | undefined;
afterAll(async () => {
  await sandbox?.stop();
  if (dockerRuns) {
    await docker('rm', '-f', container).catch(() => undefined);
    await docker('volume', 'rm', '-f', volume).catch(() => undefined);
    await docker('image', 'rm', '-f', image).catch(() => undefined);
  }
  kit?.remove();
});

describe('the container image', () => {
  it.skipIf(!dockerRuns)(
    'builds from an installed kit, runs read-only as non-root against the sandbox through a checkout and a webhook, turns healthy, and stops cleanly on SIGTERM',
    async () => {
      // The base image: pulled where a registry answers, else a local stand-in under the same name.
      const base = spawnSync('bash', [join(repo, '.ci/docker-base-image.sh')], { encoding: 'utf8' });
      expect(base.status, base.stderr).toBe(0);
      console.log(base.stderr.trim().split('\n').at(-1));

      // The build context the Dockerfile describes: a folder where the kit (only its runtime part) is installed.
      kit = installPackedKit(['--omit=dev']);
      copyFileSync(
        join(kit.dir, 'node_modules/points-storefront-kit/Dockerfile'),
        join(kit.dir, 'Dockerfile'),
      );
      writeFileSync(join(kit.dir, '.dockerignore'), 'packs\n');
      await docker('build', '-q', '-t', image, kit.dir);
      const config = JSON.parse((await docker('image', 'inspect', image)).stdout)[0].Config as {
        User: string;
        Healthcheck?: { Test: string[] };
      };
      expect(config.User).toBe('1000:1000');
      expect(config.Healthcheck?.Test[0]).toBe('CMD');

      const port = await freePort();
      const edgeUrl = `http://127.0.0.1:${port}`;
      const started = await startSandbox(process.execPath, ['demo/sandbox/cli.ts'], {
        cwd: repo,
        webhookUrl: `${edgeUrl}/webhooks/points`,
      });
      sandbox = started.sandbox;
      const sandboxUrl = started.url;

      const env = {
        ...sandboxEdgeEnv({
          sandboxUrl: sandboxUrl,
          publicUrl: edgeUrl,
          port,
          databaseUrl: 'sqlite:/data/points.db',
        }),
        ORDER_TOKEN_SECRET: testSecrets.orderToken,
        HOST: '127.0.0.1',
      };
      // Host networking: the container's 127.0.0.1 is the machine's, where the sandbox listens.
      await docker(
        'run',
        '-d',
        '--name',
        container,
        '--network',
        'host',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '-v',
        `${volume}:/data`,
        '--health-interval',
        '1s',
        ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
        image,
      );
      const logs = async () => {
        const { stdout, stderr } = await docker('logs', container);
        return stdout + stderr;
      };
      await until(async () => ((await fetch(`${edgeUrl}/readyz`)).ok ? true : undefined), 30_000).catch(
        async () => {
          throw new Error(`The container did not get ready:\n${await logs()}`);
        },
      );
      expect((await docker('exec', container, 'node', '-p', 'process.getuid()')).stdout.trim()).toBe('1000');

      const checkout = await fetch(`${edgeUrl}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderToken: signOrderToken(env.ORDER_TOKEN_SECRET) }),
      });
      expect(checkout.status).toBe(200);
      expect((await payAndReturn(sandboxUrl, 'C-1042')).status).toBe(303);
      const order = await confirmedOrder(edgeUrl, 'C-1042', testSecrets.admin).catch(async () => {
        throw new Error(`The order was not confirmed. Container:\n${await logs()}`);
      });
      expect(order.settledTotal).toBe('199.00');
      await until(async () => {
        const health = await docker('inspect', '--format', '{{.State.Health.Status}}', container);
        return health.stdout.trim() === 'healthy' ? true : undefined;
      }, 30_000);

      await docker('stop', '--time', '20', container);
      const state = JSON.parse(
        (await docker('inspect', '--format', '{{json .State}}', container)).stdout,
      ) as {
        ExitCode: number;
      };
      expect(state.ExitCode).toBe(0);
      expect(await logs()).toContain('edge server stopped cleanly');
    },
  );
});

/** `docker compose` (the plugin) or Debian's `docker-compose`, whichever is here. */
const compose = [['docker', 'compose'], ['docker-compose']].find(
  ([command, ...args]) => spawnSync(command!, [...args, 'version'], { stdio: 'ignore' }).status === 0,
);
if (!compose) console.warn('No docker compose here: compose.yaml is not checked');

describe('compose.yaml', () => {
  it.skipIf(!compose)(
    'is a valid Compose file: the edge built here, read-only, started once Postgres is healthy',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'points-compose-'));
      copyFileSync(join(repo, 'compose.yaml'), join(dir, 'compose.yaml'));
      copyFileSync(join(repo, '.env.example'), join(dir, '.env'));
      const [command, ...args] = compose!;
      const { stdout } = await run(command!, [...args, 'config'], { cwd: dir });
      rmSync(dir, { recursive: true, force: true });
      expect(stdout).toMatch(/edge:[\s\S]*read_only: true/);
      expect(stdout).toMatch(/condition: service_healthy/);
      expect(stdout).toContain('DATABASE_URL: postgres://points:points@postgres:5432/points');
      expect(stdout).toMatch(/pg_isready/);
    },
  );
});

/** An HS256 order token for order C-1042, 199.00 SAR (integration guide §5). */
function signOrderToken(secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { order_number: 'C-1042', total_price: '199.00', exp: Math.floor(Date.now() / 1000) + 900 };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const { createHmac } = process.getBuiltinModule('node:crypto');
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
