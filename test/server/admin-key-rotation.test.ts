import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/observability/logger.ts';
import { startEdge, type RunningEdge } from '../../server/runtime/node/serve.ts';
import { createHarness, type Harness } from './edge-harness.ts';
import { api, signIn } from '../console/console-client.ts';

let harness: Harness | undefined;
let running: RunningEdge | undefined;
afterEach(async () => {
  await harness?.close();
  await running?.stop();
  harness = running = undefined;
});

describe('key rotation without downtime', () => {
  it('SIGHUP re-reads POINTS_PRIVATE_KEY_FILE and later Points calls use the new key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-rotate-'));
    const keyFile = join(dir, 'private-key');
    writeFileSync(keyFile, 'test_private_key_before_rotation\n');
    const sentKeys: string[] = [];
    running = await startEdge({
      env: {
        POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY_FILE: keyFile,
        POINTS_WEBHOOK_SECRET: 'test_webhook_secret_rotation',
        DATABASE_URL: `sqlite:${join(dir, 'points.db')}`,
        PORT: '0',
      },
      logger: pino({ level: 'silent' }),
      pointsFetch: async (_input, init) => {
        sentKeys.push(new Headers(init?.headers).get('x-api-key') ?? '');
        return Response.json({
          status: true,
          message: null,
          data: [],
          meta: { current_page: 1, last_page: 1, per_page: 50, total: 0 },
        });
      },
    });
    await running.edge.operations.listWebhooks();
    writeFileSync(keyFile, 'test_private_key_after_rotation\n');
    process.emit('SIGHUP');
    await running.edge.operations.listWebhooks();
    expect(sentKeys).toEqual(['test_private_key_before_rotation', 'test_private_key_after_rotation']);
  });

  it("SIGHUP re-reads CONSOLE_OPERATORS_FILE: a rotated operator's console sessions end, the others' go on", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-rotate-'));
    const operatorsFile = join(dir, 'console-operators');
    const sara = 'test-token-sara-manager-0000000000000';
    const omar = 'test-token-omar-viewer-00000000000000';
    const omarRotated = 'test-token-omar-rotated-000000000000';
    writeFileSync(operatorsFile, `sara:manager:${sara}\nomar:viewer:${omar}\n`);
    running = await startEdge({
      env: {
        POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
        POINTS_PUBLIC_KEY: 'test_public_key',
        POINTS_PRIVATE_KEY: 'test_private_key_rotation',
        POINTS_WEBHOOK_SECRET: 'test_webhook_secret_rotation',
        CONSOLE_OPERATORS_FILE: operatorsFile,
        DATABASE_URL: `sqlite:${join(dir, 'points.db')}`,
        PORT: '0',
      },
      logger: pino({ level: 'silent' }),
    });
    // The console helpers need only the app.
    const edge = { edge: running.edge } as Harness;
    const saraSession = await signIn(edge, sara);
    const omarSession = await signIn(edge, omar);
    expect((await api(edge, omarSession, '/overview')).status).toBe(200);
    writeFileSync(operatorsFile, `sara:manager:${sara}\nomar:viewer:${omarRotated}\n`);
    process.emit('SIGHUP');
    expect((await api(edge, omarSession, '/overview')).status).toBe(401);
    expect((await api(edge, saraSession, '/overview')).status).toBe(200);
    expect((await api(edge, await signIn(edge, omarRotated), '/overview')).status).toBe(200);
  });

  it('a reloaded private key reaches every Points client: the earning lane has one of its own', async () => {
    const sent: string[] = [];
    harness = await createHarness('sqlite', {
      pointsFetch: async (input, init) => {
        sent.push(`${new URL(input).pathname} ${new Headers(init.headers).get('x-api-key')}`);
        return harness!.sandbox.app.fetch(new Request(input, init));
      },
    });
    const config = harness.edge.context.config;
    const before = config.points.privateKey;
    const rotated = 'test-private-key-rotated-000000000000';
    expect(
      harness.edge.reloadSecrets({ ...config, points: { ...config.points, privateKey: rotated } }),
    ).toEqual(['POINTS_PRIVATE_KEY']);
    await harness.edge.earning
      .earn('store_rating', { phone_number: '512345678', review_reference: 'review-rotated' })
      .catch(() => undefined);
    await harness.edge.operations.listWebhooks().catch(() => undefined);
    expect(sent).toEqual([`/api/v1/orders/earning/store-rating ${rotated}`, `/api/v1/webhooks ${rotated}`]);
    expect(sent.join('\n')).not.toContain(before);
  });

  it('a rotated webhook secret is accepted at once, and the previous one keeps working during the change', async () => {
    harness = await createHarness('sqlite');
    const post = (secret: string) =>
      harness!.edge.app.request('/webhooks/points', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
        body: JSON.stringify({ event: 'balance.updated', merchant: {} }),
      });
    const config = harness.edge.context.config;
    const next = {
      ...config,
      webhookSecrets: ['test-webhook-secret-next-00000000000000', config.webhookSecrets[0]!],
    };
    expect(harness.edge.reloadSecrets(next)).toEqual(['POINTS_WEBHOOK_SECRET']);
    expect((await post('test-webhook-secret-next-00000000000000')).status).not.toBe(401);
    expect((await post(config.webhookSecrets[1]!)).status).not.toBe(401);
    expect((await post('test-webhook-secret-unknown-0000000000')).status).toBe(401);
  });

  it('a secret read on reload is scrubbed from log lines like the ones read at start', async () => {
    const lines: string[] = [];
    harness = await createHarness('sqlite', {
      logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }),
    });
    const config = harness.edge.context.config;
    const rotated = 'test-private-key-rotated-000000000000';
    harness.edge.reloadSecrets({
      ...config,
      points: { ...config.points, privateKey: rotated },
      webhookSecrets: ['test-webhook-secret-rotated-0000000000'],
      consoleOperators: [{ name: 'omar', role: 'viewer', token: 'test-token-omar-rotated-000000000000' }],
    });
    harness.edge.context.logger.warn({
      detail: `key ${rotated} secret test-webhook-secret-rotated-0000000000 token test-token-omar-rotated-000000000000`,
    });
    const line = lines.at(-1)!;
    expect(line).not.toContain(rotated);
    expect(line).not.toContain('test-webhook-secret-rotated');
    expect(line).not.toContain('test-token-omar-rotated');
    expect(line).toContain('key [secret] secret [secret] token [secret]');
  });
});
