import type { Producer } from "@platformatic/kafka";
import { idempotentProducer } from "./idempotent_producer.ts";
import { encodeOrderEvent, type OrderEvent, orderEventKey } from "./order_event.ts";

/** Publishes order events; the promise settles once the broker has the record. */
export interface OrderEventPublisher {
  /** Resolves when the event is stored in Kafka; rejects when it could not be. */
  publish(event: OrderEvent): Promise<void>;
  /** Closes the producer. */
  close(): Promise<void>;
}

/** Options for {@linkcode KafkaOrderEventPublisher}. */
export interface KafkaOrderEventPublisherOptions {
  readonly brokers: readonly string[];
  /** The order-events topic. */
  readonly topic: string;
}

/**
 * An idempotent producer for order-events, keyed by order id so one order's events stay in order.
 * Order events are rare (a handful per order), so each is sent on its own.
 */
export class KafkaOrderEventPublisher implements OrderEventPublisher {
  #producer: Producer<string, string, string, string>;
  #topic: string;

  constructor(options: KafkaOrderEventPublisherOptions) {
    this.#producer = idempotentProducer(options.brokers, "tracking-order-events");
    this.#topic = options.topic;
  }

  async publish(event: OrderEvent): Promise<void> {
    await this.#producer.send({
      messages: [{ topic: this.#topic, key: orderEventKey(event), value: encodeOrderEvent(event) }],
    });
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }
}
