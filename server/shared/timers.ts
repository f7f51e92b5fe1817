/** A timer as `setInterval` returns it: an object on Node and Bun, a number on Deno and Workers. */
export type IntervalTimer = ReturnType<typeof setInterval>;

/**
 * Lets the process exit while `timer` is pending (Node and Bun, whose timers keep it alive); a no-op on
 * runtimes whose timers are numbers.
 *
 * @example
 * unrefTimer(setInterval(poll, 1000));
 */
export function unrefTimer(timer: IntervalTimer): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * Runs `callback` after the I/O already waiting in this turn of the event loop (`setImmediate` where the
 * runtime has it: Node, Bun, Deno, workerd with `nodejs_compat`), else on the next timer tick.
 *
 * @example
 * afterPendingIo(sendWaiting);
 */
export function afterPendingIo(callback: () => void): void {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(callback);
  else setTimeout(callback, 0);
}
