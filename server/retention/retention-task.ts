import type { Config } from '../config.ts';
import type { Logger } from '../observability/log-line.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Store } from '../store/db.ts';
import { sweepRetention, type RetentionReport } from './retention-sweep.ts';

/** How often the `retention` schedule runs: a run removes a bounded batch, so a backlog takes several. */
export const retentionEveryMs = 15 * 60_000;

/**
 * The `retention` schedule's run: one {@link sweepRetention} with the configured periods, a log line of
 * what it removed (counts only) and the counts to the metrics.
 *
 * @example
 * { name: 'retention', everyMs: retentionEveryMs, run: () => runRetention({ store, config, logger, metrics, now }) }
 */
export async function runRetention(parts: {
  store: Store;
  config: Pick<Config, 'retention'>;
  logger: Logger;
  metrics: Pick<Metrics, 'retentionRemoved'>;
  now: () => number;
}): Promise<RetentionReport> {
  const report = await sweepRetention({ store: parts.store, now: parts.now(), ...parts.config.retention });
  for (const [table, rows] of Object.entries(report.removed)) {
    if (rows > 0) parts.metrics.retentionRemoved(table, rows);
  }
  parts.logger.info(
    { removed: report.removed, statements: report.statements, unfinished: report.unfinished },
    'retention sweep',
  );
  return report;
}
