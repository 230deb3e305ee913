import type { HealthReporter } from "../../domain/health_reporter.ts";
import type { KafkaConnection } from "./kafka_connection.ts";
import { encodeLocationRecord, type LocationRecord } from "../../domain/location_record.ts";
import type { LocationPublisher } from "../../domain/location_publisher.ts";
import { ResilientProducer, type StringMessage } from "./resilient_producer.ts";
import { type RecordSender, ThreadedProducer } from "./threaded_producer.ts";
import { LOCATION_RECORD_VERSION } from "./record_version.ts";
import type { Metrics } from "../metrics.ts";
import { KAFKA_OUTAGE_DEFAULTS } from "../config.ts";
import { logger } from "../../lib/log.ts";

const _log = logger("kafka");
/** `schema-version: 1` on every record, the same bytes each time. */
const _HEADERS = LOCATION_RECORD_VERSION.headers;

/** Options for {@linkcode KafkaLocationPublisher}. */
export interface KafkaLocationPublisherOptions {
  readonly kafka: KafkaConnection;
  /** The driver-locations topic. */
  readonly topic: string;
  /** Where produce latency and batch sizes are recorded. */
  readonly metrics?: Metrics;
  /** Largest batch handed to one `send` (default 5,000). */
  readonly maxBatch?: number;
  /** Kafka client id and component name (default "location-producer"). */
  readonly clientId?: string;
  /**
   * How long a batch keeps trying while Kafka is unreachable before its records are refused,
   * ms (default 30,000). Drivers keep their sockets meanwhile; acks resume when Kafka is back.
   */
  readonly graceMs?: number;
  /** Records waiting at most; past this, `publish` refuses at once (default 100,000). */
  readonly maxQueued?: number;
  readonly health?: HealthReporter;
  /**
   * Encode and send in a thread of its own ({@linkcode ThreadedProducer}; default false, the
   * service turns it on with `KAFKA_PRODUCER_THREAD`).
   */
  readonly thread?: boolean;
}

interface Pending {
  message: StringMessage;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An idempotent Kafka producer that batches: records published while a batch is in flight
 * form the next batch, so batches grow with load and a lone record goes out at once.
 * One batch is in flight at a time, which keeps every partition's order. While Kafka is away the
 * batch is retried (see {@linkcode ResilientProducer}) and new records queue, up to `maxQueued`.
 */
export class KafkaLocationPublisher implements LocationPublisher {
  #producer: RecordSender;
  #topic: string;
  #metrics: Metrics | undefined;
  #maxBatch: number;
  #maxQueued: number;
  #queue: Pending[] = [];
  #inFlight: Promise<void> | undefined;
  #scheduled = false;
  #closed = false;

  constructor(options: KafkaLocationPublisherOptions) {
    const producer = {
      kafka: options.kafka,
      clientId: options.clientId ?? "location-producer",
      ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
      ...(options.health && { health: options.health }),
    };
    this.#producer = options.thread
      ? new ThreadedProducer(producer)
      : new ResilientProducer(producer);
    this.#topic = options.topic;
    this.#metrics = options.metrics;
    this.#maxBatch = options.maxBatch ?? 5000;
    this.#maxQueued = options.maxQueued ?? KAFKA_OUTAGE_DEFAULTS.queued;
  }

  publish(record: LocationRecord, partition: number): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("publisher is closed"));
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(new Error(`${this.#queue.length} records wait for Kafka already`));
    }
    return new Promise((resolve, reject) => {
      const value = encodeLocationRecord(record);
      this.#queue.push({
        message: { topic: this.#topic, key: record.driverId, value, partition, headers: _HEADERS },
        resolve,
        reject,
      });
      this.#schedule();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#queue.length > 0 || this.#inFlight) {
      if (!this.#inFlight) this.#flush();
      await this.#inFlight;
    }
    await this.#producer.close();
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    // One macrotask lets every frame that arrived in this turn of the event loop join the batch.
    setTimeout(() => {
      this.#scheduled = false;
      this.#flush();
    }, 0);
  }

  #flush(): void {
    if (this.#inFlight || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#maxBatch);
    const started = performance.now();
    this.#inFlight = this.#producer.send(batch.map((p) => p.message)).then(
      () => {
        this.#metrics?.produceSeconds.observe((performance.now() - started) / 1000);
        this.#metrics?.produceBatchSize.observe(batch.length);
        for (const p of batch) p.resolve();
      },
      (error) => {
        const waited = Math.round(performance.now() - started);
        _log.warn("producer refused records", { records: batch.length, waitedMs: waited, error });
        for (const p of batch) p.reject(error);
      },
    ).finally(() => {
      this.#inFlight = undefined;
      if (this.#queue.length > 0) this.#flush();
    });
  }
}
