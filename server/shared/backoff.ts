/** The nominal delay before retry `attempt` (1-based): `baseMs × 2^(attempt−1)`, capped at `capMs`. */
function nominalMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Delay before retry `attempt` (1-based): `baseMs × 2^(attempt−1)` capped at `capMs`, with "equal jitter":
 * a random point between half of that and all of it. Never near zero, so a retry storm still spreads out
 * while the next attempt is never sooner than half the nominal delay.
 *
 * @example
 * backoffMs(3, 1_000, 300_000); // 2 000 to 4 000
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = nominalMs(attempt, baseMs, capMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The same doubling, with jitter only upward: the nominal delay plus up to 10 %. For retries whose total
 * span is promised (a day of merchant notifications), so the jitter can never shorten it.
 *
 * @example
 * backoffAtLeastMs(2, 30_000, 3_600_000); // 60 000 to 66 000
 */
export function backoffAtLeastMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  return Math.round(nominalMs(attempt, baseMs, capMs) * (1 + random() * 0.1));
}

/**
 * Retries of a job whose kind names no policy of its own (`jobs/registry.ts`), and of a worker given none:
 * 1 s doubling to 5 min.
 */
export const defaultJobRetryDelayMs = (attempt: number, random = Math.random): number =>
  backoffMs(attempt, 1_000, 300_000, random);
