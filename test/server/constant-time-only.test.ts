import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Secrets are compared only through `server/shared/constant-time.ts`. A plain `===` or `Buffer.equals`
 * changes only timing, so no behaviour test can see it: this reads the source instead.
 */
const helper = 'shared/constant-time.ts';
const secretName = String.raw`[\w.]*(?:token|secret|signature|nonce|hash|authorization|apikey|privatekey)`;
const rules: Array<{ why: string; pattern: RegExp }> = [
  { why: 'timingSafeEqual outside the helper', pattern: /\btimingSafeEqual\b(?!`)/ },
  { why: 'Buffer .equals()', pattern: /\.equals\(/ },
  {
    why: '=== or !== on a secret',
    pattern: new RegExp(String.raw`(?:[!=]==?\s*${secretName}\b|\b${secretName}\s*[!=]==?)`, 'i'),
  },
];

/** Lines that compare a secret's name without checking a secret, each with its reason. */
const allowed = new Set([
  // A configuration check: is the key set at all.
  "  if (typeof options.privateKey !== 'string' || options.privateKey.trim() === '') {",
  // A reload compares our old configuration with our new one: no input from anyone.
  '    if (next.points.privateKey !== config.points.privateKey) {',
]);

/** The rule a line of `file` breaks, if any. */
function breach(file: string, line: string): string | undefined {
  if (allowed.has(line) || /^\s*(\/\/|\*|\/\*\*)/.test(line)) return undefined;
  return rules.find(
    (rule) => rule.pattern.test(line) && !(file === helper && /timingSafeEqual/.test(rule.why)),
  )?.why;
}

describe('secrets are compared only through the constant-time helper', () => {
  it('no file under server/ compares a secret any other way', () => {
    const root = new URL('../../server/', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          const why = breach(file, line);
          if (why) found.push(`server/${file}:${index + 1}: ${why}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('the check finds each way of comparing a secret that only changes timing', () => {
    expect(breach('orders/x.ts', "import { timingSafeEqual } from 'node:crypto';")).toBeDefined();
    expect(breach('orders/x.ts', '  return timingSafeEqual(a, b);')).toBeDefined();
    expect(breach('orders/x.ts', '  return Buffer.from(given).equals(expected);')).toBeDefined();
    expect(breach('admin/x.ts', '  if (given !== adminToken) return deny();')).toBeDefined();
    expect(breach('points/x.ts', '  const ok = header === config.webhookSecret;')).toBeDefined();
    expect(breach('orders/x.ts', '  if (row.callback_nonce_hash == hashOf(nonce)) {')).toBeDefined();
    expect(breach('x.ts', '  if (signature === expected) {')).toBeDefined();
    // The helper itself, comments, and comparisons of other things pass.
    expect(
      breach(
        helper,
        '  for (let index = 0; index < b.length; index++) difference |= left[index]! ^ b[index]!;',
      ),
    ).toBeUndefined();
    expect(breach('x.ts', ' * go through `timingSafeEqual`, and a wrong length compares')).toBeUndefined();
    expect(breach('x.ts', "  if (order.state === 'pending') {")).toBeUndefined();
  });
});
