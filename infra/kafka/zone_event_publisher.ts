import type { HealthReporter } from "../../domain/health_reporter.ts";
import type { KafkaConnection } from "./kafka_connection.ts";
import { encodeZoneEvent, type ZoneEvent } from "../../domain/zone_event.ts";
import { ResilientProducer } from "./resilient_producer.ts";
import { ZONE_EVENT_VERSION } from "./record_version.ts";
import type { ZoneEventPublisher } from "../../domain/zone_event_publisher.ts";

/** Options for {@linkcode KafkaZoneEventPublisher}. */
export interface KafkaZoneEventPublisherOptions {
  readonly kafka: KafkaConnection;
  /** The zone-events topic. */
  readonly topic: string;
  /** How long a publish keeps trying while Kafka is unreachable (default 30 s). */
  readonly graceMs?: number;
  readonly health?: HealthReporter;
}

/**
 * An idempotent producer for zone-events, keyed by zone id so one zone's events stay in order.
 * Zone events are rare next to fixes (a few per visit), so each is sent on its own.
 */
export class KafkaZoneEventPublisher implements ZoneEventPublisher {
  #producer: ResilientProducer;
  #topic: string;

  constructor(options: KafkaZoneEventPublisherOptions) {
    this.#producer = new ResilientProducer({
      kafka: options.kafka,
      clientId: "zone-events-producer",
      ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
      ...(options.health && { health: options.health }),
    });
    this.#topic = options.topic;
  }

  async publish(event: ZoneEvent): Promise<void> {
    await this.#producer.send([
      {
        topic: this.#topic,
        key: event.zoneId,
        value: encodeZoneEvent(event),
        headers: ZONE_EVENT_VERSION.headers,
      },
    ]);
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }
}
