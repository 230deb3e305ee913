import { Buffer } from "node:buffer";
import { type MessageToProduce, Producer, stringSerializer } from "@platformatic/kafka";
import type { HealthReporter } from "../../domain/health_reporter.ts";
import { retry } from "../../lib/retry.ts";
import { KAFKA_OUTAGE_DEFAULTS } from "../config.ts";
import { clientOptions, type KafkaConnection } from "./kafka_connection.ts";

/**
 * A message with string key and value, and headers in bytes made once (the schema version's,
 * `record_version.ts`), which the producer sends as they are.
 */
export type StringMessage = MessageToProduce<string, string, Buffer, Buffer>;

/** Options of {@linkcode ResilientProducer}. */
export interface ResilientProducerOptions {
  readonly kafka: KafkaConnection;
  /** Kafka client id; also the component name in readiness and metrics. */
  readonly clientId: string;
  /** How long one `send` keeps trying while Kafka is unreachable, ms (default 30,000). */
  readonly graceMs?: number;
  /** Told when sends fail and when they work again. */
  readonly health?: HealthReporter;
}

/**
 * An idempotent producer (no duplicates from its own retries, order kept per partition) that
 * rides out a broker outage: a failed send closes the producer, builds a new one and sends again
 * with backoff, for up to `graceMs`; only then does `send` reject. A record sent twice across a
 * rebuild is harmless downstream (history and notifications are idempotent, the live view
 * drops what is not newer).
 */
export class ResilientProducer {
  #options: ResilientProducerOptions;
  #producer: Producer<string, string, Buffer, Buffer> | undefined;
  #stop = new AbortController();

  /** Builds the first producer lazily, on the first send. */
  constructor(options: ResilientProducerOptions) {
    this.#options = options;
  }

  /** Resolves once the broker has every message; rejects after `graceMs` of failures. */
  async send(messages: StringMessage[]): Promise<void> {
    const { graceMs = KAFKA_OUTAGE_DEFAULTS.graceMs, health, clientId } = this.#options;
    const deadline = Date.now() + graceMs;
    await retry(async () => {
      const producer = this.#producer ??= this.#build();
      try {
        await producer.send({ messages });
      } catch (error) {
        health?.down(clientId, error);
        if (this.#producer === producer) {
          this.#producer = undefined;
          health?.restarted(clientId);
        }
        void producer.close().catch(() => {});
        throw error;
      }
      health?.up(clientId);
    }, {
      minMs: 250,
      maxMs: 2_000,
      isRetryable: () => Date.now() < deadline,
      signal: this.#stop.signal,
    });
  }

  /** Stops retrying (sends in progress reject) and closes the producer. */
  async close(): Promise<void> {
    this.#stop.abort(new Error("producer closed"));
    await this.#producer?.close().catch(() => {});
    this.#producer = undefined;
  }

  #build(): Producer<string, string, Buffer, Buffer> {
    return new Producer({
      ...clientOptions(this.#options.kafka, this.#options.clientId),
      // Headers have no serializer: they are bytes already, made once per topic.
      serializers: { key: stringSerializer, value: stringSerializer },
      idempotent: true,
      // A few quick retries inside the client; longer outages are this class's job.
      retries: 3,
      retryDelay: 250,
    });
  }
}
