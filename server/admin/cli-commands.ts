import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError } from '../config.ts';
import { loadConfig } from '../runtime/node/config.ts';
import { ProblemError } from '../http/problem.ts';
import { createEdge } from '../runtime/node/edge.ts';
import { PAYMENT_METHODS } from '../points/requests.ts';
import { isObject } from '../shared/is-object.ts';
import { openDatabase } from '../runtime/node/store/open-database.ts';
import { pendingMigrations } from '../store/migrations.ts';
import { orderStates, type OrderState } from '../orders/order-state.ts';
import type { ConnectorOrderView } from '../connectors/connector-operations.ts';
import { platformIds } from '../connectors/registry.ts';
import { halalasToSarText, sarToHalalas } from '../money.ts';
import { describeFailure, exitCodes, exitCodesHelp, failureLine, UsageError } from './cli-failure.ts';
import { maxOrderListLimit, type OrderView } from './operations.ts';
import { remoteOperations, type OperationsApi } from './remote-operations.ts';

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
  refund <order> [--amount 25.00] [--reason text]   full refund without --amount; then prints what
                                   Points holds for the order (refunded, remaining, state)
  cancel <order> [--reason text]
  authorize <order> | capture <order>
  complete <order> [--method visa|mada|applePay|mastercard|tabby|dashboard|bankTransfer|wallet|cash|tamara]
  ship <order> --status ready_shipping | --ar "جاهز للشحن" | --en "Ready to ship"
                                   at least one of --status, --ar, --en (any together)
  earn purchase --data '{"order_number":…,"phone_number":…,"total_price":…,"products":[…]}'
  earn store-rating|product-rating --data '{"review_reference":…,"phone_number":…,…}'

Operations:
  webhooks list | register [--url URL] [--name N] | delete <uuid>
  deliveries list | replay <job id>
  reconcile [--full]               repair local orders from Points (progress on stderr)

Store platform connectors (Salla, Zid, Shopify, WooCommerce):
  connectors list [--platform P] [--outcome waiting|earned|pending|skipped|reversed|failed] [--reference R]
                                   connector orders and reviews, latest change first, with their outcome
  connectors show <key>            one of them (key: platform:store:order) with every delivery
  connectors replay <key>          settle it again now (earn or reverse what Points does not hold yet)
  connectors sweep                 read orders a lost delivery left out (WooCommerce with REST keys)

Every command takes --json (one JSON document on stdout: the result, or {"error":{"code","detail",
"errors"}} with the admin API's problem code and the flags at fault) and --server URL (use a running
server's admin API with ADMIN_TOKEN; required while a SQLite server runs, since it holds the database
file). Without --server the command opens DATABASE_URL directly (fine with Postgres, or when no server runs).

${exitCodesHelp}
`;

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

/** What is still paid: the settled (or expected) total less what was refunded, in SAR. */
function remaining(order: OrderView): string {
  const paid = sarToHalalas(order.settledTotal ?? order.expectedTotal) ?? 0;
  return halalasToSarText(Math.max(0, paid - (sarToHalalas(order.refundedTotal) ?? 0)));
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

const connectorOutcomes = ['waiting', 'earned', 'pending', 'skipped', 'reversed', 'failed'] as const;

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((known) => known === value);
  if (!found) throw new UsageError(`${flag} must be one of: ${allowed.join(', ')}`);
  return found;
}

/** `earned 1990 points on 199.00 SAR`, `skipped: no Saudi mobile number on the order`, … */
function connectorOutcomeLine(order: ConnectorOrderView): string {
  if (order.outcome === 'earned')
    return `earned ${order.earnedPoints ?? '?'} points on ${order.earnedTotal} SAR`;
  if (order.outcome === 'reversed') {
    return `reversed ${order.reversedTotal} of ${order.earnedTotal} SAR (${order.earnedPoints ?? '?'} points earned)`;
  }
  return `${order.outcome}${order.reason ? `: ${order.reason}` : ''}`;
}

/** Opens the operations: remote with `--server`, else over the database named by the environment. */
async function openOperations(
  server: string | undefined,
  io: CliIo,
): Promise<{ ops: OperationsApi; close: () => Promise<void>; local: boolean }> {
  if (server) {
    const token = io.env['ADMIN_TOKEN'];
    if (!token) throw new ConfigError(['ADMIN_TOKEN: --server needs it in the environment']);
    return { ops: remoteOperations(server, token, io.fetch), close: async () => {}, local: false };
  }
  const config = loadConfig(io.env);
  const store = await openDatabase(config.databaseUrl);
  try {
    const pending = await pendingMigrations(store);
    if (pending.length > 0)
      throw new ProblemError(
        'storage_unavailable',
        `The database needs migrations (${pending.join(', ')}): run points-edge migrate.`,
      );
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
    if (isObject(value)) return value;
  } catch {
    // reported below
  }
  throw new UsageError('--data must be a JSON object.');
}

const options = {
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
  platform: { type: 'string' },
  outcome: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed command line one command reads its input from. */
interface CommandLine {
  /** The command's positional arguments after its name (and subcommand). */
  args: string[];
  values: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>
  >['values'];
  /** `args[index]`, or a usage error saying what the command needs there. */
  need(index: number, what: string): string;
}

/** What a command's run may use besides the operations. */
interface RunContext {
  io: CliIo;
  /** True when the operations run in this process (progress can be reported as it happens). */
  local: boolean;
  json: boolean;
}

/** One command: read its input (before anything is opened), run it, say what happened. */
interface CommandSpec<Input, Result> {
  parse: (line: CommandLine) => Input;
  run: (ops: OperationsApi, input: Input, context: RunContext) => Promise<Result>;
  format: (result: Result) => string;
  /** 0 unless the result itself is a failure (nothing found, orders that failed). */
  exitCode?: (result: Result) => number;
}

type Outcome = { result: unknown; human: string; code: number };
type Command = (line: CommandLine) => (ops: OperationsApi, context: RunContext) => Promise<Outcome>;

function command<Input, Result>(spec: CommandSpec<Input, Result>): Command {
  return (line) => {
    const input = spec.parse(line);
    return async (ops, context) => {
      const result = await spec.run(ops, input, context);
      return { result, human: spec.format(result), code: spec.exitCode?.(result) ?? 0 };
    };
  };
}

/** An order-changing command: its name, then the order's new Points status and our copy. */
function change<Input>(
  name: string,
  parse: (line: CommandLine) => Input,
  run: (
    ops: OperationsApi,
    orderNumber: string,
    input: Input,
  ) => Promise<{ pointsStatus: string; order: OrderView }>,
): Command {
  return command({
    parse: (line) => ({ orderNumber: line.need(0, 'an order number'), input: parse(line) }),
    run: (ops, { orderNumber, input }) => run(ops, orderNumber, input),
    format: (result) => `${name}: done. Points now says ${result.pointsStatus}.\n${orderLines(result.order)}`,
  });
}

const noInput = (): undefined => undefined;

function listLines<Item>(items: Item[], none: string, line: (item: Item) => string): string {
  return items.length === 0 ? none : items.map(line).join('\n');
}

/** Every operations command by its name, or its name and subcommand (`webhooks list`). */
const commands: Record<string, Command> = {
  get: command({
    parse: (line) => ({ orderNumber: line.need(0, 'an order number'), live: line.values.live ?? false }),
    run: (ops, { orderNumber, live }) => ops.getOrder(orderNumber, { live }),
    format: (result) => orderLines(result.order),
  }),
  adopt: command({
    parse: (line) => line.need(0, 'the Points uuid of the order'),
    run: (ops, uuid) => ops.adopt(uuid),
    format: (result) => orderLines(result.order),
  }),
  find: command({
    parse: ({ values }) => ({
      ...(values.order ? { orderNumber: values.order } : {}),
      ...(values.reference ? { referenceNumber: values.reference } : {}),
      ...(values.state !== undefined ? { state: orderStateOption(values.state) } : {}),
      ...(values.limit !== undefined ? { limit: limitOption(values.limit) } : {}),
    }),
    run: (ops, filter) => ops.findOrders(filter),
    format: (found) =>
      listLines(
        found,
        'No matching order.',
        (order) =>
          `${order.orderNumber}  ${order.state}  ${order.expectedTotal} SAR  ref ${order.referenceNumber ?? '—'}`,
      ),
    exitCode: (found) => (found.length === 0 ? 1 : 0),
  }),
  refund: command({
    parse: (line) => ({
      orderNumber: line.need(0, 'an order number'),
      ...(line.values.amount ? { amount: line.values.amount } : {}),
      ...(line.values.reason ? { reason: line.values.reason } : {}),
    }),
    run: async (ops, { orderNumber, ...input }) => {
      const { pointsStatus } = await ops.refund(orderNumber, input);
      // Read the order again: the refund's own answer may predate the refund's total.
      const { order } = await ops.getOrder(orderNumber);
      return { pointsStatus, order, remainingTotal: remaining(order) };
    },
    format: ({ pointsStatus, order, remainingTotal }) =>
      `refund: done. Points now holds for ${order.orderNumber}: ${order.refundedTotal} SAR refunded, ${remainingTotal} SAR remaining, ${pointsStatus}.\n${orderLines(order)}`,
  }),
  cancel: change(
    'cancel',
    ({ values }) => (values.reason ? { reason: values.reason } : {}),
    (ops, orderNumber, input) => ops.cancel(orderNumber, input),
  ),
  authorize: change('authorize', noInput, (ops, orderNumber) => ops.authorize(orderNumber)),
  capture: change('capture', noInput, (ops, orderNumber) => ops.capture(orderNumber)),
  complete: change(
    'complete',
    ({ values }) => {
      const method = paymentMethod(values.method);
      return method ? { paymentMethod: method } : {};
    },
    (ops, orderNumber, input) => ops.complete(orderNumber, input),
  ),
  ship: change(
    'ship',
    ({ values }) => {
      if (!values.status && !values.ar && !values.en) {
        throw new UsageError(
          'ship needs at least one of --status (e.g. ready_shipping), --ar or --en (the status name shown to the customer).',
        );
      }
      return {
        ...(values.status ? { status: values.status } : {}),
        ...(values.ar ? { nameAr: values.ar } : {}),
        ...(values.en ? { nameEn: values.en } : {}),
      };
    },
    (ops, orderNumber, input) => ops.ship(orderNumber, input),
  ),
  earn: command({
    parse: (line) => {
      const kind =
        earnKinds[line.need(0, 'purchase, store-rating or product-rating') as keyof typeof earnKinds];
      if (!kind) throw new UsageError('earn needs purchase, store-rating or product-rating.');
      return { kind, data: parseData(line.values.data) };
    },
    run: (ops, { kind, data }) => ops.earn(kind, data),
    format: (outcome) => {
      const what =
        outcome.state === 'pending_activation'
          ? `pending: the customer has not activated Points yet (pending id ${outcome.pendingId})`
          : `${outcome.state}, ${outcome.totalPoints ?? 0} points (Points order ${outcome.pointsUuid ?? '—'})`;
      return `${outcome.reference}: ${what}${outcome.replayed ? ' [already done earlier; Points not called again]' : ''}`;
    },
  }),
  'webhooks list': command({
    parse: noInput,
    run: (ops) => ops.listWebhooks(),
    format: (hooks) =>
      listLines(
        hooks,
        'No webhook registered with Points.',
        (hook) => `${hook.uuid}  ${hook.url}  ${hook.name}${hook.ours ? '  (this server)' : ''}`,
      ),
  }),
  'webhooks register': command({
    parse: ({ values }) => ({
      ...(values.url ? { url: values.url } : {}),
      ...(values.name ? { name: values.name } : {}),
    }),
    run: (ops, input) => ops.registerWebhook(input),
    format: (hook) =>
      `Registered ${hook.url} (${hook.uuid}). Points sends deliveries with the secret shown in its dashboard (the local sandbox lists it at /sandbox); set it as POINTS_WEBHOOK_SECRET.`,
  }),
  'webhooks delete': command({
    parse: (line) => line.need(0, 'a webhook uuid'),
    run: async (ops, uuid) => {
      await ops.deleteWebhook(uuid);
      return { deleted: uuid };
    },
    format: ({ deleted }) => `Deleted webhook ${deleted}.`,
  }),
  'deliveries list': command({
    parse: noInput,
    run: (ops) => ops.listDeliveries(),
    format: (dead) =>
      listLines(
        dead,
        'No dead-lettered deliveries.',
        (job) => `${job.id}  ${job.kind}  ${job.attempts} attempts  ${job.updatedAt}  ${job.lastError ?? ''}`,
      ),
  }),
  'deliveries replay': command({
    parse: (line) => line.need(0, 'a job id'),
    run: async (ops, id) => {
      await ops.replayDelivery(id);
      return { replayed: id };
    },
    format: ({ replayed }) => `Queued ${replayed} again.`,
  }),
  'connectors list': command({
    parse: ({ values }) => ({
      ...(values.platform ? { platform: oneOf(values.platform, platformIds, '--platform') } : {}),
      ...(values.outcome ? { outcome: oneOf(values.outcome, connectorOutcomes, '--outcome') } : {}),
      ...(values.reference ? { reference: values.reference } : {}),
      ...(values.limit ? { limit: limitOption(values.limit) } : {}),
    }),
    run: (ops, query) => ops.listConnectorOrders(query),
    format: (orders) =>
      listLines(
        orders,
        'No connector orders match.',
        (order) => `${order.key}  ${connectorOutcomeLine(order)}`,
      ),
  }),
  'connectors show': command({
    parse: (line) => line.need(0, 'a connector order key (platform:store:order)'),
    run: (ops, key) => ops.getConnectorOrder(key),
    format: ({ order, deliveries }) =>
      [
        `${order.key}  ${connectorOutcomeLine(order)}`,
        `reference     ${order.reference ?? '—'}`,
        `Points uuid   ${order.pointsUuid ?? '—'}`,
        `updated       ${order.updatedAt}`,
        'deliveries:',
        ...deliveries.map(
          (delivery) =>
            `  ${delivery.receivedAt}  ${delivery.event}  ${delivery.status}${delivery.error ? `  ${delivery.error}` : ''}`,
        ),
      ].join('\n'),
  }),
  'connectors replay': command({
    parse: (line) => line.need(0, 'a connector order key (platform:store:order)'),
    run: (ops, key) => ops.replayConnectorOrder(key),
    format: (order) => `${order.key}  ${connectorOutcomeLine(order)}`,
    exitCode: (order) => (order.outcome === 'failed' ? 1 : 0),
  }),
  'connectors sweep': command({
    parse: noInput,
    run: (ops) => ops.sweepConnectors(),
    format: (reports) =>
      listLines(
        reports,
        'No connector can be swept (only WooCommerce with REST keys).',
        (report) =>
          `${report.platform}: ${report.read} read, ${report.stored} new${report.error ? `; failed: ${report.error}` : ''}`,
      ),
    exitCode: (reports) => (reports.some((report) => report.error) ? 1 : 0),
  }),
  reconcile: command({
    parse: ({ values }) => values.full ?? false,
    run: (ops, full, { io, local, json }) =>
      ops.reconcile({
        full,
        ...(local && !json
          ? {
              onProgress: (done: number, total: number) => {
                if (done % 25 === 0 || done === total) io.err(`reconciling ${done}/${total}`);
              },
            }
          : {}),
      }),
    format: (report) =>
      `Reconciled (${report.mode}): ${report.checked} checked, ${report.drift} repaired, ${report.abandoned} abandoned, ${report.failed} failed.`,
    exitCode: (report) => (report.failed > 0 ? 1 : 0),
  }),
};

/** What a command with subcommands says when none of them is named. */
const subcommandUsage: Record<string, string> = {
  connectors: 'connectors needs list, show, replay or sweep.',
  webhooks: 'webhooks needs list, register or delete.',
  deliveries: 'deliveries needs list or replay.',
};

/** The first word of every operations command (for `points-edge`'s dispatch). */
export const operationCommandNames: ReadonlySet<string> = new Set(
  Object.keys(commands).map((name) => name.split(' ')[0]!),
);

/** The command `positionals` name and the arguments after its name; undefined for an unknown command. */
function findCommand(positionals: string[]): { found: Command; args: string[] } | undefined {
  const [name, sub, ...rest] = positionals;
  const nested = commands[`${name} ${sub}`];
  if (nested) return { found: nested, args: rest };
  if (name && subcommandUsage[name]) throw new UsageError(subcommandUsage[name]);
  const found = name === undefined ? undefined : commands[name];
  return found && { found, args: positionals.slice(1) };
}

/**
 * Runs one operations command of `points-edge` and returns its exit code ({@link exitCodes}): 0 done, 1 the
 * operation failed, 2 bad usage, 78 bad configuration. Human output by default, `--json` for scripts: one
 * JSON document on stdout, the result or `{ error: { code, detail, errors } }`.
 *
 * @example
 * process.exitCode = await runOperationsCommand(process.argv.slice(2), { env: process.env, out: console.log, err: console.error });
 */
export async function runOperationsCommand(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  let name = argv[0] ?? '';
  let opened: Awaited<ReturnType<typeof openOperations>> | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options });
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (points-edge --help lists the flags)`);
    }
    const { values, positionals } = parsed;
    name = positionals[0] ?? name;
    if (values.help) {
      io.out(operationsUsage);
      return exitCodes.ok;
    }
    const match = findCommand(positionals);
    if (!match) throw new UsageError('unknown command (points-edge --help lists them)');
    const { found, args } = match;
    const need = (index: number, what: string): string => {
      const value = args[index];
      if (!value) throw new UsageError(`${name} needs ${what}.`);
      return value;
    };
    const run = found({ args, values, need });
    opened = await openOperations(values.server, io);
    const outcome = await run(opened.ops, { io, local: opened.local, json });
    io.out(json ? JSON.stringify(outcome.result, null, 2) : outcome.human);
    return outcome.code;
  } catch (error) {
    const failure = describeFailure(error);
    if (json) {
      const { exitCode: _exitCode, ...document } = failure;
      io.out(JSON.stringify({ error: document }, null, 2));
    }
    io.err(`points-edge ${name}: ${failureLine(failure)}`);
    return failure.exitCode;
  } finally {
    await opened?.close();
  }
}
