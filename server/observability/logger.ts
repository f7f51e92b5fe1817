import pino, { type DestinationStream, type Logger } from 'pino';
import { requestScope } from './request-context.ts';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Secret values to scrub wherever they appear in a log line (keys, webhook secrets, tokens). */
  secrets?: readonly string[];
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** Header and field names whose values never reach a log. */
export const redactedPaths = [
  '*.headers["x-api-key"]',
  '*.headers["x-webhook-secret"]',
  '*.headers.authorization',
  '*.headers.cookie',
  'headers.cookie',
  'headers["x-api-key"]',
  'headers["x-webhook-secret"]',
  'headers.authorization',
  'privateKey',
  'secret',
  'token',
  'orderToken',
  'phone',
  'phone_number',
  '*.privateKey',
  '*.secret',
  '*.token',
  '*.orderToken',
  '*.phone',
  '*.phone_number',
];

/** Saudi mobile numbers in any of the accepted spellings (+966 5…, 00966 5…, 05…, 5…). */
const phonePattern = /(?:\+?966|00966|\b0)?5\d{8}\b/g;

/**
 * The server's pino logger: JSON lines, known secret fields redacted by path, and a last scrub of each
 * line that blanks configured secret values and phone numbers wherever they slipped in.
 *
 * @example
 * const logger = createLogger({ secrets: [config.points.privateKey, ...config.webhookSecrets] });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((value) => value.length >= 6);
  const scrub = (line: string) => {
    let clean = line.replace(phonePattern, '[phone]');
    for (const secret of secrets) clean = clean.replaceAll(secret, '[secret]');
    return clean;
  };
  const target = options.destination ?? pino.destination({ sync: false });
  const scrubbing: DestinationStream = { write: (line: string) => target.write(scrub(line)) };
  return pino(
    {
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // Every line written while a request is served names it (see request-context.ts).
      mixin: () => requestScope.getStore() ?? {},
    },
    scrubbing,
  );
}
