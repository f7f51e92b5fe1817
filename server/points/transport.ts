/**
 * One HTTP call to Points: headers, timeout, retries with backoff, error mapping, response parsing.
 * The files in `endpoints/` describe each endpoint as a {@link CallSpec}; everything about the wire lives here.
 */
import type { z } from 'zod';
import {
  PointsAbortedError,
  PointsAuthError,
  PointsBadRequestError,
  PointsError,
  PointsForbiddenError,
  PointsNetworkError,
  PointsNotFoundError,
  PointsRateLimitError,
  PointsResponseError,
  PointsServerError,
  PointsTimeoutError,
  PointsValidationError,
} from './errors.ts';
import type { PointsErrorOptions } from './errors.ts';
import { envelopeSchema, errorBodySchema } from './schemas.ts';
import { resolveBaseUrl, type PointsEnvironment } from './base-url.ts';
import { backoffMs } from '../shared/backoff.ts';
import { issueLines } from '../shared/field-errors.ts';
import { isObject } from '../shared/is-object.ts';
import { sleep } from '../shared/sleep.ts';

/**
 * When a failed attempt may be sent again:
 * - `idempotent`: on 429, 5xx, network failure and timeout (GETs, webhook PUT/PATCH/DELETE, integration status);
 * - `rate-limit-only`: on 429 only — the earning lock answer means nothing happened (earning calls);
 * - `never`: never (checkout and order operations, webhook create).
 * With anything but `idempotent`, a 5xx, a timeout or a network failure after sending ends the call with
 * `outcomeUnknown: true`, because Points may have acted on it.
 */
export type RetryPolicy = 'idempotent' | 'rate-limit-only' | 'never';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A fetch implementation: the global one, or e.g. `(input, init) => app.fetch(new Request(input, init))`. */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>;

/** Reported after every HTTP attempt, for metrics. `path` is the route template; it never holds a key. */
export interface PointsResponseInfo {
  method: HttpMethod;
  path: string;
  /** HTTP status, or 0 when no response arrived (network failure, timeout, abort). */
  status: number;
  durationMs: number;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
}

export interface TransportSettings {
  baseUrl: string;
  privateKey: string;
  timeoutMs: number;
  retries: number;
  fetch: FetchLike;
  userAgent: string;
  onResponse: ((info: PointsResponseInfo) => void) | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export interface CallSpec<T> {
  method: HttpMethod;
  /** Route template, e.g. `/v1/orders/{orderUuid}/refund`: used in errors and metrics. */
  route: string;
  /** Concrete path, already validated and encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Send `x-api-key` (every endpoint but checkout). */
  auth: boolean;
  retry: RetryPolicy;
  /** `data`: the payload is `data`, or the top-level body when `data` is absent (§8); `body`: whole body. */
  unwrap: 'data' | 'body';
  schema: z.ZodType<T>;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number;
}

/** What a transport is built from: the client's options but `publicKey`. */
export interface TransportOptions {
  /** Sent as `x-api-key`; never logged, never in an error. */
  privateKey: string;
  /** Picks the documented base URL; ignored when `baseUrl` is given. */
  environment?: PointsEnvironment;
  /**
   * E.g. `https://business.papp.sa/api` (paths are `/v1/...`); the documented `…/api/v1` form is accepted
   * too (see `normalizeBaseUrl` in `base-url.ts`). Plain `http://` only for loopback hosts.
   */
  baseUrl?: string;
  /** Per HTTP attempt (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt, for calls that may be retried (default 3). */
  retries?: number;
  fetch?: FetchLike;
  userAgent?: string;
  /** Called after every HTTP attempt, for metrics. */
  onResponse?: (info: PointsResponseInfo) => void;
  /** Waits before a retry; injectable so tests need no real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
}

/** Sends one described call with the transport's settings; what the endpoint groups are built from. */
export type Call = <T>(spec: CallSpec<T>, options?: CallOptions) => Promise<T>;

const authMessages = new Set(['API key is required', 'Invalid or inactive API key']);
/** Errors meaning the request never left this machine. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Retries wait 250 ms × 2^(n−1), capped at 10 s, with jitter in [50 %, 100 %] ({@link backoffMs}). */
const backoffBaseMs = 250;
const backoffCapMs = 10_000;
/** A `Retry-After` longer than this is not waited for: the 429 goes to the caller (e.g. a job queue). */
const maxRetryAfterMs = 60_000;

/** Names the runtime as it names itself (`Node.js/24`, `Bun/1.2`, `Deno/2.1`, `Cloudflare-Workers`). */
const defaultUserAgent = `points-storefront-kit/0.1.0 ${globalThis.navigator?.userAgent ?? 'unknown-runtime'}`;

/**
 * Checks the options and resolves their defaults once. Throws a `TypeError` for unusable options (no key,
 * no base URL, plain HTTP to a remote host, a timeout or retry count out of range).
 *
 * @example
 * const call = createTransport({ privateKey, environment: 'sandbox' });
 * const order = await call({
 *   method: 'GET',
 *   route: '/v1/orders/{orderUuid}',
 *   path: `/v1/orders/${uuidSegment(uuid, 'order uuid')}`,
 *   auth: true,
 *   retry: 'idempotent',
 *   unwrap: 'data',
 *   schema: orderResourceSchema,
 * });
 */
export function createTransport(options: TransportOptions): Call {
  if (typeof options.privateKey !== 'string' || options.privateKey.trim() === '') {
    throw new TypeError('Points client: `privateKey` is required');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError('Points client: `timeoutMs` must be > 0');
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new TypeError('Points client: `retries` must be an integer from 0 to 10');
  }
  const settings: TransportSettings = {
    baseUrl: resolveBaseUrl(options),
    privateKey: options.privateKey,
    timeoutMs,
    retries,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    userAgent: options.userAgent ?? defaultUserAgent,
    onResponse: options.onResponse,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  return (spec, callOptions) => send(settings, spec, callOptions);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs a call with retries; see {@link RetryPolicy}. */
export async function send<T>(settings: TransportSettings, spec: CallSpec<T>, options: CallOptions = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(settings, spec, options, attempt);
    } catch (error) {
      if (!(error instanceof PointsError) || attempt > settings.retries || !isRetryable(spec.retry, error)) {
        throw error;
      }
      const retryAfterMs = error instanceof PointsRateLimitError ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) throw error;
      try {
        await settings.sleep(
          retryAfterMs ?? backoffMs(attempt, backoffBaseMs, backoffCapMs, settings.random),
          options.signal,
        );
      } catch {
        throw new PointsAbortedError(`Call aborted while waiting to retry ${operationOf(spec)}`, {
          operation: operationOf(spec),
        });
      }
    }
  }
}

function isRetryable(policy: RetryPolicy, error: PointsError): boolean {
  if (error instanceof PointsRateLimitError) return policy !== 'never';
  if (policy !== 'idempotent') return false;
  return (
    error instanceof PointsServerError ||
    error instanceof PointsNetworkError ||
    error instanceof PointsTimeoutError
  );
}

function operationOf(spec: CallSpec<unknown>): string {
  return `${spec.method} ${spec.route}`;
}

async function sendOnce<T>(
  settings: TransportSettings,
  spec: CallSpec<T>,
  options: CallOptions,
  attempt: number,
): Promise<T> {
  if (options.signal?.aborted) {
    throw new PointsAbortedError(
      `${operationOf(spec)} was aborted before it was sent.`,
      failureOptions(spec, false),
    );
  }
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const started = performance.now();
  const report = (status: number) => {
    try {
      settings.onResponse?.({
        method: spec.method,
        path: spec.route,
        status,
        durationMs: performance.now() - started,
        attempt,
      });
    } catch {
      // A metrics hook must never break an API call.
    }
  };

  let response: Response;
  let text: string;
  try {
    response = await untilAborted(
      Promise.resolve(settings.fetch(urlFor(settings, spec), requestInit(settings, spec, signal))),
      signal,
    );
    text = await untilAborted(response.text(), signal);
  } catch (error) {
    report(0);
    throw transportFailure(error, spec, { timeout, caller: options.signal, timeoutMs });
  }
  report(response.status);
  if (response.status >= 200 && response.status < 300) return parseSuccess(settings, spec, text);
  throw errorFor(settings, spec, response, text);
}

function urlFor(settings: TransportSettings, spec: CallSpec<unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(spec.query ?? {})) {
    if (value !== undefined) query.set(name, String(value));
  }
  const search = query.size > 0 ? `?${query}` : '';
  return `${settings.baseUrl}${spec.path}${search}`;
}

function requestInit(settings: TransportSettings, spec: CallSpec<unknown>, signal: AbortSignal): RequestInit {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': settings.userAgent,
  };
  if (spec.auth) headers['x-api-key'] = settings.privateKey;
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: spec.method,
    headers,
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    signal,
    // A redirect could carry `x-api-key` to another host: never follow one.
    redirect: 'manual',
  };
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (for fetch stand-ins that ignore signals). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function failureOptions(spec: CallSpec<unknown>, outcomeUnknown: boolean): PointsErrorOptions {
  return { status: null, operation: operationOf(spec), outcomeUnknown };
}

const unknownOutcomeHint = ' The outcome is unknown: reconcile (e.g. with getOrder) before trying again.';

function transportFailure(
  error: unknown,
  spec: CallSpec<unknown>,
  signals: { timeout: AbortSignal; caller: AbortSignal | undefined; timeoutMs: number },
): PointsError {
  const mayHaveActed = spec.retry !== 'idempotent';
  const hint = mayHaveActed ? unknownOutcomeHint : '';
  const operation = operationOf(spec);
  if (signals.caller?.aborted) {
    return new PointsAbortedError(`${operation} was aborted.${hint}`, failureOptions(spec, mayHaveActed));
  }
  if (signals.timeout.aborted) {
    return new PointsTimeoutError(
      `${operation} got no answer within ${signals.timeoutMs} ms.${hint}`,
      failureOptions(spec, mayHaveActed),
    );
  }
  const code = errorCode(error);
  const sent = !(code !== undefined && notSentCodes.has(code));
  return new PointsNetworkError(
    `${operation} failed: ${code ?? 'network error'}.${sent ? hint : ''}`,
    failureOptions(spec, mayHaveActed && sent),
  );
}

/** The system error code (`ECONNREFUSED`…) of a fetch failure, looking through `cause`. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

function readJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function parseSuccess<T>(settings: TransportSettings, spec: CallSpec<T>, text: string): T {
  const operation = operationOf(spec);
  const json = readJson(text);
  if (!json.ok) {
    throw new PointsResponseError(`${operation}: the answer is not JSON`, [], { operation, status: 200 });
  }
  const body = json.value;
  const envelope = envelopeSchema.safeParse(body);
  if (envelope.success && envelope.data.status === false) {
    const message = scrub(settings, envelope.data.message ?? '');
    throw new PointsResponseError(`${operation}: a 2xx answer with status false: ${message}`, [], {
      operation,
      status: 200,
    });
  }
  const payload = spec.unwrap === 'data' && isObject(body) && 'data' in body ? body.data : body;
  const parsed = spec.schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = issueLines(parsed.error.issues);
  throw new PointsResponseError(`${operation}: unexpected answer (${issues.join('; ')})`, issues, {
    operation,
    status: 200,
  });
}

function scrub(settings: TransportSettings, text: string): string {
  return settings.privateKey ? text.replaceAll(settings.privateKey, '[redacted]') : text;
}

function errorFor(settings: TransportSettings, spec: CallSpec<unknown>, response: Response, text: string) {
  const status = response.status;
  const operation = operationOf(spec);
  const json = readJson(text);
  const body = errorBodySchema.safeParse(json.ok ? json.value : undefined);
  const message = scrub(settings, (body.success && body.data.message) || `HTTP ${status}`);
  const options: PointsErrorOptions = { status, operation };

  if (status >= 300 && status < 400) {
    return new PointsResponseError(`${operation}: unexpected redirect (HTTP ${status})`, [], options);
  }
  if (status === 401 || (status === 400 && authMessages.has(message))) {
    return new PointsAuthError(message, options);
  }
  if (status === 403) return new PointsForbiddenError(message, options);
  if (status === 404) return new PointsNotFoundError(message, options);
  if (status === 422) {
    const fieldErrors: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries((body.success && body.data.errors) || {})) {
      fieldErrors[scrub(settings, field)] = (Array.isArray(messages) ? messages : [messages]).map((m) =>
        scrub(settings, m),
      );
    }
    return new PointsValidationError(message, fieldErrors, options);
  }
  if (status === 429) {
    return new PointsRateLimitError(message, parseRetryAfter(response.headers.get('retry-after')), options);
  }
  if (status >= 500) {
    const mayHaveActed = spec.retry !== 'idempotent';
    return new PointsServerError(`${message}${mayHaveActed ? unknownOutcomeHint : ''}`, {
      ...options,
      outcomeUnknown: mayHaveActed,
    });
  }
  return new PointsBadRequestError(message, options);
}
