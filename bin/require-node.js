// Plain JavaScript that any Node reads, run before anything else: the kit's TypeScript needs Node >= 22.18
// (type stripping), and an older Node would otherwise stop at the first `.ts` file with "Unknown file
// extension". Imported first by the `bin/` launchers, and run by `npm start`.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `The Points storefront kit needs Node.js 22.18 or newer; this is Node.js ${process.versions.node}.\n` +
      'Install a current Node (https://nodejs.org), or in a clone of the kit run `source .ci/use-node.sh`.',
  );
  process.exit(1);
}
