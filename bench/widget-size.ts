import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Gzip (level 9) size of every built widget file, building first so the number is of this tree. */
export async function widgetSize(): Promise<BenchRow[]> {
  const { build } = await import('vite');
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'silent' });
  const dir = `${root}dist/widgets`;
  const files = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  let total = 0;
  for (const name of files) total += gzipSync(await readFile(`${dir}/${name}`), { level: 9 }).length;
  return [
    { name: 'widgets: all JS files, gzip -9', value: total, unit: 'bytes', note: `${files.length} files` },
  ];
}
