/**
 * The nearest-rank percentile of ascending-sorted values: the smallest value such that at
 * least `p` percent of the values are less than or equal to it. `NaN` for no values.
 *
 * @param sorted values in ascending order
 * @param p percentile in [0, 100]
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[rank - 1] as number;
}
