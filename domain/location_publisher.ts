import type { LocationRecord } from "./location_record.ts";

/**
 * Publishes accepted fixes (`KafkaLocationPublisher` in `infra/kafka/`). The promise settles once
 * the broker has the record.
 */
export interface LocationPublisher {
  /** Resolves when the record is stored in Kafka; rejects when it could not be. */
  publish(record: LocationRecord, partition: number): Promise<void>;
  /** Sends what is queued, then closes. */
  close(): Promise<void>;
}
