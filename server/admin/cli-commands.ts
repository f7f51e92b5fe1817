import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig, ConfigError } from '../config.ts';
import { createEdge } from '../edge.ts';
import { PAYMENT_METHODS } from '../points/requests.ts';
import { PointsError, PointsInputError } from '../points/errors.ts';
import { DatabaseLockedError, openDatabase } from '../store/db.ts';
import { pendingMigrations } from '../store/migrations.ts';
import { orderStates } from '../orders/order-state.ts';
import type { OrderState } from '../store/schema.ts';
import { maxOrderListLimit, OperationError, type OrderView } from './operations.ts';
import { remoteOperations, RemoteError, type OperationsApi } from './remote-operations.ts';

/** Where the CLI writes, and what it reads; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Transport for `--server` (tests route it to an in-process app). */
  fetch?: typeof fetch;
}

export const operationsUsage = `Order operations (support):
  get <order>                      our copy of an order (--live: read it from Points first)
  find [--order <n>] [--reference <r>] [--state <s>] [--limit <n>]
                                   orders matching all filters, latest change first; none: the latest 50
  adopt <Points uuid>              bring in an order Points has under our keys but this server has not
                                   (e.g. created after the backup a restore came from)
  refund <order> [--amount 25.00] [--reason text]   full refund without --amount
  cancel <order> [--reason text]
  authorize <order> | capture <order>
  complete <order> [--method visa|mada|applePay|mastercard|tabby|dashboard|bankTransfer|wallet|cash|tamara]
  ship <order> [--status ready_shipping] [--ar "جاهز للشحن"] [--en "Ready to ship"]
  earn purchase --data '{"order_number":…,"phone_number":…,"total_price":…,"products":[…]}'
  earn store-rating|product-rating --data '{"review_reference":…,"phone_number":…,…}'

Operations:
  webhooks list | register [--url URL] [--name N] | delete <uuid>
  deliveries list | replay <job id>
  reconcile [--full]               repair local orders from Points (progress on stderr)

Every command takes --json (machine output) and --server URL (use a running server's admin API with
ADMIN_TOKEN; required while a SQLite server runs, since it holds the database file). Without --server the
command opens DATABASE_URL directly (fine with Postgres, or when no server runs).
`;

class UsageError extends Error {}

function orderStateOption(value: string): OrderState {
  const state = orderStates.find((known) => known === value);
  if (!state) throw new UsageError(`--state must be one of: ${orderStates.join(', ')}`);
  return state;
}

function limitOption(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > maxOrderListLimit) {
    throw new UsageError(`--limit must be a whole number from 1 to ${maxOrderListLimit}`);
  }
  return limit;
}

const earnKinds = {
  purchase: 'purchase',
  'store-rating': 'store_rating',
  'product-rating': 'product_rating',
} as const;

function paymentMethod(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return value;
  const code = (PAYMENT_METHODS as Record<string, string>)[value];
  if (!code) throw new UsageError(`Unknown payment method ${value}.`);
  return code;
}

function orderLines(order: OrderView): string {
  const rows: Array<[string, string | number | null]> = [
    ['order', order.orderNumber],
    ['type', order.type],
    ['state', order.state],
    ['Points status', order.pointsStatus],
    ['Points uuid', order.pointsUuid],
    ['reference', order.referenceNumber],
    ['expected', `${order.expectedTotal} SAR`],
    ['settled', order.settledTotal === null ? null : `${order.settledTotal} SAR`],
    ['refunded', `${order.refundedTotal} SAR`],
    ['points', order.totalPoints],
    ['adopted', order.adopted ? "yes (made from Points' record)" : 'no'],
    ['shipping', order.shippingStatus],
    ['updated', order.updatedAt],
  ];
  return rows.map(([label, value]) => `${label.padEnd(14)}${value ?? '—'}`).join('\n');
}

/** Opens the operations: remote with `--server`, else over the database named by the environment. */
async function openOperations(
  server: string | undefined,
  io: CliIo,
): Promise<{ ops: OperationsApi; close: () => Promise<void>; local: boolean }> {
  if (server) {
    const token = io.env['ADMIN_TOKEN'];
    if (!token) throw new UsageError('--server needs ADMIN_TOKEN in the environment.');
    return { ops: remoteOperations(server, token, io.fetch), close: async () => {}, local: false };
  }
  const config = loadConfig(io.env);
  const store = await openDatabase(config.databaseUrl);
  try {
    const pending = await pendingMigrations(store);
    if (pending.length > 0)
      throw new UsageError(`The database needs migrations (${pending.join(', ')}): run points-edge migrate.`);
    const edge = await createEdge({ config, store, logger: pino({ level: 'silent' }) });
    return {
      ops: edge.operations,
      local: true,
      close: async () => {
        await edge.worker.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function parseData(text: string | undefined): Record<string, unknown> {
  if (!text) throw new UsageError('earn needs --data with the request as JSON.');
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError('--data must be a JSON object.');
}

/**
 * Runs one operations command of `points-edge` and returns its exit code: 0 done, 1 the operation failed,
 * 64 bad usage, 78 bad configuration. Human output by default, `--json` for scripts.
 *
 * @example
 * process.exitCode = await runOperationsCommand(process.argv.slice(2), { env: process.env, out: console.log, err: console.error });
 */
export async function runOperationsCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        server: { type: 'string' },
        live: { type: 'boolean' },
        full: { type: 'boolean' },
        order: { type: 'string' },
        reference: { type: 'string' },
        state: { type: 'string' },
        limit: { type: 'string' },
        amount: { type: 'string' },
        reason: { type: 'string' },
        method: { type: 'string' },
        status: { type: 'string' },
        ar: { type: 'string' },
        en: { type: 'string' },
        data: { type: 'string' },
        url: { type: 'string' },
        name: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${operationsUsage}`);
    return 64;
  }
  const { values, positionals } = parsed;
  const [command, first, second] = positionals;
  const print = (json: unknown, human: string) => io.out(values.json ? JSON.stringify(json, null, 2) : human);
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new UsageError(`${command} needs ${what}.`);
    return value;
  };

  let opened: Awaited<ReturnType<typeof openOperations>> | undefined;
  try {
    opened = await openOperations(values.server, io);
    const { ops } = opened;
    switch (command) {
      case 'get': {
        const result = await ops.getOrder(need(first, 'an order number'), { live: values.live ?? false });
        print(result, orderLines(result.order));
        return 0;
      }
      case 'adopt': {
        const result = await ops.adopt(need(first, 'the Points uuid of the order'));
        print(result, orderLines(result.order));
        return 0;
      }
      case 'find': {
        const found = await ops.findOrders({
          ...(values.order ? { orderNumber: values.order } : {}),
          ...(values.reference ? { referenceNumber: values.reference } : {}),
          ...(values.state !== undefined ? { state: orderStateOption(values.state) } : {}),
          ...(values.limit !== undefined ? { limit: limitOption(values.limit) } : {}),
        });
        print(
          found,
          found.length === 0
            ? 'No matching order.'
            : found
                .map(
                  (order) =>
                    `${order.orderNumber}  ${order.state}  ${order.expectedTotal} SAR  ref ${order.referenceNumber ?? '—'}`,
                )
                .join('\n'),
        );
        return found.length === 0 ? 1 : 0;
      }
      case 'refund':
      case 'cancel':
      case 'authorize':
      case 'capture':
      case 'complete':
      case 'ship': {
        const orderNumber = need(first, 'an order number');
        const method = paymentMethod(values.method);
        const result =
          command === 'refund'
            ? await ops.refund(orderNumber, {
                ...(values.amount ? { amount: values.amount } : {}),
                ...(values.reason ? { reason: values.reason } : {}),
              })
            : command === 'cancel'
              ? await ops.cancel(orderNumber, values.reason ? { reason: values.reason } : {})
              : command === 'authorize'
                ? await ops.authorize(orderNumber)
                : command === 'capture'
                  ? await ops.capture(orderNumber)
                  : command === 'complete'
                    ? await ops.complete(orderNumber, method ? { paymentMethod: method } : {})
                    : await ops.ship(orderNumber, {
                        ...(values.status ? { status: values.status } : {}),
                        ...(values.ar ? { nameAr: values.ar } : {}),
                        ...(values.en ? { nameEn: values.en } : {}),
                      });
        print(
          result,
          `${command}: done. Points now says ${result.pointsStatus}.\n${orderLines(result.order)}`,
        );
        return 0;
      }
      case 'earn': {
        const kind =
          earnKinds[need(first, 'purchase, store-rating or product-rating') as keyof typeof earnKinds];
        if (!kind) throw new UsageError('earn needs purchase, store-rating or product-rating.');
        const outcome = await ops.earn(kind, parseData(values.data));
        const what =
          outcome.state === 'pending_activation'
            ? `pending: the customer has not activated Points yet (pending id ${outcome.pendingId})`
            : `${outcome.state}, ${outcome.totalPoints ?? 0} points (Points order ${outcome.pointsUuid ?? '—'})`;
        print(
          outcome,
          `${outcome.reference}: ${what}${outcome.replayed ? ' [already done earlier; Points not called again]' : ''}`,
        );
        return 0;
      }
      case 'webhooks': {
        if (first === 'list') {
          const hooks = await ops.listWebhooks();
          print(
            hooks,
            hooks.length === 0
              ? 'No webhook registered with Points.'
              : hooks
                  .map(
                    (hook) => `${hook.uuid}  ${hook.url}  ${hook.name}${hook.ours ? '  (this server)' : ''}`,
                  )
                  .join('\n'),
          );
          return 0;
        }
        if (first === 'register') {
          const hook = await ops.registerWebhook({
            ...(values.url ? { url: values.url } : {}),
            ...(values.name ? { name: values.name } : {}),
          });
          print(
            hook,
            `Registered ${hook.url} (${hook.uuid}). Points sends deliveries with the secret shown in its dashboard (the local sandbox lists it at /sandbox); set it as POINTS_WEBHOOK_SECRET.`,
          );
          return 0;
        }
        if (first === 'delete') {
          const uuid = need(second, 'a webhook uuid');
          await ops.deleteWebhook(uuid);
          print({ deleted: uuid }, `Deleted webhook ${uuid}.`);
          return 0;
        }
        throw new UsageError('webhooks needs list, register or delete.');
      }
      case 'deliveries': {
        if (first === 'list') {
          const dead = await ops.listDeliveries();
          print(
            dead,
            dead.length === 0
              ? 'No dead-lettered deliveries.'
              : dead
                  .map(
                    (job) =>
                      `${job.id}  ${job.kind}  ${job.attempts} attempts  ${job.updatedAt}  ${job.lastError ?? ''}`,
                  )
                  .join('\n'),
          );
          return 0;
        }
        if (first === 'replay') {
          const id = need(second, 'a job id');
          await ops.replayDelivery(id);
          print({ replayed: id }, `Queued ${id} again.`);
          return 0;
        }
        throw new UsageError('deliveries needs list or replay.');
      }
      case 'reconcile': {
        const report = await ops.reconcile({
          full: values.full ?? false,
          ...(opened.local && !values.json
            ? {
                onProgress: (done: number, total: number) => {
                  if (done % 25 === 0 || done === total) io.err(`reconciling ${done}/${total}`);
                },
              }
            : {}),
        });
        print(
          report,
          `Reconciled (${report.mode}): ${report.checked} checked, ${report.drift} repaired, ${report.abandoned} abandoned, ${report.failed} failed.`,
        );
        return report.failed > 0 ? 1 : 0;
      }
      default:
        io.err(operationsUsage);
        return 64;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`points-edge ${command}: ${error.message}`);
      return 64;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 78;
    }
    if (error instanceof DatabaseLockedError) {
      io.err(
        `points-edge ${command}: ${error.message} While a SQLite server runs, use --server <its URL> with ADMIN_TOKEN.`,
      );
      return 1;
    }
    const known =
      error instanceof OperationError || error instanceof RemoteError || error instanceof PointsError;
    const fields =
      error instanceof PointsInputError
        ? ` (${Object.entries(error.fieldErrors)
            .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
            .join(', ')})`
        : '';
    const message = known
      ? `${(error as Error).message}${fields}`
      : `unexpected error: ${(error as Error).message}`;
    if (values.json) io.out(JSON.stringify({ error: message }));
    io.err(`points-edge ${command}: ${message}`);
    return 1;
  } finally {
    await opened?.close();
  }
}
