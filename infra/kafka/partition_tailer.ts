import { Consumer, type FetchOptions } from "@platformatic/kafka";
import { backoffDelay } from "../../lib/retry.ts";
import { clientOptions, type KafkaConnection } from "./kafka_connection.ts";
import type { RecordVersion } from "./record_version.ts";
import { tailedValues } from "./tailed_values.ts";
import { type FetchWait, fetchWaitOptions } from "./fetch_wait.ts";
import { logger } from "../../lib/log.ts";

const _log = logger("kafka");

type FetchRequestTopic = FetchOptions<Buffer, Buffer, Buffer, Buffer>["topics"][number];

/** Options for {@linkcode PartitionTailer.start}. */
export interface PartitionTailerOptions {
  readonly kafka: KafkaConnection;
  readonly topic: string;
  /** Names the client in broker logs. */
  readonly clientId: string;
  /** Gets the values of one partition's new records, in offset order; awaited before the next fetch. */
  readonly onRecords: (partition: number, values: string[]) => void | Promise<void>;
  /**
   * Which records to hand on, by key (records without a key are kept). The others are skipped
   * before their value is decoded: a live view that needs a few drivers out of many pays little
   * for the rest.
   */
  readonly keep?: (key: string) => boolean;
  /**
   * The topic's schema version: a record whose `schema-version` header is newer (or not a
   * version) is skipped before its value is decoded, and counted through `onUnknownVersion`.
   */
  readonly version?: RecordVersion;
  /** Told how many records of one fetch were skipped for their schema version. */
  readonly onUnknownVersion?: (count: number) => void;
  /** How long a fetch waits on the broker for records to gather (default: `FETCH_WAITS.immediate`). */
  readonly fetchWait?: FetchWait;
  /**
   * Told once after `maxFailures` fetches in a row failed (each retried with backoff and fresh
   * metadata first); the tailer has then stopped, and its owner rebuilds it.
   */
  readonly onFailure?: (error: unknown) => void;
  /** Failed fetches in a row before `onFailure` (default 5: about 4 s of retries). */
  readonly maxFailures?: number;
}

const LATEST = -1n;
/** Kafka's error code for a fetch offset the partition no longer (or not yet) has. */
const OFFSET_OUT_OF_RANGE = 1;

/**
 * Reads the newest records of the partitions it is told to want, assigned directly (no consumer
 * group, no commits): what an instance's live fan-out needs, since it only shows what happens from
 * now on. A newly wanted partition starts at its end (or where `start` is told to resume); a
 * dropped one is forgotten. After a failed fetch it goes on from where it was.
 */
export class PartitionTailer {
  #consumer: Consumer;
  #options: PartitionTailerOptions;
  #offsets = new Map<number, bigint>();
  #wanted = new Set<number>();
  #wake: (() => void) | undefined;
  #closed = false;
  /** After a failed fetch the cached metadata (leaders) may be wrong: ask the broker again. */
  #staleMetadata = false;
  #loop: Promise<void> = Promise.resolve();

  private constructor(options: PartitionTailerOptions) {
    this.#options = options;
    // groupId is required by the type but never joined: only metadata, listOffsets and fetch are used.
    this.#consumer = new Consumer({
      ...clientOptions(options.kafka, options.clientId),
      groupId: `${options.clientId}-unused`,
    });
  }

  /**
   * Connects (rejects when the topic's metadata cannot be read) and starts tailing `partitions`
   * (more or fewer later through {@linkcode want}).
   */
  static async start(
    options: PartitionTailerOptions,
    partitions: Iterable<number> = [],
    resume: ReadonlyMap<number, bigint> = new Map(),
  ): Promise<PartitionTailer> {
    const tailer = new PartitionTailer(options);
    try {
      const metadata = await tailer.#consumer.metadata({ topics: [options.topic] });
      if (!metadata.topics.has(options.topic)) throw new Error(`topic ${options.topic} not found`);
    } catch (error) {
      await tailer.#consumer.close(true).catch(() => {});
      throw error;
    }
    tailer.#wanted = new Set(partitions);
    for (const [p, offset] of resume) if (tailer.#wanted.has(p)) tailer.#offsets.set(p, offset);
    tailer.#loop = tailer.#run();
    return tailer;
  }

  /**
   * Where each partition read so far goes on (the next offset): hand it to the next tailer's
   * `start` so that a rebuilt tailer misses nothing.
   */
  get offsets(): ReadonlyMap<number, bigint> {
    return new Map(this.#offsets);
  }

  /** Whether every partition wanted has its place: from then on nothing published there is missed. */
  get positioned(): boolean {
    for (const p of this.#wanted) if (!this.#offsets.has(p)) return false;
    return true;
  }

  /** The partitions being read. */
  get partitions(): ReadonlySet<number> {
    return this.#wanted;
  }

  /** Replaces the set of partitions to read. */
  want(partitions: Iterable<number>): void {
    this.#wanted = new Set(partitions);
    for (const p of this.#offsets.keys()) if (!this.#wanted.has(p)) this.#offsets.delete(p);
    this.#wake?.();
  }

  /** Stops after the fetch in flight and disconnects. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#loop;
    await this.#consumer.close(true).catch(() => {});
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      if (this.#wanted.size === 0) {
        await this.#sleep(Infinity);
        continue;
      }
      try {
        await this.#fetchOnce();
        failures = 0;
      } catch (error) {
        if (this.#closed) return;
        failures++;
        const { onFailure, maxFailures = 5 } = this.#options;
        if (onFailure && failures >= maxFailures) return onFailure(error);
        if (failures === 1) {
          _log.warn("tailer fetch failed, retrying", { client: this.#options.clientId, error });
        }
        // Ask for the leaders anew, and go on from where each partition was: what was published
        // meanwhile (a status, a notification) is still shown.
        this.#staleMetadata = true;
        await this.#sleep(backoffDelay(failures, { minMs: 250, maxMs: 2_000 }));
      }
    }
  }

  /** Waits `ms`, or until `want` or `close` wakes the loop. */
  async #sleep(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      if (Number.isFinite(ms)) timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.#wake = undefined;
  }

  async #fetchOnce(): Promise<void> {
    const topic = this.#options.topic;
    const metadata = await this.#consumer.metadata({
      topics: [topic],
      forceUpdate: this.#staleMetadata,
    });
    this.#staleMetadata = false;
    const info = metadata.topics.get(topic);
    if (!info) throw new Error(`topic ${topic} not found`);
    const wanted = [...this.#wanted].filter((p) => p < info.partitionsCount);
    await this.#startAtEnd(wanted.filter((p) => !this.#offsets.has(p)));
    const byLeader = new Map<number, FetchRequestTopic>();
    for (const partition of wanted) {
      const leader = info.partitions[partition]!.leader;
      const request = byLeader.get(leader) ?? { topicId: info.id, partitions: [] };
      request.partitions.push({
        partition,
        fetchOffset: this.#offsets.get(partition)!,
        partitionMaxBytes: 1 << 20,
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
      });
      byLeader.set(leader, request);
    }
    await Promise.all([...byLeader].map(([node, request]) => this.#fetchFrom(node, request)));
  }

  async #startAtEnd(partitions: number[]): Promise<void> {
    if (partitions.length === 0) return;
    const topic = this.#options.topic;
    const offsets = await this.#consumer.listOffsets({
      topics: [topic],
      partitions: { [topic]: partitions },
      timestamp: LATEST,
    });
    const list = offsets.get(topic) ?? [];
    for (const p of partitions) {
      if (this.#wanted.has(p)) this.#offsets.set(p, list[p] ?? 0n);
    }
  }

  async #fetchFrom(node: number, request: FetchRequestTopic): Promise<void> {
    const response = await this.#consumer.fetch({
      node,
      topics: [request],
      ...fetchWaitOptions(this.#options.fetchWait),
      maxBytes: 8 << 20,
    });
    for (const topic of response.responses) {
      for (const part of topic.partitions) {
        const requested = this.#offsets.get(part.partitionIndex);
        if (requested === undefined) continue; // no longer wanted
        if (part.errorCode === OFFSET_OUT_OF_RANGE) {
          // Retention removed what we were to read next: go on from the end.
          this.#offsets.delete(part.partitionIndex);
          continue;
        }
        if (part.errorCode !== 0) throw new Error(`fetch error code ${part.errorCode}`);
        const { values, next, unknownVersions } = tailedValues(
          part.records ?? [],
          requested,
          this.#options,
        );
        if (this.#offsets.has(part.partitionIndex)) this.#offsets.set(part.partitionIndex, next);
        if (unknownVersions > 0) this.#options.onUnknownVersion?.(unknownVersions);
        if (values.length > 0) await this.#options.onRecords(part.partitionIndex, values);
      }
    }
  }
}
