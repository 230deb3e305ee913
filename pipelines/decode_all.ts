import type { Metrics } from "../infra/metrics.ts";

/** Decodes each value with `decode`; one that fails is counted as a bad record of `topic` and left out. */
export function decodeAll<T>(
  values: string[],
  decode: (text: string) => T,
  metrics: Metrics,
  topic: string,
): T[] {
  const out: T[] = [];
  for (const value of values) {
    try {
      out.push(decode(value));
    } catch {
      metrics.badRecords.inc({ topic });
    }
  }
  return out;
}
