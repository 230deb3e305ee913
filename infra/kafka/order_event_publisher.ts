import type { HealthReporter } from "../../domain/health_reporter.ts";
import type { KafkaConnection } from "./kafka_connection.ts";
import { encodeOrderEvent, type OrderEvent, orderEventKey } from "../../domain/order_event.ts";
import { ResilientProducer } from "./resilient_producer.ts";
import { ORDER_EVENT_VERSION } from "./record_version.ts";
import type { OrderEventPublisher } from "../../domain/order_event_publisher.ts";

/** Options for {@linkcode KafkaOrderEventPublisher}. */
export interface KafkaOrderEventPublisherOptions {
  readonly kafka: KafkaConnection;
  /** The order-events topic. */
  readonly topic: string;
  /** How long a publish keeps trying while Kafka is unreachable (default 30 s). */
  readonly graceMs?: number;
  readonly health?: HealthReporter;
}

/**
 * An idempotent producer for order-events, keyed by order id so one order's events stay in order.
 * Order events are rare (a handful per order), so each is sent on its own.
 */
export class KafkaOrderEventPublisher implements OrderEventPublisher {
  #producer: ResilientProducer;
  #topic: string;

  constructor(options: KafkaOrderEventPublisherOptions) {
    this.#producer = new ResilientProducer({
      kafka: options.kafka,
      clientId: "order-events-producer",
      ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
      ...(options.health && { health: options.health }),
    });
    this.#topic = options.topic;
  }

  async publish(event: OrderEvent): Promise<void> {
    await this.#producer.send([
      {
        topic: this.#topic,
        key: orderEventKey(event),
        value: encodeOrderEvent(event),
        headers: ORDER_EVENT_VERSION.headers,
      },
    ]);
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }
}
