import autocannon, { type AutocannonOptions } from 'autocannon';
import { once } from 'node:events';
import { percentile } from './stats.ts';

/** What one autocannon run measured, with latencies kept per request (autocannon's own histogram is whole ms). */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** Responses by status code; 0 counts connection errors and timeouts. */
  statuses: Record<number, number>;
}

/**
 * Runs autocannon in this process and returns throughput and exact latency percentiles.
 *
 * @example
 * const result = await runLoad({ url: `${base}/bare`, method: 'POST', connections: 10, duration: 5 });
 */
export async function runLoad(options: AutocannonOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const instance = autocannon(options);
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  instance.on('reqError', () => (statuses[0] = (statuses[0] ?? 0) + 1));
  const started = performance.now();
  await once(instance, 'done');
  const seconds = (performance.now() - started) / 1000;
  return loadResult(latencies, seconds, statuses);
}

/** Throughput and latency percentiles of one run, from each request's latency in ms. */
export function loadResult(
  latencies: readonly number[],
  seconds: number,
  statuses: Record<number, number>,
): LoadResult {
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
    statuses,
  };
}
