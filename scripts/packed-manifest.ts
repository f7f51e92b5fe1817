// Takes `prepare` out of package.json while `npm pack` / `npm publish` writes the tarball, and puts it back
// after. `prepare` builds the kit in a clone and for a git dependency; in the tarball, which already holds
// the build, npm would only warn about it as an install script ("not yet covered by allowScripts").
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const manifest = new URL('../package.json', import.meta.url);
const kept = new URL('../.package.json.before-pack', import.meta.url);

if (process.argv[2] === 'strip') {
  if (!existsSync(kept)) renameSync(manifest, kept);
  const pkg = JSON.parse(readFileSync(kept, 'utf8')) as { scripts: Record<string, string> };
  delete pkg.scripts['prepare'];
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (process.argv[2] === 'restore') {
  if (existsSync(kept)) renameSync(kept, manifest);
} else {
  console.error('usage: node scripts/packed-manifest.ts strip|restore');
  process.exit(2);
}
