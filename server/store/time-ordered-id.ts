/**
 * A UUIDv7 (RFC 9562): the millisecond time in its first 48 bits, then 74 random bits. Rows keyed by it are
 * inserted in key order, so each commit writes to the end of the primary-key index instead of a random
 * page of it: with v4 ids, a group of webhook receipts touched one index page per receipt, and writing
 * those pages to the WAL was most of the commit's cost.
 *
 * @example
 * timeOrderedId(Date.UTC(2026, 0, 1)); // '019b76da-a800-7…'
 */
export function timeOrderedId(now: number = Date.now()): string {
  // A v4 id is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx with V already the RFC variant: keep its random tail.
  const random = crypto.randomUUID();
  return `${timePrefix(Math.trunc(now))}7${random.slice(15)}`;
}

let lastTime = -1;
let lastPrefix = '';

/** `xxxxxxxx-xxxx-` from the time; ids made in the same millisecond (most, under load) share it. */
function timePrefix(time: number): string {
  if (time !== lastTime) {
    const hex = time.toString(16).padStart(12, '0');
    lastTime = time;
    lastPrefix = `${hex.slice(0, 8)}-${hex.slice(8)}-`;
  }
  return lastPrefix;
}

/**
 * The lowest id {@link timeOrderedId} makes at `time`: every id made earlier sorts below it, so
 * `id < firstTimeOrderedId(cutoff)` finds the older rows through the primary key's index.
 *
 * @example
 * db.deleteFrom('jobs').where('id', '<', firstTimeOrderedId(Date.now() - 86_400_000));
 */
export function firstTimeOrderedId(time: number): string {
  const hex = Math.max(0, Math.trunc(time)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-`;
}

/**
 * The millisecond time a {@link timeOrderedId} was made at.
 *
 * @example
 * timeOfOrderedId(timeOrderedId(5)); // 5
 */
export function timeOfOrderedId(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
