import type { Buffer } from "node:buffer";
import { Consumer, type MessagesStream, stringDeserializer } from "@platformatic/kafka";
import { retry } from "../../lib/retry.ts";
import { clientOptions, type KafkaConnection } from "./kafka_connection.ts";
import {
  countUndecodable,
  DecodedLocations,
  type RawMessage,
  type UndecodableRecord,
} from "./decode_locations.ts";
import type { Metrics } from "../metrics.ts";
import type { ConsumedLocation } from "../../domain/consumed_location.ts";
import { logger } from "../../lib/log.ts";
import { CommitBatcher, type Committable } from "./commit_batcher.ts";
import { type FetchWait, fetchWaitOptions } from "./fetch_wait.ts";

const _log = logger("kafka");

/** Options for {@linkcode LocationConsumer.start}. */
export interface LocationConsumerOptions {
  readonly kafka: KafkaConnection;
  readonly topic: string;
  readonly groupId: string;
  /**
   * `committed`: resume from the group's committed offsets (from the earliest when none), for
   * at-least-once sinks. `latest`: live view only, from the end of each partition.
   */
  readonly mode: "committed" | "latest";
  /**
   * Receives records grouped by partition, in offset order. Consumption pauses until the
   * promise settles, so a slow handler holds back the stream instead of buffering without end.
   * A rejection ends the consumer through `onFailure`: nothing after it is handed on or committed.
   */
  readonly onRecords: (partition: number, records: ConsumedLocation[]) => Promise<void>;
  /** Gets the records that could not be decoded, before the records after them are handed on. */
  readonly onUndecodable?: (records: UndecodableRecord[]) => Promise<void>;
  /**
   * Told once when the consumer can no longer go on (its stream failed, or a handler did). The
   * owner closes it and builds a new one, which resumes from the committed offsets.
   */
  readonly onFailure: (error: unknown) => void;
  readonly metrics?: Metrics;
  /** Records gathered before the stream pauses for the handler (default 2,000). */
  readonly maxPending?: number;
  /**
   * Longest time a record's `commit()` waits to be sent with the others (default 1,000 ms): see
   * {@linkcode CommitBatcher}. Closing the consumer sends what is held first.
   */
  readonly commitIntervalMs?: number;
  /** How long a fetch waits on the broker for records to gather (default: `FETCH_WAITS.immediate`). */
  readonly fetchWait?: FetchWait;
}

/**
 * Reads driver-locations through a consumer group with manual commits, and decodes records.
 * It does not heal itself: on the first failure it stops handing records on and calls
 * `onFailure`, and its owner (a supervised stream actor) rebuilds it.
 */
export class LocationConsumer {
  #consumer: Consumer<string, string, Buffer, Buffer>;
  #stream: MessagesStream<string, string, Buffer, Buffer>;
  #options: LocationConsumerOptions;
  #draining: Promise<void> = Promise.resolve();
  #paused = false;
  #failed = false;
  #closed = false;
  #closing = false;
  #commits: CommitBatcher;

  private constructor(
    consumer: Consumer<string, string, Buffer, Buffer>,
    stream: MessagesStream<string, string, Buffer, Buffer>,
    options: LocationConsumerOptions,
  ) {
    this.#consumer = consumer;
    this.#stream = stream;
    this.#options = options;
    this.#commits = new CommitBatcher({
      groupId: options.groupId,
      ...(options.commitIntervalMs !== undefined && { intervalMs: options.commitIntervalMs }),
    });
  }

  /** Joins the group and starts delivering records to `onRecords`. */
  static async start(options: LocationConsumerOptions): Promise<LocationConsumer> {
    const consumer = new Consumer({
      ...clientOptions(options.kafka, `tracking-${options.groupId}`),
      groupId: options.groupId,
      // Headers stay bytes: the schema version is checked by comparing them (`record_version.ts`).
      deserializers: { key: stringDeserializer, value: stringDeserializer },
      autocommit: false,
      // A dead instance's partitions move on after 10 s instead of the library's minute.
      sessionTimeout: 10_000,
      rebalanceTimeout: 15_000,
      heartbeatInterval: 1_000,
      ...fetchWaitOptions(options.fetchWait),
    });
    // The client itself emits "error" when a rejoin fails (its heartbeats then stop). With no
    // listener that error would end the process; it ends this consumer instead, or, once the
    // consumer is closing, it is what closing does to a pending rejoin.
    const started: { self?: LocationConsumer } = {};
    consumer.on("error", (error: unknown) => {
      if (started.self) started.self.#clientFailed(error);
      else _log.warn("consumer client error before start", { group: options.groupId, error });
    });
    let stream: MessagesStream<string, string, Buffer, Buffer>;
    try {
      stream = await consumer.consume({
        topics: [options.topic],
        mode: options.mode,
        fallbackMode: options.mode === "committed" ? "earliest" : "latest",
        autocommit: false,
      });
    } catch (error) {
      void _closeForGood(consumer, options.groupId);
      throw error;
    }
    consumer.on(
      "consumer:group:join",
      (join: { memberId?: string; assignments?: { topic: string; partitions: number[] }[] }) => {
        _log.info("consumer group joined", {
          group: options.groupId,
          memberId: join.memberId,
          partitions: Object.fromEntries(
            (join.assignments ?? []).map((a) => [a.topic, [...a.partitions]]),
          ),
        });
      },
    );
    const self = new LocationConsumer(consumer, stream, options);
    started.self = self;
    self.#pipe();
    if (options.metrics) self.#monitorLag(options.metrics);
    return self;
  }

  /** Stops reading and waits until the handler has finished with everything it was given. */
  async pause(): Promise<void> {
    this.#stream.pause();
    this.#paused = true;
    await this.#draining;
  }

  /** Stops reading, waits for the handler, and leaves the group. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#consumer.stopLagMonitoring();
    if (!this.#failed) await this.pause();
    if (!this.#failed) await this.#commits.flush();
    this.#closed = true;
    this.#stream.pause();
    await this.#stream.close().catch(() => {});
    await _closeForGood(this.#consumer, this.#options.groupId);
  }

  /**
   * Asks for a commit past a record, sent with the others within `commitIntervalMs`; throws at
   * once when this consumer has failed or closed (its records are delivered again to the next).
   */
  #commit(commit: Committable): Promise<void> {
    if (this.#failed || this.#closed) {
      return Promise.reject(new Error("the consumer is gone; records come again"));
    }
    this.#commits.request(commit);
    return Promise.resolve();
  }

  #clientFailed(error: unknown): void {
    if (this.#closing) {
      _log.info("consumer client error while closing", { group: this.#options.groupId, error });
      return;
    }
    this.#fail(error);
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#commits.drop();
    this.#stream.pause();
    this.#options.onFailure(error);
  }

  #pipe(): void {
    const options = this.#options;
    const maxPending = options.maxPending ?? 2000;
    const request = (commit: Committable) => this.#commit(commit);
    let pending = new DecodedLocations(request);
    let busy = false;
    const drain = async () => {
      busy = true;
      try {
        while (pending.size > 0 && !this.#failed) {
          const batch = pending;
          pending = new DecodedLocations(request);
          if (batch.undecodable.length > 0) {
            countUndecodable(batch.undecodable, options.topic, options.metrics);
            await options.onUndecodable?.(batch.undecodable);
          }
          for (const [partition, records] of batch.byPartition()) {
            options.metrics?.consumedBatchSize.observe({ group: options.groupId }, records.length);
            await options.onRecords(partition, records);
          }
        }
      } catch (error) {
        this.#fail(error);
      }
      busy = false;
      if (!this.#paused && !this.#failed && this.#stream.isPaused() && !this.#stream.destroyed) {
        this.#stream.resume();
      }
    };
    this.#stream.on("data", (message: RawMessage) => {
      if (this.#failed) return;
      try {
        pending.add(message);
      } catch (error) {
        return this.#fail(error);
      }
      if (pending.size >= maxPending) this.#stream.pause();
      if (!busy) this.#draining = drain();
    });
    this.#stream.on("error", (error: Error) => this.#fail(error));
  }

  #monitorLag(metrics: Metrics): void {
    const group = this.#options.groupId;
    this.#consumer.on("consumer:lag", (lag) => {
      for (const [topic, partitions] of lag) {
        partitions.forEach((value, partition) => {
          metrics.consumerLag.set({ group, topic, partition: String(partition) }, Number(value));
        });
      }
    });
    this.#consumer.startLagMonitoring({ topics: [this.#options.topic] }, 5_000);
  }
}

/**
 * Closes `consumer`, again and again until the broker lets it leave its group. A consumer whose
 * close failed (the broker was down) stays a member: its heartbeats resume with the broker and it
 * holds partitions that nobody reads, so the consumer built to replace it would get none.
 */
async function _closeForGood(
  consumer: Consumer<string, string, Buffer, Buffer>,
  groupId: string,
): Promise<void> {
  await retry(() => consumer.close(true), { minMs: 500, maxMs: 5_000, maxAttempts: 120 })
    .catch((error) => _log.warn("consumer could not leave its group", { group: groupId, error }));
}
