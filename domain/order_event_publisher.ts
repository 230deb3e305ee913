import type { OrderEvent } from "./order_event.ts";

/**
 * Publishes order events (`KafkaOrderEventPublisher` in `infra/kafka/`); the promise settles once
 * the broker has the record.
 */
export interface OrderEventPublisher {
  /** Resolves when the event is stored in Kafka; rejects when it could not be. */
  publish(event: OrderEvent): Promise<void>;
  /** Closes the producer. */
  close(): Promise<void>;
}
