/** One UTC day in epoch ms. */
export const DAY_MS = 86_400_000;
/** Period of a working driver's fixes (each fix is up to 0.9 s later than its slot). */
export const FIX_MS = 5_000;
const HOUR_MS = 3_600_000;
/** A shift never starts before 02:00 UTC; the next one of the same driver waits an hour. */
const FIRST_SHIFT_MS = 2 * HOUR_MS;

/**
 * Where the synthetic history lies. Every day from `firstDayMs` has `shiftsPerDay` shifts of
 * `shiftFixes` fixes, one every ~5 s; shift `i` of day `day` belongs to driver
 * `(day * shiftsPerDay + i) mod drivers`, so the drivers take turns, and starts at 02:00 UTC plus
 * a per-driver-and-day offset under an hour (see {@linkcode shiftOf}). The same arithmetic is in
 * the fill SQL (`history_tables.ts`).
 */
export interface HistoryLayout {
  /** start of the oldest day, epoch ms (UTC midnight) */
  firstDayMs: number;
  days: number;
  drivers: number;
  shiftFixes: number;
  shiftsPerDay: number;
  /** rows per table: days × shiftsPerDay × shiftFixes */
  rows: number;
}

/** What {@linkcode planLayout} needs. */
export interface LayoutInput {
  rows: number;
  days: number;
  drivers: number;
  shiftMinutes: number;
  /** "now", epoch ms: the history ends at the start of its UTC day */
  nowMs: number;
}

/** The layout closest to `rows` rows in whole shifts; throws when a day cannot hold them. */
export function planLayout(o: LayoutInput): HistoryLayout {
  const shiftFixes = Math.round((o.shiftMinutes * 60_000) / FIX_MS);
  const shiftsPerDay = Math.max(1, Math.round(o.rows / (o.days * shiftFixes)));
  const slots = Math.floor((DAY_MS - FIRST_SHIFT_MS) / (shiftFixes * FIX_MS + HOUR_MS));
  if (shiftsPerDay > o.drivers * slots) {
    throw new RangeError(
      `${o.rows} rows need ${shiftsPerDay} shifts a day, more than ${o.drivers} drivers ` +
        `with ${slots} shifts each can work: add drivers or days`,
    );
  }
  const todayMs = Math.floor(o.nowMs / DAY_MS) * DAY_MS;
  return {
    firstDayMs: todayMs - o.days * DAY_MS,
    days: o.days,
    drivers: o.drivers,
    shiftFixes,
    shiftsPerDay,
    rows: o.days * shiftsPerDay * shiftFixes,
  };
}

/** One driver's shift: fixes from `startMs` every ~5 s to `endMs`. */
export interface Shift {
  driverId: string;
  startMs: number;
  endMs: number;
}

/** Shift `i` (0 ≤ i < shiftsPerDay) of day `day` (0 = the oldest). */
export function shiftOf(layout: HistoryLayout, day: number, i: number): Shift {
  const d = (day * layout.shiftsPerDay + i) % layout.drivers;
  const slot = Math.floor(i / layout.drivers);
  const offsetS = (d * 7919 + day * 104729) % 3600;
  const startMs = layout.firstDayMs + day * DAY_MS + FIRST_SHIFT_MS +
    slot * (layout.shiftFixes * FIX_MS + HOUR_MS) + offsetS * 1000;
  return { driverId: `drv-${d}`, startMs, endMs: startMs + layout.shiftFixes * FIX_MS };
}

/** The fill SQL's constants, for {@linkcode fillDaySql}. */
export function layoutConstants(layout: HistoryLayout) {
  return {
    slotMs: layout.shiftFixes * FIX_MS + HOUR_MS,
    firstShiftMs: FIRST_SHIFT_MS,
    fixMs: FIX_MS,
  };
}

/** `driver_locations_pYYYYMMDD` for the UTC day starting at `dayMs`. */
export function partitionName(dayMs: number): string {
  return `driver_locations_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The UTC day start of a partition name made by {@linkcode partitionName}, or undefined. */
export function partitionDay(name: string): number | undefined {
  const m = /^driver_locations_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/**
 * `INSERT ... SELECT` of day `day`'s rows into `table`, from one `generate_series`: row n is fix
 * `n / shiftsPerDay` of shift `n mod shiftsPerDay`, so the heap is in time order with the drivers
 * interleaved, as the history writer leaves it.
 */
export function fillDaySql(table: string, layout: HistoryLayout, day: number): string {
  const { slotMs, firstShiftMs, fixMs } = layoutConstants(layout);
  const m = layout.shiftsPerDay;
  const dayStart = layout.firstDayMs + day * DAY_MS;
  return `INSERT INTO ${table}
    (driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at)
  SELECT 'drv-' || d, (${day}::bigint * 100 + slot) * 100000 + k, ts,
    lat, lon, (4 + (k * 7 + d) % 8)::real, ((k * 3 + d * 17) % 360)::real,
    (3 + (k + d) % 10)::real, CASE WHEN lat < 12.97 THEN 'south' ELSE 'north' END,
    ts + 80 + k % 200
  FROM (
    SELECT k, d, slot,
      ${dayStart}::bigint + ${firstShiftMs} + slot * ${slotMs} + ((d * 7919 + ${day * 104729})
        % 3600) * 1000 + k * ${fixMs} + (k * 37 + d * 11) % 900 AS ts,
      12.85 + ((d * 13) % 280) / 1000.0 + k * 0.000015 AS lat,
      77.45 + ((d * 29) % 280) / 1000.0 + k * 0.00001 AS lon
    FROM (
      SELECT n / ${m} AS k, (${day * m}::bigint + n % ${m}) % ${layout.drivers} AS d,
        (n % ${m}) / ${layout.drivers} AS slot
      FROM generate_series(0::bigint, ${m * layout.shiftFixes - 1}) AS n
    ) AS g
  ) AS f`;
}
