import type { Metrics } from "../infra/metrics.ts";
import type { RecordVersion } from "../infra/kafka/record_version.ts";

/**
 * The tailer options that make a tailer of `topic` skip records of a schema version newer than
 * `version` knows, undecoded, and count them in `tracking_unknown_schema_version_total`. Tailers
 * have nowhere to dead-letter: the history writer keeps such records of driver-locations.
 */
export function tailerVersion(
  version: RecordVersion,
  metrics: Metrics | undefined,
  topic: string,
): { version: RecordVersion; onUnknownVersion: (count: number) => void } {
  return {
    version,
    onUnknownVersion: (count) => metrics?.unknownVersions.inc({ topic }, count),
  };
}
