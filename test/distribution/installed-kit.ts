import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh project in the system's temp folder (outside the repository) with the packed kit installed. */
export interface InstalledKit {
  /** The project folder, with the kit in its node_modules. */
  dir: string;
  /** Removes the project and the tarball. */
  remove(): void;
  /** The tarball's file name, e.g. `points-storefront-kit-0.1.0.tgz`. */
  tarball: string;
}

/**
 * `npm pack` (its `prepare` builds the widgets and lib/), then `npm install` of the tarball, plus `extra`
 * packages (the merchant's own), into a new project. Node then runs the kit from node_modules, where it
 * strips no types: only the built JavaScript works there.
 */
export function installPackedKit(extra: string[]): InstalledKit {
  const dir = mkdtempSync(join(tmpdir(), 'points-kit-install-'));
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  execFileSync('npm', ['pack', '--pack-destination', packs, '--loglevel=error'], {
    cwd: repo,
    stdio: 'pipe',
  });
  const tarball = readdirSync(packs).find((name) => name.endsWith('.tgz'))!;
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', join(packs, tarball), ...extra],
    { cwd: app, stdio: 'pipe' },
  );
  return { dir: app, tarball, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
