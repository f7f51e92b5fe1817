import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './problem.ts';

/** The largest body accepted, and the answer to a larger one. */
export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

const digits = /^\d+$/;

/** What a body the client stopped sending is answered (it is gone, so it will hardly read it): not our error. */
export const bodyAbortedDetail = 'The request body could not be read (the upload was aborted).';

/** The answer to a body the client stopped sending. */
export function bodyAborted(c: Context): Response {
  return problem(c, 'bad_request', bodyAbortedDetail);
}

/**
 * The request body as text, or undefined when the client aborted the upload. An abort is the client's
 * doing: answer it with {@link bodyAborted}, never a 500.
 */
export async function readBodyText(c: Context): Promise<string | undefined> {
  try {
    return await c.req.text();
  } catch {
    return undefined;
  }
}

/** Reads a streamed body up to `maxSize` bytes: the bytes, `too_large`, or `aborted`. */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  maxSize: number,
): Promise<Uint8Array<ArrayBuffer> | 'too_large' | 'aborted'> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxSize) {
        void reader.cancel().catch(() => {});
        return 'too_large';
      }
      chunks.push(value);
    }
  } catch {
    return 'aborted';
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * A body limit without a cost on the common case. A request that declares its length (and is not chunked)
 * is judged by that number, which Node's HTTP parser holds the body to, so the body is left untouched for
 * the route to read on the adapter's fast path. Only a chunked body is counted as it streams; one the client
 * aborts on the way is answered {@link bodyAborted}.
 *
 * @example
 * app.post('/webhooks/points', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('too large', 413) }), handler);
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimitMiddleware(c, next) {
    const length = c.req.header('content-length');
    if (length !== undefined && digits.test(length) && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > options.maxSize) return options.onError(c);
      await next();
      return;
    }
    if (!c.req.raw.body) {
      await next();
      return;
    }
    const body = await readUpTo(c.req.raw.body, options.maxSize);
    if (body === 'too_large') return options.onError(c);
    if (body === 'aborted') return bodyAborted(c);
    c.req.raw = new Request(c.req.raw, { body });
    await next();
  };
}
