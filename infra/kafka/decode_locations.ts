import type { Buffer } from "node:buffer";
import type { Message } from "@platformatic/kafka";
import { decodeLocationRecord, type LocationRecord } from "../../domain/location_record.ts";
import type { ConsumedLocation } from "../../domain/consumed_location.ts";
import { LOCATION_RECORD_VERSION } from "./record_version.ts";
import type { Metrics } from "../metrics.ts";
import type { Committable } from "./commit_batcher.ts";

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

/**
 * Messages decoded as they arrive, waiting to be handed on: the records in offset order and those
 * refused. A message is decoded when it is added and not kept, so the Kafka client's objects for
 * it (a copy of the record, a header map and list, the key and value) die in the young generation;
 * kept until the batch's handler was done (a history insert, a notifier query) they outlived it
 * and were two thirds of what the service promoted to the old space per fix (docs/performance.md).
 */
export class DecodedLocations {
  readonly records: ConsumedLocation[] = [];
  readonly undecodable: UndecodableRecord[] = [];
  #request: (commit: Committable) => Promise<void>;

  /** `request` gets a record's commit when its handler commits it. */
  constructor(request: (commit: Committable) => Promise<void>) {
    this.#request = request;
  }

  /** Messages held. */
  get size(): number {
    return this.records.length + this.undecodable.length;
  }

  /**
   * Decodes `message` into a {@linkcode ConsumedLocation}; one that is not a location record is
   * set aside with the reason (cut at 500 characters), and so is one whose `schema-version` header
   * is newer than this reader knows, before its value is read.
   */
  add(message: RawMessage): void {
    const { topic, partition, offset } = message;
    const newer = LOCATION_RECORD_VERSION.problem(message.headerEntries);
    let record: LocationRecord;
    try {
      if (newer !== undefined) throw new Error(newer);
      record = decodeLocationRecord(message.value);
    } catch (error) {
      const value = String(message.value ?? "");
      const unknownVersion = newer !== undefined;
      this.undecodable.push({
        topic,
        partition,
        offset,
        value,
        error: _reason(error),
        unknownVersion,
      });
      return;
    }
    this.records.push(new _Consumed(record, message, this.#request));
  }

  /** The records by partition, each in offset order. */
  byPartition(): Map<number, ConsumedLocation[]> {
    const byPartition = new Map<number, ConsumedLocation[]>();
    for (const r of this.records) {
      const list = byPartition.get(r.partition);
      if (list) list.push(r);
      else byPartition.set(r.partition, [r]);
    }
    return byPartition;
  }
}

/**
 * A decoded record. It keeps the message's own `commit` (bound by the client to the partition,
 * offset and leader epoch), not the message.
 */
class _Consumed implements ConsumedLocation {
  readonly record: LocationRecord;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  #send: RawMessage["commit"];
  #request: (commit: Committable) => Promise<void>;

  constructor(
    record: LocationRecord,
    message: RawMessage,
    request: (commit: Committable) => Promise<void>,
  ) {
    this.record = record;
    this.topic = message.topic;
    this.partition = message.partition;
    this.offset = message.offset;
    this.#send = message.commit;
    this.#request = request;
  }

  commit(): Promise<void> {
    return this.#request({ partition: this.partition, offset: this.offset, commit: this.#send });
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
