import type { Context } from 'hono';
import type { z } from 'zod';
import { bodyAbortedDetail, readBodyText } from './body-limit.ts';
import { fieldErrors, ProblemError } from './problem.ts';

/** How a route takes its JSON body. */
export interface JsonBodyOptions {
  /** Refuse (415) a request that does not say `application/json`: a browser-facing route's CSRF guard. */
  requireJsonType?: boolean;
  /** What an empty body means; without it an empty body is `invalid_json`. */
  empty?: unknown;
  /** The `detail` of a `validation_failed` answer. */
  invalidDetail?: string;
}

/**
 * The request's JSON body, checked against `schema`; throws the {@link ProblemError} to answer otherwise:
 * `unsupported_media_type`, `bad_request` (the upload was aborted), `invalid_json`, or `validation_failed`
 * with the field errors. Reads through the body limit (`http/body-limit.ts`).
 *
 * @example
 * const body = await readJsonBody(c, refundBody, { empty: {} });
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: JsonBodyOptions = {},
): Promise<z.output<S>> {
  if (options.requireJsonType && !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ProblemError('unsupported_media_type', 'Send the request as application/json.');
  }
  const text = await readBodyText(c);
  if (text === undefined) {
    throw new ProblemError('bad_request', bodyAbortedDetail);
  }
  let json: unknown = options.empty;
  if (text.trim() !== '' || options.empty === undefined) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProblemError('invalid_json', 'The request body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ProblemError(
      'validation_failed',
      options.invalidDetail ?? 'The request body is invalid.',
      fieldErrors(parsed.error.issues),
    );
  }
  return parsed.data;
}
