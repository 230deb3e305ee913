import type { Buffer } from "node:buffer";
import type { Message } from "@platformatic/kafka";
import { decodeLocationRecord, type LocationRecord } from "../../domain/location_record.ts";
import type { ConsumedLocation } from "../../domain/consumed_location.ts";
import { LOCATION_RECORD_VERSION } from "./record_version.ts";
import type { Metrics } from "../metrics.ts";

/** A record that could not be decoded: kept aside by `onUndecodable`, never handed on. */
export interface UndecodableRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The value as read, text. */
  readonly value: string;
  /** Why it was refused. */
  readonly error: string;
  /** Refused for its schema-version header (newer than this reader knows), not for its value. */
  readonly unknownVersion: boolean;
}

/** A message as the location consumer reads it: string key and value, headers in bytes. */
export type RawMessage = Message<string, string, Buffer, Buffer>;

/** A batch of messages decoded: the records by partition, in offset order, and those refused. */
export interface DecodedLocations {
  readonly byPartition: Map<number, ConsumedLocation[]>;
  readonly undecodable: UndecodableRecord[];
}

/**
 * Decodes each message of `batch` into a {@linkcode ConsumedLocation} whose `commit()` calls
 * `commit` with its message; one that is not a location record is set aside with the reason
 * (cut at 500 characters), and so is one whose `schema-version` header is newer than this reader
 * knows, before its value is read.
 */
export function decodeLocations(
  batch: readonly RawMessage[],
  commit: (message: RawMessage) => Promise<void>,
): DecodedLocations {
  const byPartition = new Map<number, ConsumedLocation[]>();
  const undecodable: UndecodableRecord[] = [];
  for (const message of batch) {
    const { topic, partition, offset } = message;
    const newer = LOCATION_RECORD_VERSION.problem(message.headerEntries);
    let record: LocationRecord;
    try {
      if (newer !== undefined) throw new Error(newer);
      record = decodeLocationRecord(message.value);
    } catch (error) {
      const value = String(message.value ?? "");
      const unknownVersion = newer !== undefined;
      undecodable.push({ topic, partition, offset, value, error: _reason(error), unknownVersion });
      continue;
    }
    const list = byPartition.get(partition) ?? [];
    list.push(new _Consumed(record, message, commit));
    byPartition.set(partition, list);
  }
  return { byPartition, undecodable };
}

/** A decoded record that commits through its message (one object a record, no closure). */
class _Consumed implements ConsumedLocation {
  readonly record: LocationRecord;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  #message: RawMessage;
  #commit: (message: RawMessage) => Promise<void>;

  constructor(
    record: LocationRecord,
    message: RawMessage,
    commit: (message: RawMessage) => Promise<void>,
  ) {
    this.record = record;
    this.topic = message.topic;
    this.partition = message.partition;
    this.offset = message.offset;
    this.#message = message;
    this.#commit = commit;
  }

  commit(): Promise<void> {
    return this.#commit(this.#message);
  }
}

function _reason(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/** Counts records set aside: of a schema version this reader does not know, or bad. */
export function countUndecodable(
  records: readonly UndecodableRecord[],
  topic: string,
  metrics: Metrics | undefined,
): void {
  const newer = records.filter((r) => r.unknownVersion).length;
  if (newer > 0) metrics?.unknownVersions.inc({ topic }, newer);
  if (newer < records.length) metrics?.badRecords.inc({ topic }, records.length - newer);
}
