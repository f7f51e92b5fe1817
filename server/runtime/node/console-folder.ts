import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ConsoleAssets } from '../../console/console-pages.ts';
import { packageRoot } from './package-files.ts';

/** Reads the built console (`npm run build:console` → `dist/console/`) from disk; undefined when not built. */
export async function readConsoleFolder(
  dir = fileURLToPath(new URL('dist/console', packageRoot)),
): Promise<ConsoleAssets | undefined> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names?.includes('console.js')) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const name of names) {
    if (/^[\w.-]+\.(js|css)$/.test(name)) files.set(name, new Uint8Array(await readFile(`${dir}/${name}`)));
  }
  return { files };
}
