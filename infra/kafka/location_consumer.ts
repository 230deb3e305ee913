import {
  Consumer,
  type Message,
  type MessagesStream,
  stringDeserializers,
} from "@platformatic/kafka";
import { decodeLocationRecord, type LocationRecord } from "./location_record.ts";
import type { Metrics } from "../metrics.ts";

/** One record read from the driver-locations topic, with the means to commit past it. */
export interface ConsumedLocation {
  readonly record: LocationRecord;
  readonly partition: number;
  readonly offset: bigint;
  /** Commits this record's offset (and so everything before it in its partition). */
  commit(): Promise<void>;
}

/** Options for {@linkcode LocationConsumer.start}. */
export interface LocationConsumerOptions {
  readonly brokers: readonly string[];
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
   */
  readonly onRecords: (partition: number, records: ConsumedLocation[]) => Promise<void>;
  readonly metrics?: Metrics;
  /** Records gathered before the stream pauses for the handler (default 2,000). */
  readonly maxPending?: number;
}

type RawMessage = Message<string, string, string, string>;

/** Reads driver-locations through a consumer group with manual commits, and decodes records. */
export class LocationConsumer {
  #consumer: Consumer<string, string, string, string>;
  #stream: MessagesStream<string, string, string, string>;
  #draining: Promise<void> = Promise.resolve();
  #paused = false;

  private constructor(
    consumer: Consumer<string, string, string, string>,
    stream: MessagesStream<string, string, string, string>,
  ) {
    this.#consumer = consumer;
    this.#stream = stream;
  }

  /** Joins the group and starts delivering records to `onRecords`. */
  static async start(options: LocationConsumerOptions): Promise<LocationConsumer> {
    const consumer = new Consumer({
      clientId: `tracking-${options.groupId}`,
      groupId: options.groupId,
      bootstrapBrokers: [...options.brokers],
      deserializers: stringDeserializers,
      autocommit: false,
      // A dead instance's partitions move on after 10 s instead of the library's minute.
      sessionTimeout: 10_000,
      rebalanceTimeout: 15_000,
      heartbeatInterval: 1_000,
      maxWaitTime: 100,
    });
    const stream = await consumer.consume({
      topics: [options.topic],
      mode: options.mode,
      fallbackMode: options.mode === "committed" ? "earliest" : "latest",
      autocommit: false,
    });
    const self = new LocationConsumer(consumer, stream);
    self.#pipe(options);
    if (options.metrics) {
      const gauge = options.metrics.consumerLag;
      consumer.on("consumer:lag", (lag) => {
        for (const [topic, partitions] of lag) {
          partitions.forEach((value, partition) => {
            gauge.set(
              { group: options.groupId, topic, partition: String(partition) },
              Number(value),
            );
          });
        }
      });
      consumer.startLagMonitoring({ topics: [options.topic] }, 5_000);
    }
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
    this.#consumer.stopLagMonitoring();
    await this.pause();
    await this.#stream.close();
    await this.#consumer.close(true);
  }

  #pipe(options: LocationConsumerOptions): void {
    const maxPending = options.maxPending ?? 2000;
    let pending: RawMessage[] = [];
    let busy = false;
    const drain = async () => {
      busy = true;
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        for (const [partition, records] of _decode(batch, options)) {
          try {
            await options.onRecords(partition, records);
          } catch (error) {
            console.error(`consumer ${options.groupId}: handler failed`, error);
          }
        }
      }
      busy = false;
      if (!this.#paused && this.#stream.isPaused() && !this.#stream.destroyed) {
        this.#stream.resume();
      }
    };
    this.#stream.on("data", (message: RawMessage) => {
      pending.push(message);
      if (pending.length >= maxPending) this.#stream.pause();
      if (!busy) this.#draining = drain();
    });
    this.#stream.on("error", (error: Error) => {
      console.error(`consumer ${options.groupId}: stream error`, error);
    });
  }
}

function _decode(batch: RawMessage[], options: LocationConsumerOptions) {
  const byPartition = new Map<number, ConsumedLocation[]>();
  for (const message of batch) {
    let record: LocationRecord;
    try {
      record = decodeLocationRecord(message.value);
    } catch {
      options.metrics?.badRecords.inc({ topic: message.topic });
      continue;
    }
    const list = byPartition.get(message.partition) ?? [];
    list.push({
      record,
      partition: message.partition,
      offset: message.offset,
      commit: async () => await message.commit(),
    });
    byPartition.set(message.partition, list);
  }
  return byPartition;
}
