import pino, { type DestinationStream, type Logger } from 'pino';
import { requestScope } from './request-context.ts';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Secret values to scrub wherever they appear in a log line (keys, webhook secrets, tokens). */
  secrets?: readonly string[];
  /** Where lines go; default {@link stdoutInBatches}. Tests pass a stream to read them back. */
  destination?: DestinationStream & { flush?: () => void };
}

/** How long an info or debug line may wait in the stdout buffer before it is written. */
const logFlushIntervalMs = 250;

/**
 * Stdout, written in batches: lines gather in memory up to 4 KB and are written together, at the latest
 * {@link logFlushIntervalMs} later, and at once on exit. One write per line cost every request (the access
 * line) a system call and a thread-pool job of its own when the server was not busy enough to batch them.
 */
function stdoutInBatches() {
  return pino.destination({ sync: false, minLength: 4096, periodicFlush: logFlushIntervalMs });
}

/** Flushes a destination that buffers; a closed one (stdout gone) has nothing left to flush. */
function flushQuietly(target: { flush?: () => void }): void {
  try {
    target.flush?.();
  } catch {
    // SonicBoom throws once destroyed: the line is lost either way, and logging must never throw.
  }
}

/** A pino line at `warn` (40) or above: written at once, not batched. */
const urgentLine = /^\{"level":(?:[4-9]\d|\d{3,})\b/;

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

/**
 * The server's pino logger: JSON lines, known secret fields redacted by name ({@link redactFields}: a
 * walk of the few keys a line has, far cheaper than pino's path-based `redact` on every request), and a
 * last scrub of each line that blanks configured secret values wherever they slipped in, and phone numbers
 * wherever they stand in a string.
 *
 * @example
 * const logger = createLogger({ secrets: [config.points.privateKey, ...config.webhookSecrets] });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = new SecretScrubber();
  for (const value of options.secrets ?? []) secrets.add(value);
  const scrub = (line: string) => secrets.scrub(scrubPhones(line));
  const target = options.destination ?? stdoutInBatches();
  const scrubbing: DestinationStream = {
    write(line: string) {
      target.write(scrub(line));
      // Warnings and errors (alerts among them) are not held back for the batch: written now with the lines
      // before them, or, when a write is under way, by the periodic flush that follows it.
      if (urgentLine.test(line)) flushQuietly(target);
    },
  };
  const logger = pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      formatters: { log: (object) => redactFields(object) },
      // Every line written while a request is served names it (see request-context.ts).
      mixin: () => requestScope.getStore() ?? {},
    },
    scrubbing,
  );
  scrubbedSecrets.set(logger, secrets);
  return logger;
}

/** Blanks known secret values in a line: one pass of one pattern, rebuilt only when a secret is added. */
class SecretScrubber {
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
