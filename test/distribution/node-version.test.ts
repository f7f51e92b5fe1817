import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const versionOf = (node: string) =>
  spawnSync(node, ['-p', 'process.versions.node']).stdout?.toString().trim();
const tooOld = (version: string | undefined) => {
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  return version !== undefined && version !== '' && (major < 22 || (major === 22 && minor < 18));
};
/** A Node older than 22.18 on this machine (Debian's `/usr/bin/node` is 20 on these machines), if any. */
const oldNode = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((node) => tooOld(versionOf(node)));
if (!oldNode) console.warn('No Node older than 22.18 found: the old-Node test is skipped');

describe('Node older than 22.18', () => {
  it.skipIf(!oldNode)(
    'the bins and npm start say which Node is needed and exit 1, before any TypeScript',
    () => {
      for (const args of [
        ['bin/points-edge.js', 'serve'],
        ['bin/points-sandbox.js'],
        ['bin/require-node.js'],
      ]) {
        const result = spawnSync(oldNode!, args, { cwd: repo });
        expect(result.status).toBe(1);
        expect(result.stderr.toString()).toContain(
          `needs Node.js 22.18 or newer; this is Node.js ${versionOf(oldNode!)}`,
        );
        expect(result.stderr.toString()).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
      }
      const scripts = (
        JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')) as { scripts: Record<string, string> }
      ).scripts;
      expect(scripts.start).toMatch(/^node bin\/require-node\.js && /);
    },
  );

  it('a current Node passes the check', () => {
    expect(spawnSync(process.execPath, ['bin/require-node.js'], { cwd: repo }).status).toBe(0);
  });
});
