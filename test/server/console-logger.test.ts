import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../server/observability/console-logger.ts';
import { createLogger, scrubSecrets } from '../../server/observability/logger.ts';
import { requestScope } from '../../server/observability/request-context.ts';

const secret = 'test_private_key_for_console_logger';

/** The two loggers over one set of options, each line parsed; pino's own fields dropped. */
function bothLoggers(level = 'info') {
  const pinoLines: string[] = [];
  const consoleLines: string[] = [];
  const pinoLogger = createLogger({
    level,
    secrets: [secret],
    destination: { write: (line: string) => void pinoLines.push(line) },
  });
  const consoleLogger = createConsoleLogger({
    level,
    secrets: [secret],
    write: (line) => consoleLines.push(line),
  });
  const parsed = (lines: string[]) =>
    lines.map((line) => {
      const fields = JSON.parse(line) as Record<string, unknown>;
      expect(typeof fields['time']).toBe('number');
      for (const own of ['time', 'pid', 'hostname']) delete fields[own];
      return fields;
    });
  return {
    pinoLogger,
    consoleLogger,
    pinoLines: () => parsed(pinoLines),
    consoleLines: () => parsed(consoleLines),
    raw: consoleLines,
  };
}

describe('the console logger (Workers) writes what the pino logger (Node) writes', () => {
  it('the same fields, levels and message, with the request id of the request being served', () => {
    const { pinoLogger, consoleLogger, pinoLines, consoleLines } = bothLoggers();
    for (const logger of [pinoLogger, consoleLogger]) {
      logger.info({ orderNumber: 'ORD-1', halalas: 19950 }, 'order confirmed');
      logger.warn('Points answered 429');
      requestScope.run({ requestId: 'req-42' }, () => logger.error({ route: '/checkout' }, 'failed'));
      logger.debug('not at info');
    }
    expect(consoleLines()).toEqual(pinoLines());
    expect(consoleLines()).toEqual([
      { level: 30, orderNumber: 'ORD-1', halalas: 19950, msg: 'order confirmed' },
      { level: 40, msg: 'Points answered 429' },
      { level: 50, requestId: 'req-42', route: '/checkout', msg: 'failed' },
    ]);
  });

  it('redacts secret fields by name, blanks secret values and phone numbers wherever they appear', () => {
    const { pinoLogger, consoleLogger, pinoLines, consoleLines, raw } = bothLoggers();
    for (const logger of [pinoLogger, consoleLogger]) {
      logger.info(
        {
          headers: { authorization: 'Bearer x', 'x-webhook-secret': 'y' },
          phone: '0500000001',
          note: `key ${secret}`,
        },
        'customer 0500000002 paid',
      );
      scrubSecrets(logger, ['rotated_secret_value_1']);
      logger.info({ detail: 'rotated_secret_value_1 and +966500000003' }, 'after rotation');
    }
    expect(consoleLines()).toEqual(pinoLines());
    const text = raw.join('\n');
    for (const hidden of [
      secret,
      'Bearer x',
      '0500000001',
      '0500000002',
      '500000003',
      'rotated_secret_value_1',
    ]) {
      expect(text).not.toContain(hidden);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('[phone]');
    expect(text).toContain('[secret]');
  });

  it('writes an error as its type, message and stack, and nothing below its level', () => {
    const { consoleLogger, raw } = bothLoggers('warn');
    consoleLogger.info('quiet');
    consoleLogger.error({ err: new TypeError(`bad ${secret}`) }, 'job failed');
    expect(raw).toHaveLength(1);
    const line = JSON.parse(raw[0]!) as { err: { type: string; message: string; stack: string } };
    expect(line.err.type).toBe('TypeError');
    expect(line.err.message).toBe('bad [secret]');
    expect(line.err.stack).toContain('console-logger.test.ts');
    expect(consoleLogger.isLevelEnabled('warn')).toBe(true);
    expect(consoleLogger.isLevelEnabled('info')).toBe(false);
  });
});
