import { Agent, request } from 'node:http';
import { loadResult, type LoadResult } from './load.ts';

/**
 * An open-loop load at an even pace: request i starts at i / rate seconds, whether or not earlier ones
 * have answered, and its latency is measured from that start. (autocannon's `overallRate` gives each
 * connection a per-second budget that it spends at once, so its "500 req/s" arrives in bursts.)
 *
 * @example
 * const result = await runPaced({ url: `${base}/bare`, rate: 500, seconds: 5, body: () => '{}' });
 */
export async function runPaced(options: {
  url: string;
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  body: () => string;
  /** Headers that depend on the body (a signature over it), added to `headers`. */
  headersFor?: (body: string) => Record<string, string>;
  /** Reuse warm keep-alive sockets from an earlier run. */
  agent?: Agent;
}): Promise<LoadResult> {
  const agent = options.agent ?? new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const pending: Array<Promise<void>> = [];
  const started = performance.now();

  function send(): Promise<void> {
    const body = options.body();
    const sentAt = performance.now();
    return new Promise((done) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            ...options.headers,
            ...options.headersFor?.(body),
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - sentAt);
            statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1;
            done();
          });
        },
      );
      req.on('error', () => {
        statuses[0] = (statuses[0] ?? 0) + 1;
        done();
      });
      req.end(body);
    });
  }

  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
    while (sent < due) {
      pending.push(send());
      sent++;
    }
    await new Promise((tick) => setTimeout(tick, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  if (!options.agent) agent.destroy();
  return loadResult(latencies, seconds, statuses);
}
