/**
 * `npm run bench`: reproducible measurements, printed as a table and written to bench/results.json.
 * Each measurement is a small module under bench/ exporting `run(): Promise<BenchRow[]>`.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { widgetSize } from './widget-size.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const rows: BenchRow[] = [...(await widgetSize())];

console.table(rows.map((row) => ({ ...row, note: row.note ?? '' })));
const results = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  rows,
};
await writeFile(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('Wrote bench/results.json');
