import type { LocationRecord } from "./location_record.ts";

/** One record read from the driver-locations topic, with the means to commit past it. */
export interface ConsumedLocation {
  readonly record: LocationRecord;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Commits this record's offset (and so everything before it in its partition). */
  commit(): Promise<void>;
}
