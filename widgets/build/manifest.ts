/**
 * Writes `custom-elements.json` (Custom Elements Manifest 2.1) at the repository root from the JSDoc
 * of each element class: its description and `@attr`, `@fires`, `@slot`, `@csspart` and `@cssprop`
 * tags, and the tag name it is defined under. One source of truth: the element's own documentation.
 *
 * @example
 * node widgets/build/manifest.ts          # rewrite custom-elements.json
 * node widgets/build/manifest.ts --check  # exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { elementSourcePath, elementTags } from '../elements.ts';

interface Named {
  name: string;
  description: string;
}

const tagKinds = {
  attr: 'attributes',
  fires: 'events',
  slot: 'slots',
  csspart: 'cssParts',
  cssprop: 'cssProperties',
};

/** The manifest module for one element source file. */
export function moduleFor(path: string, source: string) {
  const match = /\/\*\*\n([\s\S]*?)\*\/\nexport class (\w+) extends/.exec(source);
  const tag = /define\('([a-z-]+)', (\w+)\)/.exec(source);
  if (!match || !tag) throw new Error(`${path}: no documented element class or define() call`);
  const [, comment = '', name = ''] = match;
  const lines = comment.split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
  const description: string[] = [];
  const lists: Record<string, Named[]> = {
    attributes: [],
    events: [],
    slots: [],
    cssParts: [],
    cssProperties: [],
  };
  let inExample = false;
  for (const line of lines) {
    const tagLine = /^@(\w+)\s*(.*)$/.exec(line);
    if (tagLine) {
      const [, kind = '', rest = ''] = tagLine;
      inExample = kind === 'example';
      const list = tagKinds[kind as keyof typeof tagKinds];
      if (list) {
        // `@attr name - what it does`; the default slot has no name: `@slot - what goes in it`.
        const [, itemName = '', itemDescription = ''] =
          /^(\S*)\s*-\s+(.*)$/.exec(rest.replace(/^- /, ' - ')) ?? [];
        lists[list]!.push({ name: itemName, description: itemDescription });
      }
    } else if (!inExample && Object.values(lists).every((list) => list.length === 0)) {
      description.push(line);
    }
  }
  const declaration = {
    kind: 'class',
    name,
    tagName: tag[1],
    customElement: true,
    description: description.join(' ').replace(/\s+/g, ' ').trim(),
    ...lists,
  };
  const reference = { name, module: path };
  return {
    kind: 'javascript-module',
    path,
    declarations: [declaration],
    exports: [
      { kind: 'js', name, declaration: reference },
      { kind: 'custom-element-definition', name: tag[1], declaration: reference },
    ],
  };
}

/** The whole manifest, as text. */
export function manifestText(readSource: (path: string) => string): string {
  const manifest = {
    schemaVersion: '2.1.0',
    readme: 'widgets/README.md',
    modules: elementTags.map(elementSourcePath).map((path) => moduleFor(path, readSource(path))),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const root = new URL('../../', import.meta.url);
const target = new URL('custom-elements.json', root);
const outOfDate = 'custom-elements.json is out of date: run `node widgets/build/manifest.ts`';

/** The manifest the sources describe now. */
function currentManifest(): string {
  return manifestText((path) => readFileSync(new URL(path, root), 'utf8'));
}

/**
 * Fails the widget build when `custom-elements.json` no longer matches the elements' JSDoc.
 * @example plugins: [manifestUpToDate()]
 */
export function manifestUpToDate(): Plugin {
  return {
    name: 'points-manifest-up-to-date',
    apply: 'build',
    buildStart() {
      if (readFileSync(target, 'utf8') !== currentManifest()) this.error(outOfDate);
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = currentManifest();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error(outOfDate);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log('wrote custom-elements.json');
  }
}
