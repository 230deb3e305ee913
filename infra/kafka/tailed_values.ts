import type { RecordsBatch } from "@platformatic/kafka";
import type { RecordVersion } from "./record_version.ts";

const IS_CONTROL = 0b10_0000;
const decoder = new TextDecoder();

/** What a tailer hands on from the record batches of one partition's fetch. */
export interface TailedValues {
  /** The values kept, in offset order, as text. */
  readonly values: string[];
  /** The offset after the last record fetched: where the next fetch starts. */
  readonly next: bigint;
  /** How many records were skipped for a schema version newer than `version` (or not one). */
  readonly unknownVersions: number;
}

/**
 * The values of `batches` from offset `requested` on, leaving out control batches, records
 * without a value, records whose key `keep` refuses (before their value is decoded), and records
 * whose `schema-version` header `version` does not know (counted).
 */
export function tailedValues(
  batches: readonly RecordsBatch[],
  requested: bigint,
  { keep, version }: { keep?: (key: string) => boolean; version?: RecordVersion },
): TailedValues {
  const values: string[] = [];
  let next = requested;
  let unknownVersions = 0;
  for (const batch of batches) {
    next = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (batch.attributes & IS_CONTROL) continue;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < requested || !record.value) continue;
      if (keep && record.key?.length && !keep(decoder.decode(record.key))) continue;
      if (version && version.problem(record.headers) !== undefined) {
        unknownVersions++;
        continue;
      }
      values.push(decoder.decode(record.value));
    }
  }
  return { values, next, unknownVersions };
}
