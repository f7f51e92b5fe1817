import { sql, type RawBuilder } from 'kysely';

const dayMs = 86_400_000;
const hourMs = 3_600_000;
/** How far apart the offsets are sampled; a zone's offset changes at most a few times a year. */
const sampleMs = 6 * hourMs;

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter of wall-clock time in `timeZone`, made once a zone (making one is slow). */
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * How far `timeZone`'s clocks are ahead of UTC at the instant `at` (epoch ms), in ms: negative west of
 * Greenwich, with daylight saving when it is in force.
 *
 * @example
 * utcOffsetMs('Asia/Kolkata', Date.now()); // 19_800_000 (5 h 30 min)
 */
export function utcOffsetMs(timeZone: string, at: number): number {
  const second = Math.floor(at / 1000) * 1000;
  const parts = wallClock(timeZone).formatToParts(second);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((one) => one.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - second;
}

/** The local day number (days since 1970-01-01 on the zone's calendar) of the instant `at`. */
const localDayNumber = (timeZone: string, at: number) => Math.floor((at + utcOffsetMs(timeZone, at)) / dayMs);

/**
 * The days a chart shows, as the merchant's calendar has them, and how to find a row's day in SQL. The
 * zone's offset is constant between its changes (daylight saving), so over a window it is a handful of
 * spans; the SQL adds the span's offset to the epoch-ms column and divides by a day: plain arithmetic and
 * a `case` of a few literals, the same in SQLite, D1 and Postgres, no time zone database needed there.
 */
export interface LocalDays {
  /** The local day number of the first day shown and of today (the last). */
  first: number;
  today: number;
  /** Rows at or after this instant can fall on a shown day (earlier ones cannot): the query's range. */
  since: number;
  /** `column`'s local day number, as SQL. */
  dayOf(column: string): RawBuilder<number>;
  /** A day number's date, `YYYY-MM-DD`. */
  dateOf(day: number): string;
}

/**
 * The last `days` days in `timeZone`, today the last, and the SQL that puts a row on one of them.
 *
 * @example
 * const window = localDays('Europe/Berlin', Date.now(), 14);
 * db.selectFrom('orders').select(window.dayOf('created_at').as('day')).where('created_at', '>=', window.since);
 */
export function localDays(timeZone: string, now: number, days: number): LocalDays {
  const today = localDayNumber(timeZone, now);
  const first = today - days + 1;
  // Clocks run at most 14 h ahead of UTC: the first day cannot start earlier than this. A row between it
  // and the first day's real midnight falls on the day before, which no chart shows.
  const since = first * dayMs - 14 * hourMs;

  const spans: Array<{ until: number; offset: number }> = [];
  let offset = utcOffsetMs(timeZone, since);
  for (let at = since; at < now; at += sampleMs) {
    const next = utcOffsetMs(timeZone, Math.min(at + sampleMs, now));
    if (next === offset) continue;
    // The change is in (at, at + sampleMs]: find its second.
    let before = at;
    let after = Math.min(at + sampleMs, now);
    while (after - before > 1000) {
      const middle = Math.floor((before + after) / 2000) * 1000;
      if (utcOffsetMs(timeZone, middle) === offset) before = middle;
      else after = middle;
    }
    spans.push({ until: after, offset });
    offset = next;
  }

  return {
    first,
    today,
    since,
    dayOf(column) {
      const ref = sql.ref(column);
      // Literals, not parameters, so Postgres sees the same expression in `select` and `group by`.
      const shift = spans.length
        ? sql`case ${sql.join(
            spans.map((span) => sql`when ${ref} < ${sql.lit(span.until)} then ${sql.lit(span.offset)}`),
            sql` `,
          )} else ${sql.lit(offset)} end`
        : sql.lit(offset);
      return sql<number>`cast((${ref} + ${shift}) / ${sql.lit(dayMs)} as integer)`;
    },
    dateOf: (day) => new Date(day * dayMs).toISOString().slice(0, 10),
  };
}
