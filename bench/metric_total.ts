/**
 * The sum of every series of the metric `name` in a Prometheus text page, whatever their labels
 * (0 when the page has none): e.g. the fixes a service accepted, over all regions.
 */
export function metricTotal(page: string, name: string): number {
  const series = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm");
  let sum = 0;
  for (const m of page.matchAll(series)) sum += Number(m[1]);
  return sum;
}
