import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { BenchRow } from './run.ts';
import { scratchDir } from './support/env.ts';
import { percentile, round } from './support/stats.ts';

const commits = 500;

/**
 * The floor under every durable webhook acknowledgement: one small insert committed on its own in a
 * SQLite file with the edge's settings (WAL, synchronous=FULL), so each commit waits for an fsync.
 * Measured with node:sqlite directly, no server, to show how much of the webhook latency is the disk.
 */
export async function sqliteCommit(): Promise<BenchRow[]> {
  const database = new DatabaseSync(join(scratchDir('bench-sqlite'), 'commit.db'));
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA synchronous = FULL');
  database.exec('CREATE TABLE receipts (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = database.prepare('INSERT INTO receipts (body) VALUES (?)');
  const body = 'x'.repeat(800);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < commits; i++) {
    const before = performance.now();
    database.exec('BEGIN');
    insert.run(body);
    database.exec('COMMIT');
    times.push(performance.now() - before);
  }
  const perSecond = commits / ((performance.now() - started) / 1000);
  database.close();
  const note = `${commits} single-insert transactions, WAL + synchronous=FULL, this machine's disk`;
  return [
    { name: 'sqlite: durable commit, p50', value: round(percentile(times, 50), 3), unit: 'ms', note },
    { name: 'sqlite: durable commit, p99', value: round(percentile(times, 99), 3), unit: 'ms', note },
    { name: 'sqlite: durable commits per second, serial', value: round(perSecond), unit: 'commits/s', note },
  ];
}
