import {
  redactFields,
  rememberScrubber,
  requestFields,
  scrubLine,
  SecretScrubber,
  type LogFn,
  type Logger,
} from './log-line.ts';

/** Options for {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** `debug`, `info` (default), `warn`, `error` or `silent`. */
  level?: string;
  /** Secret values to blank wherever they appear in a line (keys, webhook secrets, tokens). */
  secrets?: readonly string[];
  /** Where each finished line goes; default `console.log` (a Worker's logs take one line per call). */
  write?: (line: string) => void;
}

/** pino's level numbers, so a line reads the same whichever runtime wrote it. */
const levels: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

/**
 * A logger that writes the same JSON lines as the Node server's pino logger (`level`, `time`, the request's
 * id, the fields, `msg`), with the same scrubbing: known secret fields redacted by name, configured secret
 * values and phone numbers blanked wherever they appear. For runtimes whose logs are what `console` prints
 * (Cloudflare Workers), where pino's stdout writer does not exist.
 *
 * @example
 * const logger = createConsoleLogger({ level: env.LOG_LEVEL, secrets: [config.points.privateKey] });
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = levels[options.level ?? 'info'] ?? levels['info']!;
  const write = options.write ?? ((line: string) => console.log(line));
  const secrets = new SecretScrubber();
  for (const value of options.secrets ?? []) secrets.add(value);

  function writeAt(level: number): LogFn {
    return ((fields: object | string, message?: string) => {
      if (level < threshold) return;
      const own = typeof fields === 'string' ? { msg: fields } : { ...redactFields(fields), msg: message };
      const line = { level, time: Date.now(), ...requestFields(), ...serializeErrors(own) };
      write(scrubLine(secrets, JSON.stringify(line)));
    }) as LogFn;
  }

  const logger: Logger = {
    debug: writeAt(levels['debug']!),
    info: writeAt(levels['info']!),
    warn: writeAt(levels['warn']!),
    error: writeAt(levels['error']!),
    isLevelEnabled: (level) => (levels[level] ?? Infinity) >= threshold,
  };
  rememberScrubber(logger, secrets);
  return logger;
}

/** `err` as pino writes it (type, message, stack), since `JSON.stringify` of an Error is `{}`. */
function serializeErrors(fields: Record<string, unknown>): Record<string, unknown> {
  const error = fields['err'];
  if (!(error instanceof Error)) return fields;
  return { ...fields, err: { type: error.name, message: error.message, stack: error.stack } };
}
