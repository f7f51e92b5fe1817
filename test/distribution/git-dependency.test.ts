import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'points-kit-gitdep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the kit as a git dependency, as the integration guide offers', () => {
  it('builds on install (npm runs its prepare script) and its bins run from node_modules', () => {
    // The commit this test runs at: CI's clean clone, so what is installed is what is committed.
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', `git+file://${repo}#${commit}`],
      { cwd: dir, stdio: 'pipe' },
    );
    const installed = join(dir, 'node_modules', 'points-storefront-kit');
    expect(existsSync(join(installed, 'lib', 'server', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'widgets', 'points-widgets.js'))).toBe(true);
    // Only the build: Node strips no types under node_modules.
    expect(existsSync(join(installed, 'server'))).toBe(false);
    const help = execFileSync(join(dir, 'node_modules', '.bin', 'points-edge'), ['--help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(help).toContain('Usage: points-edge <command>');
    const imported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const kit = await import('points-storefront-kit'); console.log(typeof kit.createEdge)",
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(imported.trim()).toBe('function');
  });
});
