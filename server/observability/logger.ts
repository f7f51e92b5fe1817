import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactFields, rememberScrubber, requestFields, scrubLine, SecretScrubber } from './log-line.ts';

export { redactedFields, redactFields, scrubSecrets, type Logger } from './log-line.ts';

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

/**
 * The server's pino logger: JSON lines, known secret fields redacted by name ({@link redactFields}: a
 * walk of the few keys a line has, far cheaper than pino's path-based `redact` on every request), and a
 * last scrub of each line that blanks configured secret values wherever they slipped in, and phone numbers
 * wherever they stand in a string.
 *
 * @example
 * const logger = createLogger({ secrets: [config.points.privateKey, ...config.webhookSecrets] });
 */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
  const secrets = new SecretScrubber();
  for (const value of options.secrets ?? []) secrets.add(value);
  const target = options.destination ?? stdoutInBatches();
  const scrubbing: DestinationStream = {
    write(line: string) {
      target.write(scrubLine(secrets, line));
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
      mixin: requestFields,
    },
    scrubbing,
  );
  rememberScrubber(logger, secrets);
  return logger;
}
