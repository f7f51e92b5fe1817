import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Raw text of a fixture, e.g. `fixtureText('webhook-approved')`. */
export function fixtureText(name: string): string {
  return readFileSync(`${dir}${name}.json`, 'utf8');
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Names of the webhook payload examples (docs §4.3 and the PHP SDK fixtures). */
export const webhookFixtureNames = readdirSync(dir)
  .filter((file) => file.startsWith('webhook-') && file !== 'webhook-list.json')
  .map((file) => file.replace(/\.json$/, ''));
