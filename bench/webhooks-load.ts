import { Agent } from 'node:http';
import type { BenchRow } from './run.ts';
import { edgeEnv, benchSecrets, scratchDir } from './support/env.ts';
import { runLoad, type LoadResult } from './support/load.ts';
import { processCpuMicros } from './support/process-cpu.ts';
import { runPaced } from './support/paced.ts';
import { startNode } from './support/processes.ts';
import { percentile, round } from './support/stats.ts';
import { approvedWebhookBody } from './support/webhook-bodies.ts';

/**
 * Throughput at a heavy fixed concurrency (the target's: both routes saturate the machine) and at a light one
 * (latency-bound: each delivery waits for its fsync, and a commit can only carry the few deliveries in flight).
 */
const targetConnections = 100;
const concurrencies = [targetConnections, 10];
/** Interleaved bare / webhook runs per concurrency: the ratio is the median of the rounds' ratios. */
const throughputRounds = 3;
const seconds = 4;
const targetRate = 500;
const pacedRounds = 3;
const pacedSeconds = 5;
/** About all the webhook runs send on a 2-core machine; beyond it, bodies are made during the run. */
const bodyPool = 200_000;

/**
 * `POST /webhooks/points` (secret check, parse, durable SQLite commit of receipt + job) against `POST /bare`
 * on the same server process: throughput at 10 and at 100 connections (autocannon), and latency at an
 * evenly paced 500 requests/s.
 */
export async function webhooksLoad(): Promise<BenchRow[]> {
  const dir = scratchDir('bench-webhooks');
  const { child, match } = await startNode(
    'bench/support/edge-bench-server.ts',
    [],
    // The admin token opens /metrics, where the SQLite group commits are counted.
    edgeEnv({ dir, extra: { ADMIN_TOKEN: benchSecrets.admin } }),
    /edge bench server: (http\S+)/,
  );
  const base = match[1]!;
  // Distinct deliveries (a repeated one would be stored once and answered as a duplicate), made before
  // the clock starts: generating them during the run cost the load generator, on the same two cores,
  // a third more CPU per request than the bare route's, which slowed the webhook run for the client's sake.
  const bodies = Array.from({ length: bodyPool }, (_, index) => approvedWebhookBody(index));
  let n = 0;
  const nextBody = () => (n < bodyPool ? bodies[n++]! : approvedWebhookBody(n++));
  let bareN = 0;
  // Both routes get the same requests, built the same way; only the path differs.
  const load = (path: string, body: () => string, extra: { connections: number; duration: number }) =>
    measured(child.process.pid!, base, () =>
      runLoad({
        url: `${base}${path}`,
        ...extra,
        requests: [
          {
            method: 'POST',
            path,
            headers: { 'content-type': 'application/json', 'x-webhook-secret': benchSecrets.webhook },
            setupRequest: (request) => ({ ...request, body: body() }),
          },
        ],
      }),
    );
  const webhook = (extra: { connections: number; duration: number }) =>
    load('/webhooks/points', nextBody, extra);
  const bare = (extra: { connections: number; duration: number }) =>
    load('/bare', () => bodies[bareN++ % bodyPool]!, extra);
  try {
    await bare({ connections: 10, duration: 2 });
    await webhook({ connections: 10, duration: 2 });
    const maxRows: BenchRow[] = [];
    for (const connections of concurrencies) {
      // Back to back, round after round: a slow spell of a shared machine then hits both routes of a round,
      // and one bad round does not decide the median.
      const rounds: { bare: MeasuredRun; webhook: MeasuredRun }[] = [];
      for (let round = 0; round < throughputRounds; round++) {
        const bareRun = await bare({ connections, duration: seconds });
        const webhookRun = await webhook({ connections, duration: seconds });
        assertAcknowledged(webhookRun);
        rounds.push({ bare: bareRun, webhook: webhookRun });
      }
      maxRows.push(...throughputRows(connections, rounds));
    }
    // One warm agent, and a second of each pace first, so sockets are open and code is optimised.
    // Then three interleaved rounds: one stall on a shared machine should not decide the p99 alone.
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const paced = { rate: targetRate, agent, headers: { 'content-type': 'application/json' } };
    const pacedBare = (secs: number) =>
      runPaced({ ...paced, seconds: secs, url: `${base}/bare`, body: () => approvedWebhookBody(0) });
    const pacedWebhook = (secs: number) =>
      runPaced({
        ...paced,
        seconds: secs,
        url: `${base}/webhooks/points`,
        headers: { ...paced.headers, 'x-webhook-secret': benchSecrets.webhook },
        body: nextBody,
      });
    await pacedBare(1);
    await pacedWebhook(1);
    const bareRounds: LoadResult[] = [];
    const webhookRounds: LoadResult[] = [];
    for (let round = 0; round < pacedRounds; round++) {
      bareRounds.push(await pacedBare(pacedSeconds));
      webhookRounds.push(await pacedWebhook(pacedSeconds));
    }
    const bareFixed = medianRound(bareRounds);
    const webhookFixed = medianRound(webhookRounds);
    agent.destroy();
    for (const result of webhookRounds) assertAcknowledged(result);
    const fixedNote = `${targetRate} req/s evenly paced (open loop), median of ${pacedRounds} rounds of ${pacedSeconds} s`;
    return [
      ...maxRows,
      row('webhooks: achieved rate at fixed rate', webhookFixed.requestsPerSecond, 'req/s', fixedNote),
      row(
        'webhooks: p50 ack latency at 500 req/s',
        webhookFixed.p50Ms,
        'ms',
        `bare: ${round(bareFixed.p50Ms)} ms`,
      ),
      row(
        'webhooks: p99 ack latency at 500 req/s',
        webhookFixed.p99Ms,
        'ms',
        `rounds: ${webhookRounds.map((r) => round(r.p99Ms, 1)).join(' / ')} ms; bare: ${round(bareFixed.p99Ms)} ms; ` +
          `target ≤ 10 ms: ${webhookFixed.p99Ms <= 10 ? 'met' : 'NOT met'}`,
      ),
    ];
  } finally {
    await child.stop();
  }
}

/** A load run, with the server's CPU time per request (all threads; undefined off Linux) and its SQLite commits. */
interface MeasuredRun extends LoadResult {
  serverCpuMicrosPerRequest: number | undefined;
  /** SQLite group commits during the run, and the time they took in all (statements and fsync). */
  commits: { count: number; seconds: number };
}

async function measured(pid: number, base: string, run: () => Promise<LoadResult>): Promise<MeasuredRun> {
  const [cpuBefore, commitsBefore] = [processCpuMicros(pid), await sqliteCommits(base)];
  const result = await run();
  const [cpuAfter, commitsAfter] = [processCpuMicros(pid), await sqliteCommits(base)];
  const used = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    ...result,
    serverCpuMicrosPerRequest: used === undefined ? undefined : used / result.total,
    commits: {
      count: commitsAfter.count - commitsBefore.count,
      seconds: commitsAfter.seconds - commitsBefore.seconds,
    },
  };
}

/** The server's SQLite group commits so far, from its Prometheus metrics (read between runs, never during). */
async function sqliteCommits(base: string): Promise<{ count: number; seconds: number }> {
  const response = await fetch(`${base}/metrics`, {
    headers: { authorization: `Bearer ${benchSecrets.admin}` },
  });
  const text = await response.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    count: value('points_edge_sqlite_commit_seconds_count'),
    seconds: value('points_edge_sqlite_commit_seconds_sum'),
  };
}

/**
 * Throughput of both routes at one concurrency and their ratio, each the median over the rounds (the ratio
 * of each round, not the ratio of the medians), and the webhook's latency and CPU cost there.
 */
function throughputRows(
  connections: number,
  rounds: { bare: MeasuredRun; webhook: MeasuredRun }[],
): BenchRow[] {
  const median = (values: number[]) => percentile(values, 50);
  const ratios = rounds.map((r) => r.webhook.requestsPerSecond / r.bare.requestsPerSecond);
  const ratio = median(ratios);
  const bare = medianRun(rounds.map((r) => r.bare));
  const webhook = medianRun(rounds.map((r) => r.webhook));
  const at = `${connections} connections`;
  const note = `${at}, median of ${rounds.length} interleaved rounds of ${seconds} s`;
  const perRound = (pick: (run: MeasuredRun) => number) =>
    rounds.map((r) => `${Math.round(pick(r.webhook))}/${Math.round(pick(r.bare))}`).join(', ');
  const targeted = connections === targetConnections;
  return [
    row(`webhooks: bare Hono route, max throughput, ${at}`, bare.requestsPerSecond, 'req/s', note),
    row(`webhooks: POST /webhooks/points, max throughput, ${at}`, webhook.requestsPerSecond, 'req/s', note),
    row(
      `webhooks: throughput ratio webhook / bare, ${at}`,
      ratio,
      'ratio',
      `rounds: ${ratios.map((r) => round(r)).join(' / ')}; ` +
        (targeted
          ? `target ≥ 0.3: ${ratio >= 0.3 ? 'met' : 'NOT met'}`
          : 'not the target: few deliveries in flight, each waits for a commit shared by few (see README)'),
    ),
    row(`webhooks: p50 at max throughput, ${at}`, webhook.p50Ms, 'ms', `bare: ${round(bare.p50Ms)} ms`),
    row(`webhooks: p99 at max throughput, ${at}`, webhook.p99Ms, 'ms', `bare: ${round(bare.p99Ms)} ms`),
    row(
      `webhooks: SQLite group commit, mean, ${at}`,
      (1000 * webhook.commits.seconds) / webhook.commits.count,
      'ms',
      `statements and fsync, all rounds; ${round(webhook.total / webhook.commits.count, 1)} deliveries a commit`,
    ),
    ...(webhook.serverCpuMicrosPerRequest !== undefined && bare.serverCpuMicrosPerRequest !== undefined
      ? [
          row(
            `webhooks: server CPU per request, ${at}`,
            webhook.serverCpuMicrosPerRequest,
            'µs',
            `bare: ${round(bare.serverCpuMicrosPerRequest, 1)} µs; webhook/bare by round: ${perRound((run) => run.serverCpuMicrosPerRequest ?? Number.NaN)} µs; all threads of the server process (/proc)`,
          ),
        ]
      : []),
  ];
}

/** Per-measure medians over measured runs (server CPU included). */
function medianRun(runs: MeasuredRun[]): MeasuredRun {
  const cpu = runs.map((r) => r.serverCpuMicrosPerRequest);
  return {
    ...medianRound(runs),
    serverCpuMicrosPerRequest: cpu.includes(undefined) ? undefined : percentile(cpu as number[], 50),
    commits: sumCommits(runs),
  };
}

/** The commits of several runs together. */
function sumCommits(runs: MeasuredRun[]): { count: number; seconds: number } {
  return {
    count: runs.reduce((sum, r) => sum + r.commits.count, 0),
    seconds: runs.reduce((sum, r) => sum + r.commits.seconds, 0),
  };
}

/** Per-measure medians over rounds (requests per second, p50 and p99 each on their own). */
function medianRound(rounds: LoadResult[]): LoadResult {
  const median = (pick: (result: LoadResult) => number) => percentile(rounds.map(pick), 50);
  return {
    requestsPerSecond: median((r) => r.requestsPerSecond),
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
    total: rounds.reduce((sum, r) => sum + r.total, 0),
    statuses: {},
  };
}

function row(name: string, value: number, unit: string, note: string): BenchRow {
  return { name, value: round(value), unit, note };
}

/** A bench of failing requests would measure the wrong thing: every webhook must have been stored (200). */
function assertAcknowledged(result: LoadResult): void {
  const other = Object.entries(result.statuses).filter(([status]) => status !== '200');
  if (other.length > 0) throw new Error(`webhook bench got non-200 answers: ${JSON.stringify(other)}`);
}
