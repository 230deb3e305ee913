import type { ZoneEvent } from "./zone_event.ts";

/**
 * Publishes zone events to the zone-events topic, keyed by zone id (`KafkaZoneEventPublisher` in
 * `infra/kafka/`); the promise settles once the broker has the record.
 */
export interface ZoneEventPublisher {
  /** Resolves when the event is stored in Kafka; rejects when it could not be. */
  publish(event: ZoneEvent): Promise<void>;
  /** Closes the producer. */
  close(): Promise<void>;
}
