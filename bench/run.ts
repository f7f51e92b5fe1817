/**
 * `npm run bench`: reproducible measurements, printed as a table and written to bench/results.json.
 * Each measurement is a small module under bench/ exporting an async function returning `BenchRow[]`.
 * `npm run bench -- pageBytes widgetSize` runs only those (by function name) and prints them, writing nothing.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { checkoutOverhead } from './checkout-overhead.ts';
import { connectorsLoad } from './connectors.ts';
import { pageBytes } from './page-bytes.ts';
import { serverStart } from './server-start.ts';
import { sqliteCommit } from './sqlite-commit.ts';
import { webhooksLoad } from './webhooks-load.ts';
import { widgetSize } from './widget-size.ts';
import { widgetsBrowser } from './widgets-browser.ts';
import { widgetsFirstMessage } from './widgets-first-message.ts';
import { workersBench } from './workers.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

// The machine may be shared: the load before the run says how quiet it was.
const loadBefore = os.loadavg()[0];

// One after another, never side by side: each measurement gets the machine to itself.
const measures = [
  widgetSize,
  widgetsBrowser,
  widgetsFirstMessage,
  pageBytes,
  webhooksLoad,
  connectorsLoad,
  sqliteCommit,
  checkoutOverhead,
  serverStart,
  workersBench,
];
const only = process.argv.slice(2);
const unknown = only.filter((name) => !measures.some((measure) => measure.name === name));
if (unknown.length > 0) throw new Error(`no measurement named ${unknown.join(', ')}`);
const selected = only.length > 0 ? measures.filter((measure) => only.includes(measure.name)) : measures;
const rows: BenchRow[] = [];
for (const measure of selected) {
  const started = performance.now();
  rows.push(...(await measure()));
  console.error(`bench: ${measure.name} took ${Math.round((performance.now() - started) / 1000)} s`);
}

console.table(rows.map((row) => ({ ...row, note: row.note ?? '' })));
// A partial run would overwrite the full table with a few rows.
if (only.length > 0) process.exit(0);
const results = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1mBefore: loadBefore,
  },
  rows,
};
await writeFile(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('Wrote bench/results.json');
