import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-files.ts';
import type { ConsoleAssets } from './console-pages.ts';

/**
 * Reads the built console (`npm run build:console` → `dist/console/`) from disk: the one Node-only part
 * of the console, so another runtime passes its own loader. Undefined when it is not built.
 */
export async function loadConsoleAssets(
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
