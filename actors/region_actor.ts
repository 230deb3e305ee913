import type { Actor, ActorKind } from "./runtime/mod.ts";
import type { LocationRecord } from "../infra/kafka/location_record.ts";

/** Messages a RegionActor accepts. */
export type RegionMessage =
  /** Live records of this actor's partition, as this instance reads them. */
  | { type: "records"; records: readonly LocationRecord[] }
  /** The newest position of a driver seen in this partition, if any. */
  | { type: "latest"; driverId: string; replyTo: (record: LocationRecord | undefined) => void };

/**
 * One actor per partition of driver-locations that this instance reads live: it keeps each
 * driver's newest position (by fix time, so a late record never replaces a newer one). Fan-out to
 * order and restaurant viewers hangs off this actor.
 */
export class RegionActor implements Actor<RegionMessage> {
  #latest = new Map<string, LocationRecord>();

  receive(message: RegionMessage): void {
    switch (message.type) {
      case "records":
        for (const record of message.records) {
          const known = this.#latest.get(record.driverId);
          if (!known || _newer(record, known)) this.#latest.set(record.driverId, record);
        }
        return;
      case "latest":
        return message.replyTo(this.#latest.get(message.driverId));
    }
  }
}

function _newer(record: LocationRecord, known: LocationRecord): boolean {
  return record.ts > known.ts;
}

/** Registers RegionActor: a live view, so under overload the oldest batches give way. */
export function regionActorKind(): ActorKind<RegionMessage> {
  return {
    create: () => new RegionActor(),
    mailbox: { capacity: 1000, overflow: "drop-oldest" },
  };
}
