/**
 * Resolves after `ms` milliseconds, or rejects with the signal's reason when `signal` aborts first: what
 * `node:timers/promises`' `setTimeout` does, on the `setTimeout` every runtime has.
 *
 * @example
 * await sleep(50);
 * await sleep(backoffMs(attempt), AbortSignal.timeout(10_000));
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
