import DataLoader from "dataloader";
import type { HistoryStore } from "../../domain/history_store.ts";
import type { LocationRecord } from "../../domain/location_record.ts";

/** Options of {@linkcode batchedLatest}. */
export interface BatchedLatestOptions {
  /** How long a batch gathers drivers before its one read, ms (default 5). */
  readonly windowMs?: number;
  /** Most drivers in one read (default 500). */
  readonly maxBatch?: number;
}

/** The defaults of {@linkcode BatchedLatestOptions}. */
export const BATCHED_LATEST_DEFAULTS = { windowMs: 5, maxBatch: 500 } as const;

/**
 * `HistoryStore.latest` for many callers at once: the drivers asked for within `windowMs` are read
 * in one round trip (`latestOf`). Each driver actor reads its newest stored fix when it starts, so
 * a burst of connecting drivers (a ramp, every driver back after a restart) makes a few reads
 * instead of one each. Nothing is cached: each call gets what the database has when its batch
 * runs. A failed read fails every call of its batch.
 */
export function batchedLatest(
  store: Pick<HistoryStore, "latestOf">,
  options: BatchedLatestOptions = {},
): (driverId: string) => Promise<LocationRecord | undefined> {
  const windowMs = options.windowMs ?? BATCHED_LATEST_DEFAULTS.windowMs;
  const loader = new DataLoader<string, LocationRecord | undefined>(
    async (driverIds) => {
      const found = await store.latestOf(driverIds);
      return driverIds.map((id) => found.get(id));
    },
    {
      cache: false,
      maxBatchSize: options.maxBatch ?? BATCHED_LATEST_DEFAULTS.maxBatch,
      batchScheduleFn: (run) => setTimeout(run, windowMs),
    },
  );
  return (driverId) => loader.load(driverId);
}
