/** The median and range of one ratio over a guard's rounds. */
export interface RatioSpread {
  median: number;
  min: number;
  max: number;
}

/**
 * The median (of the two middle values when even, to two decimals) and range of `values`,
 * leaving out nulls (a round that measured nothing); null when none is left.
 */
export function ratioSpread(values: readonly (number | null)[]): RatioSpread | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : Math.round(((v[mid - 1]! + v[mid]!) / 2) * 100) / 100;
  return { median, min: v[0]!, max: v[v.length - 1]! };
}
