import { readFileSync } from 'node:fs';
import { loadConfig as loadPortableConfig, type Config } from '../../config.ts';

/**
 * Validates the environment once at start, reading `NAME_FILE` secrets from the disk. Throws
 * `ConfigError` naming every bad variable. What the package exports as `loadConfig`.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadPortableConfig(env, (path) => readFileSync(path, 'utf8'));
}
