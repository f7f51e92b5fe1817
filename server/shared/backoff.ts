/**
 * Delay before retry `attempt` (1-based): `baseMs × 2^(attempt−1)` capped at `capMs`, with "equal jitter":
 * a random point between half of that and all of it. Never near zero, so a retry storm still spreads out
 * while the next attempt is never sooner than half the nominal delay.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
