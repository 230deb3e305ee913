/** What a history answer says when the requested range reaches past the retention window. */
export interface RetentionNote {
  /** `HISTORY_RETENTION_DAYS`: days of fixes kept. */
  readonly days: number;
  /** The oldest fix time that may still be read, ISO 8601. */
  readonly oldest: string;
}

/** A time range of fixes, epoch ms, both ends inclusive and optional. */
export interface TimeRange {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/** The range that may be read: see {@linkcode withinRetention}. */
export interface RetainedRange {
  /** The lower bound, moved up to the oldest retained fix time. */
  readonly from: number;
  /** The upper bound, unchanged. */
  readonly to?: number;
  /** True when the whole range is older than the window: nothing may be read. */
  readonly empty: boolean;
  /** Present when the requested range reached before the window. */
  readonly note?: RetentionNote;
}

const _DAY_MS = 86_400_000;

/**
 * Limits a range to the last `days` days before `now` (epoch ms): fixes older than that are
 * not read, whether or not the day partition holding them has been dropped yet. A range
 * entirely older is `empty`; one that starts before the window gets a `note`.
 */
export function withinRetention(range: TimeRange, days: number, now: number): RetainedRange {
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new RangeError(`days must be a positive integer, got ${days}`);
  }
  const oldest = now - days * _DAY_MS;
  const { from, to } = range;
  const reaches = (from !== undefined && from < oldest) || (to !== undefined && to < oldest);
  return {
    from: Math.max(from ?? oldest, oldest),
    ...(to === undefined ? {} : { to }),
    empty: to !== undefined && to < oldest,
    ...(reaches ? { note: { days, oldest: new Date(oldest).toISOString() } } : {}),
  };
}
