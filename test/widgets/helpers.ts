/** Test helpers for the widget tests: a scripted edge server behind `window.fetch`, and frames. */
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

/** One request the scripted server saw. */
export interface SeenRequest {
  method: string;
  url: URL;
  body: unknown;
  credentials: RequestCredentials | undefined;
  contentType: string | null;
}

type Handler = (request: SeenRequest) => Response | Promise<Response>;

/** A scripted edge server: `window.fetch` answers from `handler` and records every request. */
export interface ScriptedServer {
  requests: SeenRequest[];
  restore(): void;
}

/**
 * Replaces `window.fetch` (the widgets' network boundary) with `handler`. Call `restore()` after.
 * @example const server = scriptServer(() => json({ earnRate: 10 }));
 */
export function scriptServer(handler: Handler): ScriptedServer {
  const original = window.fetch;
  const requests: SeenRequest[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const seen: SeenRequest = {
      method: init?.method ?? 'GET',
      url,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
      credentials: init?.credentials,
      contentType: headers.get('content-type'),
    };
    requests.push(seen);
    return handler(seen);
  };
  return { requests, restore: () => (window.fetch = original) };
}

/** A JSON response. */
export function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

/** An RFC 9457 problem response. */
export function problem(
  status: number,
  code: string,
  detail = 'internal detail the shopper must not see',
): Response {
  return json(
    { type: `https://errors.test/${code}`, title: code, status, detail, code },
    status,
    'application/problem+json',
  );
}

/** A promise with its resolve exposed: lets a test hold a response until it has looked at the busy state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A fresh edge URL per test, so cached configs never leak between tests or test files. */
export function uniqueServer(): string {
  return `https://edge-${Math.random().toString(36).slice(2)}.test/`;
}

/** Text content of an element's shadow root, whitespace collapsed. */
export function shadowText(element: Element): string {
  return ((element.shadowRoot ?? element).textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits for the next rendered frame (layout done). */
export function nextPaint(win: Window = window): Promise<void> {
  return new Promise((done) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => done())));
}

/** An iframe pointed at its document by `point`; resolves once that document has loaded. */
async function loadedFrame(
  point: (iframe: HTMLIFrameElement) => void,
  width: number,
): Promise<HTMLIFrameElement> {
  const iframe = document.createElement('iframe');
  iframe.width = String(width);
  iframe.height = '700';
  const loaded = new Promise((done) => iframe.addEventListener('load', done, { once: true }));
  point(iframe);
  document.body.append(iframe);
  await loaded;
  return iframe;
}

/**
 * An iframe whose document is `html` (same origin as the test page, so `/widgets/...` and
 * `/dist/...` load from the test server). Resolves once that document has loaded.
 */
export function frame(html: string, width = 600): Promise<HTMLIFrameElement> {
  return loadedFrame((iframe) => (iframe.srcdoc = html), width);
}

/** An iframe showing the same-origin page at `url`. Resolves once it has loaded. */
export function frameAt(url: string, width = 600): Promise<HTMLIFrameElement> {
  return loadedFrame((iframe) => (iframe.src = url), width);
}

/** Loads a module script into a frame and resolves when it has run (or rejects if it failed). */
export function loadModule(iframe: HTMLIFrameElement, src: string): Promise<void> {
  const doc = iframe.contentDocument!;
  const script = doc.createElement('script');
  script.type = 'module';
  script.src = src;
  return new Promise((done, fail) => {
    script.addEventListener('load', () => done(), { once: true });
    script.addEventListener('error', () => fail(new Error(`could not load ${src}`)), { once: true });
    doc.head.append(script);
  });
}

/** The four element names, in the order the tests walk them. */
export const tagNames = [
  'points-product-message',
  'points-checkout-message',
  'points-pay-button',
  'points-order-status',
] as const;

/**
 * Waits until `predicate` holds, re-checking on every frame: `@open-wc/testing`'s `waitUntil` with a
 * timeout generous enough for a busy 2-core machine (the first lazy chunk may take a while to compile).
 */
export function waitUntil(predicate: () => unknown, message?: string): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: 10_000, interval: 10 });
}
