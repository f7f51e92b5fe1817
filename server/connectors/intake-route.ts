import { Hono, type Context } from 'hono';
import type { EdgeContext } from '../edge-context.ts';
import { bodyAborted, bodyLimit } from '../http/body-limit.ts';
import { problem, ProblemError } from '../http/problem.ts';
import { unstorable } from '../shared/storable-json.ts';
import type { Delivery, ParsedDelivery, PlatformId } from './connector.ts';
import { createDeliveryStore } from './store-delivery.ts';
import type { ActiveConnector } from './registry.ts';

/** Largest connector delivery accepted: a platform order with a few hundred lines is well under it. */
export const connectorBodyLimitBytes = 512 * 1024;

/** What intake counts, per platform, for `/metrics`. */
export type ConnectorIntakeOutcome =
  'accepted' | 'duplicate' | 'ignored' | 'ping' | 'unauthorized' | 'malformed' | 'storage_failed';
export type ConnectorIntakeStats = Record<string, Partial<Record<ConnectorIntakeOutcome, number>>>;

const decoder = new TextDecoder();

/**
 * Why a delivery cannot be keyed, or undefined: the text its receipt and its connector order are found by
 * (event, dedupe key, store and order or review id) must hold no control character. Postgres refuses NUL
 * in text, so such a delivery would be answered 503 and retried for ever, and no key needs one anyway.
 */
function keyWithControlCharacter(parsed: Exclude<ParsedDelivery, { type: 'invalid' }>): string | undefined {
  const subject =
    parsed.type === 'order'
      ? [parsed.order.storeId, parsed.order.orderId]
      : parsed.type === 'review'
        ? [parsed.review.storeId, parsed.review.reviewId]
        : [];
  const keys = [parsed.event, parsed.dedupeKey, ...subject];
  return keys.some((key) => /\p{Cc}/u.test(key))
    ? 'its event, store or order id holds a control character'
    : undefined;
}

/**
 * `POST /connectors/:platform/webhooks` (and `/connectors/:platform/webhooks/:event`, Zid's one URL per
 * event): the store platforms' webhook intake, one route for every connector. A connector that is off
 * answers 404. The body is size-limited and read as raw bytes; the connector checks its signature or
 * credentials over those bytes before anything is parsed (401 and nothing stored otherwise); then the
 * connector reads it, and the receipt and its processing job are committed in one transaction before the
 * 200, through the same receipt writer as Points' webhooks. A duplicate answers 200 and changes nothing; a
 * failed commit answers 503 so the platform retries.
 */
type IntakeEnv = { Variables: { connector: ActiveConnector } };

export function connectorRoutes(
  ctx: EdgeContext,
  stats: ConnectorIntakeStats,
  onAnswered?: (platform: PlatformId, durationMs: number) => void,
): Hono<IntakeEnv> {
  const app = new Hono<IntakeEnv>();
  const deliveries = createDeliveryStore(ctx.store);
  const count = (platform: string, outcome: ConnectorIntakeOutcome) => {
    const byOutcome = (stats[platform] ??= {});
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  };

  const limit = bodyLimit({
    maxSize: connectorBodyLimitBytes,
    onError: (c) =>
      problem(
        c,
        'payload_too_large',
        `Connector deliveries are limited to ${connectorBodyLimitBytes} bytes.`,
      ),
  });

  async function receive(
    c: Context<IntakeEnv>,
    connector: ActiveConnector,
    startedAt: number,
  ): Promise<Response> {
    let rawBody: Uint8Array;
    try {
      rawBody = new Uint8Array(await c.req.arrayBuffer());
    } catch {
      return bodyAborted(c);
    }
    const delivery: Delivery = {
      headers: c.req.raw.headers,
      rawBody,
      text: decoder.decode(rawBody),
      pathEvent: c.req.param('event'),
    };
    if (connector.isPing(delivery)) {
      count(connector.id, 'ping');
      return c.json({ received: true, ping: true });
    }
    const verified = await connector.verify(delivery);
    if (!verified.ok) {
      count(connector.id, 'unauthorized');
      ctx.logger.warn(
        { alert: 'connector_verification_failed', platform: connector.id, detail: verified.detail },
        'connector delivery refused',
      );
      throw new ProblemError(
        'unauthorized',
        `The delivery's ${connector.title} signature or credentials are missing or wrong.`,
      );
    }

    let body: unknown;
    try {
      body = JSON.parse(delivery.text);
    } catch {
      count(connector.id, 'malformed');
      throw new ProblemError('invalid_json', 'The delivery body is not valid JSON.');
    }
    const unfit = unstorable(body);
    let parsed: ParsedDelivery = unfit
      ? { type: 'invalid', event: '(unknown)', detail: unfit }
      : await connector.parse(delivery, body);
    const badKey = parsed.type === 'invalid' ? undefined : keyWithControlCharacter(parsed);
    if (badKey) parsed = { type: 'invalid', event: parsed.event.slice(0, 100), detail: badKey };
    if (parsed.type === 'invalid') {
      count(connector.id, 'malformed');
      ctx.logger.warn(
        { platform: connector.id, event: parsed.event, detail: parsed.detail },
        'connector delivery invalid',
      );
      throw new ProblemError(
        'validation_failed',
        `Not a ${connector.title} ${parsed.event} delivery: ${parsed.detail}.`,
      );
    }

    try {
      const outcome = await deliveries.store(connector.id, parsed, delivery.text, ctx.now(), startedAt);
      if (outcome === 'duplicate') {
        count(connector.id, 'duplicate');
        return c.json({ received: true, duplicate: true });
      }
      count(connector.id, outcome === 'stored' ? 'accepted' : 'ignored');
      if (outcome === 'stored') ctx.wakeWorker();
      return c.json({ received: true });
    } catch (error) {
      count(connector.id, 'storage_failed');
      ctx.logger.error(
        { err: error, alert: 'webhook_storage_failed', platform: connector.id },
        'could not store a connector delivery',
      );
      throw new ProblemError('storage_unavailable', 'Could not store the delivery; please retry.');
    }
  }

  for (const path of ['/connectors/:platform/webhooks', '/connectors/:platform/webhooks/:event']) {
    app.post(
      path,
      async (c, next) => {
        const connector = ctx.config.connectors.find((active) => active.id === c.req.param('platform'));
        if (!connector)
          throw new ProblemError('not_found', 'No such connector is configured on this server.');
        c.set('connector', connector);
        return next();
      },
      limit,
      async (c) => {
        const started = performance.now();
        const connector = c.get('connector');
        try {
          return await receive(c, connector, started);
        } finally {
          // Refusals too: they are thrown, and answered by `app.onError`.
          onAnswered?.(connector.id, performance.now() - started);
        }
      },
    );
  }
  return app;
}
