import { requestScope } from './request-context.ts';

/** One level's method: an object of fields and a message, or a message alone (pino's call shapes). */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * What the server logs through: the part of pino's logger it uses. Node's is pino ({@link createLogger} in
 * `logger.ts`); a Worker's writes the same JSON lines through `console` (`console-logger.ts`).
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  isLevelEnabled(level: string): boolean;
}

/** Field names (header names included) whose values never reach a log, at any depth. */
export const redactedFields = new Set([
  'x-api-key',
  'x-webhook-secret',
  'authorization',
  'cookie',
  'privateKey',
  'secret',
  'token',
  'orderToken',
  'phone',
  'phone_number',
]);

const maxRedactDepth = 4;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of a log object with every {@link redactedFields} value replaced, in nested objects and arrays too
 * (headers, request bodies). Returns the object itself when there is nothing to hide, which is most lines.
 */
export function redactFields<T>(value: T, depth = 0): T {
  if (depth > maxRedactDepth) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const clean = redactFields(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[index] = clean;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const item = value[key];
    const clean = redactedFields.has(key) ? '[redacted]' : redactFields(item, depth + 1);
    if (clean !== item) (copy ??= { ...value })[key] = clean;
  }
  return (copy ?? value) as T;
}

/**
 * Saudi mobile numbers in any of the accepted spellings (+966 5…, 00966 5…, 05…, 5…), standing on their
 * own: not the tail of a longer run of digits or letters (a timestamp, a uuid, a request id). Right after a
 * JSON escape (`\n0500000001`) counts as on their own.
 */
const phonePattern = /(?:(?<![\w+-])|(?<=\\[nrt]))(?:\+?966|00966|0)?5\d{8}(?!\w)/g;
/** A JSON string in a line, quotes included: the only place a phone can be (numbers and keys' syntax are not). */
const jsonString = /"(?:[^"\\]|\\.)*"/g;

/** Masks phone numbers inside the line's strings only, so the line stays valid JSON. */
function scrubPhones(line: string): string {
  return line.replace(jsonString, (text) => text.replace(phonePattern, '[phone]'));
}

/** Blanks known secret values in a line: one pass of one pattern, rebuilt only when a secret is added. */
export class SecretScrubber {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  add(value: string): void {
    if (value.length < 6 || this.#values.has(value)) return;
    this.#values.add(value);
    // Longest first: where one secret starts another, the whole of the longer one is blanked.
    const escaped = [...this.#values]
      .sort((a, b) => b.length - a.length)
      .map((known) => known.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#pattern = new RegExp(escaped.join('|'), 'g');
  }

  scrub(line: string): string {
    return this.#pattern ? line.replace(this.#pattern, '[secret]') : line;
  }
}

const scrubbedSecrets = new WeakMap<Logger, SecretScrubber>();

/** Remembers the scrubber of a logger's lines, so {@link scrubSecrets} can add to it later. */
export function rememberScrubber(logger: Logger, secrets: SecretScrubber): void {
  scrubbedSecrets.set(logger, secrets);
}

/** A line as it may be written: phone numbers masked, then the known secrets blanked. */
export function scrubLine(secrets: SecretScrubber, line: string): string {
  return secrets.scrub(scrubPhones(line));
}

/** The fields every line written while a request is served carries (see request-context.ts). */
export const requestFields = () => requestScope.getStore() ?? {};

/**
 * Adds values the logger made by {@link createLogger} must blank from now on (a key or secret read on a
 * SIGHUP rotation). Values shorter than 6 characters are ignored: blanking them would mangle ordinary text.
 *
 * @example
 * scrubSecrets(logger, [next.points.privateKey, ...next.webhookSecrets]);
 */
export function scrubSecrets(logger: Logger, values: Iterable<string>): void {
  const secrets = scrubbedSecrets.get(logger);
  if (!secrets) return;
  for (const value of values) secrets.add(value);
}
